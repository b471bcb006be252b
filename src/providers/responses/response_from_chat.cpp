#include "providers/responses/response_from_chat.hpp"

#include "providers/anthropic/json_helpers.hpp"
#include "providers/responses/response_object.hpp"

namespace llmux::providers::responses {

namespace json = boost::json;
using anthropic::array_member;
using anthropic::object_member;
using anthropic::string_member_or;

namespace {

TranslationError unreadable(std::string message) { return TranslationError{502, std::move(message), {}}; }

}  // namespace

std::variant<json::object, TranslationError> response_from_chat(std::string_view chat_body,
                                                                const ResponseContext& context) {
  auto parsed = anthropic::parse_json(chat_body);
  if (!parsed || !parsed->is_object()) return unreadable("the chat completion is not a JSON object");
  const json::object& chat = parsed->get_object();
  const json::array* choices = array_member(chat, "choices");
  if (!choices) return unreadable("the chat completion has no choices");
  const json::object* choice = choices->empty() ? nullptr : choices->front().if_object();
  const json::object* message = choice ? object_member(*choice, "message") : nullptr;
  if (!choices->empty() && !message) return unreadable("the chat completion's first choice has no message");

  const std::string_view model = string_member_or(chat, "model", context.model);
  json::object response = response_skeleton(context, model.empty() ? context.model : model, context.created_at,
                                            "completed");
  const std::string_view finish = choice ? string_member_or(*choice, "finish_reason", "stop") : "stop";
  set_final_status(response, finish);
  const bool incomplete = !incomplete_reason(finish).empty();

  json::array output;
  if (message) {
    std::string_view reasoning = string_member_or(*message, "reasoning_content");
    if (reasoning.empty()) reasoning = string_member_or(*message, "reasoning");
    const json::array* thinking = array_member(*message, "thinking_blocks");
    if (!reasoning.empty() || (thinking && !thinking->empty())) {
      json::array summary;
      if (!reasoning.empty()) summary.push_back(json::object{{"type", "summary_text"}, {"text", reasoning}});
      json::object item{{"id", item_id("rs", context.response_id, output.size())},
                        {"type", "reasoning"},
                        {"summary", std::move(summary)}};
      if (thinking && !thinking->empty()) item["encrypted_content"] = thinking_as_encrypted_content(*thinking);
      output.push_back(std::move(item));
    }
    json::array content;
    if (auto text = string_member_or(*message, "content"); !text.empty()) content.push_back(output_text_part(text));
    if (auto refusal = string_member_or(*message, "refusal"); !refusal.empty()) {
      content.push_back(json::object{{"type", "refusal"}, {"refusal", refusal}});
    }
    const json::array* calls = array_member(*message, "tool_calls");
    const bool has_calls = calls && !calls->empty();
    // An answer with nothing in it is still one (empty) message, as OpenAI gives it.
    if (!content.empty() || (!has_calls && output.empty())) {
      if (content.empty()) content.push_back(output_text_part(""));
      output.push_back(json::object{{"id", item_id("msg", context.response_id, output.size())},
                                    {"type", "message"},
                                    {"status", incomplete ? "incomplete" : "completed"},
                                    {"role", "assistant"},
                                    {"content", std::move(content)}});
    }
    if (has_calls) {
      for (const json::value& v : *calls) {
        const json::object* call = v.if_object();
        const json::object* function = call ? object_member(*call, "function") : nullptr;
        if (!function) return unreadable("a tool call of the chat completion has no function");
        const std::string id = item_id("fc", context.response_id, output.size());
        std::string call_id(string_member_or(*call, "id"));
        if (call_id.empty()) call_id = "call_" + id.substr(3);  // some servers omit it; the client pairs by it
        output.push_back(json::object{{"id", id},
                                      {"type", "function_call"},
                                      {"status", incomplete ? "incomplete" : "completed"},
                                      {"call_id", call_id},
                                      {"name", string_member_or(*function, "name")},
                                      {"arguments", string_member_or(*function, "arguments")}});
      }
    }
  }
  response["output"] = std::move(output);
  response["usage"] = usage_from_chat(object_member(chat, "usage"));
  return response;
}

}  // namespace llmux::providers::responses
