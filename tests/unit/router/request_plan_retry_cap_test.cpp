// A request's num_retries is held to llmux_settings.max_request_retries, never below the config's own.

#include <gtest/gtest.h>

#include "router/request_plan.hpp"
#include "router_test_support.hpp"

namespace llmux::router {
namespace {

using namespace testing;

struct Case {
  const char* what;
  int config_retries;
  std::optional<int> deployment_retries;
  int cap;
  std::optional<int> requested;
  int expected;
};

TEST(RequestPlanRetryCap, RequestedRetriesAreHeldToTheCap) {
  const Case cases[] = {
      {"a million asked, default cap", 2, std::nullopt, 10, 1000000, 10},
      {"INT_MAX asked", 2, std::nullopt, 10, INT_MAX, 10},
      {"under the cap: honoured", 2, std::nullopt, 10, 7, 7},
      {"fewer than the config: honoured", 2, std::nullopt, 10, 0, 0},
      {"nothing asked: the config's", 2, std::nullopt, 10, std::nullopt, 2},
      {"config above the cap: the config's value is the cap", 20, std::nullopt, 10, 50, 20},
      {"config above the cap, less asked", 20, std::nullopt, 10, 15, 15},
      {"deployment above the cap", 2, 30, 10, 100, 30},
      {"a lower cap from llmux_settings", 2, std::nullopt, 3, 5, 3},
      {"cap 0 still leaves the config's", 2, std::nullopt, 0, 5, 2},
  };
  for (const Case& c : cases) {
    config::Config config;
    config.deployments.push_back(deployment("g", "a"));
    config.deployments.back().max_retries = c.deployment_retries;
    config.router.num_retries = c.config_retries;
    config.router.disable_cooldowns = true;
    config.server.max_request_retries = c.cap;
    Fixture fx(std::move(config));
    RequestOverrides overrides;
    overrides.num_retries = c.requested;
    RequestPlan plan(fx.router, "g", overrides, 1);
    TimePoint now = t0();
    const auto run = drive(plan, always(server_error()), now);
    EXPECT_EQ(plan.max_retries(), c.expected) << c.what;
    EXPECT_EQ(run.attempted.size(), static_cast<std::size_t>(c.expected) + 1) << c.what;
  }
}

}  // namespace
}  // namespace llmux::router
