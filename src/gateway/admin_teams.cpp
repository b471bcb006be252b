#include "gateway/admin_teams.hpp"

#include "gateway/admin_entity.hpp"
#include "gateway/admin_support.hpp"

namespace llmux::gateway::admin {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

using TeamResult = store::Result<store::TeamRow>;

store::TeamRow new_team_row(const json::object& body, store::Millis now) {
  store::TeamRow row;
  row.team_id = string_field(body, "team_id").value_or(new_uuid4());
  row.team_alias = string_field(body, "team_alias");
  row.models = string_list_field(body, "models").value_or(std::vector<std::string>{});
  row.model_aliases = string_map_field(body, "model_aliases").value_or(std::map<std::string, std::string>{});
  row.tags = string_list_field(body, "tags").value_or(std::vector<std::string>{});
  row.limits = limits_from(limits_patch(body, now));
  row.budget_reset_at = budget_reset_at(row.limits, now);
  if (auto blocked = bool_field(body, "blocked")) row.blocked = *blocked;
  row.metadata_json = metadata_text(body);
  return row;
}

store::TeamPatch team_patch(const json::object& body, store::Millis now) {
  store::TeamPatch patch;
  if (has_field(body, "team_alias")) patch.team_alias = string_field(body, "team_alias");
  if (auto models = string_list_field(body, "models")) patch.models = std::move(*models);
  if (auto aliases = string_map_field(body, "model_aliases")) patch.model_aliases = std::move(*aliases);
  if (auto tags = string_list_field(body, "tags")) patch.tags = std::move(*tags);
  patch.limits = limits_patch(body, now);
  patch.budget_reset_at = budget_reset_change(patch.limits, now);
  if (has_field(body, "metadata")) patch.metadata_json = metadata_text(body);
  if (auto blocked = bool_field(body, "blocked")) patch.blocked = *blocked;
  return patch;
}

asio::awaitable<void> list(TenantServices& tenants, net::ResponseWriter& writer) {
  auto job = [](store::Store& store) {
    store::TeamFilter filter;
    filter.limit = 10000;
    return store.list_teams(filter);
  };
  auto listed =
      co_await on_store<store::Result<store::Page<store::TeamRow>>>(tenants.store_thread, std::move(job));
  if (!listed) {
    co_await send_store_error(writer, listed.error());
    co_return;
  }
  json::array teams;
  for (const auto& row : listed.value().rows) teams.emplace_back(row_json(row));
  co_await send_json(writer, 200, teams);
}

}  // namespace

asio::awaitable<void> run_team_route(TenantServices& tenants, api::Route route,
                                     const net::InboundRequest& request, const json::object& body,
                                     net::ResponseWriter& writer) {
  const store::Millis now = now_millis();
  switch (route) {
    case api::Route::team_new: {
      auto job = [row = new_team_row(body, now)](store::Store& store) { return store.insert_team(row); };
      auto result = co_await on_store<TeamResult>(tenants.store_thread, std::move(job));
      co_await answer_row(tenants, writer, result);
      co_return;
    }
    case api::Route::team_list:
      co_await list(tenants, writer);
      co_return;
    case api::Route::team_delete:
      co_await answer_delete<TeamEntity>(tenants, body, writer);
      co_return;
    default:
      break;
  }
  auto team_id = string_field(body, "team_id");
  if (!team_id) team_id = query_param(request, "team_id");
  if (!team_id || team_id->empty()) {
    co_await send_missing(writer, "team_id");
    co_return;
  }
  if (route == api::Route::team_info) {
    co_await answer_info<TeamEntity>(tenants, *team_id, writer);
    co_return;
  }
  if (route == api::Route::team_block || route == api::Route::team_unblock) {
    // The directory copy is replaced in answer_row, so the team's keys are refused (or served
    // again) from the very next request.
    auto job = [id = *team_id, block = route == api::Route::team_block](store::Store& store) {
      return store.set_team_blocked(id, block);
    };
    auto result = co_await on_store<TeamResult>(tenants.store_thread, std::move(job));
    co_await answer_row(tenants, writer, result);
    co_return;
  }
  auto job = [id = *team_id, patch = team_patch(body, now)](store::Store& store) {
    return store.update_team(id, patch);
  };
  auto result = co_await on_store<TeamResult>(tenants.store_thread, std::move(job));
  co_await answer_row(tenants, writer, result);
}

}  // namespace llmux::gateway::admin
