#include "gateway/completion_call.hpp"

#include "api/error_body.hpp"
#include "gateway/call_accounting.hpp"

namespace llmux::gateway {

namespace asio = boost::asio;

namespace {

api::Endpoint endpoint_for(api::Route route) {
  switch (route) {
    case api::Route::completions: return api::Endpoint::completions;
    case api::Route::embeddings: return api::Endpoint::embeddings;
    default: return api::Endpoint::chat_completions;
  }
}

}  // namespace

asio::awaitable<void> send_openai_error(net::ResponseWriter& writer, int status, std::string_view message,
                                        std::string_view type, std::optional<std::string_view> param,
                                        const net::HeaderList& headers) {
  co_await writer.send(status, headers, "application/json", api::openai_error_body(message, type, param, status));
}

asio::awaitable<void> run_completion(const SharedState& shared, WorkerResources& worker,
                                     const api::RouteMatch& route, net::InboundRequest& request,
                                     net::ResponseWriter& writer, const TenantCaller* caller) {
  CallRequest call;
  call.timing.started = std::chrono::steady_clock::now();
  call.call_id = call_id_for(request, worker.rng);
  call.endpoint = endpoint_for(route.route);
  call.wire = &openai_wire();
  net::HeaderList id_headers;
  id_headers.emplace_back("x-litellm-call-id", call.call_id);
  id_headers.emplace_back("x-request-id", call.call_id);
  const std::string route_name(api::canonical_route_name(route.route));

  auto parsed = api::read_request(call.endpoint, request.body, route.model_in_path);
  if (auto* error = std::get_if<api::RequestError>(&parsed)) {
    co_await send_openai_error(writer, error->status, route_name + ": " + error->message, error->type,
                               error->param.empty() ? std::nullopt : std::optional<std::string_view>(error->param),
                               id_headers);
    co_return;
  }
  const api::RequestView& view = std::get<api::RequestView>(parsed);
  // A virtual key's aliases, model access, limits and budget come before routing.
  TenantGate gate = gate_call(shared, caller, view, call.endpoint, view.model);
  if (gate.denial) {
    net::HeaderList headers = id_headers;
    headers.insert(headers.end(), gate.denial_headers.begin(), gate.denial_headers.end());
    const auto& denial = *gate.denial;
    co_await send_openai_error(writer, denial.status, denial.message, denial.type,
                               denial.param ? std::optional<std::string_view>(*denial.param) : std::nullopt,
                               headers);
    co_return;
  }
  const auto group = shared.router->resolve_group(gate.model);
  if (!group) {
    // LiteLLM's proxy wording (route_llm_request.py), which clients match on.
    co_await send_openai_error(writer, 400,
                               route_name + ": Invalid model name passed in model=" + view.model +
                                   ". Call `/v1/models` to view available models for your key.",
                               "invalid_request_error", "model", id_headers);
    co_return;
  }
  call.view = &view;
  call.group = *group;
  call.anthropic_beta = request.header("anthropic-beta");  // for Anthropic deployments
  if (auto denial = restrict_by_tags(shared, caller, call, gate.model)) {
    co_await send_openai_error(writer, denial->status, denial->message, denial->type, std::nullopt,
                               id_headers);
    co_return;
  }
  std::optional<CallAccounting> accounting;
  attach_accounting(shared, caller, gate, call, accounting);
  co_await execute_call(shared, worker, call, writer);
}

}  // namespace llmux::gateway
