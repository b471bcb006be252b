// The pre-call context check in the plan: deployments the prompt does not fit are skipped (and
// said to be), a group none fits falls back through context_window_fallbacks with no attempt, and
// nothing fitting ends the plan with the miss LiteLLM's error names. Without a count, nothing is skipped.

#include <gtest/gtest.h>

#include "router/pre_call_checks.hpp"
#include "router/request_plan.hpp"
#include "router_test_support.hpp"

namespace llmux::router {
namespace {

using namespace testing;
using Ids = std::vector<std::string>;

config::Deployment sized(const std::string& group, const std::string& id, std::optional<std::int64_t> limit) {
  config::Deployment d = deployment(group, id);
  d.model_info.max_input_tokens = limit;
  return d;
}

RequestOverrides prompt_of(std::int64_t tokens) {
  RequestOverrides overrides;
  overrides.prompt_tokens = tokens;
  return overrides;
}

TEST(RequestPlanPreCall, TooSmallDeploymentIsSkippedAndNoted) {
  config::Config c;
  c.deployments.push_back(sized("A", "small", 1000));
  c.deployments.push_back(sized("A", "large", 100000));
  Fixture fx(std::move(c));
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    RequestPlan plan(fx.router, "A", prompt_of(5000), seed);
    TimePoint now = t0();
    auto run = drive(plan, succeed(), now);
    EXPECT_EQ(run.attempted, (Ids{"large"}));
    ASSERT_EQ(plan.skipped().size(), 1u);
    EXPECT_EQ(plan.skipped()[0].deployment->id(), "small");
    EXPECT_EQ(plan.skipped()[0].reason, SkipReason::context_window);
  }
}

TEST(RequestPlanPreCall, EqualToTheLimitFitsAndUnknownLimitIsNeverSkipped) {
  config::Config c;
  c.deployments.push_back(sized("A", "exact", 5000));
  c.deployments.push_back(sized("A", "unknown", std::nullopt));
  Fixture fx(std::move(c));
  RequestPlan plan(fx.router, "A", prompt_of(5000), 7);
  TimePoint now = t0();
  drive(plan, succeed(), now);
  EXPECT_TRUE(plan.skipped().empty());
  EXPECT_FALSE(plan.context_window_miss());
}

TEST(RequestPlanPreCall, NoCountNoSkip) {
  config::Config c;
  c.deployments.push_back(sized("A", "tiny", 1));
  Fixture fx(std::move(c));
  RequestPlan plan(fx.router, "A", RequestOverrides{}, 1);
  TimePoint now = t0();
  auto run = drive(plan, succeed(), now);
  EXPECT_EQ(run.attempted, (Ids{"tiny"}));
}

TEST(RequestPlanPreCall, GroupNoneFitsTakesContextWindowFallbacksWithoutAnAttempt) {
  config::Config c;
  c.deployments.push_back(sized("A", "a1", 100));
  c.deployments.push_back(sized("A", "a2", 200));
  c.deployments.push_back(sized("G", "generic", std::nullopt));
  c.deployments.push_back(sized("W", "wide", 100000));
  c.router.fallbacks.push_back(rule("A", {"G"}));
  c.router.context_window_fallbacks.push_back(rule("A", {"W"}));
  Fixture fx(std::move(c));
  RequestPlan plan(fx.router, "A", prompt_of(5000), 3);
  TimePoint now = t0();
  auto run = drive(plan, succeed(), now);
  EXPECT_EQ(run.attempted, (Ids{"wide"}));
  EXPECT_EQ(plan.skipped().size(), 2u);
  EXPECT_EQ(plan.attempted_fallbacks(), 1);
}

TEST(RequestPlanPreCall, NothingFitsGivesUpWithTheMiss) {
  config::Config c;
  c.deployments.push_back(sized("A", "a1", 100));
  Fixture fx(std::move(c));
  RequestPlan plan(fx.router, "A", prompt_of(5000), 3);
  EXPECT_EQ(plan.next(t0()).type, RequestPlan::Step::Type::give_up);
  EXPECT_TRUE(plan.attempts().empty());
  ASSERT_TRUE(plan.context_window_miss());
  EXPECT_EQ(context_window_exceeded_message(*plan.context_window_miss()),
            "litellm.ContextWindowExceededError: litellm._pre_call_checks: Context Window exceeded for given call. "
            "No models have context window large enough for this call.\nModel=openai/a1, Max Input Tokens=100, Got=5000");
}

TEST(RequestPlanPreCall, RouterLimitsFromTheGatewayWinOverNothing) {
  config::Config c;
  c.deployments.push_back(sized("A", "priced", std::nullopt));
  c.deployments.push_back(sized("A", "own", 50));
  auto snapshot = std::make_shared<const config::Config>(std::move(c));
  Router router(snapshot, RouterInputs{.max_input_tokens = {std::optional<std::int64_t>(8192)}});
  EXPECT_EQ(router.max_input_tokens(snapshot->deployments[0]), 8192);
  EXPECT_EQ(router.max_input_tokens(snapshot->deployments[1]), 50);  // model_info, not resolved: kept
  RequestPlan plan(router, "A", prompt_of(10000), 1);
  EXPECT_EQ(plan.next(t0()).type, RequestPlan::Step::Type::give_up);
  EXPECT_EQ(plan.skipped().size(), 2u);
}

}  // namespace
}  // namespace llmux::router
