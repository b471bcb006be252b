#pragma once

// GET /global/spend/report in LiteLLM's shapes, built from spend-log rows (pure: no I/O).
//
//   group_by=team (default): [{"group_by_day": "2024-04-30T00:00:00+00:00",
//                              "teams": [{"team_name", "team_id", "total_spend",
//                                         "metadata": [{"model", "api_key", "spend", "total_tokens"}]}]}]
//   group_by=api_key (or key): [{"api_key", "total_cost", "total_input_tokens", "total_output_tokens",
//                                "model_details": [{"model", "total_cost", "total_input_tokens",
//                                                   "total_output_tokens"}]}]   (not split by day,
//                                as LiteLLM's)
//   group_by=model (llmux's own, shaped like team): [{"group_by_day", "model_groups": [{"model_group",
//                              "total_spend", "metadata": [{"model", "api_key", "spend", "total_tokens"}]}]}]
//
//   group_by=deployment (llmux's own, to read an A/B split off): [{"deployment_id", "model_group",
//                              "model", "requests", "errors", "prompt_tokens", "completion_tokens",
//                              "total_tokens", "spend", "latency_ms": {"mean", "p50", "p95"}}]
//                              by model group, then biggest spender first; `errors` counts failure
//                              rows; deployment_id null for calls no deployment answered;
//                              percentiles by nearest rank over every row's latency, exact in
//                              either database since the rows are read, not aggregated in SQL.
//
// `model` is the upstream model (LiteLLM's SpendLogs `model` column); `model_group` the name the
// client asked for.
//
// team_name is the team's alias, else its id, else LiteLLM's "Unassigned Team" (LiteLLM groups by
// alias alone, so two teams without one would merge; we keep them apart and add team_id). Days
// come oldest first; within a day the biggest spender first, as are keys and their breakdowns.

#include <boost/json/array.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "store/rows.hpp"

namespace llmux::gateway::admin {

enum class SpendReportShape { team, api_key, model, deployment };

// "team", "api_key"/"key", "model", "deployment" → the shape; anything else → nullopt.
std::optional<SpendReportShape> spend_report_shape(std::string_view group_by);

class SpendReportBuilder {
 public:
  // team_names: team id → alias, for the teams that have one.
  SpendReportBuilder(SpendReportShape shape, std::map<std::string, std::string> team_names);

  void add(const store::SpendRow& row);
  boost::json::array json() const;

 private:
  struct Usage {
    double spend = 0;
    std::int64_t prompt_tokens = 0;
    std::int64_t completion_tokens = 0;
    void add(const store::SpendRow& row);
  };
  // (day, group, detail) → usage; day is "" for the api_key shape. The detail is what
  // `metadata`/`model_details` splits a group by: (model, api_key), or (model, "") for keys.
  using Key = std::tuple<std::string, std::string, std::string, std::string>;

  boost::json::array day_groups_json() const;
  boost::json::array key_groups_json() const;
  boost::json::array deployments_json() const;
  std::string team_name(const std::string& team_id) const;

  SpendReportShape shape_;
  std::map<std::string, std::string> team_names_;
  std::map<Key, Usage> usage_;
  // group_by=deployment: (model group, deployment id, model) → its rows' totals and latencies.
  struct DeploymentUsage {
    Usage usage;
    std::int64_t requests = 0;
    std::int64_t errors = 0;
    std::vector<std::int64_t> latencies_ms;
  };
  std::map<std::tuple<std::string, std::string, std::string>, DeploymentUsage> deployments_;
};

}  // namespace llmux::gateway::admin
