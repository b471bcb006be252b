#include "gateway/messages_call.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/error_body.hpp"
#include "api/json_scan.hpp"
#include "gateway/affinity_keys.hpp"
#include "gateway/call_accounting.hpp"
#include "gateway/read_limits.hpp"
#include "gateway/request_tags.hpp"
#include "gateway/route_report.hpp"
#include "providers/anthropic/count_tokens.hpp"
#include "providers/anthropic/json_helpers.hpp"
#include "providers/anthropic/request_from_anthropic.hpp"
#include "providers/anthropic_provider.hpp"

namespace llmux::gateway {

namespace asio = boost::asio;

namespace {

// A parsed Anthropic request: the DOM (translation needs it) and its model.
struct AnthropicRequest {
  boost::json::object body;
  std::string model;
};

std::variant<AnthropicRequest, std::string> read_anthropic_request(std::string_view text, bool needs_messages) {
  boost::system::error_code ec;
  auto value = boost::json::parse(text, ec);
  if (ec) return std::string("Invalid JSON in request body: ") + ec.message();
  // The translation would write it back as Infinity or NaN (providers/anthropic/json_helpers.hpp).
  if (providers::anthropic::has_non_finite_number(value)) {
    return std::string("Invalid JSON in request body: number out of range");
  }
  if (!value.is_object()) return std::string("Request body must be a JSON object");
  AnthropicRequest request{std::move(value.as_object()), {}};
  const auto* model = request.body.if_contains("model");
  if (!model || !model->is_string()) return std::string("model: Field required");
  request.model = std::string(model->as_string());
  const auto* messages = request.body.if_contains("messages");
  if (needs_messages && (!messages || messages->is_null())) return std::string("messages: Field required");
  if (needs_messages && !messages->is_array()) return std::string("messages: Input should be a valid list");
  return request;
}

// Gateway controls (num_retries, fallbacks, mock_response, …) ride along on the Anthropic body;
// the translation drops what it does not know, so they are copied onto the OpenAI body here.
std::string with_gateway_controls(std::string openai_body, std::string_view anthropic_body) {
  auto source = api::top_level_members(anthropic_body);
  auto target = api::top_level_members(openai_body);
  if (!source || !target) return openai_body;
  std::vector<std::string> keys;
  std::vector<api::MemberAddition> additions;
  keys.reserve(source->size());
  for (const auto& member : *source) {
    auto key = api::decode_key(member.key_raw);
    if (key && api::is_gateway_control_param(*key)) keys.push_back(std::move(*key));
  }
  std::size_t next_key = 0;
  for (const auto& member : *source) {
    auto key = api::decode_key(member.key_raw);
    if (key && api::is_gateway_control_param(*key)) additions.push_back({keys[next_key++], member.value(anthropic_body)});
  }
  if (additions.empty()) return openai_body;
  return api::splice(openai_body, *target, api::Edits{{}, {}, additions});
}

// A request only Anthropic can serve: the plan skips every other deployment (of the group and of
// its fallbacks), on top of any tag filter already set. False when no deployment of the group
// is left to try.
bool restrict_to_anthropic(const router::Router& router, CallRequest& call) {
  call.deployment_filter = [tags = std::move(call.deployment_filter)](const config::Deployment& deployment) {
    return deployment.family == config::ProviderFamily::anthropic && (!tags || tags(deployment));
  };
  for (const config::Deployment* deployment : router.group(call.group)) {
    if (call.deployment_filter(*deployment)) return true;
  }
  return false;
}

}  // namespace

std::string_view anthropic_error_type(int status) {
  switch (status) {
    case 401: return "authentication_error";
    case 403: return "permission_error";
    case 404: return "not_found_error";
    case 429: return "rate_limit_error";
    default: return status >= 500 ? "api_error" : "invalid_request_error";
  }
}

asio::awaitable<void> send_anthropic_error(net::ResponseWriter& writer, int status, std::string_view type,
                                           std::string_view message, const net::HeaderList& headers) {
  co_await writer.send(status, headers, "application/json", api::anthropic_error_body(type, message));
}

asio::awaitable<void> run_messages(const SharedState& shared, WorkerResources& worker, net::InboundRequest& request,
                                   net::ResponseWriter& writer, const TenantCaller* caller) {
  CallRequest call;
  call.timing.started = std::chrono::steady_clock::now();
  call.ids = call_ids_for(request, worker.rng);
  // The client's estimate, held here for the whole call (a translated stream's message_start
  // reports it); the real count comes with the upstream's usage, and only it is charged.
  std::unique_ptr<const ClientWire> wire;
  net::HeaderList id_headers;
  append_call_id_headers(id_headers, call.ids.echoed());

  auto parsed = read_anthropic_request(request.body, /*needs_messages=*/true);
  if (auto* error = std::get_if<std::string>(&parsed)) {
    co_await send_anthropic_error(writer, 400, "invalid_request_error", *error, id_headers);
    co_return;
  }
  auto& anthropic = std::get<AnthropicRequest>(parsed);
  wire = anthropic_wire_for(providers::anthropic::count_tokens_estimate(anthropic.body));
  call.wire = wire.get();
  // Every non-Anthropic deployment sees the OpenAI translation; Anthropic ones get the original.
  auto translated = providers::anthropic::to_openai_request(anthropic.body, anthropic.model);
  if (auto* error = std::get_if<providers::anthropic::TranslationError>(&translated)) {
    co_await send_anthropic_error(writer, error->status, "invalid_request_error", error->message, id_headers);
    co_return;
  }
  auto& translation = std::get<providers::anthropic::OpenAiTranslation>(translated);
  const std::string openai_body = with_gateway_controls(std::move(translation.body), request.body);
  auto view = api::read_request(api::Endpoint::chat_completions, openai_body, {}, read_limits(*shared.config));
  if (auto* error = std::get_if<api::RequestError>(&view)) {
    co_await send_anthropic_error(writer, error->status, "invalid_request_error", error->message, id_headers);
    co_return;
  }
  // A virtual key's aliases, model access, limits and budget come before routing.
  TenantGate gate = gate_call(shared, caller, std::get<api::RequestView>(view), api::Endpoint::chat_completions,
                              anthropic.model);
  if (gate.denial) {
    net::HeaderList headers = id_headers;
    headers.append(gate.denial_headers);
    co_await send_anthropic_error(writer, gate.denial->status, anthropic_error_type(gate.denial->status),
                                  gate.denial->message, headers);
    co_return;
  }
  const auto group = shared.router->resolve_group(gate.model);
  if (!group) {
    co_await send_anthropic_error(writer, 400, "invalid_request_error",
                                  "/v1/messages: Invalid model name passed in model=" + anthropic.model +
                                      ". Call `/v1/models` to view available models for your key.",
                                  id_headers);
    co_return;
  }

  call.view = &std::get<api::RequestView>(view);
  call.group = *group;
  call.client_body = request.body;
  call.anthropic_beta = request.header("anthropic-beta");
  if (auto denial = restrict_by_tags(shared, caller, call, gate.model, request.header("x-litellm-tags"))) {
    co_await send_anthropic_error(writer, denial->status, anthropic_error_type(denial->status), denial->message,
                                  id_headers);
    co_return;
  }
  if (translation.needs_anthropic && !restrict_to_anthropic(*shared.router, call)) {
    const auto& refusal = *translation.needs_anthropic;
    co_await send_anthropic_error(writer, refusal.status, "invalid_request_error", refusal.message, id_headers);
    co_return;
  }
  call.affinity = affinity_keys(*shared.config, request, *call.view, caller);
  std::optional<CallAccounting> accounting;
  attach_accounting(shared, caller, gate, call, accounting);
  co_await execute_call(shared, worker, call, writer);
}

asio::awaitable<void> run_count_tokens(const SharedState& shared, WorkerResources& worker,
                                       net::InboundRequest& request, net::ResponseWriter& writer) {
  auto parsed = read_anthropic_request(request.body, /*needs_messages=*/true);
  if (auto* error = std::get_if<std::string>(&parsed)) {
    co_await send_anthropic_error(writer, 400, "invalid_request_error", *error);
    co_return;
  }
  auto& anthropic = std::get<AnthropicRequest>(parsed);
  const auto group = shared.router->resolve_group(anthropic.model);
  if (!group) {
    co_await send_anthropic_error(writer, 400, "invalid_request_error",
                                  "/v1/messages/count_tokens: Invalid model name passed in model=" + anthropic.model);
    co_return;
  }
  // Exact from Anthropic when the group has an Anthropic deployment that answers.
  for (const config::Deployment* deployment : shared.router->group(*group)) {
    if (deployment->family != config::ProviderFamily::anthropic) continue;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    auto answer = co_await providers::anthropic_count_tokens(worker.pool, *deployment, *shared.config, request.body,
                                                             request.header("anthropic-beta"), deadline,
                                                             shared.router->upstream_model_for(*group, *deployment));
    if (auto* body = std::get_if<std::string>(&answer)) {
      net::HeaderList exact;
      exact.emplace_back("x-llmux-token-count", "exact");
      co_await writer.send(200, exact, "application/json", *body);
      co_return;
    }
  }
  // Otherwise an estimate, said to be one in the body and a header.
  const std::int64_t estimate = providers::anthropic::count_tokens_estimate(anthropic.body);
  net::HeaderList marked;
  marked.emplace_back("x-llmux-token-count", "estimate");
  co_await writer.send(200, marked, "application/json",
                       R"({"input_tokens":)" + std::to_string(estimate) + R"(,"estimated":true})");
}

}  // namespace llmux::gateway
