#include "providers/responses/input_to_messages.hpp"

#include <string>

#include "providers/responses/field_errors.hpp"
#include "providers/responses/response_object.hpp"

namespace llmux::providers::responses {

namespace json = boost::json;

namespace {

using MaybeError = std::optional<TranslationError>;

const json::value* given(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && !v->is_null() ? v : nullptr;
}

MaybeError required_string(const json::object& o, std::string_view key, const std::string& at) {
  const json::value* v = given(o, key);
  if (!v) return missing_parameter(at + "." + std::string(key));
  if (!v->is_string()) return invalid_type(at + "." + std::string(key), "a string", *v);
  return std::nullopt;
}

// Converts items one by one, keeping what pairing needs: an assistant turn still open for the
// tool calls that follow it.
class ItemConverter {
 public:
  ItemConverter(json::array& messages, std::vector<Blocker>& blockers) : messages_(messages), blockers_(blockers) {}

  MaybeError convert(const json::value& value, const std::string& at) {
    const json::object* item = value.if_object();
    if (!item) return invalid_type(at, "an object", value);
    const json::value* type = given(*item, "type");
    if (type && !type->is_string()) return invalid_type(at + ".type", "a string", *type);
    // An item without a type is a message (EasyInputMessage).
    const std::string_view kind = type ? std::string_view(type->get_string()) : std::string_view("message");
    if (kind == "message") return message(*item, at);
    if (kind == "function_call") return function_call(*item, at);
    if (kind == "function_call_output") return function_call_output(*item, at);
    if (kind == "reasoning") return reasoning(*item, at);
    if (kind == "item_reference") {
      blockers_.push_back({at, "an item_reference names an item that is not among this caller's stored responses, "
                               "so a chat completions deployment cannot be sent it; send the item itself"});
      return std::nullopt;
    }
    blockers_.push_back({at + ".type", "input items of type '" + std::string(kind) +
                                           "' cannot be sent to a chat completions deployment"});
    return std::nullopt;
  }

 private:
  MaybeError message(const json::object& item, const std::string& at) {
    const json::value* role_value = given(item, "role");
    if (!role_value) return missing_parameter(at + ".role");
    if (!role_value->is_string()) return invalid_type(at + ".role", "a string", *role_value);
    const std::string_view role = role_value->get_string();
    if (!one_of(role, {"user", "assistant", "system", "developer"})) {
      return invalid_value(at + ".role", role, {"user", "assistant", "system", "developer"});
    }
    const json::value* content = given(item, "content");
    if (!content) return missing_parameter(at + ".content");
    if (!content->is_string() && !content->is_array()) {
      return invalid_type(at + ".content", "a string or an array", *content);
    }
    if (role == "assistant") return assistant_message(*content, at);
    json::value converted;
    if (auto e = user_content(role, *content, at, converted)) return e;
    if (converted.is_null()) return std::nullopt;  // every part was a blocker
    // developer becomes system: every chat server and template knows it, and OpenAI treats them alike.
    messages_.push_back(json::object{{"role", role == "developer" ? "system" : role}, {"content", std::move(converted)}});
    pending_thinking_.clear();
    open_assistant_ = false;
    return std::nullopt;
  }

  // User, system and developer content: text joined into one string when it is all text (every
  // chat server takes that; some older chat templates refuse part lists), else parts.
  MaybeError user_content(std::string_view role, const json::value& content, const std::string& at, json::value& out) {
    if (content.is_string()) {
      out = content;
      return std::nullopt;
    }
    json::array parts;
    bool all_text = true;
    const json::array& list = content.get_array();
    for (std::size_t j = 0; j < list.size(); ++j) {
      const std::string part_at = at + ".content[" + std::to_string(j) + "]";
      const json::object* part = list[j].if_object();
      if (!part) return invalid_type(part_at, "an object", list[j]);
      const json::value* type = given(*part, "type");
      if (!type) return missing_parameter(part_at + ".type");
      if (!type->is_string()) return invalid_type(part_at + ".type", "a string", *type);
      const std::string_view kind = type->get_string();
      if (kind == "input_text") {
        if (auto e = required_string(*part, "text", part_at)) return e;
        parts.push_back(json::object{{"type", "text"}, {"text", part->at("text")}});
        continue;
      }
      if (role != "user" || !one_of(kind, {"input_image", "input_file"})) {
        return invalid_value(part_at + ".type", kind,
                             role == "user" ? std::initializer_list<std::string_view>{"input_text", "input_image", "input_file"}
                                            : std::initializer_list<std::string_view>{"input_text"});
      }
      all_text = false;
      if (auto e = kind == "input_image" ? image_part(*part, part_at, parts) : file_part(*part, part_at, parts)) return e;
    }
    if (parts.empty() && !list.empty()) {
      out = nullptr;
      return std::nullopt;
    }
    if (!all_text) {
      out = std::move(parts);
      return std::nullopt;
    }
    std::string text;
    for (const json::value& p : parts) {
      if (!text.empty()) text += "\n";
      text += p.as_object().at("text").as_string();
    }
    out = json::value(text);
    return std::nullopt;
  }

