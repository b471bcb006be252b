#include "providers/anthropic/response_from_anthropic.hpp"

#include <boost/json/serialize.hpp>

#include "providers/anthropic/json_helpers.hpp"
#include "providers/anthropic/mapping.hpp"
#include "providers/anthropic/tools_to_anthropic.hpp"

namespace llmux::providers::anthropic {

namespace json = boost::json;

namespace {

TranslationError bad_upstream(std::string message) { return {502, std::move(message), ""}; }

}  // namespace

std::variant<std::string, TranslationError> from_anthropic_response(std::string_view anthropic_body,
                                                                    const ResponseOptions& options) {
  auto parsed = parse_json(anthropic_body);
  if (!parsed || !parsed->is_object())
    return bad_upstream("anthropic returned a body that is not a JSON object");
  const json::object& message = parsed->get_object();
  if (const json::object* error = object_member(message, "error")) {
    return bad_upstream("anthropic error: " + std::string(string_member_or(*error, "message")));
  }
  const json::array* content = array_member(message, "content");
  if (!content) return bad_upstream("anthropic response has no content list");

  std::string text;
  std::string reasoning;
  json::array thinking_blocks;
  json::array tool_calls;
  std::optional<std::string> json_mode_content;
  for (const json::value& v : *content) {
    const json::object* block = v.if_object();
    if (!block) continue;
    std::string_view type = string_member_or(*block, "type");
    if (type == "text") {
      text += string_member_or(*block, "text");
    } else if (type == "tool_use") {
      std::string_view name = string_member_or(*block, "name");
      const json::value* input = block->if_contains("input");
      std::string arguments = input ? json::serialize(*input) : "{}";
      if (options.json_mode_tool && name == kJsonModeToolName && !json_mode_content) {
        // LiteLLM also unwraps a top-level "values" key here (its issue #6741); we don't,
        // because a schema may legitimately have a "values" property.
        json_mode_content = std::move(arguments);
        continue;
      }
      json::object call{{"id", string_member_or(*block, "id")},
                        {"type", "function"},
                        {"function", json::object{{"name", name}, {"arguments", std::move(arguments)}}}};
      tool_calls.push_back(std::move(call));
    } else if (type == "thinking") {
      reasoning += string_member_or(*block, "thinking");
      thinking_blocks.push_back(*block);
    } else if (type == "redacted_thinking") {
      thinking_blocks.push_back(*block);
    }
    // server_tool_use / web_search_tool_result blocks have no OpenAI counterpart and are not shown.
  }

  std::string_view stop_reason = string_member_or(message, "stop_reason", "end_turn");
  std::string_view finish_reason = finish_reason_from_stop_reason(stop_reason);

  json::object out_message{{"role", "assistant"}};
  if (json_mode_content) {
    out_message["content"] = *json_mode_content;
    // The forced tool call is the answer, not a call the client should run.
    if (tool_calls.empty() && finish_reason == "tool_calls") finish_reason = "stop";
  } else {
    out_message["content"] = text.empty() ? json::value(nullptr) : json::value(text);
  }
  // OpenAI's schema requires the member (null: no refusal text; a refusal stop is content_filter).
  out_message["refusal"] = nullptr;
  if (!tool_calls.empty()) out_message["tool_calls"] = std::move(tool_calls);
  if (!thinking_blocks.empty()) {
    // LiteLLM's fields: the client sends thinking_blocks back on its next turn.
    out_message["reasoning_content"] = reasoning;
    out_message["thinking_blocks"] = std::move(thinking_blocks);
  }

  Usage usage;
  if (const json::object* u = object_member(message, "usage")) merge_anthropic_usage(usage, *u);

  json::object out;
  out["id"] = string_member_or(message, "id");
  out["object"] = "chat.completion";
  out["created"] = created_or_now(options.created);
  out["model"] = options.model_for_client.empty() ? string_member_or(message, "model")
                                                  : std::string_view(options.model_for_client);
  out["choices"] = json::array{
      json::object{{"index", 0},
                   {"message", std::move(out_message)},
                   {"logprobs", nullptr},
                   {"finish_reason", finish_reason}}};
  out["usage"] = openai_usage_json(usage);
  return json::serialize(out);
}

}  // namespace llmux::providers::anthropic
