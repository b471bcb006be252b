#include "gateway/admin_routes.hpp"

#include "gateway/admin_keys.hpp"
#include "gateway/admin_spend.hpp"
#include "gateway/admin_support.hpp"
#include "gateway/admin_teams.hpp"
#include "gateway/admin_users.hpp"
#include "gateway/tenant_services.hpp"

namespace llmux::gateway {

namespace asio = boost::asio;

asio::awaitable<void> run_admin(const SharedState& shared, api::Route route, bool is_master,
                                const net::InboundRequest& request, net::ResponseWriter& writer) {
  const auto& master_key = shared.config->general.master_key;
  if (!master_key) {
    // LiteLLM refuses key management without a master key: there would be no admin to tell apart.
    co_await admin::send_error(writer, 401, "Admin routes need general_settings.master_key to be set.",
                               "auth_error");
    co_return;
  }
  if (!is_master) {
    co_await admin::send_error(writer, 401, "Only proxy admin can access this route. Use the master key.",
                               "auth_error");
    co_return;
  }
  if (!shared.tenants) {
    co_await admin::send_error(writer, 503, "The key and spend store is not available.",
                               "service_unavailable");
    co_return;
  }
  auto body = admin::parse_object(request.body);
  if (!body) {
    co_await admin::send_error(writer, 400, "The request body must be a JSON object.", "bad_request_error");
    co_return;
  }
  std::optional<admin::FieldError> bad_field;
  try {
    if (route == api::Route::spend_logs) {
      co_await admin::run_spend_logs(*shared.tenants, request, writer);
    } else if (route == api::Route::global_spend_report) {
      co_await admin::run_spend_report(*shared.tenants, request, writer);
    } else if (route >= api::Route::team_new && route <= api::Route::team_unblock) {
      co_await admin::run_team_route(*shared.tenants, route, request, *body, writer);
    } else if (route >= api::Route::user_new && route <= api::Route::user_delete) {
      co_await admin::run_user_route(*shared.tenants, route, request, *body, writer);
    } else {
      co_await admin::run_key_route(*shared.tenants, route, request, *body, writer);
    }
  } catch (const admin::FieldError& error) {
    bad_field = error;
  }
  if (bad_field) {
    const auto param = bad_field->param.empty() ? std::nullopt : std::optional<std::string_view>(bad_field->param);
    co_await admin::send_error(writer, 400, bad_field->message, "bad_request_error", param);
  }
}

}  // namespace llmux::gateway