  MaybeError image_part(const json::object& part, const std::string& at, json::array& parts) {
    const json::value* url = given(part, "image_url");
    if (!url) {
      if (given(part, "file_id")) {
        blockers_.push_back({at + ".file_id", "an input_image given by file_id cannot be sent to a chat completions "
                                              "deployment (no Files API behind it); send image_url"});
        return std::nullopt;
      }
      return missing_parameter(at + ".image_url");
    }
    if (!url->is_string()) return invalid_type(at + ".image_url", "a string", *url);
    json::object image{{"url", *url}};
    if (const json::value* detail = given(part, "detail")) {
      if (!detail->is_string()) return invalid_type(at + ".detail", "a string", *detail);
      if (!one_of(detail->get_string(), {"low", "high", "auto"})) {
        return invalid_value(at + ".detail", detail->get_string(), {"low", "high", "auto"});
      }
      image["detail"] = *detail;
    }
    parts.push_back(json::object{{"type", "image_url"}, {"image_url", std::move(image)}});
    return std::nullopt;
  }

  MaybeError file_part(const json::object& part, const std::string& at, json::array& parts) {
    const json::value* data = given(part, "file_data");
    if (!data) {
      blockers_.push_back({at, "an input_file given by file_id or file_url cannot be sent to a chat completions "
                               "deployment; send file_data"});
      return std::nullopt;
    }
    if (!data->is_string()) return invalid_type(at + ".file_data", "a string", *data);
    json::object file{{"file_data", *data}};
    if (const json::value* name = given(part, "filename")) {
      if (!name->is_string()) return invalid_type(at + ".filename", "a string", *name);
      file["filename"] = *name;
    }
    parts.push_back(json::object{{"type", "file"}, {"file", std::move(file)}});
    return std::nullopt;
  }

  MaybeError assistant_message(const json::value& content, const std::string& at) {
    std::string text;
    if (content.is_string()) {
      text = std::string(content.get_string());
    } else {
      const json::array& list = content.get_array();
      for (std::size_t j = 0; j < list.size(); ++j) {
        const std::string part_at = at + ".content[" + std::to_string(j) + "]";
        const json::object* part = list[j].if_object();
        if (!part) return invalid_type(part_at, "an object", list[j]);
        const json::value* type = given(*part, "type");
        if (!type) return missing_parameter(part_at + ".type");
        if (!type->is_string()) return invalid_type(part_at + ".type", "a string", *type);
        const std::string_view kind = type->get_string();
        // A refusal in history is what the assistant said: text to a chat model.
        const char* field = kind == "refusal" ? "refusal" : "text";
        if (!one_of(kind, {"output_text", "input_text", "refusal"})) {
          return invalid_value(part_at + ".type", kind, {"output_text", "refusal"});
        }
        if (auto e = required_string(*part, field, part_at)) return e;
        text += part->at(field).as_string();
      }
    }
    messages_.push_back(json::object{{"role", "assistant"}, {"content", text}});
    open_assistant_ = true;
    attach_pending_thinking();
    return std::nullopt;
  }

  MaybeError function_call(const json::object& item, const std::string& at) {
    for (std::string_view key : {"call_id", "name", "arguments"}) {
      if (auto e = required_string(item, key, at)) return e;
    }
    json::object call{{"id", item.at("call_id")},
                      {"type", "function"},
                      {"function", json::object{{"name", item.at("name")}, {"arguments", item.at("arguments")}}}};
    // Calls right after an assistant turn (or after each other: parallel calls) belong to it.
    if (!open_assistant_) {
      messages_.push_back(json::object{{"role", "assistant"}, {"content", nullptr}});
      open_assistant_ = true;
    }
    attach_pending_thinking();
    json::object& turn = messages_.back().as_object();
    if (json::value* content = turn.if_contains("content"); content && content->is_string() && content->get_string().empty()) {
      *content = nullptr;
    }
    if (!turn.contains("tool_calls")) turn["tool_calls"] = json::array{};
    turn["tool_calls"].as_array().push_back(std::move(call));
    return std::nullopt;
  }

