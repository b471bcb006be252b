#include "providers/responses/request_to_chat.hpp"

#include <boost/json/serialize.hpp>

#include "api/request_view.hpp"
#include "providers/responses/field_errors.hpp"
#include "providers/responses/input_to_messages.hpp"
#include "providers/responses/request_fields.hpp"
#include "providers/responses/tools_to_chat.hpp"

namespace llmux::providers::responses {

namespace json = boost::json;

namespace {

const json::value* given(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && !v->is_null() ? v : nullptr;
}

// What the Response object repeats of the request, with OpenAI's defaults for what it left out.
void echo_scalars(const json::object& request, json::object& echo) {
  const auto echoed = [&](std::string_view key, json::value fallback) {
    const json::value* v = given(request, key);
    echo[key] = v ? *v : std::move(fallback);
  };
  echoed("instructions", nullptr);
  echoed("temperature", 1);
  echoed("top_p", 1);
  echoed("max_output_tokens", nullptr);
  echoed("metadata", json::object{});
  echoed("store", true);
  echoed("previous_response_id", nullptr);
  echoed("truncation", "disabled");
  echoed("background", false);
  for (std::string_view key : {"user", "service_tier", "safety_identifier", "prompt_cache_key"}) {
    if (const json::value* v = given(request, key)) echo[key] = *v;
  }
  json::object reasoning{{"effort", nullptr}, {"summary", nullptr}};
  if (const json::value* r = given(request, "reasoning")) {
    const json::object& given_reasoning = r->get_object();
    if (const json::value* effort = given(given_reasoning, "effort")) reasoning["effort"] = *effort;
    if (const json::value* summary = given(given_reasoning, "summary")) reasoning["summary"] = *summary;
  }
  echo["reasoning"] = std::move(reasoning);
}

void chat_scalars(const json::object& request, json::object& chat) {
  if (const json::value* v = given(request, "max_output_tokens")) chat["max_tokens"] = *v;
  for (std::string_view key :
       {"temperature", "top_p", "user", "service_tier", "safety_identifier", "prompt_cache_key", "prompt_cache_retention"}) {
    if (const json::value* v = given(request, key)) chat[key] = *v;
  }
  if (const json::value* r = given(request, "reasoning")) {
    if (const json::value* effort = given(r->get_object(), "effort")) chat["reasoning_effort"] = *effort;
  }
  // The gateway reads its controls from the chat body it routes; `metadata` is the Responses
  // API's own field here, not LiteLLM's.
  for (const auto& [key, value] : request) {
    if (key != "metadata" && api::is_gateway_control_param(key)) chat[key] = value;
  }
}

}  // namespace

std::variant<BridgedRequest, TranslationError> to_chat_request(const json::object& request,
                                                               const json::array& history) {
  BridgedRequest out;
  if (auto e = check_request_fields(request, out.blockers)) return *e;
  if (const json::value* input = given(request, "input"); input && input->is_array() && input->get_array().empty()) {
    return TranslationError{400, "Invalid 'input': empty array. Expected an array with minimum length 1, but got an "
                                 "empty array instead.",
                            "input"};
  }
  json::array messages;
  if (auto e = translate_input(request, history, messages, out.input_items, out.blockers)) return *e;
  // Every item was one a chat deployment cannot take: there is no chat request to route by.
  if (messages.empty() && !out.blockers.empty()) {
    return TranslationError{400, out.blockers.front().message, out.blockers.front().param};
  }

  json::object chat;
  chat["model"] = request.at("model");
  chat["messages"] = std::move(messages);
  if (auto e = translate_tools(request, chat, out.echo, out.blockers)) return *e;
  if (auto e = translate_text(request, chat, out.echo)) return *e;
  chat_scalars(request, chat);
  echo_scalars(request, out.echo);
  if (const json::value* stream = given(request, "stream"); stream && stream->get_bool()) {
    out.stream = true;
    chat["stream"] = true;
    // Usage arrives in a chat stream only when asked for; response.completed carries it.
    chat["stream_options"] = json::object{{"include_usage", true}};
  }
  out.chat_body = json::serialize(chat);
  return out;
}

}  // namespace llmux::providers::responses
