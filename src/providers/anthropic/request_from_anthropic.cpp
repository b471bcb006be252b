#include "providers/anthropic/request_from_anthropic.hpp"

#include <boost/json/serialize.hpp>
#include <algorithm>
#include <optional>

#include "providers/anthropic/anthropic_only_fields.hpp"
#include "providers/anthropic/field_types.hpp"
#include "providers/anthropic/json_helpers.hpp"
#include "providers/anthropic/structured_output.hpp"

namespace llmux::providers::anthropic {

namespace json = boost::json;

namespace {

using MaybeError = std::optional<TranslationError>;

TranslationError bad(std::string message, std::string param = "messages") {
  return {400, std::move(message), std::move(param)};
}

// What an OpenAI-compatible deployment cannot take is noted (the first such thing) and left out
// of the body, which then serves routing and budgets only: the gateway sends the request to
// Anthropic deployments alone, or refuses it with the note when the group has none.
struct Unservable {
  std::optional<TranslationError> first;

  void note(std::string message, std::string param = "messages") {
    if (!first) first = bad(std::move(message), std::move(param));
  }
};

// Text of a string-or-blocks value (system, tool_result content); blocks joined by newlines.
// Non-text blocks inside a tool result (images) have no place in an OpenAI tool message
// and are left out.
std::string joined_text(const json::value* content) {
  if (!content) return {};
  if (content->is_string()) return std::string(content->get_string());
  std::string out;
  if (const json::array* blocks = content->if_array()) {
    for (const json::value& v : *blocks) {
      const json::object* b = v.if_object();
      if (!b || string_member_or(*b, "type") != "text") continue;
      if (!out.empty()) out += "\n";
      out += string_member_or(*b, "text");
    }
  }
  return out;
}

// base64 sources become data URLs, url sources stay URLs, a plain-text document its text.
// A `file` source (file_id) names a file Anthropic holds.
void media_part(const json::object& block, json::array& parts, Unservable& unservable) {
  const json::object* source = object_member(block, "source");
  std::string_view source_type = source ? string_member_or(*source, "type") : "";
  std::string url;
  if (source_type == "text" && string_member_or(block, "type") == "document") {
    parts.push_back(json::object{{"type", "text"}, {"text", string_member_or(*source, "data")}});
    return;
  }
  if (source_type == "base64") {
    url = "data:" + std::string(string_member_or(*source, "media_type")) + ";base64," +
          std::string(string_member_or(*source, "data"));
  } else if (source_type == "url") {
    url = std::string(string_member_or(*source, "url"));
  } else {
    unservable.note("unsupported " + std::string(string_member_or(block, "type")) + " source type '" +
                    std::string(source_type) + "' for an OpenAI-compatible deployment");
    return;
  }
  if (string_member_or(block, "type") == "document") {
    if (source_type != "base64") {
      unservable.note("document blocks need a base64 or text source for an OpenAI-compatible deployment");
      return;
    }
    parts.push_back(json::object{{"type", "file"}, {"file", json::object{{"file_data", url}}}});
  } else {
    parts.push_back(json::object{{"type", "image_url"}, {"image_url", json::object{{"url", url}}}});
  }
}

// A user turn: its tool_result blocks become `tool` messages, in order, right after the
// assistant turn that called them; the rest becomes one user message after those.
MaybeError convert_user(const json::value& content, json::array& out, Unservable& unservable) {
  if (content.is_string()) {
    out.push_back(json::object{{"role", "user"}, {"content", content.get_string()}});
    return std::nullopt;
  }
  if (!content.is_array()) return bad("message content must be a string or a list of blocks");
  json::array parts;
  for (const json::value& v : content.get_array()) {
    const json::object* block = v.if_object();
    std::string_view type = block ? string_member_or(*block, "type") : "";
    if (type == "text") {
      parts.push_back(json::object{{"type", "text"}, {"text", string_member_or(*block, "text")}});
    } else if (type == "image" || type == "document") {
      media_part(*block, parts, unservable);
    } else if (type == "tool_result") {
      out.push_back(json::object{{"role", "tool"},
                                 {"tool_call_id", string_member_or(*block, "tool_use_id")},
                                 {"content", joined_text(block->if_contains("content"))}});
    } else {
      // Server tool results, MCP blocks, container uploads, compaction blocks…: Anthropic's own.
      unservable.note("unsupported content block type '" + std::string(type) +
                      "' for an OpenAI-compatible deployment");
    }
  }
  if (parts.empty()) return std::nullopt;
  const bool all_text = std::all_of(parts.begin(), parts.end(), [](const json::value& p) {
    return string_member_or(p.as_object(), "type") == "text";
  });
  if (!all_text) {
    out.push_back(json::object{{"role", "user"}, {"content", std::move(parts)}});
    return std::nullopt;
  }
  // Text only: one string, which every OpenAI-compatible server accepts (some older
  // chat templates reject part lists); vLLM itself joins text parts with newlines.
  std::string text;
  for (const json::value& p : parts) {
    if (!text.empty()) text += "\n";
    text += string_member_or(p.as_object(), "text");
  }
  out.push_back(json::object{{"role", "user"}, {"content", text}});
  return std::nullopt;
}

// An assistant turn: text blocks concatenated, tool_use -> tool_calls. Thinking blocks
// are dropped: an OpenAI-compatible server has no field to take them back.
MaybeError convert_assistant(const json::value& content, json::array& out, Unservable& unservable) {
  if (content.is_string()) {
    out.push_back(json::object{{"role", "assistant"}, {"content", content.get_string()}});
    return std::nullopt;
  }
  if (!content.is_array()) return bad("message content must be a string or a list of blocks");
  std::string text;
  json::array tool_calls;
  for (const json::value& v : content.get_array()) {
    const json::object* block = v.if_object();
    std::string_view type = block ? string_member_or(*block, "type") : "";
    if (type == "text") {
      text += string_member_or(*block, "text");
    } else if (type == "tool_use") {
      const json::value* input = block->if_contains("input");
      tool_calls.push_back(
          json::object{{"id", string_member_or(*block, "id")},
                       {"type", "function"},
                       {"function", json::object{{"name", string_member_or(*block, "name")},
                                                 {"arguments", input ? json::serialize(*input) : "{}"}}}});
    } else if (type != "thinking" && type != "redacted_thinking") {
      unservable.note("unsupported content block type '" + std::string(type) +
                      "' for an OpenAI-compatible deployment");
    }
  }
  json::object message{{"role", "assistant"}};
  message["content"] = text.empty() && !tool_calls.empty() ? json::value(nullptr) : json::value(text);
  if (!tool_calls.empty()) message["tool_calls"] = std::move(tool_calls);
  out.push_back(std::move(message));
  return std::nullopt;
}

std::variant<json::array, TranslationError> convert_tools(const json::array& tools, Unservable& unservable) {
  json::array out;
  for (const json::value& v : tools) {
    const json::object* tool = v.if_object();
    if (!tool) return bad("tools entries must be objects", "tools");
    std::string_view type = string_member_or(*tool, "type", "custom");
    if (type != "custom") {
      // Server tools (web search and fetch, code execution, tool search, MCP toolsets, …) run
      // on Anthropic's side; client tools with a versioned type (bash, text editor, computer,
      // memory) carry a schema only Anthropic knows.
      unservable.note("tool type '" + std::string(type) + "' is not supported for an OpenAI-compatible deployment",
                      "tools");
      continue;
    }
    json::object function{{"name", string_member_or(*tool, "name")}};
    if (auto description = string_member(*tool, "description")) function["description"] = *description;
    const json::value* schema = tool->if_contains("input_schema");
    function["parameters"] =
        schema ? *schema : json::value(json::object{{"type", "object"}, {"properties", json::object{}}});
    if (const json::value* strict = tool->if_contains("strict"); strict && strict->is_bool())
      function["strict"] = strict->get_bool();
    out.push_back(json::object{{"type", "function"}, {"function", std::move(function)}});
  }
  return out;
}

// {"type":"auto"|"any"|"tool"|"none"} -> OpenAI's tool_choice; null when not given.
json::value convert_tool_choice(const json::object& choice) {
  std::string_view type = string_member_or(choice, "type");
  if (type == "any") return "required";
  if (type == "none") return "none";
  if (type == "tool") {
    return json::object{{"type", "function"},
                        {"function", json::object{{"name", string_member_or(choice, "name")}}}};
  }
  return "auto";
}

}  // namespace

std::variant<OpenAiTranslation, TranslationError> to_openai_request(const json::object& request,
                                                                   std::string upstream_model) {
  // LiteLLM's wording for the two required fields.
  if (!string_member(request, "model")) {
    return bad("Bad Request: model is required for Anthropic Messages Request", "model");
  }
  const json::array* messages = array_member(request, "messages");
  if (!messages && is_absent(request, "messages"))
    return bad("Bad Request: messages is required for Anthropic Messages Request");
  if (auto wrong = check_field_types(request, anthropic_messages_field_rules(), ErrorWording::anthropic)) return *wrong;
  if (const json::array* stop = array_member(request, "stop_sequences")) {
    for (std::size_t i = 0; i < stop->size(); ++i) {
      if (!(*stop)[i].is_string())
        return bad("stop_sequences." + std::to_string(i) + ": Input should be a valid string", "stop_sequences");
    }
  }

  auto response_format = response_format_from_anthropic(request);
  if (auto* err = std::get_if<TranslationError>(&response_format)) return std::move(*err);
  Unservable unservable;
  if (auto field = anthropic_only_field(request)) unservable.first = std::move(field);

  json::array out_messages;
  if (const json::value* system = request.if_contains("system"); system && !system->is_null()) {
    std::string text = joined_text(system);
    if (!text.empty()) out_messages.push_back(json::object{{"role", "system"}, {"content", text}});
  }
  for (const json::value& v : *messages) {
    const json::object* message = v.if_object();
    if (!message) return bad("messages must be objects");
    std::string_view role = string_member_or(*message, "role");
    const json::value* content = message->if_contains("content");
    if (!content) return bad("every message needs content");
    MaybeError err;
    if (role == "user") {
      err = convert_user(*content, out_messages, unservable);
    } else if (role == "assistant") {
      err = convert_assistant(*content, out_messages, unservable);
    } else {
      err = bad("unknown role '" + std::string(role) + "'");
    }
    if (err) return *err;
  }

  json::object body;
  body["model"] = std::move(upstream_model);
  body["messages"] = std::move(out_messages);
  if (auto max_tokens = int_member(request, "max_tokens")) body["max_tokens"] = *max_tokens;
  if (const json::array* stop = array_member(request, "stop_sequences"); stop && !stop->empty())
    body["stop"] = *stop;
  for (std::string_view key : {"temperature", "top_p", "top_k"}) {
    if (!is_absent(request, key)) body[key] = request.at(key);
  }
  if (const json::array* tools = array_member(request, "tools"); tools && !tools->empty()) {
    auto converted = convert_tools(*tools, unservable);
    if (auto* err = std::get_if<TranslationError>(&converted)) return *err;
    auto& function_tools = std::get<json::array>(converted);
    // Only server tools: nothing the deployment could call (the request goes to Anthropic).
    if (!function_tools.empty()) {
      body["tools"] = std::move(function_tools);
      if (const json::object* choice = object_member(request, "tool_choice")) {
        body["tool_choice"] = convert_tool_choice(*choice);
        const json::value* disable = choice->if_contains("disable_parallel_tool_use");
        if (disable && disable->is_bool() && disable->get_bool()) body["parallel_tool_calls"] = false;
      }
    }
  }
  if (auto* format = std::get_if<json::object>(&response_format)) body["response_format"] = std::move(*format);
  if (const json::object* metadata = object_member(request, "metadata")) {
    if (auto user = string_member(*metadata, "user_id")) body["user"] = *user;
  }
  if (const json::value* stream = request.if_contains("stream");
      stream && stream->is_bool() && stream->get_bool()) {
    body["stream"] = true;
    // Usage only arrives in a stream when asked for; message_delta needs output_tokens.
    body["stream_options"] = json::object{{"include_usage", true}};
  }
  // Not sent, and harmless to leave out (docs/compatibility.md): `thinking` and
  // `output_config.effort` / `task_budget` (OpenAI-compatible chat has no portable equivalent,
  // and reasoning models served that way decide on their own), `service_tier`, `speed`,
  // top-level `cache_control` (such servers cache prefixes on their own), `diagnostics`.
  return OpenAiTranslation{json::serialize(body), std::move(unservable.first)};
}

}  // namespace llmux::providers::anthropic
