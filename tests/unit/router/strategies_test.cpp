// Each routing strategy on hand-set stats: which candidate it picks, and how ties spread.

#include <gtest/gtest.h>

#include <map>

#include "fake_live_stats.hpp"
#include "router/strategy.hpp"
#include "router_test_support.hpp"

namespace llmux::router {
namespace {

using namespace testing;

struct Group {
  config::Config config;
  std::vector<const config::Deployment*> candidates;
  explicit Group(std::vector<std::string> ids) {
    for (const auto& id : ids) config.deployments.push_back(deployment("g", id));
    for (const auto& d : config.deployments) candidates.push_back(&d);
  }
};

// How often each id is picked over `n` picks with fresh seeds.
std::map<std::string, int> picks(const Strategy& strategy, const Group& g, const LiveStats& stats, int n,
                                 bool streaming = false, TimePoint now = t0()) {
  std::map<std::string, int> counts;
  for (int i = 0; i < n; ++i) {
    Rng rng(static_cast<std::uint64_t>(i) * 7919 + 1);
    PickContext context{stats, now, streaming, 100, rng};
    ++counts[strategy.pick(g.candidates, context)->id()];
  }
  return counts;
}

TEST(LeastBusy, PicksTheFewestInFlight) {
  Group g({"a", "b", "c"});
  FakeLiveStats stats;
  stats.by_id["a"].in_flight = 3;
  stats.by_id["b"].in_flight = 1;
  stats.by_id["c"].in_flight = 2;
  const auto strategy = make_least_busy();
  EXPECT_EQ(picks(*strategy, g, stats, 50), (std::map<std::string, int>{{"b", 50}}));
}

TEST(LeastBusy, TiesAreBrokenAtRandomNotByConfigOrder) {
  Group g({"a", "b", "c"});
  FakeLiveStats stats;
  stats.by_id["c"].in_flight = 5;
  const auto counts = picks(*make_least_busy(), g, stats, 400);
  EXPECT_EQ(counts.count("c"), 0u);
  EXPECT_GT(counts.at("a"), 140);
  EXPECT_GT(counts.at("b"), 140);
}

TEST(UsageBased, PicksTheLowestTokensThisMinute) {
  Group g({"a", "b", "c"});
  FakeLiveStats stats;
  stats.by_id["a"].usage = {10, 5000};
  stats.by_id["b"].usage = {50, 100};
  stats.by_id["c"].usage = {1, 900};
  EXPECT_EQ(picks(*make_usage_based(), g, stats, 30), (std::map<std::string, int>{{"b", 30}}));
  stats.by_id["c"].usage.tokens = 100;  // a tie with b: both get traffic
  const auto tied = picks(*make_usage_based(), g, stats, 200);
  EXPECT_GT(tied.at("b"), 60);
  EXPECT_GT(tied.at("c"), 60);
}

TEST(LatencyBased, PicksTheLowestAverageAndTriesUnseenDeploymentsFirst) {
  Group g({"slow", "fast"});
  FakeLiveStats stats;
  stats.by_id["slow"].latency = 0.5;
  stats.by_id["fast"].latency = 0.01;
  const config::RoutingStrategyArgs args;
  EXPECT_EQ(picks(*make_latency_based(args), g, stats, 30), (std::map<std::string, int>{{"fast", 30}}));

  Group with_new({"slow", "fast", "new"});
  EXPECT_EQ(picks(*make_latency_based(args), with_new, stats, 30), (std::map<std::string, int>{{"new", 30}}));
}

TEST(LatencyBased, TheBufferSpreadsAmongNearlyAsFast) {
  Group g({"a", "b", "c"});
  FakeLiveStats stats;
  stats.by_id["a"].latency = 0.100;
  stats.by_id["b"].latency = 0.140;
  stats.by_id["c"].latency = 0.200;
  config::RoutingStrategyArgs args;
  args.lowest_latency_buffer = 0.5;  // within 0.150
  const auto counts = picks(*make_latency_based(args), g, stats, 400);
  EXPECT_EQ(counts.count("c"), 0u);
  EXPECT_GT(counts.at("a"), 140);
  EXPECT_GT(counts.at("b"), 140);
}

TEST(LatencyBased, StreamsRankByTimeToFirstTokenWhenKnown) {
  Group g({"a", "b"});
  FakeLiveStats stats;
  stats.by_id["a"].latency = 0.01;  // fast whole answers, slow first token
  stats.by_id["a"].time_to_first_token = 0.9;
  stats.by_id["b"].latency = 0.05;
  stats.by_id["b"].time_to_first_token = 0.02;
  const config::RoutingStrategyArgs args;
  EXPECT_EQ(picks(*make_latency_based(args), g, stats, 20, false), (std::map<std::string, int>{{"a", 20}}));
  EXPECT_EQ(picks(*make_latency_based(args), g, stats, 20, true), (std::map<std::string, int>{{"b", 20}}));
  stats.by_id["b"].time_to_first_token.reset();  // b has no TTFT data: its plain average counts
  EXPECT_EQ(picks(*make_latency_based(args), g, stats, 20, true), (std::map<std::string, int>{{"b", 20}}));
}

TEST(CostBased, PicksTheCheapestAndTheFirstOnTies) {
  Group g({"dear", "cheap", "cheap-too"});
  FakeLiveStats stats;
  const auto strategy = make_cost_based(g.config, {10.0, 0.002, 0.002});
  EXPECT_EQ(picks(*strategy, g, stats, 30), (std::map<std::string, int>{{"cheap", 30}}));
  // A deployment the cost list does not cover is priced like LiteLLM's unpriced ones.
  const auto short_list = make_cost_based(g.config, {20.0});
  EXPECT_EQ(picks(*short_list, g, stats, 5), (std::map<std::string, int>{{"cheap", 5}}));
}

TEST(Adaptive, PrefersTheFasterAndLessLoaded) {
  Group g({"a", "b"});
  FakeLiveStats stats;
  stats.by_id["a"].adaptive.latency_seconds = 0.400;
  stats.by_id["b"].adaptive.latency_seconds = 0.050;
  EXPECT_EQ(picks(*make_adaptive(), g, stats, 100), (std::map<std::string, int>{{"b", 100}}));
  // Nine requests in flight on b make its score 0.5 > 0.4: a takes the next ones.
  stats.by_id["b"].in_flight = 9;
  EXPECT_EQ(picks(*make_adaptive(), g, stats, 100), (std::map<std::string, int>{{"a", 100}}));
}

TEST(Adaptive, ErrorsWeighOnTheScore) {
  Group g({"a", "b"});
  FakeLiveStats stats;
  stats.by_id["a"].adaptive.latency_seconds = 0.010;
  stats.by_id["a"].adaptive.error_rate = 0.5;  // × 5.5
  stats.by_id["b"].adaptive.latency_seconds = 0.040;
  EXPECT_EQ(picks(*make_adaptive(), g, stats, 50), (std::map<std::string, int>{{"b", 50}}));
}

TEST(Adaptive, AnUnmeasuredDeploymentIsTriedAndAStaleOneIsProbed) {
  Group g({"a", "b"});
  FakeLiveStats stats;
  stats.by_id["a"].adaptive.latency_seconds = 0.050;
  stats.by_id["a"].adaptive.last_started = t0();
  const auto unseen = picks(*make_adaptive(), g, stats, 200, false, t0());
  EXPECT_GT(unseen.at("b"), 60);  // ties with the best: half of the picks

  stats.by_id["b"].adaptive.latency_seconds = 2.0;  // slow, and not tried for a minute
  stats.by_id["b"].adaptive.last_started = t0();
  const auto fresh = picks(*make_adaptive(), g, stats, 1000, false, t0() + seconds(1));
  EXPECT_EQ(fresh.count("b"), 0u);  // not stale yet: no probe
  stats.by_id["a"].adaptive.last_started = t0() + seconds(60);
  const auto later = picks(*make_adaptive(), g, stats, 1000, false, t0() + seconds(60));
  ASSERT_TRUE(later.count("b"));
  EXPECT_GT(later.at("b"), 10);   // about 5% of the picks probe it
  EXPECT_LT(later.at("b"), 120);
}

TEST(Adaptive, PowerOfTwoChoicesNeverPicksTheWorstOfThree) {
  Group g({"a", "b", "c"});
  FakeLiveStats stats;
  stats.by_id["a"].adaptive.latency_seconds = 0.01;
  stats.by_id["b"].adaptive.latency_seconds = 0.02;
  stats.by_id["c"].adaptive.latency_seconds = 0.50;
  const auto counts = picks(*make_adaptive(), g, stats, 600);
  EXPECT_EQ(counts.count("c"), 0u);
  EXPECT_GT(counts.at("a"), counts.at("b"));  // a wins 2 of its 3 possible pairs
  EXPECT_GT(counts.at("b"), 100);
}

TEST(MakeStrategy, SimpleShuffleHasNone) {
  config::Config c;
  EXPECT_EQ(make_strategy(c, {}), nullptr);
  c.router.routing_strategy = config::RoutingStrategy::least_busy;
  EXPECT_NE(make_strategy(c, {}), nullptr);
}

TEST(RandomMinimum, EachTieEquallyLikely) {
  const double scores[] = {3, 1, 1, 2, 1};
  std::map<std::size_t, int> counts;
  Rng rng(42);
  for (int i = 0; i < 3000; ++i) ++counts[random_minimum(scores, rng)];
  EXPECT_EQ(counts.size(), 3u);
  for (std::size_t i : {1u, 2u, 4u}) EXPECT_GT(counts[i], 850) << i;
}

}  // namespace
}  // namespace llmux::router
