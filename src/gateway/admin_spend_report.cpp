#include "gateway/admin_spend_report.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <vector>

#include "text/checked_number.hpp"

namespace llmux::gateway::admin {

namespace json = boost::json;

namespace {

// "2024-04-30": the UTC day a call started on.
std::string utc_day(store::Millis ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  return text;
}

// One group of a report and the breakdown inside it, before it is sorted and written out.
struct Group {
  std::string name;
  double spend = 0;
  std::int64_t input_tokens = 0;
  std::int64_t output_tokens = 0;
  std::vector<std::pair<double, json::object>> details;
};

void sort_by_spend(std::vector<Group>& groups) {
  std::sort(groups.begin(), groups.end(), [](const Group& a, const Group& b) {
    return a.spend != b.spend ? a.spend > b.spend : a.name < b.name;
  });
  for (auto& group : groups) {
    std::stable_sort(group.details.begin(), group.details.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
  }
}

json::array details_json(const Group& group) {
  json::array out;
  for (const auto& [spend, detail] : group.details) out.emplace_back(detail);
  return out;
}

}  // namespace

std::optional<SpendReportShape> spend_report_shape(std::string_view group_by) {
  if (group_by == "team") return SpendReportShape::team;
  if (group_by == "api_key" || group_by == "key") return SpendReportShape::api_key;
  if (group_by == "model") return SpendReportShape::model;
  if (group_by == "deployment") return SpendReportShape::deployment;
  return std::nullopt;
}

SpendReportBuilder::SpendReportBuilder(SpendReportShape shape, std::map<std::string, std::string> team_names)
    : shape_(shape), team_names_(std::move(team_names)) {}

void SpendReportBuilder::Usage::add(const store::SpendRow& row) {
  spend += row.cost;
  // Token counts are the upstreams' word: a report sums them without wrapping.
  prompt_tokens = text::saturating_add(prompt_tokens, row.prompt_tokens);
  completion_tokens = text::saturating_add(completion_tokens, row.completion_tokens);
}

void SpendReportBuilder::add(const store::SpendRow& row) {
  switch (shape_) {
    case SpendReportShape::team:
      usage_[{utc_day(row.start_time), row.team_id.value_or(""), row.model, row.key_hash}].add(row);
      break;
    case SpendReportShape::model:
      usage_[{utc_day(row.start_time), row.model_group, row.model, row.key_hash}].add(row);
      break;
    case SpendReportShape::api_key:
      usage_[{"", row.key_hash, row.model, ""}].add(row);
      break;
    case SpendReportShape::deployment: {
      DeploymentUsage& d = deployments_[{row.model_group, row.deployment_id, row.model}];
      d.usage.add(row);
      ++d.requests;
      if (row.status != "success") ++d.errors;
      d.latencies_ms.push_back(row.latency_ms);
      break;
    }
  }
}

std::string SpendReportBuilder::team_name(const std::string& team_id) const {
  if (team_id.empty()) return "Unassigned Team";  // LiteLLM's name for spend outside any team
  auto alias = team_names_.find(team_id);
  return alias != team_names_.end() ? alias->second : team_id;
}

json::array SpendReportBuilder::json() const {
  if (shape_ == SpendReportShape::deployment) return deployments_json();
  return shape_ == SpendReportShape::api_key ? key_groups_json() : day_groups_json();
}

namespace {

// Nearest rank: the smallest latency at least `q` of the rows are at or under.
std::int64_t percentile(const std::vector<std::int64_t>& sorted, double q) {
  const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

}  // namespace

json::array SpendReportBuilder::deployments_json() const {
  std::vector<std::pair<double, json::object>> entries;
  std::vector<std::string> groups;  // of each entry, to sort by group then spend
  for (const auto& [key, d] : deployments_) {
    const auto& [group, deployment_id, model] = key;
    std::vector<std::int64_t> sorted = d.latencies_ms;
    std::sort(sorted.begin(), sorted.end());
    double total_ms = 0;
    for (std::int64_t ms : sorted) total_ms += static_cast<double>(ms);
    json::object latency;
    latency["mean"] = sorted.empty() ? 0.0 : total_ms / static_cast<double>(sorted.size());
    latency["p50"] = sorted.empty() ? 0 : percentile(sorted, 0.50);
    latency["p95"] = sorted.empty() ? 0 : percentile(sorted, 0.95);
    json::object entry;
    entry["deployment_id"] = deployment_id.empty() ? json::value(nullptr) : json::value(deployment_id);
    entry["model_group"] = group;
    entry["model"] = model;
    entry["requests"] = d.requests;
    entry["errors"] = d.errors;
    entry["prompt_tokens"] = d.usage.prompt_tokens;
    entry["completion_tokens"] = d.usage.completion_tokens;
    entry["total_tokens"] = text::saturating_add(d.usage.prompt_tokens, d.usage.completion_tokens);
    entry["spend"] = d.usage.spend;
    entry["latency_ms"] = std::move(latency);
    groups.push_back(group);
    entries.emplace_back(d.usage.spend, std::move(entry));
  }
  std::vector<std::size_t> order(entries.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return groups[a] != groups[b] ? groups[a] < groups[b] : entries[a].first > entries[b].first;
  });
  json::array out;
  for (std::size_t i : order) out.emplace_back(std::move(entries[i].second));
  return out;
}

json::array SpendReportBuilder::day_groups_json() const {
  const bool by_team = shape_ == SpendReportShape::team;
  json::array days;
  // usage_ is ordered by day, then group: each run of one day becomes one entry.
  auto it = usage_.begin();
  while (it != usage_.end()) {
    const std::string& day = std::get<0>(it->first);
    std::vector<Group> groups;
    for (; it != usage_.end() && std::get<0>(it->first) == day; ++it) {
      const auto& [unused_day, group, model, api_key] = it->first;
      if (groups.empty() || groups.back().name != group) groups.push_back(Group{group});
      const Usage& usage = it->second;
      json::object detail;
      detail["model"] = model;
      detail["api_key"] = api_key;
      detail["spend"] = usage.spend;
      detail["total_tokens"] = text::saturating_add(usage.prompt_tokens, usage.completion_tokens);
      groups.back().spend += usage.spend;
      groups.back().details.emplace_back(usage.spend, std::move(detail));
    }
    sort_by_spend(groups);
    json::array entries;
    for (const Group& group : groups) {
      json::object entry;
      if (by_team) {
        entry["team_name"] = team_name(group.name);
        entry["team_id"] = group.name.empty() ? json::value(nullptr) : json::value(group.name);
      } else {
        entry["model_group"] = group.name;
      }
      entry["total_spend"] = group.spend;
      entry["metadata"] = details_json(group);
      entries.emplace_back(std::move(entry));
    }
    json::object out;
    out["group_by_day"] = day + "T00:00:00+00:00";
    out[by_team ? "teams" : "model_groups"] = std::move(entries);
    days.emplace_back(std::move(out));
  }
  return days;
}

json::array SpendReportBuilder::key_groups_json() const {
  std::vector<Group> groups;
  for (const auto& [key, usage] : usage_) {
    const auto& [unused_day, api_key, model, unused] = key;
    if (groups.empty() || groups.back().name != api_key) groups.push_back(Group{api_key});
    json::object detail;
    detail["model"] = model;
    detail["total_cost"] = usage.spend;
    detail["total_input_tokens"] = usage.prompt_tokens;
    detail["total_output_tokens"] = usage.completion_tokens;
    Group& group = groups.back();
    group.spend += usage.spend;
    group.input_tokens += usage.prompt_tokens;
    group.output_tokens += usage.completion_tokens;
    group.details.emplace_back(usage.spend, std::move(detail));
  }
  sort_by_spend(groups);
  json::array out;
  for (const Group& group : groups) {
    json::object entry;
    entry["api_key"] = group.name;
    entry["total_cost"] = group.spend;
    entry["total_input_tokens"] = group.input_tokens;
    entry["total_output_tokens"] = group.output_tokens;
    entry["model_details"] = details_json(group);
    out.emplace_back(std::move(entry));
  }
  return out;
}

}  // namespace llmux::gateway::admin
