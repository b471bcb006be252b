#include "gateway/responses_routes.hpp"

#include <boost/json/parse.hpp>
#include <chrono>

#include "api/error_body.hpp"
#include "gateway/admin_support.hpp"
#include "gateway/responses_items.hpp"
#include "gateway/responses_state.hpp"
#include "gateway/tenant_services.hpp"
#include "providers/responses_passthrough.hpp"
#include "text/checked_number.hpp"

namespace llmux::gateway {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

using RowResult = store::Result<std::optional<store::ResponseRow>>;
using Forwarded = std::variant<providers::RelayedAnswer, providers::AttemptFailure>;

store::Millis now_millis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

asio::awaitable<void> send_error(net::ResponseWriter& writer, int status, std::string_view message,
                                 std::optional<std::string_view> param = std::nullopt) {
  const std::string_view type = status >= 500 ? "server_error" : "invalid_request_error";
  co_await writer.send(status, {}, "application/json", responses_error_body(message, type, param, std::nullopt));
}

asio::awaitable<void> send_not_found(net::ResponseWriter& writer, std::string_view id) {
  // OpenAI's wording; the same for an unknown id, an expired one and another key's.
  co_await send_error(writer, 404, "Response with id '" + std::string(id) + "' not found.");
}

const config::Deployment* deployment_with_id(const config::Config& config, std::string_view id) {
  for (const config::Deployment& deployment : config.deployments) {
    if (deployment.id() == id) return &deployment;
  }
  return nullptr;
}

struct Upstream {
  std::string method;
  std::string path;
};

Upstream upstream_for(api::Route route, std::string_view id, const ItemsQuery& query) {
  const std::string base = "/responses/" + std::string(id);
  switch (route) {
    case api::Route::responses_delete: return {"DELETE", base};
    case api::Route::responses_input_items: return {"GET", base + "/input_items" + items_query_string(query)};
    case api::Route::responses_cancel: return {"POST", base + "/cancel"};
    default: return {"GET", base};
  }
}

// What the store alone answers: a bridged response, or one whose deployment is gone (or, for a
// read, cannot be reached).
asio::awaitable<void> answer_from_store(const SharedState& shared, const api::RouteMatch& route,
                                        const store::ResponseRow& row, const ItemsQuery& query,
                                        net::ResponseWriter& writer) {
  switch (route.route) {
    case api::Route::responses_input_items: {
      boost::system::error_code ec;
      json::value items = json::parse(row.input_items, ec);
      if (ec || !items.is_array()) {
        co_await send_error(writer, 500, "The stored input items of this response cannot be read back");
        co_return;
      }
      co_await writer.send(200, {}, "application/json", input_items_page(items.as_array(), query));
      co_return;
    }
    case api::Route::responses_delete: {
      auto job = [id = row.response_id](store::Store& store) { return store.delete_response(id); };
      auto removed = co_await on_store<store::Result<bool>>(shared.tenants->store_thread, std::move(job));
      if (!removed) {
        co_await send_error(writer, 503, "The response store cannot be written: " + removed.error().message);
        co_return;
      }
      std::string body = R"({"id":)";
      api::append_json_string(body, row.response_id);
      body += R"(,"object":"response","deleted":true})";
      co_await writer.send(200, {}, "application/json", body);
      co_return;
    }
    case api::Route::responses_cancel:
      if (row.background) {
        co_await send_error(writer, 503, "The deployment that runs this background response is no longer configured");
        co_return;
      }
      co_await send_error(writer, 400, "Only responses created with background=true can be cancelled.");
      co_return;
    default:
      co_await writer.send(200, {}, "application/json", row.response);
      co_return;
  }
}

// After the deployment answered: the store follows what it said.
void follow_upstream(const SharedState& shared, api::Route route, const store::ResponseRow& row,
                     const providers::RelayedAnswer& answer) {
  const bool ok = answer.status >= 200 && answer.status < 300;
  if (route == api::Route::responses_delete && (ok || answer.status == 404)) {
    shared.tenants->store_thread.post([id = row.response_id](store::Store& store) { (void)store.delete_response(id); });
  } else if (route == api::Route::responses_cancel && ok) {
    boost::system::error_code ec;
    json::value body = json::parse(answer.body, ec);
    const json::value* status = !ec && body.is_object() ? body.as_object().if_contains("status") : nullptr;
    if (status && status->is_string()) {
      shared.tenants->store_thread.post([id = row.response_id, status = std::string(status->get_string()),
                                         response = answer.body](store::Store& store) {
        (void)store.set_response_status(id, status, response);
      });
    }
  }
}

}  // namespace

