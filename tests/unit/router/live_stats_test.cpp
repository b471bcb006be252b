// LocalLiveStats: in-flight counts, UTC-minute counters, latency samples (ring, ttl, timeout
// penalty, time to first token), the adaptive averages and the upstream's hints, on a hand-driven clock.

#include <gtest/gtest.h>

#include "router/local_live_stats.hpp"
#include "router_test_support.hpp"

namespace llmux::router {
namespace {

using namespace testing;
using std::chrono::nanoseconds;

struct StatsFixture {
  explicit StatsFixture(int list_size = 10, double ttl = 3600) {
    config.deployments.push_back(deployment("g", "a"));
    config.deployments.push_back(deployment("g", "b"));
    config.router.routing_strategy_args.max_latency_list_size = list_size;
    config.router.routing_strategy_args.ttl_seconds = ttl;
  }
  const config::Deployment& a() const { return config.deployments[0]; }
  const config::Deployment& b() const { return config.deployments[1]; }
  config::Config config;
};

AttemptReport took(std::chrono::milliseconds d, std::int64_t completion_tokens = 0,
                   AttemptReport::Outcome outcome = AttemptReport::Outcome::success) {
  return AttemptReport{outcome, d, std::nullopt, completion_tokens};
}

TEST(LocalLiveStats, InFlightRisesAndFallsPerDeploymentAndNeverBelowZero) {
  StatsFixture fx;
  LocalLiveStats stats(fx.config, nanoseconds(0));
  stats.attempt_started(fx.a(), t0());
  stats.attempt_started(fx.a(), t0());
  stats.attempt_started(fx.b(), t0());
  EXPECT_EQ(stats.in_flight(fx.a()), 2);
  EXPECT_EQ(stats.in_flight(fx.b()), 1);
  stats.attempt_finished(fx.a(), took(milliseconds(5)), t0());
  stats.attempt_finished(fx.b(), AttemptReport{AttemptReport::Outcome::abandoned}, t0());
  stats.attempt_finished(fx.b(), took(milliseconds(5)), t0());
  EXPECT_EQ(stats.in_flight(fx.a()), 1);
  EXPECT_EQ(stats.in_flight(fx.b()), 0);
  // A copy of a deployment (same id) shares its slot; an unknown one has none.
  config::Deployment copy = fx.a();
  EXPECT_EQ(stats.in_flight(copy), 1);
  EXPECT_EQ(stats.attempt_started(deployment("g", "stranger"), t0()), 0);
}

TEST(LocalLiveStats, MinuteCountersAreUtcMinutes) {
  StatsFixture fx;
  // Steady t0() is 100 h; an offset of 10 s puts UTC 50 s into a minute at t0().
  LocalLiveStats stats(fx.config, std::chrono::seconds(10) - std::chrono::hours(100) + std::chrono::hours(1000));
  const TimePoint now = t0() + seconds(40);  // UTC: 1000 h + 50 s
  EXPECT_EQ(stats.until_next_minute(now), milliseconds(10'000));
  EXPECT_EQ(stats.attempt_started(fx.a(), now), 1);
  EXPECT_EQ(stats.attempt_started(fx.a(), now + seconds(9)), 2);
  stats.add_tokens(fx.a(), 120, now);
  EXPECT_EQ(stats.minute_usage(fx.a(), now + seconds(9)).requests, 2);
  EXPECT_EQ(stats.minute_usage(fx.a(), now + seconds(9)).tokens, 120);
  // The next UTC minute starts at now + 10 s: both counts start over.
  EXPECT_EQ(stats.minute_usage(fx.a(), now + seconds(10)).requests, 0);
  EXPECT_EQ(stats.minute_usage(fx.a(), now + seconds(10)).tokens, 0);
  EXPECT_EQ(stats.attempt_started(fx.a(), now + seconds(10)), 1);
  EXPECT_EQ(stats.minute_usage(fx.b(), now).requests, 0);
}

TEST(LocalLiveStats, LatencyIsSecondsPerCompletionTokenOverTheNewestSamples) {
  StatsFixture fx(3);
  LocalLiveStats stats(fx.config, nanoseconds(0));
  EXPECT_FALSE(stats.average_latency(fx.a(), false, t0()));
  stats.attempt_finished(fx.a(), took(milliseconds(1000), 10), t0());  // 0.1 s/token
  stats.attempt_finished(fx.a(), took(milliseconds(300), 0), t0());    // no tokens: 0.3 s
  EXPECT_DOUBLE_EQ(*stats.average_latency(fx.a(), false, t0()), 0.2);
  stats.attempt_finished(fx.a(), took(milliseconds(200), 1), t0());
  stats.attempt_finished(fx.a(), took(milliseconds(200), 1), t0());  // the oldest (0.1) drops out
  EXPECT_NEAR(*stats.average_latency(fx.a(), false, t0()), (0.3 + 0.2 + 0.2) / 3, 1e-12);
  // A failure that is not a timeout says nothing about speed.
  stats.attempt_finished(fx.a(), took(milliseconds(1), 0, AttemptReport::Outcome::failure), t0());
  EXPECT_NEAR(*stats.average_latency(fx.a(), false, t0()), (0.3 + 0.2 + 0.2) / 3, 1e-12);
  // A timeout is LiteLLM's 1000.0 penalty sample.
  stats.attempt_finished(fx.a(), took(milliseconds(5000), 0, AttemptReport::Outcome::timeout), t0());
  EXPECT_NEAR(*stats.average_latency(fx.a(), false, t0()), (0.2 + 0.2 + 1000.0) / 3, 1e-9);
  EXPECT_FALSE(stats.average_latency(fx.b(), false, t0()));
}

TEST(LocalLiveStats, SamplesOlderThanTheTtlAreForgotten) {
  StatsFixture fx(10, 60);
  LocalLiveStats stats(fx.config, nanoseconds(0));
  stats.attempt_finished(fx.a(), took(milliseconds(500)), t0());
  stats.attempt_finished(fx.a(), took(milliseconds(100)), t0() + seconds(30));
  EXPECT_DOUBLE_EQ(*stats.average_latency(fx.a(), false, t0() + seconds(59)), 0.3);
  EXPECT_DOUBLE_EQ(*stats.average_latency(fx.a(), false, t0() + seconds(61)), 0.1);
  EXPECT_FALSE(stats.average_latency(fx.a(), false, t0() + seconds(91)));
}

TEST(LocalLiveStats, StreamsAddTimeToFirstTokenSamples) {
  StatsFixture fx;
  LocalLiveStats stats(fx.config, nanoseconds(0));
  stats.attempt_finished(fx.a(), AttemptReport{AttemptReport::Outcome::success, milliseconds(2000), milliseconds(100), 20},
                         t0());
  EXPECT_DOUBLE_EQ(*stats.average_latency(fx.a(), false, t0()), 0.1);
  EXPECT_DOUBLE_EQ(*stats.average_latency(fx.a(), true, t0()), 0.005);
  EXPECT_DOUBLE_EQ(*stats.adaptive_signals(fx.a()).latency_seconds, 0.1);  // the first token's wait
}

TEST(LocalLiveStats, AdaptiveAveragesMoveWithinAFewAttempts) {
  StatsFixture fx;
  LocalLiveStats stats(fx.config, nanoseconds(0));
  EXPECT_FALSE(stats.adaptive_signals(fx.a()).latency_seconds);
  EXPECT_FALSE(stats.adaptive_signals(fx.a()).last_started);
  stats.attempt_started(fx.a(), t0());
  EXPECT_EQ(stats.adaptive_signals(fx.a()).last_started, t0());
  stats.attempt_finished(fx.a(), took(milliseconds(10)), t0());
  EXPECT_DOUBLE_EQ(*stats.adaptive_signals(fx.a()).latency_seconds, 0.010);
  for (int i = 0; i < 3; ++i) stats.attempt_finished(fx.a(), took(milliseconds(1010)), t0());
  // 0.01 + (1 − 0.7³) × 1.0
  EXPECT_NEAR(*stats.adaptive_signals(fx.a()).latency_seconds, 0.01 + 0.657, 1e-9);
  EXPECT_DOUBLE_EQ(stats.adaptive_signals(fx.a()).error_rate, 0);
  stats.attempt_finished(fx.a(), took(milliseconds(1), 0, AttemptReport::Outcome::failure), t0());
  EXPECT_DOUBLE_EQ(stats.adaptive_signals(fx.a()).error_rate, 0.3);
  stats.attempt_finished(fx.a(), took(milliseconds(1)), t0());
  EXPECT_DOUBLE_EQ(stats.adaptive_signals(fx.a()).error_rate, 0.21);
}

TEST(LocalLiveStats, UpstreamHintsHoldUntilTheirResetTime) {
  StatsFixture fx;
  LocalLiveStats stats(fx.config, nanoseconds(0));
  EXPECT_FALSE(stats.upstream_budget(fx.a(), t0()).remaining_requests);
  RateLimitHints hints;
  hints.remaining_requests = 0;
  hints.requests_reset = milliseconds(1500);
  hints.remaining_tokens = 800;
  stats.record_hints(fx.a(), hints, t0());
  auto budget = stats.upstream_budget(fx.a(), t0() + seconds(1));
  EXPECT_EQ(budget.remaining_requests, 0);
  EXPECT_EQ(budget.remaining_tokens, 800);
  EXPECT_EQ(budget.blocked_until, t0() + milliseconds(1500));
  budget = stats.upstream_budget(fx.a(), t0() + seconds(2));
  EXPECT_FALSE(budget.remaining_requests);       // its reset has passed
  EXPECT_EQ(budget.remaining_tokens, 800);       // no reset given: believed for a minute
  EXPECT_FALSE(budget.blocked_until);
  EXPECT_FALSE(stats.upstream_budget(fx.a(), t0() + seconds(61)).remaining_tokens);

  RateLimitHints retry;
  retry.retry_after = milliseconds(3000);
  stats.record_hints(fx.b(), retry, t0());
  EXPECT_EQ(stats.upstream_budget(fx.b(), t0()).blocked_until, t0() + seconds(3));
  EXPECT_FALSE(stats.upstream_budget(fx.b(), t0() + seconds(3)).blocked_until);
}

}  // namespace
}  // namespace llmux::router
