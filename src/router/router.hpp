#pragma once

// The routing view of one config snapshot: model groups, aliases, and the live health of their
// deployments. One per snapshot, shared by all worker threads; per-request decisions live in RequestPlan.
// This is the router's public header: including it gives Router, RequestPlan, RequestOverrides,
// Failure and ErrorKind.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "router/deployment_health.hpp"
#include "router/error_kind.hpp"
#include "router/failure.hpp"
#include "router/model_pattern.hpp"
#include "router/request_overrides.hpp"
#include "router/request_plan.hpp"

namespace llmux::router {

class LiveStats;
class Strategy;

// What the gateway hands the router beside the config (the router reads no clock and no prices).
struct RouterInputs {
  // Input + output price per token of each deployment, in config order (cost-based-routing).
  // Empty: each deployment's model_info prices, else LiteLLM's 5.0 each.
  std::vector<double> costs_per_token;
  // UTC minus steady clock, measured once by the caller: minute limits count UTC minutes.
  std::chrono::nanoseconds utc_minus_steady{0};
  // Each deployment's context limit, in config order, as the gateway resolved it (model_info, else
  // the price table): the pre-call check reads it. Missing entries fall back to
  // model_info.max_input_tokens.
  std::vector<std::optional<std::int64_t>> max_input_tokens;
};

class Router {
 public:
  explicit Router(config::ConfigPtr config, RouterInputs inputs = {});
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  const config::Config& config() const;

  // Alias (model_group_alias) → canonical group name; exact group names map to themselves; nullopt
  // when unknown. An alias wins over a group of the same name, as in LiteLLM (aliases are resolved
  // before groups are looked up); an alias whose target is not a group resolves to nothing.
  // A name no exact group has may be served by a wildcard deployment ("openai/*"): the group is then
  // the name itself, as LiteLLM's model group is the requested name (see wildcard()).
  std::optional<std::string> resolve_group(std::string_view requested) const;
  // /v1/models: every model_name once in config order (a wildcard's pattern itself, as LiteLLM lists
  // it without model discovery), then non-hidden aliases (by name) that resolve.
  std::vector<std::string> listed_models() const;
  // The group's deployments in config order; empty if unknown. For a name no exact group has, the
  // deployments of the wildcard that serves it.
  std::span<const config::Deployment* const> group(std::string_view name) const;

  // The wildcard that serves `name` (not an exact group name): LiteLLM's PatternMatchRouter.route,
  // patterns in specificity order, the name as requested and then as "<provider>/<name>" with the
  // provider inferred (so a bare `gpt-4o` reaches `openai/*`). nullptr when none.
  struct WildcardMatch {
    const ModelPattern* pattern = nullptr;
    std::span<const config::Deployment* const> deployments;
    std::string matched;  // the form of the name the pattern matched (captures are views into it)
  };
  std::optional<WildcardMatch> wildcard(std::string_view name) const;
  // What `deployment` is asked for when it serves `group`: its litellm_params.model's `*`s replaced
  // by the captures of the group name. Empty when the deployment is no wildcard (it sends its own).
  std::string upstream_model_for(std::string_view group, const config::Deployment& deployment) const;
  // The model access groups (model_info.access_groups) of the group `requested` resolves to: the
  // union over its deployments. Empty when unknown or when none is set.
  std::vector<std::string> access_groups_of(std::string_view requested) const;
  // The most prompt tokens the deployment takes; nullopt when unknown (never skipped for size).
  std::optional<std::int64_t> max_input_tokens(const config::Deployment& deployment) const;
  // Whether any deployment carries `tags`: without any, tag routing has nothing to decide.
  bool has_tagged_deployments() const { return has_tagged_deployments_; }

  // Live health, thread-safe and lock-free (atomics), called from any worker thread.
  void record_success(const config::Deployment& deployment, TimePoint now);
  void record_failure(const config::Deployment& deployment, const Failure& failure, TimePoint now);
  bool in_cooldown(const config::Deployment& deployment, TimePoint now) const;
  std::optional<TimePoint> cooldown_ends(const config::Deployment& deployment, TimePoint now) const;

  // The health table itself. Reachable through a const Router because requests hold the shared
  // snapshot as const, yet must still report what upstreams did; the table is thread-safe.
  DeploymentHealth& health() const;

  // The strategy's live stats (router/live_stats.hpp), thread-safe. Fed by the gateway only when
  // tracks_live_stats(): with simple-shuffle and no pre-call checks nothing reads them.
  LiveStats& live_stats() const;
  bool tracks_live_stats() const { return tracks_live_stats_; }
  // nullptr for simple-shuffle.
  const Strategy* strategy() const { return strategy_.get(); }
  bool rpm_tpm_are_limits() const { return rpm_tpm_are_limits_; }
  bool reads_upstream_hints() const { return reads_upstream_hints_; }
  // usage-based-routing-v2 counts an attempt before sending it and refuses it when that passes the
  // deployment's rpm (LiteLLM: 429 "Deployment over defined rpm limit"): the limit, when refused.
  std::optional<std::int64_t> rpm_exceeded_at_start(const config::Deployment& deployment,
                                                    std::int64_t minute_requests) const;

 private:
  config::ConfigPtr config_;
  std::vector<std::string> group_names_;  // config order of first appearance
  std::map<std::string, std::vector<const config::Deployment*>, std::less<>> groups_;  // exact names
  struct PatternGroup {
    ModelPattern pattern;
    std::vector<const config::Deployment*> deployments;
  };
  std::vector<PatternGroup> patterns_;  // most specific first
  std::unique_ptr<DeploymentHealth> health_;
  std::vector<std::optional<std::int64_t>> max_input_tokens_;  // by index into config_->deployments
  std::unique_ptr<LiveStats> live_stats_;
  std::unique_ptr<Strategy> strategy_;
  bool has_tagged_deployments_ = false;
  bool tracks_live_stats_ = false;
  bool rpm_tpm_are_limits_ = false;
  bool reads_upstream_hints_ = false;
};

}  // namespace llmux::router
