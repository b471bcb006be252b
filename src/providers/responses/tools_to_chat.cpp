#include "providers/responses/tools_to_chat.hpp"

#include <string>

#include "providers/anthropic/json_helpers.hpp"
#include "providers/responses/field_errors.hpp"

namespace llmux::providers::responses {

namespace json = boost::json;

namespace {

const json::value* given(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && !v->is_null() ? v : nullptr;
}

// A member that must be a string when present; `param` names it for the error.
std::optional<TranslationError> optional_string(const json::object& o, std::string_view key, const std::string& param) {
  const json::value* v = given(o, key);
  if (v && !v->is_string()) return invalid_type(param, "a string", *v);
  return std::nullopt;
}

std::optional<TranslationError> required_string(const json::object& o, std::string_view key, const std::string& param) {
  const json::value* v = given(o, key);
  if (!v) return missing_parameter(param);
  if (!v->is_string()) return invalid_type(param, "a string", *v);
  if (v->get_string().empty()) {
    return TranslationError{400, "Invalid '" + param + "': empty string. Expected a string with minimum length 1, but got an empty string instead.", param};
  }
  return std::nullopt;
}

std::optional<TranslationError> function_tool(const json::object& tool, const std::string& at, json::array& chat_tools,
                                              json::array& echo_tools) {
  if (auto e = required_string(tool, "name", at + ".name")) return e;
  if (auto e = optional_string(tool, "description", at + ".description")) return e;
  const json::value* parameters = given(tool, "parameters");
  if (parameters && !parameters->is_object()) return invalid_type(at + ".parameters", "an object", *parameters);
  const json::value* strict = given(tool, "strict");
  if (strict && !strict->is_bool()) return invalid_type(at + ".strict", "a boolean", *strict);

  json::object function{{"name", tool.at("name")}};
  if (const json::value* d = given(tool, "description")) function["description"] = *d;
  // Chat completions takes a function without parameters; Anthropic needs a schema, and the
  // Anthropic translation supplies an empty one.
  if (parameters) function["parameters"] = *parameters;
  // Passed on only when the client said so: an upstream that enforces `strict` refuses schemas
  // that are not strict-compatible, and chat's default is false.
  if (strict) function["strict"] = *strict;
  chat_tools.push_back(json::object{{"type", "function"}, {"function", std::move(function)}});

  echo_tools.push_back(json::object{{"type", "function"},
                                    {"name", tool.at("name")},
                                    {"description", given(tool, "description") ? tool.at("description") : nullptr},
                                    {"parameters", parameters ? *parameters : json::value(nullptr)},
                                    {"strict", strict ? *strict : json::value(nullptr)}});
  return std::nullopt;
}

std::optional<TranslationError> tool_choice(const json::object& request, json::object& chat, json::object& echo,
                                            std::vector<Blocker>& blockers) {
  const json::value* choice = given(request, "tool_choice");
  echo["tool_choice"] = choice ? *choice : json::value("auto");
  if (!choice) return std::nullopt;
  if (choice->is_string()) {
    if (!one_of(choice->get_string(), {"none", "auto", "required"})) {
      return invalid_value("tool_choice", choice->get_string(), {"none", "auto", "required"});
    }
    chat["tool_choice"] = *choice;
    return std::nullopt;
  }
  const json::object& forced = choice->get_object();
  const json::value* type = given(forced, "type");
  if (!type) return missing_parameter("tool_choice.type");
  if (!type->is_string()) return invalid_type("tool_choice.type", "a string", *type);
  if (type->get_string() != "function") {
    blockers.push_back({"tool_choice", "tool_choice of type '" + std::string(type->get_string()) +
                                           "' cannot be served by a chat completions deployment"});
    return std::nullopt;
  }
  if (auto e = required_string(forced, "name", "tool_choice.name")) return e;
  chat["tool_choice"] = json::object{{"type", "function"}, {"function", json::object{{"name", forced.at("name")}}}};
  return std::nullopt;
}

}  // namespace

std::optional<TranslationError> translate_tools(const json::object& request, json::object& chat, json::object& echo,
                                                std::vector<Blocker>& blockers) {
  json::array chat_tools;
  json::array echo_tools;
  if (const json::value* tools = given(request, "tools")) {
    const json::array& list = tools->get_array();
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string at = "tools[" + std::to_string(i) + "]";
      const json::object* tool = list[i].if_object();
      if (!tool) return invalid_type(at, "an object", list[i]);
      const json::value* type = given(*tool, "type");
      if (!type) return missing_parameter(at + ".type");
      if (!type->is_string()) return invalid_type(at + ".type", "a string", *type);
      if (type->get_string() == "function") {
        if (auto e = function_tool(*tool, at, chat_tools, echo_tools)) return e;
        continue;
      }
      // A built-in tool runs on OpenAI's side; a chat deployment has nothing to run it with.
      blockers.push_back({at + ".type", "the built-in tool '" + std::string(type->get_string()) +
                                            "' cannot run on a chat completions deployment (only function tools "
                                            "are bridged)"});
      echo_tools.push_back(*tool);
    }
  }
  if (!chat_tools.empty()) chat["tools"] = std::move(chat_tools);
  echo["tools"] = std::move(echo_tools);
  if (auto e = tool_choice(request, chat, echo, blockers)) return e;
  // OpenAI's default; chat's too, so only a client's own value is sent.
  const json::value* parallel = given(request, "parallel_tool_calls");
  echo["parallel_tool_calls"] = parallel ? *parallel : json::value(true);
  if (parallel && chat.contains("tools")) chat["parallel_tool_calls"] = *parallel;
  return std::nullopt;
}

