#pragma once

// What the routing strategies read about each deployment, and what the gateway feeds in after each
// attempt: requests in flight, recent latency samples, this minute's requests and tokens, and the
// upstream's own rate-limit hints. An interface, so a shared (Redis) backend can serve several
// instances later; LocalLiveStats is the per-process one. Every call takes `now`: no clock is read.

#include <chrono>
#include <cstdint>
#include <optional>

#include "router/failure.hpp"

namespace llmux::config {
struct Deployment;
}

namespace llmux::router {

// How one attempt ended, as the latency and adaptive strategies learn from it.
struct AttemptReport {
  // abandoned: the client went away; says nothing about the deployment, only ends the attempt.
  enum class Outcome { success, failure, timeout, abandoned };
  Outcome outcome = Outcome::success;
  std::chrono::nanoseconds duration{};                          // start → answer (a stream: its end)
  std::optional<std::chrono::nanoseconds> time_to_first_token;  // streams only
  std::int64_t completion_tokens = 0;
};

// The upstream's x-ratelimit-remaining-* / x-ratelimit-reset-* (and retry-after) as numbers.
struct RateLimitHints {
  std::optional<std::int64_t> remaining_requests;
  std::optional<std::chrono::milliseconds> requests_reset;  // from the moment the answer came
  std::optional<std::int64_t> remaining_tokens;
  std::optional<std::chrono::milliseconds> tokens_reset;
  std::optional<std::chrono::milliseconds> retry_after;
  bool empty() const { return !remaining_requests && !remaining_tokens && !retry_after; }
};

// This UTC minute's counts (LiteLLM's `{id}:rpm:{HH-MM}` / `{id}:tpm:{HH-MM}`).
struct MinuteUsage {
  std::int64_t requests = 0;
  std::int64_t tokens = 0;
};

// What `adaptive` scores (docs/routing.md): moving averages, nullopt before the first sample.
struct AdaptiveSignals {
  std::optional<double> latency_seconds;  // EWMA of answer time (a stream: time to first token)
  double error_rate = 0;                  // EWMA of 0 (success) / 1 (failure or timeout)
  std::optional<TimePoint> last_started;  // the last attempt sent to it
};

// What the upstream said is left, still valid at `now` (its reset time not yet passed).
struct UpstreamBudget {
  std::optional<std::int64_t> remaining_requests;
  std::optional<std::int64_t> remaining_tokens;
  std::optional<TimePoint> blocked_until;  // retry-after, or the reset time of an exhausted budget
};

class LiveStats {
 public:
  virtual ~LiveStats() = default;

  // An attempt is being sent: in flight +1, this minute's requests +1. Returns this minute's
  // requests, this one included (usage-based-routing-v2 refuses the attempt when it passes rpm).
  virtual std::int64_t attempt_started(const config::Deployment& deployment, TimePoint now) = 0;
  // The attempt is over, however it ended (a stream: when it ended): in flight −1, and a sample.
  virtual void attempt_finished(const config::Deployment& deployment, const AttemptReport& report,
                                TimePoint now) = 0;
  // Prompt + completion tokens of an answer, counted in this minute.
  virtual void add_tokens(const config::Deployment& deployment, std::int64_t tokens, TimePoint now) = 0;
  virtual void record_hints(const config::Deployment& deployment, const RateLimitHints& hints, TimePoint now) = 0;

  virtual int in_flight(const config::Deployment& deployment) const = 0;
  virtual MinuteUsage minute_usage(const config::Deployment& deployment, TimePoint now) const = 0;
  // Mean of the samples younger than the ttl (LiteLLM's latency list): seconds per completion
  // token, or time to first token per completion token when `time_to_first_token`. nullopt: none.
  virtual std::optional<double> average_latency(const config::Deployment& deployment, bool time_to_first_token,
                                                TimePoint now) const = 0;
  virtual AdaptiveSignals adaptive_signals(const config::Deployment& deployment) const = 0;
  virtual UpstreamBudget upstream_budget(const config::Deployment& deployment, TimePoint now) const = 0;
  // Until this UTC minute ends: when minute limits free up again (the 429's Retry-After).
  virtual std::chrono::milliseconds until_next_minute(TimePoint now) const = 0;
};

}  // namespace llmux::router
