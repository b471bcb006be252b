#pragma once

// LiveStats for one process: one slot per deployment of the snapshot, indexed like
// DeploymentHealth. Counters read on every pick (in flight, this minute's requests and tokens) are
// lock-free atomics; the latency samples and the upstream's hints sit behind a per-deployment
// spinlock held for a few loads and stores (written once per attempt, read once per candidate).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "config/config.hpp"
#include "router/live_stats.hpp"

namespace llmux::router {

class LocalLiveStats final : public LiveStats {
 public:
  // `config` must outlive this object. `utc_minus_steady`: what to add to a steady-clock reading to
  // get UTC (the gateway measures it once), so minutes are UTC minutes as in LiteLLM.
  LocalLiveStats(const config::Config& config, std::chrono::nanoseconds utc_minus_steady);
  ~LocalLiveStats() override;

  std::int64_t attempt_started(const config::Deployment& deployment, TimePoint now) override;
  void attempt_finished(const config::Deployment& deployment, const AttemptReport& report, TimePoint now) override;
  void add_tokens(const config::Deployment& deployment, std::int64_t tokens, TimePoint now) override;
  void record_hints(const config::Deployment& deployment, const RateLimitHints& hints, TimePoint now) override;

  int in_flight(const config::Deployment& deployment) const override;
  MinuteUsage minute_usage(const config::Deployment& deployment, TimePoint now) const override;
  std::optional<double> average_latency(const config::Deployment& deployment, bool time_to_first_token,
                                        TimePoint now) const override;
  AdaptiveSignals adaptive_signals(const config::Deployment& deployment) const override;
  UpstreamBudget upstream_budget(const config::Deployment& deployment, TimePoint now) const override;
  std::chrono::milliseconds until_next_minute(TimePoint now) const override;

  // EWMA weight of the newest sample for `adaptive`: 0.3 lets three slow answers in a row move a
  // deployment's average most of the way (1 − 0.7³ ≈ 66%), while one outlier moves it by 30%.
  static constexpr double kEwmaWeight = 0.3;
  // A hint without a reset time is believed for this long.
  static constexpr std::chrono::seconds kHintLifetime{60};
  // LiteLLM's penalty sample for a timeout (seconds per token).
  static constexpr double kTimeoutPenalty = 1000.0;

 private:
  struct Slot;

  Slot* slot_for(const config::Deployment& deployment) const;
  std::uint32_t minute_of(TimePoint now) const;

  const config::Config& config_;
  const std::int64_t utc_minus_steady_ns_;
  const std::int64_t ttl_ns_;
  std::unique_ptr<Slot[]> slots_;
  std::unordered_map<std::string, std::size_t> index_by_id_;
};

}  // namespace llmux::router
