#include "gateway/prompt_count.hpp"

#include "gateway/completion_call.hpp"
#include "gateway/read_limits.hpp"
#include "tokens/prompt_tokens.hpp"

namespace llmux::gateway {

std::int64_t request_prompt_tokens(const api::RequestView& view) {
  tokens::PromptJson json;
  for (const auto& member : view.members) {
    const std::string_view value = member.value(view.body);
    if (member.key_is("messages")) {
      json.messages = value;
    } else if (member.key_is("tools")) {
      json.tools = value;
    } else if (member.key_is("functions")) {
      json.functions = value;
    } else if (member.key_is("tool_choice")) {
      json.tool_choice = value;
    } else if (member.key_is("prompt")) {
      json.prompt = value;
    } else if (member.key_is("input")) {
      json.input = value;
    }
  }
  return tokens::prompt_tokens(json);
}

boost::asio::awaitable<void> run_token_counter(const SharedState& shared, net::InboundRequest& request,
                                               net::ResponseWriter& writer) {
  // Read as a completion request when it has a prompt and no messages, so both shapes validate.
  const bool has_messages = api::find_member(request.body, "messages").has_value();
  const auto endpoint = has_messages ? api::Endpoint::chat_completions : api::Endpoint::completions;
  auto parsed = api::read_request(endpoint, request.body, {}, read_limits(*shared.config));
  if (auto* error = std::get_if<api::RequestError>(&parsed)) {
    co_await send_openai_error(writer, error->status, "/utils/token_counter: " + error->message, error->type,
                               error->param.empty() ? std::nullopt : std::optional<std::string_view>(error->param));
    co_return;
  }
  const auto& view = std::get<api::RequestView>(parsed);
  std::string model_used = view.model;
  if (const auto group = shared.router->resolve_group(view.model)) {
    const auto deployments = shared.router->group(*group);
    if (!deployments.empty()) model_used = deployments.front()->upstream_model;
  }
  std::string body = R"({"total_tokens":)" + std::to_string(request_prompt_tokens(view)) + R"(,"request_model":)";
  api::append_json_string(body, view.model);
  body += R"(,"model_used":)";
  api::append_json_string(body, model_used);
  // LiteLLM says which tokenizer counted; ours estimates cl100k_base's count (leaning high).
  body += R"(,"tokenizer_type":"openai_tokenizer","estimated":true})";
  co_await writer.send(200, {}, "application/json", body);
}

}  // namespace llmux::gateway
