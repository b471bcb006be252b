#pragma once

// Deployment rpm/tpm as limits, and the upstream's own rate-limit hints: which deployments are
// left out before a strategy picks (SkipReason rpm_limit / tpm_limit / upstream_rate_limit).
// LiteLLM's rule (§2.2, §2.8): a deployment is out when rpm_used + 1 > rpm or tpm_used +
// input_tokens > tpm for the current UTC minute. rpm/tpm are limits only when the strategy reads
// usage (usage-based, latency, cost, adaptive) or enable_pre_call_checks is on; under
// simple-shuffle and least-busy alone they stay weights.

#include <cstdint>
#include <optional>

#include "config/config.hpp"
#include "router/live_stats.hpp"
#include "router/skip_reason.hpp"

namespace llmux::router {

bool rpm_tpm_are_limits(const config::RouterSettings& settings);
// Only `adaptive` reads the upstream's x-ratelimit-* hints.
bool reads_upstream_hints(const config::RouterSettings& settings);

std::optional<SkipReason> over_minute_limit(const config::Deployment& deployment, const LiveStats& stats,
                                            TimePoint now, std::int64_t input_tokens);

// Out when the upstream said it is out (remaining 0 until its reset, or a retry-after), when the
// requests it said remain are all taken by attempts already in flight, or when fewer tokens
// remain than this request's prompt. Sets `free_at` to when the hint stops applying, if known.
std::optional<SkipReason> over_upstream_limit(const config::Deployment& deployment, const LiveStats& stats,
                                              TimePoint now, std::int64_t input_tokens,
                                              std::optional<TimePoint>& free_at);

}  // namespace llmux::router
