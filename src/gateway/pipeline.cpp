#include "gateway/prompt_count.hpp"
#include "gateway/pipeline.hpp"

#include <chrono>

#include "api/error_body.hpp"
#include "api/json_scan.hpp"
#include "api/routes.hpp"
#include "gateway/admin_routes.hpp"
#include "gateway/auth.hpp"
#include "gateway/completion_call.hpp"
#include "gateway/messages_call.hpp"
#include "gateway/responses_call.hpp"
#include "gateway/responses_routes.hpp"
#include "gateway/tenant_admission.hpp"
#include "providers/anthropic_provider.hpp"
#include "net/upstream_client.hpp"
#include "providers/mock_provider.hpp"
#include "providers/openai_compatible.hpp"

namespace llmux::gateway {

namespace asio = boost::asio;

Pipeline::Pipeline(std::shared_ptr<const SharedState> shared, asio::io_context& io)
    : shared_(std::move(shared)),
      io_(io),
      pool_(std::make_unique<net::UpstreamPool>(io, net::PoolOptions{})),
      openai_compatible_(std::make_unique<providers::OpenAiCompatibleProvider>()),
      mock_(std::make_unique<providers::MockProvider>()),
      anthropic_(std::make_unique<providers::AnthropicProvider>()),
      rng_(std::random_device{}()) {}

Pipeline::~Pipeline() = default;

namespace {

std::string readiness_body(const SharedState& shared) {
  // LiteLLM's shape. "db" comes from the store thread's last check, not a round trip here, and
  // readiness stays "healthy" (200) while the database is away: known keys keep working from
  // memory and spend waits in its bounded queue, so taking the gateway out of rotation would only
  // turn a degraded service into an outage. "llmux_store" says how degraded.
  const StoreReadiness store =
      shared.tenants ? store_readiness(*shared.tenants) : StoreReadiness{"Not connected", "null"};
  return R"({"status":"healthy","db":")" + store.db +
         R"(","cache":null,"litellm_version":"llmux-)" LLMUX_VERSION R"(","success_callbacks":[],"llmux_store":)" +
         store.detail_json + "}";
}

}  // namespace

asio::awaitable<void> Pipeline::handle(net::InboundRequest& request, net::ResponseWriter& writer) {
  const api::RouteMatch route = api::match_route(request.method, request.path);
  if (route.route == api::Route::not_found) {
    co_await send_openai_error(writer, 404, "Not Found: " + std::string(request.path), "not_found_error", std::nullopt);
    co_return;
  }
  if (!route.method_allowed) {
    co_await send_openai_error(writer, 405, "Method " + std::string(request.method) + " is not allowed on " + std::string(request.path),
                               "invalid_request_error", std::nullopt);
    co_return;
  }

  // Public routes (LiteLLM's): health probes need no key.
  if (route.route == api::Route::health_liveliness) {
    co_await writer.send(200, {}, "application/json", "\"I'm alive!\"");
    co_return;
  }
  if (route.route == api::Route::health_readiness) {
    co_await writer.send(200, {}, "application/json", readiness_body(*shared_));
    co_return;
  }

  const SharedState& shared = *shared_;
  const bool anthropic_route =
      route.route == api::Route::anthropic_messages || route.route == api::Route::anthropic_count_tokens;
  // The master key (or auth off), else a virtual key from the tenancy directory.
  std::optional<TenantCaller> caller;
  if (auto failure = authenticate(*shared.config, request)) {
    tenancy::Denial denial{401, "auth_error", failure->message, std::nullopt, std::nullopt};
    const auto key = presented_key(request);
    if (key && shared.tenants && key->starts_with("sk-")) {
      auto identified = identify_key(*shared.tenants, *key, tenancy::Clock::now());
      if (auto* found = std::get_if<TenantCaller>(&identified)) {
        caller = std::move(*found);
      } else {
        denial = std::get<tenancy::Denial>(identified);
      }
    }
    if (!caller) {
      if (anthropic_route) {
        co_await send_anthropic_error(writer, denial.status, anthropic_error_type(denial.status), denial.message);
      } else {
        co_await send_openai_error(writer, denial.status, denial.message, denial.type,
                                   denial.param ? std::optional<std::string_view>(*denial.param) : std::nullopt);
      }
      co_return;
    }
  }
  if (api::is_admin_route(route.route)) {
    co_await run_admin(shared, route.route, !caller, request, writer);
    co_return;
  }
  const TenantCaller* tenant = caller ? &*caller : nullptr;
  WorkerResources worker{io_, *pool_, *openai_compatible_, *mock_, *anthropic_, rng_};

  switch (route.route) {
    case api::Route::list_models: {
      // A virtual key sees only what it may call; the master key (or no auth) sees every model.
      std::string for_key;
      if (tenant) for_key = models_list_json(models_for_key(*tenant, *shared.router));
      co_await writer.send(200, {}, "application/json", tenant ? for_key : shared.models_json);
      co_return;
    }
    case api::Route::get_model: {
      const std::string name(route.model_in_path);
      const bool visible = tenant ? key_may_use_model(*tenant, *shared.router, name)
                                  : shared.router->resolve_group(name).has_value();
      if (!visible) {
        co_await send_openai_error(writer, 404, "The model '" + name + "' does not exist", "invalid_request_error",
                                   "model");
        co_return;
      }
      const std::string body = model_json(name);
      co_await writer.send(200, {}, "application/json", body);
      co_return;
    }
    case api::Route::anthropic_messages:
      co_await run_messages(shared, worker, request, writer, tenant);
      co_return;
    case api::Route::anthropic_count_tokens:
      co_await run_count_tokens(shared, worker, request, writer);
      co_return;
    case api::Route::utils_token_counter:
      co_await run_token_counter(shared, request, writer);
      co_return;
    case api::Route::responses_create:
      co_await run_responses(shared, worker, request, writer, tenant);
      co_return;
    case api::Route::responses_retrieve:
    case api::Route::responses_delete:
    case api::Route::responses_input_items:
    case api::Route::responses_cancel:
      co_await run_response_route(shared, worker, route, request, writer, tenant);
      co_return;
    default:
      co_await run_completion(shared, worker, route, request, writer, tenant);
      co_return;
  }
}

}  // namespace llmux::gateway