asio::awaitable<void> run_response_route(const SharedState& shared, WorkerResources& worker,
                                         const api::RouteMatch& route, net::InboundRequest& request,
                                         net::ResponseWriter& writer, const TenantCaller* caller) {
  const std::string id(route.response_id);
  if (!is_response_id(id)) {
    co_await send_not_found(writer, id);
    co_return;
  }
  ItemsQuery query;
  if (route.route == api::Route::responses_input_items) {
    auto read = read_items_query(admin::query_param(request, "limit"), admin::query_param(request, "order"),
                                 admin::query_param(request, "after"));
    if (auto* error = std::get_if<QueryError>(&read)) {
      co_await send_error(writer, 400, error->message, error->param);
      co_return;
    }
    query = std::get<ItemsQuery>(read);
  }
  if (!shared.tenants) {
    co_await send_not_found(writer, id);  // no store: nothing was kept
    co_return;
  }
  auto job = [id, now = now_millis()](store::Store& store) { return store.get_response(id, now); };
  RowResult found = co_await on_store<RowResult>(shared.tenants->store_thread, std::move(job));
  if (!found) {
    co_await send_error(writer, 503, "The response store cannot be read: " + found.error().message);
    co_return;
  }
  if (!found.value() || !visible_to(*found.value(), caller)) {
    co_await send_not_found(writer, id);
    co_return;
  }
  const store::ResponseRow& row = *found.value();
  const config::Deployment* deployment =
      row.passed_through ? deployment_with_id(*shared.config, row.deployment_id) : nullptr;
  if (!deployment) {
    co_await answer_from_store(shared, route, row, query, writer);
    co_return;
  }
  Upstream upstream = upstream_for(route.route, id, query);
  const double timeout = deployment->timeout_seconds.value_or(shared.config->router.timeout_seconds);
  const auto deadline = std::chrono::steady_clock::now() +
                        text::seconds_to_ms(std::min(timeout, shared.config->server.max_request_timeout_seconds),
                                            text::kLongestWait);
  std::function<void()> cancel_current;
  writer.on_disconnect([&cancel_current] {
    if (cancel_current) cancel_current();
  });
  Forwarded forwarded = co_await providers::forward_response_request(worker.pool, *deployment, std::move(upstream.method),
                                                                     std::move(upstream.path), deadline, &cancel_current);
  writer.on_disconnect(nullptr);
  if (writer.client_gone()) co_return;
  if (auto* answer = std::get_if<providers::RelayedAnswer>(&forwarded)) {
    follow_upstream(shared, route.route, row, *answer);
    co_await writer.send(answer->status, {}, answer->content_type, answer->body);
    co_return;
  }
  const providers::AttemptFailure& failure = std::get<providers::AttemptFailure>(forwarded);
  if (route.route == api::Route::responses_retrieve || route.route == api::Route::responses_input_items) {
    // The deployment cannot be reached: what was stored still answers a read.
    co_await answer_from_store(shared, route, row, query, writer);
    co_return;
  }
  const int status = api::status_for(failure.kind, failure.status);
  co_await writer.send(status, {}, "application/json",
                       api::openai_error_body("The deployment that holds this response could not be reached: " +
                                                  failure.message,
                                              api::openai_error_type(failure.kind), std::nullopt, status));
}

}  // namespace llmux::gateway