  MaybeError function_call_output(const json::object& item, const std::string& at) {
    if (auto e = required_string(item, "call_id", at)) return e;
    const json::value* output = given(item, "output");
    if (!output) return missing_parameter(at + ".output");
    std::string text;
    if (output->is_string()) {
      text = std::string(output->get_string());
    } else if (output->is_array()) {
      const json::array& list = output->get_array();
      for (std::size_t j = 0; j < list.size(); ++j) {
        const std::string part_at = at + ".output[" + std::to_string(j) + "]";
        const json::object* part = list[j].if_object();
        if (!part) return invalid_type(part_at, "an object", list[j]);
        const json::value* type = given(*part, "type");
        if (!type || !type->is_string()) return missing_parameter(part_at + ".type");
        if (type->get_string() != "input_text") {
          // A chat `tool` message carries text only.
          blockers_.push_back({part_at + ".type", "a function_call_output part of type '" +
                                                      std::string(type->get_string()) +
                                                      "' cannot be sent to a chat completions deployment (tool "
                                                      "results there are text)"});
          continue;
        }
        if (auto e = required_string(*part, "text", part_at)) return e;
        if (!text.empty()) text += "\n";
        text += part->at("text").as_string();
      }
    } else {
      return invalid_type(at + ".output", "a string or an array", *output);
    }
    messages_.push_back(json::object{{"role", "tool"}, {"tool_call_id", item.at("call_id")}, {"content", text}});
    pending_thinking_.clear();
    open_assistant_ = false;
    return std::nullopt;
  }

  MaybeError reasoning(const json::object& item, const std::string& at) {
    for (std::string_view key : {"summary", "content"}) {
      const json::value* list = given(item, key);
      if (!list) continue;
      if (!list->is_array()) return invalid_type(at + "." + std::string(key), "an array", *list);
      for (std::size_t j = 0; j < list->get_array().size(); ++j) {
        const json::value& part = list->get_array()[j];
        const std::string part_at = at + "." + std::string(key) + "[" + std::to_string(j) + "]";
        if (!part.is_object()) return invalid_type(part_at, "an object", part);
        if (auto e = required_string(part.get_object(), "text", part_at)) return e;
      }
    }
    if (const json::value* encrypted = given(item, "encrypted_content"); encrypted && !encrypted->is_string()) {
      return invalid_type(at + ".encrypted_content", "a string", *encrypted);
    } else if (encrypted) {
      // Signed Anthropic thinking the bridge made: back onto the assistant turn it came with, as
      // `thinking_blocks`, which the Anthropic adapter sends as thinking blocks. Anything else
      // encrypted is left out of the chat body (see the header).
      if (auto blocks = thinking_from_encrypted_content(encrypted->get_string())) {
        for (json::value& block : *blocks) pending_thinking_.push_back(std::move(block));
      }
    }
    return std::nullopt;
  }

  // Reasoning precedes the message or tool calls of its turn; a turn that already got its blocks
  // (or any later message) takes none.
  void attach_pending_thinking() {
    if (pending_thinking_.empty() || messages_.empty()) return;
    json::object& turn = messages_.back().as_object();
    if (!turn.contains("thinking_blocks")) turn["thinking_blocks"] = json::array{};
    for (json::value& block : pending_thinking_) turn["thinking_blocks"].as_array().push_back(std::move(block));
    pending_thinking_.clear();
  }

  json::array& messages_;
  std::vector<Blocker>& blockers_;
  bool open_assistant_ = false;  // the last message is an assistant turn further tool calls join
  json::array pending_thinking_;  // signed thinking of reasoning items not yet given to a turn
};

// The request's input as items, for a store's `input_items`.
json::value as_item(const json::value& v) {
  json::value item = v;
  if (json::object* o = item.if_object(); o && !o->contains("type")) (*o)["type"] = "message";
  return item;
}

}  // namespace

MaybeError translate_input(const json::object& request, const json::array& history, json::array& messages,
                           json::array& input_items, std::vector<Blocker>& blockers) {
  if (const json::value* instructions = given(request, "instructions")) {
    messages.push_back(json::object{{"role", "system"}, {"content", *instructions}});
  }
  ItemConverter converter(messages, blockers);
  for (std::size_t i = 0; i < history.size(); ++i) {
    if (auto e = converter.convert(history[i], "history[" + std::to_string(i) + "]")) return e;
  }
  const json::value* input = given(request, "input");
  if (!input) return missing_parameter("input");
  if (input->is_string()) {
    messages.push_back(json::object{{"role", "user"}, {"content", *input}});
    input_items.push_back(json::object{
        {"type", "message"},
        {"role", "user"},
        {"content", json::array{json::object{{"type", "input_text"}, {"text", *input}}}}});
    return std::nullopt;
  }
  const json::array& items = input->get_array();
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (auto e = converter.convert(items[i], "input[" + std::to_string(i) + "]")) return e;
    input_items.push_back(as_item(items[i]));
  }
  return std::nullopt;
}

}  // namespace llmux::providers::responses
