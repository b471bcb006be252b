#include "gateway/responses_call.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/error_body.hpp"
#include "gateway/affinity_keys.hpp"
#include "gateway/call_accounting.hpp"
#include "gateway/completion_call.hpp"
#include "gateway/read_limits.hpp"
#include "gateway/request_tags.hpp"
#include "gateway/responses_items.hpp"
#include "gateway/responses_state.hpp"
#include "gateway/responses_wire.hpp"
#include "gateway/route_report.hpp"
#include "providers/anthropic/json_helpers.hpp"
#include "providers/responses/request_to_chat.hpp"

namespace llmux::gateway {

namespace asio = boost::asio;
namespace json = boost::json;
namespace responses = providers::responses;

namespace {

// A request answered with an error before any upstream is tried (OpenAI's shape).
struct Refusal {
  int status = 400;
  std::string message;
  std::string type = "invalid_request_error";
  std::optional<std::string> param;
  net::HeaderList headers;
};

Refusal bad_request(std::string message, std::string param = {}) {
  return Refusal{400, std::move(message), "invalid_request_error",
                 param.empty() ? std::nullopt : std::optional<std::string>(std::move(param)), {}};
}

std::variant<json::object, Refusal> parse_body(std::string_view text) {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec) return bad_request("Invalid JSON in request body: " + ec.message());
  // The translation would write it back as Infinity or NaN (providers/anthropic/json_helpers.hpp).
  if (providers::anthropic::has_non_finite_number(value)) {
    return bad_request("Invalid JSON in request body: number out of range");
  }
  if (!value.is_object()) return bad_request("Request body must be a JSON object");
  return std::move(value.as_object());
}

// "resp_" and the call's own UUID as 32 hex digits: unique, and the items' ids derive from it.
std::string response_id_for(const CallIds& ids) {
  std::string id = "resp_";
  for (char c : ids.own) {
    if (c != '-') id += c;
  }
  return id;
}

// (c) Deployment seam. Something a chat deployment cannot honour (a built-in tool, background…)
// leaves only deployments that speak the Responses API natively; none in the group: 400 naming
// it. The filter joins tag routing's. A follow-up turn pinned to the deployment that holds its
// state would narrow `call.deployment_filter` here the same way.
std::optional<Refusal> restrict_to_capable(const SharedState& shared, CallRequest& call,
                                           const std::vector<responses::Blocker>& blockers) {
  if (blockers.empty()) return std::nullopt;
  bool any_native = false;
  for (const config::Deployment* deployment : shared.router->group(call.group)) {
    any_native = any_native || deployment->speaks_responses_api;
  }
  if (!any_native) {
    const responses::Blocker& first = blockers.front();
    return bad_request(first.message + " (model=" + call.group + " is served through chat completions)", first.param);
  }
  auto tags = std::move(call.deployment_filter);
  call.deployment_filter = [tags = std::move(tags)](const config::Deployment& deployment) {
    return deployment.speaks_responses_api && (!tags || tags(deployment));
  };
  return std::nullopt;
}

asio::awaitable<void> send_refusal(net::ResponseWriter& writer, const Refusal& refusal, const CallIds& ids) {
  net::HeaderList headers;
  append_call_id_headers(headers, ids.echoed());
  headers.append(refusal.headers);
  const std::optional<std::string_view> param =
      refusal.param ? std::optional<std::string_view>(*refusal.param) : std::nullopt;
  co_await send_openai_error(writer, refusal.status, refusal.message, refusal.type, param, headers);
}

asio::awaitable<void> send_state_refusal(net::ResponseWriter& writer, const StateRefusal& refusal, const CallIds& ids) {
  net::HeaderList headers;
  append_call_id_headers(headers, ids.echoed());
  const auto view = [](const std::optional<std::string>& text) {
    return text ? std::optional<std::string_view>(*text) : std::nullopt;
  };
  const std::string body = responses_error_body(refusal.message,
                                                refusal.status >= 500 ? "server_error" : "invalid_request_error",
                                                view(refusal.param), view(refusal.code));
  co_await writer.send(refusal.status, headers, "application/json", body);
}

// Everything the call holds for as long as it runs (a stream's whole relay included).
struct ResponsesCallState {
  json::object body;
  InheritedState inherited;               // previous_response_id's history, reasoning owners
  std::optional<std::string> expanded_body;  // the client's body with that history in its input
  std::size_t resolved_references = 0;       // item_references replaced by the stored items
  std::string resolved_body;                 // the client's body after that, for native deployments
  std::string chat_body;
  std::optional<api::RequestView> view;
  std::optional<ResponsesWire> wire;
  std::optional<CallAccounting> accounting;
};

// Readies the call for the engine, without I/O, or says why it is refused.
std::optional<Refusal> prepare(const SharedState& shared, const net::InboundRequest& request,
                               const TenantCaller* caller, ResponsesCallState& state, CallRequest& call) {
  auto translated = responses::to_chat_request(state.body, state.inherited.history);
  if (auto* error = std::get_if<responses::TranslationError>(&translated)) {
    return Refusal{error->status, std::move(error->message), "invalid_request_error",
                   error->param.empty() ? std::nullopt : std::optional<std::string>(error->param), {}};
  }
  auto& bridged = std::get<responses::BridgedRequest>(translated);
  state.chat_body = std::move(bridged.chat_body);
  auto view = api::read_request(api::Endpoint::chat_completions, state.chat_body, {}, read_limits(*shared.config));
  if (auto* error = std::get_if<api::RequestError>(&view)) {
    return Refusal{error->status, "/v1/responses: " + error->message, error->type,
                   error->param.empty() ? std::nullopt : std::optional<std::string>(error->param), {}};
  }
  state.view.emplace(std::move(std::get<api::RequestView>(view)));

  // A virtual key's aliases, model access, limits and budget come before routing.
  TenantGate gate = gate_call(shared, caller, *state.view, api::Endpoint::chat_completions, state.view->model);
  if (gate.denial) {
    tenancy::Denial& denial = *gate.denial;
    return Refusal{denial.status, std::move(denial.message), std::move(denial.type), std::move(denial.param),
                   std::move(gate.denial_headers)};
  }
  auto group = shared.router->resolve_group(gate.model);
  if (!group) {
    return bad_request("/v1/responses: Invalid model name passed in model=" + state.view->model +
                           ". Call `/v1/models` to view available models for your key.",
                       "model");
  }
  call.view = &*state.view;
  call.group = std::move(*group);
  call.client_body = request.body;  // for a deployment that speaks the Responses API natively
  if (state.resolved_references > 0) {
    state.resolved_body = json::serialize(state.body);
    call.client_body = state.resolved_body;
  }
  if (auto denial = restrict_by_tags(shared, caller, call, gate.model, request.header("x-litellm-tags"))) {
    return Refusal{denial->status, std::move(denial->message), std::move(denial->type), std::move(denial->param), {}};
  }
  if (auto refusal = restrict_to_capable(shared, call, bridged.blockers)) return refusal;
  auto turn = route_turn(shared, state.inherited, state.body, call);
  if (auto* refusal = std::get_if<StateRefusal>(&turn)) {
    return Refusal{refusal->status, std::move(refusal->message), "invalid_request_error", std::move(refusal->param), {}};
  }
  if (auto& expanded = std::get<TurnRouting>(turn).expanded_body) {
    state.expanded_body = std::move(expanded);
    call.client_body = *state.expanded_body;
  }
  call.affinity = affinity_keys(*shared.config, request, *call.view, caller);

  responses::ResponseContext context{response_id_for(call.ids), std::move(bridged.echo), state.view->model, 0};
  state.wire.emplace(std::move(context), std::move(bridged.input_items));
  // Each finished turn is kept for GET /v1/responses/{id}, input_items and previous_response_id.
  save_turns(shared, caller, state.inherited, state.body, call.group, *state.wire);
  call.wire = &*state.wire;
  attach_accounting(shared, caller, gate, call, state.accounting);
  return std::nullopt;
}

}  // namespace

