// Fallbacks across groups: rule lookup by error kind, recursion, depth limit, loops.

#include <gtest/gtest.h>

#include "router/fallbacks.hpp"
#include "router/request_plan.hpp"
#include "router_test_support.hpp"

namespace llmux::router {
namespace {

using namespace testing;
using Ids = std::vector<std::string>;

// Groups A..E with one deployment each ("a".."e"), no retries so routes stay short.
config::Config five_groups() {
  config::Config c;
  for (const char* g : {"A", "B", "C", "D", "E"}) {
    std::string id(g);
    id[0] = static_cast<char>(id[0] - 'A' + 'a');
    c.deployments.push_back(deployment(g, id));
  }
  c.deployments.push_back(deployment("A-large", "a-large"));
  c.router.num_retries = 0;
  return c;
}

Ids route(Fixture& fx, const Upstream& upstream, RequestOverrides overrides = {}, std::string group = "A") {
  RequestPlan plan(fx.router, std::move(group), std::move(overrides), 1);
  TimePoint now = t0();
  return drive(plan, upstream, now).attempted;
}

TEST(RequestPlanFallback, ChainIsTriedInOrder) {
  auto c = five_groups();
  c.router.fallbacks = {rule("A", {"B", "C"})};
  Fixture fx(std::move(c));
  RequestPlan plan(fx.router, "A", {}, 1);
  TimePoint now = t0();
  auto run = drive(plan, failing_on({"a", "b"}, server_error()), now);
  EXPECT_TRUE(run.succeeded);
  EXPECT_EQ(run.attempted, (Ids{"a", "b", "c"}));
  EXPECT_EQ(plan.attempted_fallbacks(), 2);
  EXPECT_EQ(plan.fallbacks_tried(), (Ids{"B", "C"}));
  EXPECT_EQ(plan.current_group(), "C");
  EXPECT_EQ(plan.attempts()[0].fallback_depth, 0);
  EXPECT_EQ(plan.attempts()[1].fallback_depth, 1);
  EXPECT_EQ(plan.attempts()[2].fallback_depth, 2);
}

TEST(RequestPlanFallback, EachFallbackGroupGetsItsOwnRetries) {
  auto c = five_groups();
  c.router.num_retries = 1;
  c.router.allowed_fails = 100;
  c.router.fallbacks = {rule("A", {"B", "C"})};
  Fixture fx(std::move(c));
  RequestPlan plan(fx.router, "A", {}, 1);
  TimePoint now = t0();
  int c_calls = 0;
  auto run = drive(
      plan,
      [&](const config::Deployment& d) {
        if (d.id() == "c" && ++c_calls == 2) return std::optional<Failure>();
        return std::optional<Failure>(server_error());
      },
      now);
  EXPECT_TRUE(run.succeeded);
  EXPECT_EQ(run.attempted, (Ids{"a", "a", "b", "b", "c", "c"}));
  EXPECT_EQ(plan.attempted_retries(), 1);  // within C, the group that answered
  EXPECT_EQ(plan.attempted_fallbacks(), 2);
}

TEST(RequestPlanFallback, FallbackGroupsUseTheirOwnFallbacks) {
  auto c = five_groups();
  c.router.fallbacks = {rule("A", {"B", "C"}), rule("B", {"D"})};
  Fixture fx(std::move(c));
  EXPECT_EQ(route(fx, failing_on({"a", "b", "d"}, server_error())), (Ids{"a", "b", "d", "c"}));
}

TEST(RequestPlanFallback, ContextWindowGoesToContextWindowFallbacks) {
  auto c = five_groups();
  c.router.fallbacks = {rule("A", {"B"})};
  c.router.context_window_fallbacks = {rule("A", {"A-large"})};
  Fixture fx(std::move(c));
  EXPECT_EQ(route(fx, failing_on({"a"}, failure(ErrorKind::context_window_exceeded, 400))),
            (Ids{"a", "a-large"}));
  // An ordinary failure still uses the generic list.
  EXPECT_EQ(route(fx, failing_on({"a"}, bad_request())), (Ids{"a", "b"}));
}

TEST(RequestPlanFallback, ContextWindowFallsThroughToGenericFallbacks) {
  auto c = five_groups();
  c.router.fallbacks = {rule("A", {"B"})};
  c.router.context_window_fallbacks = {rule("C", {"D"})};  // nothing for A
  Fixture fx(std::move(c));
  EXPECT_EQ(route(fx, failing_on({"a"}, failure(ErrorKind::context_window_exceeded, 400))), (Ids{"a", "b"}));
}

TEST(RequestPlanFallback, RequestContextWindowListComesFirst) {
  auto c = five_groups();
  c.router.context_window_fallbacks = {rule("A", {"A-large"})};
  Fixture fx(std::move(c));
  RequestOverrides overrides{.context_window_fallbacks = Ids{"E"}};
  EXPECT_EQ(route(fx, failing_on({"a"}, failure(ErrorKind::context_window_exceeded, 400)), overrides),
            (Ids{"a", "e"}));
}

TEST(RequestPlanFallback, ContentPolicyGoesToContentPolicyFallbacks) {
  auto c = five_groups();
  c.router.fallbacks = {rule("A", {"B"})};
  c.router.content_policy_fallbacks = {rule("A", {"D"})};
  Fixture fx(std::move(c));
  EXPECT_EQ(route(fx, failing_on({"a"}, failure(ErrorKind::content_policy, 400))), (Ids{"a", "d"}));
}

TEST(RequestPlanFallback, DefaultFallbacksApplyToEveryGroupWithoutARule) {
  auto c = five_groups();
  c.router.fallbacks = {rule("B", {"C"}), rule("*", {"E"})};
  Fixture fx(std::move(c));
  EXPECT_EQ(route(fx, failing_on({"a"}, server_error())), (Ids{"a", "e"}));
  // B's own entry wins over "*".
  EXPECT_EQ(route(fx, failing_on({"b"}, server_error()), {}, "B"), (Ids{"b", "c"}));
}

TEST(RequestPlanFallback, RequestFallbacksReplaceTheConfigRule) {
  auto c = five_groups();
  c.router.fallbacks = {rule("A", {"B"}), rule("*", {"E"})};
  Fixture fx(std::move(c));
  RequestOverrides overrides{.fallbacks = Ids{"D", "C"}};
  EXPECT_EQ(route(fx, failing_on({"a", "d"}, server_error()), overrides), (Ids{"a", "d", "c"}));
}

TEST(RequestPlanFallback, DisableFallbacksStopsAfterTheGroup) {
  auto c = five_groups();
  c.router.fallbacks = {rule("A", {"B"})};
  c.router.context_window_fallbacks = {rule("A", {"A-large"})};
  Fixture fx(std::move(c));
  RequestOverrides overrides{.disable_fallbacks = true};
  EXPECT_EQ(route(fx, always(server_error()), overrides), (Ids{"a"}));
  EXPECT_EQ(route(fx, always(failure(ErrorKind::context_window_exceeded, 400)), overrides), (Ids{"a"}));
}

TEST(RequestPlanFallback, MaxFallbacksLimitsTheDepth) {
  auto c = five_groups();
  c.router.fallbacks = {rule("A", {"B", "C", "D"})};
  c.router.max_fallbacks = 2;
  Fixture fx(std::move(c));
  EXPECT_EQ(route(fx, always(server_error())), (Ids{"a", "b", "c"}));
  EXPECT_EQ(route(fx, always(server_error()), RequestOverrides{.max_fallbacks = 1}), (Ids{"a", "b"}));
  EXPECT_EQ(route(fx, always(server_error()), RequestOverrides{.max_fallbacks = 0}), (Ids{"a"}));
}

TEST(RequestPlanFallback, DepthIsSharedAcrossNesting) {
  auto c = five_groups();
  c.router.fallbacks = {rule("A", {"B", "E"}), rule("B", {"C"}), rule("C", {"D"})};
  c.router.max_fallbacks = 3;
  Fixture fx(std::move(c));
  RequestPlan plan(fx.router, "A", {}, 1);
  TimePoint now = t0();
  auto run = drive(plan, always(server_error()), now);
  EXPECT_EQ(run.attempted, (Ids{"a", "b", "c", "d"}));  // E would be a fourth hop
  EXPECT_EQ(plan.attempted_fallbacks(), 3);
}

TEST(RequestPlanFallback, DefaultMaxFallbacksIsFive) {
  config::Config c;
  Ids groups{"G0", "G1", "G2", "G3", "G4", "G5", "G6", "G7"};
  for (const auto& g : groups) c.deployments.push_back(deployment(g, g));
  c.router.num_retries = 0;
  c.router.fallbacks = {rule("G0", {"G1", "G2", "G3", "G4", "G5", "G6", "G7"})};
  Fixture fx(std::move(c));
  EXPECT_EQ(route(fx, always(server_error()), {}, "G0"), (Ids{"G0", "G1", "G2", "G3", "G4", "G5"}));
}

TEST(RequestPlanFallback, NoLoopBetweenGroups) {
  auto c = five_groups();
  c.router.fallbacks = {rule("A", {"A", "B"}), rule("B", {"A", "C"}), rule("C", {"B", "A"})};
  Fixture fx(std::move(c));
  EXPECT_EQ(route(fx, always(server_error())), (Ids{"a", "b", "c"}));
}

TEST(RequestPlanFallback, AliasTargetsAreResolvedAndUnknownOnesSkipped) {
  auto c = five_groups();
  c.router.model_group_alias["bee"] = {.target = "B", .hidden = true};
  c.router.fallbacks = {rule("A", {"nope", "bee", "B", "C"})};
  Fixture fx(std::move(c));
  RequestPlan plan(fx.router, "A", {}, 1);
  TimePoint now = t0();
  auto run = drive(plan, always(server_error()), now);
  EXPECT_EQ(run.attempted, (Ids{"a", "b", "c"}));  // "B" after "bee" is the same group: skipped
  EXPECT_EQ(plan.fallbacks_tried(), (Ids{"B", "C"}));
}

TEST(RequestPlanFallback, BadRequestGoesToGenericFallbacksWithoutRetry) {
  auto c = five_groups();
  c.router.num_retries = 3;
  c.router.fallbacks = {rule("A", {"B"})};
  Fixture fx(std::move(c));
  EXPECT_EQ(route(fx, failing_on({"a"}, bad_request())), (Ids{"a", "b"}));
}

TEST(RequestPlanFallback, GiveUpKeepsTheLastFailure) {
  auto c = five_groups();
  c.router.fallbacks = {rule("A", {"B"})};
  Fixture fx(std::move(c));
  RequestPlan plan(fx.router, "A", {}, 1);
  TimePoint now = t0();
  auto run = drive(
      plan,
      [](const config::Deployment& d) {
        return std::optional<Failure>(d.id() == "a" ? server_error() : failure(ErrorKind::unavailable, 503));
      },
      now);
  EXPECT_FALSE(run.succeeded);
  ASSERT_EQ(plan.attempts().size(), 2u);
  EXPECT_EQ(plan.attempts()[0].failure->status, 500);
  EXPECT_EQ(plan.attempts()[1].failure->status, 503);
  EXPECT_EQ(plan.next(now).type, RequestPlan::Step::Type::give_up);  // stays given up
}

TEST(RequestPlanFallback, RequestedAliasRoutesToItsGroup) {
  auto c = five_groups();
  c.router.model_group_alias["alpha"] = {.target = "A", .hidden = false};
  Fixture fx(std::move(c));
  RequestPlan plan(fx.router, "alpha", {}, 1);
  TimePoint now = t0();
  EXPECT_EQ(drive(plan, succeed(), now).attempted, (Ids{"a"}));
  EXPECT_EQ(plan.current_group(), "A");
}

TEST(RequestPlanFallback, UnknownGroupGivesUpWithoutAnAttempt) {
  Fixture fx(five_groups());
  RequestPlan plan(fx.router, "nope", {}, 1);
  EXPECT_EQ(plan.next(t0()).type, RequestPlan::Step::Type::give_up);
  EXPECT_TRUE(plan.attempts().empty());
  EXPECT_EQ(plan.current_group(), "nope");
  EXPECT_TRUE(plan.fallbacks_tried().empty());
}

TEST(FallbackTargets, LookupByKind) {
  config::RouterSettings s;
  s.fallbacks = {rule("A", {"B"}), rule("*", {"Z"})};
  s.context_window_fallbacks = {rule("A", {"A-large"})};
  s.content_policy_fallbacks = {rule("*", {"SAFE"})};
  RequestOverrides none;
  EXPECT_EQ(fallback_targets(s, none, "A", ErrorKind::internal), (Ids{"B"}));
  EXPECT_EQ(fallback_targets(s, none, "A", std::nullopt), (Ids{"B"}));
  EXPECT_EQ(fallback_targets(s, none, "Q", ErrorKind::internal), (Ids{"Z"}));
  EXPECT_EQ(fallback_targets(s, none, "A", ErrorKind::context_window_exceeded), (Ids{"A-large"}));
  EXPECT_EQ(fallback_targets(s, none, "Q", ErrorKind::context_window_exceeded), (Ids{"Z"}));
  EXPECT_EQ(fallback_targets(s, none, "Q", ErrorKind::content_policy), (Ids{"SAFE"}));
  RequestOverrides empty_list{.fallbacks = Ids{}};
  EXPECT_TRUE(fallback_targets(s, empty_list, "A", ErrorKind::internal).empty());
}

TEST(ReachableGroups, FollowsEveryFallbackListTransitivelyOnce) {
  auto c = five_groups();
  c.router.fallbacks = {rule("A", {"B"}), rule("B", {"C", "A"})};
  c.router.context_window_fallbacks = {rule("A", {"A-large"})};
  c.router.content_policy_fallbacks = {rule("C", {"D"})};
  Fixture fx(std::move(c));
  EXPECT_EQ(reachable_groups(fx.router, {}, "A"), (Ids{"A", "B", "A-large", "C", "D"}));
  EXPECT_EQ(reachable_groups(fx.router, {}, "E"), (Ids{"E"}));
  EXPECT_TRUE(reachable_groups(fx.router, {}, "nope").empty());
}

TEST(ReachableGroups, RequestListsReplaceRulesAndDisableStopsAtTheGroup) {
  auto c = five_groups();
  c.router.fallbacks = {rule("*", {"B"})};
  Fixture fx(std::move(c));
  RequestOverrides own;
  own.fallbacks = Ids{"E", "unknown"};
  EXPECT_EQ(reachable_groups(fx.router, own, "A"), (Ids{"A", "E"}));
  EXPECT_EQ(reachable_groups(fx.router, {}, "A"), (Ids{"A", "B"}));
  RequestOverrides off;
  off.disable_fallbacks = true;
  EXPECT_EQ(reachable_groups(fx.router, off, "A"), (Ids{"A"}));
}

}  // namespace
}  // namespace llmux::router
