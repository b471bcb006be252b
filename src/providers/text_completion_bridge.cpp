#include "providers/text_completion_bridge.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace llmux::providers {
namespace {

namespace json = boost::json;

BridgeError unsupported(std::string_view param) {
  // LiteLLM's UnsupportedParamsError wording, which clients match on.
  return {"litellm.UnsupportedParamsError: anthropic does not support parameters: ['" + std::string(param) +
              "'] on /completions (the prompt is sent as a chat message). To drop these, set "
              "`litellm.drop_params=True` or for proxy:\n\n`litellm_settings:\n drop_params: true`\n",
          std::string(param)};
}

// A completion-only parameter that asks for something (not null, false, "" or best_of 1).
bool asks(std::string_view key, const json::value& value) {
  if (value.is_null()) return false;
  if (value.is_bool()) return value.get_bool();
  if (value.is_string()) return !value.get_string().empty();
  if (key == "best_of" && value.is_int64()) return value.get_int64() > 1;
  return true;
}

std::string_view completion_finish_reason(const json::value* reason, bool final_chunk) {
  if (!reason || !reason->is_string()) return final_chunk ? "stop" : "";
  const std::string_view r = reason->get_string();
  if (r == "length" || r == "content_filter") return r;
  return "stop";  // stop, tool_calls, function_call: the model stopped by itself
}

json::object text_choice(const json::object& choice, std::string text, bool whole) {
  json::object out;
  out["text"] = std::move(text);
  const json::value* index = choice.if_contains("index");
  out["index"] = index && index->is_int64() ? index->get_int64() : 0;
  out["logprobs"] = nullptr;
  const std::string_view reason = completion_finish_reason(choice.if_contains("finish_reason"), whole);
  if (reason.empty()) {
    out["finish_reason"] = nullptr;  // as OpenAI streams it until the last chunk
  } else {
    out["finish_reason"] = reason;
  }
  return out;
}

std::string string_or_empty(const json::value* value) {
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

// The fields every completion object repeats: id, object, created, model (and system_fingerprint).
json::object completion_head(const json::object& chat) {
  json::object out;
  out["id"] = string_or_empty(chat.if_contains("id"));
  out["object"] = "text_completion";
  const json::value* created = chat.if_contains("created");
  out["created"] = created && created->is_int64() ? created->get_int64() : 0;
  out["model"] = string_or_empty(chat.if_contains("model"));
  if (const json::value* fingerprint = chat.if_contains("system_fingerprint"); fingerprint && fingerprint->is_string()) {
    out["system_fingerprint"] = *fingerprint;
  }
  return out;
}

}  // namespace

std::variant<json::object, BridgeError> chat_request_from_completion(const json::object& completion,
                                                                    bool drop_params) {
  json::object chat;
  const json::value* prompt = completion.if_contains("prompt");
  std::string text;
  if (prompt && prompt->is_string()) {
    text = std::string(prompt->get_string());
  } else if (prompt && prompt->is_array() && prompt->get_array().size() == 1 && prompt->get_array()[0].is_string()) {
    text = std::string(prompt->get_array()[0].get_string());
  } else {
    return BridgeError{"Invalid 'prompt': a chat-only deployment takes one text prompt (a string, or an array of "
                       "one string); lists of several prompts and token ids cannot be sent as a chat message.",
                       "prompt"};
  }
  for (const auto& member : completion) {
    const std::string_view key = member.key();
    if (key == "prompt") continue;
    if (key == "echo" || key == "suffix" || key == "best_of") {
      if (asks(key, member.value()) && !drop_params) return unsupported(key);
      continue;
    }
    chat.emplace(key, member.value());
  }
  json::array messages;
  messages.push_back(json::object{{"role", "user"}, {"content", std::move(text)}});
  chat["messages"] = std::move(messages);
  return chat;
}

std::variant<std::string, BridgeError> completion_from_chat(std::string_view chat_completion_json) {
  boost::system::error_code ec;
  const json::value parsed = json::parse(chat_completion_json, ec);
  if (ec || !parsed.is_object()) return BridgeError{"the chat answer is not a JSON object", ""};
  const json::object& chat = parsed.get_object();
  json::object out = completion_head(chat);
  json::array choices;
  if (const json::value* list = chat.if_contains("choices"); list && list->is_array()) {
    for (const auto& choice : list->get_array()) {
      if (!choice.is_object()) continue;
      const json::value* message = choice.get_object().if_contains("message");
      const json::value* content = message && message->is_object() ? message->get_object().if_contains("content") : nullptr;
      choices.push_back(text_choice(choice.get_object(), string_or_empty(content), true));
    }
  }
  out["choices"] = std::move(choices);
  if (const json::value* usage = chat.if_contains("usage")) out["usage"] = *usage;
  return json::serialize(out);
}

void ChatChunksToCompletion::feed(std::string_view sse_bytes, std::string& out) {
  parser_.feed(sse_bytes, [&](const net::SseEventView& event) { on_data(event.data, out); });
}

void ChatChunksToCompletion::on_data(std::string_view data, std::string& out) {
  if (data.empty()) return;
  boost::system::error_code ec;
  const json::value parsed = data == "[DONE]" ? json::value() : json::parse(data, ec);
  if (data == "[DONE]" || ec || !parsed.is_object() || parsed.get_object().contains("error")) {
    net::append_sse_data(out, data);  // [DONE], and error frames, as they came
    return;
  }
  const json::object& chunk = parsed.get_object();
  json::object completion = completion_head(chunk);
  json::array choices;
  bool says_something = false;
  if (const json::value* list = chunk.if_contains("choices"); list && list->is_array()) {
    for (const auto& choice : list->get_array()) {
      if (!choice.is_object()) continue;
      const json::value* delta = choice.get_object().if_contains("delta");
      const json::value* content = delta && delta->is_object() ? delta->get_object().if_contains("content") : nullptr;
      std::string text = string_or_empty(content);
      const json::value* reason = choice.get_object().if_contains("finish_reason");
      if (text.empty() && (!reason || reason->is_null())) continue;
      choices.push_back(text_choice(choice.get_object(), std::move(text), false));
      says_something = true;
    }
  }
  const json::value* usage = chunk.if_contains("usage");
  const bool has_usage = usage && !usage->is_null();
  if (!says_something && !has_usage) return;
  completion["choices"] = std::move(choices);
  if (has_usage) completion["usage"] = *usage;
  net::append_sse_data(out, json::serialize(completion));
}

}  // namespace llmux::providers
