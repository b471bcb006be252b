// What one attempt feeds the router's live stats: in flight for exactly as long as it runs (ended
// by the destructor when nothing else ended it), tokens, latency, the upstream's hints under
// adaptive, usage-based-routing-v2's refusal; and nothing at all under simple-shuffle.

#include <gtest/gtest.h>

#include <memory>

#include "gateway/attempt_stats.hpp"
#include "router/live_stats.hpp"

namespace llmux::gateway {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

struct RouterFixture {
  explicit RouterFixture(config::RoutingStrategy strategy, std::optional<std::int64_t> rpm = std::nullopt) {
    config::Config c;
    config::Deployment d;
    d.model_name = "g";
    d.litellm_model = "openai/a";
    d.model_info.id = "a";
    d.rpm = rpm;
    c.deployments.push_back(d);
    c.router.routing_strategy = strategy;
    snapshot = std::make_shared<const config::Config>(std::move(c));
    router = std::make_unique<router::Router>(snapshot);
  }
  const config::Deployment& a() const { return snapshot->deployments[0]; }
  router::LiveStats& stats() const { return router->live_stats(); }
  config::ConfigPtr snapshot;
  std::unique_ptr<router::Router> router;
};

const Clock::time_point t0 = Clock::time_point{} + std::chrono::hours(100);

TEST(AttemptStats, InFlightUntilTheAttemptEndsHoweverItEnds) {
  RouterFixture fx(config::RoutingStrategy::least_busy);
  {
    AttemptStats abandoned(*fx.router, fx.a(), t0);
    EXPECT_TRUE(abandoned.active());
    EXPECT_EQ(fx.stats().in_flight(fx.a()), 1);
  }  // a client that hung up: no report, the destructor ends it
  EXPECT_EQ(fx.stats().in_flight(fx.a()), 0);
  EXPECT_FALSE(fx.stats().adaptive_signals(fx.a()).latency_seconds);  // and it left no sample

  {
    AttemptStats answered(*fx.router, fx.a(), t0);
    answered.answered(providers::Usage{.prompt_tokens = 30, .completion_tokens = 10}, {}, t0 + milliseconds(200));
    EXPECT_EQ(fx.stats().in_flight(fx.a()), 0);
  }  // ended once only
  EXPECT_EQ(fx.stats().in_flight(fx.a()), 0);
  EXPECT_EQ(fx.stats().minute_usage(fx.a(), t0).tokens, 40);
  EXPECT_EQ(fx.stats().minute_usage(fx.a(), t0).requests, 2);
  EXPECT_DOUBLE_EQ(*fx.stats().average_latency(fx.a(), false, t0), 0.02);

  {
    AttemptStats timed_out(*fx.router, fx.a(), t0);
    timed_out.failed(router::ErrorKind::timeout, {}, t0 + milliseconds(5000));
  }
  EXPECT_DOUBLE_EQ(*fx.stats().average_latency(fx.a(), false, t0), (0.02 + 1000.0) / 2);
}

TEST(AttemptStats, AStreamSamplesItsFirstPiece) {
  RouterFixture fx(config::RoutingStrategy::latency_based);
  AttemptStats stream(*fx.router, fx.a(), t0);
  stream.first_piece({}, t0 + milliseconds(100));
  stream.answered(providers::Usage{.prompt_tokens = 1, .completion_tokens = 20}, {}, t0 + milliseconds(2000));
  EXPECT_DOUBLE_EQ(*fx.stats().average_latency(fx.a(), true, t0), 0.005);
  EXPECT_DOUBLE_EQ(*fx.stats().average_latency(fx.a(), false, t0), 0.1);
}

TEST(AttemptStats, AdaptiveReadsTheForwardedRateLimitHeaders) {
  RouterFixture fx(config::RoutingStrategy::adaptive);
  const net::HeaderList head{{"llm_provider-x-ratelimit-remaining-requests", "0"},
                             {"llm_provider-x-ratelimit-reset-requests", "2s"}};
  {
    AttemptStats whole(*fx.router, fx.a(), t0);
    whole.answered({}, head, t0);
  }
  EXPECT_EQ(fx.stats().upstream_budget(fx.a(), t0 + milliseconds(1)).blocked_until, t0 + milliseconds(2000));

  RouterFixture latency(config::RoutingStrategy::latency_based);  // reads no hints
  {
    AttemptStats whole(*latency.router, latency.a(), t0);
    whole.answered({}, head, t0);
  }
  EXPECT_FALSE(latency.stats().upstream_budget(latency.a(), t0).remaining_requests);
}

TEST(AttemptStats, UsageV2RefusesTheAttemptThatPassesRpm) {
  RouterFixture fx(config::RoutingStrategy::usage_based_v2, 1);
  {
    AttemptStats first(*fx.router, fx.a(), t0);
    EXPECT_FALSE(first.rpm_refusal());
  }
  AttemptStats second(*fx.router, fx.a(), t0);
  const auto refusal = second.rpm_refusal();
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->status, 429);
  EXPECT_EQ(refusal->kind, router::ErrorKind::rate_limited);
  EXPECT_EQ(refusal->message, "Deployment over defined rpm limit=1. current usage=2");
  ASSERT_TRUE(refusal->retry_after);
  EXPECT_GT(*refusal->retry_after, milliseconds(0));
  EXPECT_LE(*refusal->retry_after, milliseconds(60'000));
}

TEST(AttemptStats, SimpleShuffleFeedsNothing) {
  RouterFixture fx(config::RoutingStrategy::simple_shuffle, 1);
  {
    AttemptStats attempt(*fx.router, fx.a(), t0);
    EXPECT_FALSE(attempt.active());
    EXPECT_FALSE(attempt.rpm_refusal());
    EXPECT_EQ(fx.stats().in_flight(fx.a()), 0);
    attempt.answered(providers::Usage{.prompt_tokens = 5, .completion_tokens = 5}, {}, t0);
  }
  EXPECT_EQ(fx.stats().minute_usage(fx.a(), t0).requests, 0);
  EXPECT_EQ(fx.stats().minute_usage(fx.a(), t0).tokens, 0);
}

}  // namespace
}  // namespace llmux::gateway
