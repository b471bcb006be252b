// What a pick costs per strategy: a timing loop whose figures are printed, never asserted (the
// machine is shared). It plans and "runs" one attempt per request the way the gateway does, with
// the stats fed when the strategy reads them, so the figures compare simple-shuffle's path with
// each strategy's.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "router/live_stats.hpp"
#include "router/request_plan.hpp"
#include "router_test_support.hpp"

namespace llmux::router {
namespace {

using namespace testing;

double ns_per_request(config::RoutingStrategy strategy, bool pre_call_checks) {
  config::Config c;
  for (int i = 0; i < 4; ++i) {
    auto d = deployment("g", "d" + std::to_string(i));
    d.rpm = 1'000'000'000;
    c.deployments.push_back(d);
  }
  c.router.routing_strategy = strategy;
  c.router.enable_pre_call_checks = pre_call_checks;
  Fixture fx(std::move(c));
  constexpr int kRequests = 200'000;
  const auto started = std::chrono::steady_clock::now();
  TimePoint now = t0();
  std::size_t sink = 0;
  for (int i = 0; i < kRequests; ++i) {
    RequestPlan plan(fx.router, "g", {}, static_cast<std::uint64_t>(i));
    const auto step = plan.next(now);
    if (fx.router.tracks_live_stats()) {
      fx.router.live_stats().attempt_started(*step.deployment, now);
      fx.router.live_stats().attempt_finished(*step.deployment, AttemptReport{.duration = std::chrono::milliseconds(3)}, now);
      fx.router.live_stats().add_tokens(*step.deployment, 20, now);
    }
    plan.report_success(now);
    sink += step.deployment->id().size();
    now += std::chrono::microseconds(10);
  }
  const auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_GT(sink, 0u);
  return std::chrono::duration<double, std::nano>(elapsed).count() / kRequests;
}

TEST(StrategyCost, PrintsNanosecondsPerRequest) {
  using config::RoutingStrategy;
  for (auto [strategy, checks] : {std::pair{RoutingStrategy::simple_shuffle, false},
                                  std::pair{RoutingStrategy::simple_shuffle, true},
                                  std::pair{RoutingStrategy::least_busy, false},
                                  std::pair{RoutingStrategy::usage_based_v2, false},
                                  std::pair{RoutingStrategy::latency_based, false},
                                  std::pair{RoutingStrategy::cost_based, false},
                                  std::pair{RoutingStrategy::adaptive, false}}) {
    std::printf("[ cost     ] %-24s%s %7.1f ns per request (plan + pick + stats, 4 deployments)\n",
                std::string(config::to_string(strategy)).c_str(), checks ? " +pre-call" : "          ",
                ns_per_request(strategy, checks));
  }
}

}  // namespace
}  // namespace llmux::router
