#include "router/usage_limits.hpp"

#include "text/checked_number.hpp"

namespace llmux::router {

bool rpm_tpm_are_limits(const config::RouterSettings& settings) {
  using config::RoutingStrategy;
  switch (settings.routing_strategy) {
    case RoutingStrategy::usage_based:
    case RoutingStrategy::usage_based_v2:
    case RoutingStrategy::latency_based:
    case RoutingStrategy::cost_based:
    case RoutingStrategy::adaptive: return true;
    case RoutingStrategy::simple_shuffle:
    case RoutingStrategy::least_busy: return settings.enable_pre_call_checks;
  }
  return settings.enable_pre_call_checks;
}

bool reads_upstream_hints(const config::RouterSettings& settings) {
  return settings.routing_strategy == config::RoutingStrategy::adaptive;
}

std::optional<SkipReason> over_minute_limit(const config::Deployment& deployment, const LiveStats& stats,
                                            TimePoint now, std::int64_t input_tokens) {
  if (!deployment.rpm && !deployment.tpm) return std::nullopt;
  const MinuteUsage used = stats.minute_usage(deployment, now);
  if (deployment.rpm && text::saturating_add<std::int64_t>(used.requests, 1) > *deployment.rpm) {
    return SkipReason::rpm_limit;
  }
  if (deployment.tpm && text::saturating_add<std::int64_t>(used.tokens, input_tokens) > *deployment.tpm) {
    return SkipReason::tpm_limit;
  }
  return std::nullopt;
}

std::optional<SkipReason> over_upstream_limit(const config::Deployment& deployment, const LiveStats& stats,
                                              TimePoint now, std::int64_t input_tokens,
                                              std::optional<TimePoint>& free_at) {
  const UpstreamBudget budget = stats.upstream_budget(deployment, now);
  free_at = budget.blocked_until;
  if (budget.blocked_until) return SkipReason::upstream_rate_limit;
  if (budget.remaining_requests && *budget.remaining_requests <= stats.in_flight(deployment)) {
    return SkipReason::upstream_rate_limit;
  }
  if (budget.remaining_tokens && *budget.remaining_tokens < input_tokens) return SkipReason::upstream_rate_limit;
  return std::nullopt;
}

}  // namespace llmux::router
