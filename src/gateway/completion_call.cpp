#include "gateway/completion_call.hpp"

#include "api/error_body.hpp"
#include "api/media_request.hpp"
#include "gateway/affinity_keys.hpp"
#include "gateway/call_accounting.hpp"
#include "gateway/confidence_call.hpp"
#include "gateway/endpoint_routing.hpp"
#include "gateway/read_limits.hpp"
#include "gateway/request_tags.hpp"
#include "gateway/route_report.hpp"

namespace llmux::gateway {

namespace asio = boost::asio;

namespace {

api::Endpoint endpoint_for(api::Route route) {
  switch (route) {
    case api::Route::completions: return api::Endpoint::completions;
    case api::Route::embeddings: return api::Endpoint::embeddings;
    case api::Route::image_generations: return api::Endpoint::image_generations;
    case api::Route::image_edits: return api::Endpoint::image_edits;
    case api::Route::audio_transcriptions: return api::Endpoint::audio_transcriptions;
    case api::Route::audio_translations: return api::Endpoint::audio_translations;
    case api::Route::audio_speech: return api::Endpoint::audio_speech;
    case api::Route::moderations: return api::Endpoint::moderations;
    case api::Route::rerank: return api::Endpoint::rerank;
    default: return api::Endpoint::chat_completions;
  }
}

}  // namespace

asio::awaitable<void> send_openai_error(net::ResponseWriter& writer, int status, std::string_view message,
                                        std::string_view type, std::optional<std::string_view> param,
                                        const net::HeaderList& headers) {
  co_await writer.send(status, headers, "application/json", api::openai_error_body(message, type, param, status));
}

namespace {

// A call answered with an error before any upstream is tried.
struct Refusal {
  int status = 400;
  std::string message;
  std::string type;
  std::optional<std::string> param;
  net::HeaderList headers;  // after the call ids
};

// Readies a read call for the engine, without I/O — tenancy admission, the model group, tag
// routing, accounting: fills `call` (and `accounting`, which must outlive the call), or says why
// the call is refused. Kept out of the coroutine so that what it needs only on the way (the tenant
// gate, error texts) is not part of a frame that lives as long as a stream does.
std::optional<Refusal> prepare_call(const SharedState& shared, const api::RouteMatch& route,
                                  const net::InboundRequest& request, const TenantCaller* caller,
                                  const api::RequestView& view, CallRequest& call,
                                  std::optional<CallAccounting>& accounting) {
  std::string requested = view.model;
  if (requested.empty() && call.endpoint == api::Endpoint::moderations) {
    auto chosen = default_moderation_model(shared);
    if (!chosen) {
      return Refusal{400,
                     "/moderations: no `model` given, and no moderation model (a deployment whose model names "
                     "\"moderation\", such as omni-moderation-latest) is configured to default to.",
                     "invalid_request_error", "model", {}};
    }
    requested = std::move(*chosen);
  }
  // A virtual key's aliases, model access, limits and budget come before routing.
  TenantGate gate = gate_call(shared, caller, view, call.endpoint, requested);
  if (gate.denial) {
    tenancy::Denial& denial = *gate.denial;
    return Refusal{denial.status, std::move(denial.message), std::move(denial.type), std::move(denial.param),
                   std::move(gate.denial_headers)};
  }
  auto group = shared.router->resolve_group(gate.model);
  if (!group) {
    // LiteLLM's proxy wording (route_llm_request.py), which clients match on.
    return Refusal{400,
                   std::string(api::canonical_route_name(route.route)) + ": Invalid model name passed in model=" +
                       view.model + ". Call `/v1/models` to view available models for your key.",
                   "invalid_request_error", "model", {}};
  }
  if (auto unservable = unservable_group(shared, *group, call.endpoint)) {
    return Refusal{400, std::move(*unservable), "invalid_request_error", "model", {}};
  }
  call.view = &view;
  call.group = std::move(*group);
  call.anthropic_beta = request.header("anthropic-beta");  // for Anthropic deployments
  if (auto denial = restrict_by_tags(shared, caller, call, gate.model, request.header("x-litellm-tags"))) {
    return Refusal{denial->status, std::move(denial->message), std::move(denial->type), std::move(denial->param), {}};
  }
  restrict_to_capable(call);
  call.affinity = affinity_keys(*shared.config, request, view, caller);
  attach_accounting(shared, caller, gate, call, accounting);
  return std::nullopt;
}

asio::awaitable<void> send_refusal(net::ResponseWriter& writer, const Refusal& refusal, const std::string& call_id) {
  net::HeaderList headers;
  append_call_id_headers(headers, call_id);
  headers.append(refusal.headers);
  const std::optional<std::string_view> param =
      refusal.param ? std::optional<std::string_view>(*refusal.param) : std::nullopt;
  co_await send_openai_error(writer, refusal.status, refusal.message, refusal.type, param, headers);
}

// A request that cannot be read: the route's name leads the message, as LiteLLM's does.
std::optional<Refusal> unreadable(const api::RouteMatch& route, api::RequestError& error) {
  return Refusal{error.status, std::string(api::canonical_route_name(route.route)) + ": " + error.message,
                 std::move(error.type), error.param.empty() ? std::nullopt : std::optional<std::string>(error.param),
                 {}};
}

}  // namespace

asio::awaitable<void> run_completion(const SharedState& shared, WorkerResources& worker,
                                     const api::RouteMatch& route, net::InboundRequest& request,
                                     net::ResponseWriter& writer, const TenantCaller* caller) {
  CallRequest call;
  call.timing.started = std::chrono::steady_clock::now();
  call.ids = call_ids_for(request, worker.rng);
  call.endpoint = endpoint_for(route.route);
  call.wire = &openai_wire();

  auto parsed = api::is_multipart_endpoint(call.endpoint)
                    ? api::read_multipart_request(call.endpoint, request.body, request.header("content-type"),
                                                  route.model_in_path)
                    : api::read_request(call.endpoint, request.body, route.model_in_path, read_limits(*shared.config));
  std::optional<CallAccounting> accounting;
  std::optional<Refusal> refusal;
  if (auto* error = std::get_if<api::RequestError>(&parsed)) {
    refusal = unreadable(route, *error);
  } else {
    refusal = prepare_call(shared, route, request, caller, std::get<api::RequestView>(parsed), call, accounting);
  }
  if (refusal) {
    co_await send_refusal(writer, *refusal, call.ids.echoed());
    co_return;
  }
  if (const config::ConfidenceRule* rule = confidence_rule_for(shared, call)) {
    co_await execute_confidence_call(shared, worker, *rule, request, caller, call, writer);
    co_return;
  }
  co_await execute_call(shared, worker, call, writer);
}

}  // namespace llmux::gateway
