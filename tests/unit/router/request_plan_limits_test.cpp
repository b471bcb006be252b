// Deployment rpm/tpm as limits, and the upstream's rate-limit hints under `adaptive`: which
// deployments a plan leaves out (and says so), when all are out, and what stays a weight.

#include <gtest/gtest.h>

#include "router/live_stats.hpp"
#include "router/request_plan.hpp"
#include "router/strategy.hpp"
#include "router_test_support.hpp"

namespace llmux::router {
namespace {

using namespace testing;
using Ids = std::vector<std::string>;

config::Config limited_group(config::RoutingStrategy strategy) {
  config::Config c;
  auto a = deployment("A", "a1");
  a.rpm = 2;
  auto b = deployment("A", "a2");
  b.tpm = 1000;
  c.deployments = {a, b};
  c.router.routing_strategy = strategy;
  return c;
}

// Plays `n` whole calls the way the gateway feeds the stats.
void serve(Fixture& fx, const std::string& id, int n, std::int64_t tokens_each, TimePoint now) {
  for (int i = 0; i < n; ++i) {
    fx.router.live_stats().attempt_started(fx.dep(id), now);
    fx.router.live_stats().attempt_finished(fx.dep(id), AttemptReport{}, now);
    fx.router.live_stats().add_tokens(fx.dep(id), tokens_each, now);
  }
}

std::vector<std::pair<std::string, SkipReason>> skips(const RequestPlan& plan) {
  std::vector<std::pair<std::string, SkipReason>> out;
  for (const auto& s : plan.skipped()) out.emplace_back(s.deployment->id(), s.reason);
  return out;
}

TEST(RequestPlanLimits, ADeploymentOverItsMinutesRpmIsSkippedAndSaysWhy) {
  Fixture fx(limited_group(config::RoutingStrategy::usage_based));
  serve(fx, "a1", 2, 1, t0());
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    RequestPlan plan(fx.router, "A", {}, seed);
    TimePoint now = t0();
    EXPECT_EQ(drive(plan, succeed(), now).attempted, (Ids{"a2"}));
    EXPECT_EQ(skips(plan), (std::vector<std::pair<std::string, SkipReason>>{{"a1", SkipReason::rpm_limit}}));
  }
}

TEST(RequestPlanLimits, TpmCountsThisRequestsPromptTokens) {
  Fixture fx(limited_group(config::RoutingStrategy::latency_based));
  serve(fx, "a2", 1, 900, t0());
  RequestOverrides small;
  small.prompt_tokens = 100;  // 900 + 100 <= 1000: fits
  RequestPlan fits(fx.router, "A", small, 3);
  TimePoint now = t0();
  drive(fits, succeed(), now);
  EXPECT_TRUE(fits.skipped().empty());

  RequestOverrides big;
  big.body_bytes = 4 * 101;  // no count: the bytes / 4 estimate, 101 tokens
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    RequestPlan plan(fx.router, "A", big, seed);
    now = t0();
    drive(plan, succeed(), now);
    ASSERT_FALSE(plan.skipped().empty());
    EXPECT_EQ(plan.skipped().front().deployment->id(), "a2");
    EXPECT_EQ(plan.skipped().front().reason, SkipReason::tpm_limit);
  }
}

TEST(RequestPlanLimits, WhenAllAreOverTheirLimitsNothingIsTriedNotEvenTheCooldownBypass) {
  Fixture fx(limited_group(config::RoutingStrategy::cost_based));
  serve(fx, "a1", 2, 0, t0());
  serve(fx, "a2", 1, 1000, t0());
  RequestOverrides overrides;
  overrides.prompt_tokens = 1;
  RequestPlan plan(fx.router, "A", overrides, 1);
  TimePoint now = t0() + seconds(5);
  const auto run = drive(plan, succeed(), now);
  EXPECT_TRUE(run.attempted.empty());
  ASSERT_TRUE(plan.limits_free_at());
  EXPECT_EQ(*plan.limits_free_at(), now + fx.router.live_stats().until_next_minute(now));
  // The next UTC minute frees them.
  RequestPlan later(fx.router, "A", overrides, 1);
  TimePoint next_minute = *plan.limits_free_at();
  EXPECT_TRUE(drive(later, succeed(), next_minute).succeeded);
  EXPECT_FALSE(later.limits_free_at());
}

TEST(RequestPlanLimits, AFallbackServesWhenTheGroupIsOverItsLimits) {
  auto c = limited_group(config::RoutingStrategy::usage_based_v2);
  c.deployments.push_back(deployment("B", "b1"));
  c.router.fallbacks = {rule("A", {"B"})};
  Fixture fx(std::move(c));
  serve(fx, "a1", 2, 0, t0());
  serve(fx, "a2", 1, 1000, t0());
  RequestOverrides overrides;
  overrides.prompt_tokens = 5;
  RequestPlan plan(fx.router, "A", overrides, 1);
  TimePoint now = t0();
  EXPECT_EQ(drive(plan, succeed(), now).attempted, (Ids{"b1"}));
  EXPECT_EQ(skips(plan).size(), 2u);
}