std::optional<TranslationError> translate_text(const json::object& request, json::object& chat, json::object& echo) {
  json::object echo_text{{"format", json::object{{"type", "text"}}}};
  const json::value* text = given(request, "text");
  if (!text) {
    echo["text"] = std::move(echo_text);
    return std::nullopt;
  }
  const json::object& t = text->get_object();
  if (const json::value* verbosity = given(t, "verbosity")) {
    if (!verbosity->is_string()) return invalid_type("text.verbosity", "a string", *verbosity);
    if (!one_of(verbosity->get_string(), {"low", "medium", "high"})) {
      return invalid_value("text.verbosity", verbosity->get_string(), {"low", "medium", "high"});
    }
    chat["verbosity"] = *verbosity;
    echo_text["verbosity"] = *verbosity;
  }
  if (const json::value* format = given(t, "format")) {
    const json::object* f = format->if_object();
    if (!f) return invalid_type("text.format", "an object", *format);
    const json::value* type = given(*f, "type");
    if (!type) return missing_parameter("text.format.type");
    if (!type->is_string()) return invalid_type("text.format.type", "a string", *type);
    const std::string_view kind = type->get_string();
    if (!one_of(kind, {"text", "json_schema", "json_object"})) {
      return invalid_value("text.format.type", kind, {"text", "json_schema", "json_object"});
    }
    if (kind == "json_object") chat["response_format"] = json::object{{"type", "json_object"}};
    if (kind == "json_schema") {
      if (auto e = required_string(*f, "name", "text.format.name")) return e;
      const json::value* schema = given(*f, "schema");
      if (!schema) return missing_parameter("text.format.schema");
      if (!schema->is_object()) return invalid_type("text.format.schema", "an object", *schema);
      if (auto e = optional_string(*f, "description", "text.format.description")) return e;
      const json::value* strict = given(*f, "strict");
      if (strict && !strict->is_bool()) return invalid_type("text.format.strict", "a boolean", *strict);
      json::object json_schema{{"name", f->at("name")}, {"schema", *schema}};
      if (strict) json_schema["strict"] = *strict;
      if (const json::value* d = given(*f, "description")) json_schema["description"] = *d;
      chat["response_format"] = json::object{{"type", "json_schema"}, {"json_schema", std::move(json_schema)}};
    }
    echo_text["format"] = *format;
  }
  echo["text"] = std::move(echo_text);
  return std::nullopt;
}

}  // namespace llmux::providers::responses
