#include "gateway/admin_spend_report.hpp"

#include <algorithm>
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
  }
}

std::string SpendReportBuilder::team_name(const std::string& team_id) const {
  if (team_id.empty()) return "Unassigned Team";  // LiteLLM's name for spend outside any team
  auto alias = team_names_.find(team_id);
  return alias != team_names_.end() ? alias->second : team_id;
}

json::array SpendReportBuilder::json() const {
  return shape_ == SpendReportShape::api_key ? key_groups_json() : day_groups_json();
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