TEST(RequestPlanLimits, SimpleShuffleKeepsRpmAsAWeightUnlessPreCallChecksAreOn) {
  Fixture shuffle(limited_group(config::RoutingStrategy::simple_shuffle));
  EXPECT_FALSE(shuffle.router.tracks_live_stats());
  serve(shuffle, "a1", 5, 0, t0());
  RequestPlan plan(shuffle.router, "A", {}, 1);
  TimePoint now = t0();
  EXPECT_EQ(drive(plan, succeed(), now).attempted, (Ids{"a1"}));  // the only one with rpm: all the weight
  EXPECT_TRUE(plan.skipped().empty());

  auto c = limited_group(config::RoutingStrategy::simple_shuffle);
  c.router.enable_pre_call_checks = true;
  Fixture checked(std::move(c));
  EXPECT_TRUE(checked.router.tracks_live_stats());
  serve(checked, "a1", 2, 0, t0());
  RequestPlan limited(checked.router, "A", {}, 1);
  now = t0();
  EXPECT_EQ(drive(limited, succeed(), now).attempted, (Ids{"a2"}));
  EXPECT_EQ(skips(limited), (std::vector<std::pair<std::string, SkipReason>>{{"a1", SkipReason::rpm_limit}}));
}

TEST(RequestPlanLimits, LeastBusyAloneDoesNotLimit) {
  Fixture fx(limited_group(config::RoutingStrategy::least_busy));
  EXPECT_TRUE(fx.router.tracks_live_stats());
  EXPECT_FALSE(fx.router.rpm_tpm_are_limits());
  serve(fx, "a1", 5, 0, t0());
  int a1 = 0;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    RequestPlan plan(fx.router, "A", {}, seed);
    TimePoint now = t0();
    a1 += drive(plan, succeed(), now).attempted == Ids{"a1"};
    EXPECT_TRUE(plan.skipped().empty());
  }
  EXPECT_GT(a1, 5);
}

TEST(RequestPlanLimits, UsageV2RefusesAnAttemptThatPassesRpmWhenCounted) {
  Fixture v2(limited_group(config::RoutingStrategy::usage_based_v2));
  EXPECT_EQ(v2.router.rpm_exceeded_at_start(v2.dep("a1"), 2), std::nullopt);
  EXPECT_EQ(v2.router.rpm_exceeded_at_start(v2.dep("a1"), 3), 2);
  EXPECT_EQ(v2.router.rpm_exceeded_at_start(v2.dep("a2"), 1000), std::nullopt);  // no rpm
  Fixture v1(limited_group(config::RoutingStrategy::usage_based));
  EXPECT_EQ(v1.router.rpm_exceeded_at_start(v1.dep("a1"), 3), std::nullopt);
}

TEST(RequestPlanLimits, AdaptiveStopsBeforeTheUpstreamsOwnLimit) {
  config::Config c;
  c.deployments = {deployment("A", "a1"), deployment("A", "a2")};
  c.router.routing_strategy = config::RoutingStrategy::adaptive;
  Fixture fx(std::move(c));
  RateLimitHints out;
  out.remaining_requests = 0;
  out.requests_reset = milliseconds(2000);
  fx.router.live_stats().record_hints(fx.dep("a1"), out, t0());
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    RequestPlan plan(fx.router, "A", {}, seed);
    TimePoint now = t0() + milliseconds(500);
    EXPECT_EQ(drive(plan, succeed(), now).attempted, (Ids{"a2"}));
    EXPECT_EQ(skips(plan), (std::vector<std::pair<std::string, SkipReason>>{{"a1", SkipReason::upstream_rate_limit}}));
  }
  // One request left, and one already in flight there: that one takes it.
  RateLimitHints one_left;
  one_left.remaining_requests = 1;
  fx.router.live_stats().record_hints(fx.dep("a2"), one_left, t0());
  fx.router.live_stats().attempt_started(fx.dep("a2"), t0());
  RequestPlan plan(fx.router, "A", {}, 1);
  TimePoint now = t0() + milliseconds(500);
  EXPECT_TRUE(drive(plan, succeed(), now).attempted.empty());
  EXPECT_EQ(plan.limits_free_at(), t0() + milliseconds(1500));  // a2: "in flight takes it", 1 s
  // After a1's reset it serves again.
  RequestPlan after_reset(fx.router, "A", {}, 1);
  now = t0() + milliseconds(2000);
  EXPECT_EQ(drive(after_reset, succeed(), now).attempted, (Ids{"a1"}));
}

TEST(RequestPlanLimits, StrategiesKeepTheOrderTierAndAvoidWhatFailedInThisRequest) {
  config::Config c;
  auto primary = deployment("A", "p");
  primary.order = 1;
  auto backup = deployment("A", "q");
  backup.order = 2;
  auto other = deployment("A", "r");
  other.order = 1;
  c.deployments = {primary, backup, other};
  c.router.routing_strategy = config::RoutingStrategy::least_busy;
  c.router.num_retries = 1;
  Fixture fx(std::move(c));
  fx.router.live_stats().attempt_started(fx.dep("r"), t0());  // r busier: p first
  RequestPlan plan(fx.router, "A", {}, 1);
  TimePoint now = t0();
  // p fails: the retry goes to r (order 1, not failed yet), never to q (order 2).
  EXPECT_EQ(drive(plan, failing_on({"p"}, server_error()), now).attempted, (Ids{"p", "r"}));
}

}  // namespace
}  // namespace llmux::router
