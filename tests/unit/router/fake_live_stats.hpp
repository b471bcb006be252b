#pragma once

// LiveStats whose every answer a test sets by hand, per deployment id: strategies are tested on
// exactly the numbers they are given.

#include <map>
#include <string>

#include "config/config.hpp"
#include "router/live_stats.hpp"

namespace llmux::router::testing {

class FakeLiveStats final : public LiveStats {
 public:
  struct Entry {
    int in_flight = 0;
    MinuteUsage usage;
    std::optional<double> latency, time_to_first_token;
    AdaptiveSignals adaptive;
    UpstreamBudget budget;
  };
  std::map<std::string, Entry> by_id;
  std::chrono::milliseconds to_next_minute{30'000};

  std::int64_t attempt_started(const config::Deployment& d, TimePoint) override {
    ++by_id[d.id()].in_flight;
    return ++by_id[d.id()].usage.requests;
  }
  void attempt_finished(const config::Deployment& d, const AttemptReport&, TimePoint) override {
    --by_id[d.id()].in_flight;
  }
  void add_tokens(const config::Deployment& d, std::int64_t tokens, TimePoint) override {
    by_id[d.id()].usage.tokens += tokens;
  }
  void record_hints(const config::Deployment&, const RateLimitHints&, TimePoint) override {}

  int in_flight(const config::Deployment& d) const override { return entry(d).in_flight; }
  MinuteUsage minute_usage(const config::Deployment& d, TimePoint) const override { return entry(d).usage; }
  std::optional<double> average_latency(const config::Deployment& d, bool ttft, TimePoint) const override {
    return ttft ? entry(d).time_to_first_token : entry(d).latency;
  }
  AdaptiveSignals adaptive_signals(const config::Deployment& d) const override { return entry(d).adaptive; }
  UpstreamBudget upstream_budget(const config::Deployment& d, TimePoint) const override { return entry(d).budget; }
  std::chrono::milliseconds until_next_minute(TimePoint) const override { return to_next_minute; }

 private:
  Entry entry(const config::Deployment& d) const {
    auto it = by_id.find(d.id());
    return it == by_id.end() ? Entry{} : it->second;
  }
};

}  // namespace llmux::router::testing