asio::awaitable<void> run_responses(const SharedState& shared, WorkerResources& worker, net::InboundRequest& request,
                                    net::ResponseWriter& writer, const TenantCaller* caller) {
  CallRequest call;
  call.timing.started = std::chrono::steady_clock::now();
  call.ids = call_ids_for(request, worker.rng);
  call.endpoint = api::Endpoint::chat_completions;
  ResponsesCallState state;
  auto parsed = parse_body(request.body);
  if (auto* refusal = std::get_if<Refusal>(&parsed)) {
    co_await send_refusal(writer, *refusal, call.ids);
    co_return;
  }
  state.body = std::move(std::get<json::object>(parsed));
  // What earlier turns left (the store thread reads it; this worker only waits).
  auto inherited = co_await inherit_state(shared, caller, state.body);
  if (auto* refusal = std::get_if<StateRefusal>(&inherited)) {
    co_await send_state_refusal(writer, *refusal, call.ids);
    co_return;
  }
  state.inherited = std::move(std::get<InheritedState>(inherited));
  state.resolved_references = co_await resolve_item_references(shared, caller, state.body);
  if (auto refusal = prepare(shared, request, caller, state, call)) {
    co_await send_refusal(writer, *refusal, call.ids);
    co_return;
  }
  co_await execute_call(shared, worker, call, writer);
}

}  // namespace llmux::gateway
