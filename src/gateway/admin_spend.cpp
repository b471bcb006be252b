#include "gateway/admin_spend.hpp"

#include <unordered_set>

#include "gateway/admin_spend_report.hpp"
#include "gateway/admin_support.hpp"
#include "tenancy/key_material.hpp"
#include "text/checked_number.hpp"

namespace llmux::gateway::admin {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

constexpr store::Millis kDayMs = 24LL * 3600 * 1000;

// Field names as LiteLLM's /spend/logs returns them (camelCase times, `request_id`, `api_key`).
// request_id is the id the answer carried in x-litellm-call-id (the client's own when it sent
// one, as LiteLLM's is), so a client finds its call; llmux_call_id is the row's own, unique id.
json::object spend_json(const store::SpendRow& row) {
  json::object out;
  out["request_id"] = row.client_call_id.value_or(row.call_id);
  out["llmux_call_id"] = row.call_id;
  out["api_key"] = row.key_hash;
  out["key_alias"] = optional_json(row.key_alias);
  out["team_id"] = optional_json(row.team_id);
  out["user"] = optional_json(row.user_id);
  out["model_group"] = row.model_group;
  out["model_id"] = row.deployment_id;
  out["model"] = row.model;
  out["prompt_tokens"] = row.prompt_tokens;
  out["completion_tokens"] = row.completion_tokens;
  out["total_tokens"] = text::saturating_add(row.prompt_tokens, row.completion_tokens);  // upstream-reported
  out["cached_tokens"] = row.cached_tokens;
  out["spend"] = row.cost;
  out["request_duration_ms"] = row.latency_ms;
  out["status"] = row.status;
  out["startTime"] = iso_time(row.start_time);
  out["endTime"] = iso_time(row.end_time);
  out["request_tags"] = string_array(row.tags);
  return out;
}

std::optional<store::Millis> date_param(const net::InboundRequest& request, std::string_view name) {
  auto text = query_param(request, name);
  if (!text) return std::nullopt;
  auto ms = parse_iso_date(*text);
  if (!ms) throw FieldError{std::string(name) + " must be a date (YYYY-MM-DD)", std::string(name)};
  return ms;
}

// start_date and end_date (YYYY-MM-DD); the end day is included.
void read_date_range(const net::InboundRequest& request, store::SpendLogFilter& filter) {
  filter.start = date_param(request, "start_date");
  if (auto end = date_param(request, "end_date")) filter.end = *end + kDayMs;
}

}  // namespace

asio::awaitable<void> run_spend_logs(TenantServices& tenants, const net::InboundRequest& request,
                                     net::ResponseWriter& writer) {
  store::SpendLogFilter filter;
  filter.request_id = query_param(request, "request_id");
  if (auto key = query_param(request, "api_key")) filter.key_hash = tenancy::to_token_hash(*key);
  filter.team_id = query_param(request, "team_id");
  filter.user_id = query_param(request, "user_id");
  filter.model = query_param(request, "model");
  read_date_range(request, filter);
  filter.limit = 10000;
  using Logs = store::Result<std::vector<store::SpendRow>>;
  auto logs_job = [filter](store::Store& store) { return store.spend_logs(filter); };
  auto logs = co_await on_store<Logs>(tenants.store_thread, std::move(logs_job));
  if (!logs) {
    co_await send_store_error(writer, logs.error());
    co_return;
  }
  json::array rows;
  for (const auto& row : logs.value()) rows.emplace_back(spend_json(row));
  co_await send_json(writer, 200, rows);
}

namespace {

// The rows of a report, read page by page so a long range never asks the store for more than one
// page at once; rows already seen (by their idempotency key, start time and call id) are skipped,
// in case a row written meanwhile shifts a page.
store::Result<boost::json::array> build_report(store::Store& store, SpendReportShape shape,
                                               store::SpendLogFilter filter) {
  store::TeamFilter teams_filter;
  teams_filter.limit = 10000;
  auto teams = store.list_teams(teams_filter);
  if (!teams) return teams.error();
  std::map<std::string, std::string> team_names;
  for (const auto& team : teams.value().rows) {
    if (team.team_alias) team_names.emplace(team.team_id, *team.team_alias);
  }
  SpendReportBuilder builder(shape, std::move(team_names));
  std::unordered_set<std::string> seen;
  filter.limit = 10000;
  for (filter.offset = 0;; filter.offset += filter.limit) {
    auto page = store.spend_logs(filter);
    if (!page) return page.error();
    for (const auto& row : page.value()) {
      if (seen.insert(std::to_string(row.start_time) + ' ' + row.call_id).second) builder.add(row);
    }
    if (static_cast<std::int64_t>(page.value().size()) < filter.limit) break;
  }
  return builder.json();
}

}  // namespace

asio::awaitable<void> run_spend_report(TenantServices& tenants, const net::InboundRequest& request,
                                       net::ResponseWriter& writer) {
  const std::string group_by = query_param(request, "group_by").value_or("team");
  auto shape = spend_report_shape(group_by);
  if (!shape) throw FieldError{"group_by must be one of team, api_key, model, deployment", "group_by"};
  store::SpendLogFilter filter;
  read_date_range(request, filter);
  // As LiteLLM: naming one key or one internal user gives that key's (or user's keys') breakdown.
  if (auto key = query_param(request, "api_key")) {
    filter.key_hash = tenancy::to_token_hash(*key);
    shape = SpendReportShape::api_key;
  }
  if (auto user = query_param(request, "internal_user_id")) {
    filter.user_id = *user;
    shape = SpendReportShape::api_key;
  }
  if (auto team = query_param(request, "team_id")) filter.team_id = *team;
  // A model group (or upstream model), e.g. the two variants of one A/B test (ours).
  if (auto model = query_param(request, "model")) filter.model = *model;
  using Report = store::Result<json::array>;
  auto job = [shape = *shape, filter](store::Store& store) { return build_report(store, shape, filter); };
  auto report = co_await on_store<Report>(tenants.store_thread, std::move(job));
  if (!report) {
    co_await send_store_error(writer, report.error());
    co_return;
  }
  co_await send_json(writer, 200, report.value());
}

}  // namespace llmux::gateway::admin
