// Retries within one group: counts per error kind, moves between deployments, backoff.

#include <gtest/gtest.h>

#include <optional>
#include <tuple>

#include "router/request_plan.hpp"
#include "router_test_support.hpp"

namespace llmux::router {
namespace {

using namespace testing;
using Ids = std::vector<std::string>;

config::Config group_of(const Ids& ids, int num_retries = 2) {
  config::Config c;
  for (const auto& id : ids) c.deployments.push_back(deployment("g", id));
  c.router.num_retries = num_retries;
  return c;
}

TEST(RequestPlanRetry, ServerErrorIsRetriedNumRetriesTimes) {
  Fixture fx(group_of({"a"}, 2));
  RequestPlan plan(fx.router, "g", {}, 1);
  TimePoint now = t0();
  auto run = drive(plan, always(server_error()), now);
  EXPECT_FALSE(run.succeeded);
  EXPECT_EQ(run.attempted, (Ids{"a", "a", "a"}));
  EXPECT_EQ(plan.attempted_retries(), 2);
  EXPECT_EQ(plan.max_retries(), 2);
  ASSERT_EQ(plan.attempts().size(), 3u);
  EXPECT_EQ(plan.attempts().back().failure->status, 500);
}

TEST(RequestPlanRetry, DeploymentNumRetriesWinsOverMaxRetriesAndTheRouters) {
  for (const auto& [num, max, expected] : {std::tuple{std::optional<int>(1), std::optional<int>(3), 1},
                                          std::tuple{std::optional<int>(), std::optional<int>(3), 3},
                                          std::tuple{std::optional<int>(0), std::optional<int>(), 0},
                                          std::tuple{std::optional<int>(), std::optional<int>(), 2}}) {
    auto c = group_of({"a"}, 2);
    c.router.allowed_fails = 100;
    c.deployments[0].num_retries = num;
    c.deployments[0].max_retries = max;
    Fixture fx(std::move(c));
    RequestPlan plan(fx.router, "g", {}, 1);
    TimePoint now = t0();
    auto run = drive(plan, always(server_error()), now);
    EXPECT_EQ(plan.attempted_retries(), expected);
    EXPECT_EQ(plan.max_retries(), expected);
  }
}

TEST(RequestPlanRetry, EveryRetryableKindIsRetried) {
  for (auto kind :
       {ErrorKind::timeout, ErrorKind::connection_failed, ErrorKind::unavailable, ErrorKind::internal}) {
    auto c = group_of({"a"}, 3);
    c.router.allowed_fails = 100;
    Fixture fx(std::move(c));
    RequestPlan plan(fx.router, "g", {}, 1);
    TimePoint now = t0();
    auto run = drive(plan, always(failure(kind, 0)), now);
    EXPECT_EQ(run.attempted.size(), 4u) << to_string(kind);
  }
}

TEST(RequestPlanRetry, CallerErrorsAreNotRetried) {
  for (auto f : {bad_request(), failure(ErrorKind::context_window_exceeded, 400),
                 failure(ErrorKind::content_policy, 400)}) {
    Fixture fx(group_of({"a", "b"}, 2));
    RequestPlan plan(fx.router, "g", {}, 1);
    TimePoint now = t0();
    auto run = drive(plan, always(f), now);
    EXPECT_EQ(run.attempted.size(), 1u) << to_string(f.kind);
    EXPECT_EQ(plan.attempted_retries(), 0);
  }
}

TEST(RequestPlanRetry, RetryPrefersAnotherDeploymentAndDoesNotSleep) {
  Fixture fx(group_of({"a", "b"}, 2));
  RequestPlan plan(fx.router, "g", {}, 5);
  TimePoint now = t0();
  auto run = drive(plan, always(server_error()), now);
  ASSERT_EQ(run.attempted.size(), 3u);
  EXPECT_NE(run.attempted[0], run.attempted[1]);
  EXPECT_TRUE(run.waits.empty());  // a healthy sibling was always there: LiteLLM retries at once
}

TEST(RequestPlanRetry, SuccessOnARetryReportsAttemptedRetries) {
  Fixture fx(group_of({"a"}, 2));
  RequestPlan plan(fx.router, "g", {}, 1);
  TimePoint now = t0();
  int calls = 0;
  auto run = drive(
      plan,
      [&](const config::Deployment&) {
        return ++calls == 1 ? std::optional<Failure>(server_error()) : std::nullopt;
      },
      now);
  EXPECT_TRUE(run.succeeded);
  EXPECT_EQ(plan.attempted_retries(), 1);
  EXPECT_EQ(plan.attempted_fallbacks(), 0);
  EXPECT_FALSE(plan.attempts().back().failure.has_value());
  EXPECT_EQ(fx.router.health().recent_failures(fx.dep("a"), now), 0);  // success forgave it
}

TEST(RequestPlanRetry, UnauthorizedMovesToASiblingWithoutUsingRetries) {
  // "a" has its env key unset: the executor reports 401 for it. It must not break the group,
  // even with num_retries 0.
  auto c = group_of({"a", "b"}, 0);
  c.deployments[0].api_key.reset();
  c.deployments[0].missing_api_key_env = "A_KEY";
  bool a_tried_first = false;
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    Fixture fx(c);
    RequestPlan plan(fx.router, "g", {}, seed);
    TimePoint now = t0();
    auto run = drive(plan, failing_on({"a"}, unauthorized()), now);
    EXPECT_TRUE(run.succeeded) << seed;
    EXPECT_EQ(run.attempted.back(), "b");
    if (run.attempted.front() == "a") {
      a_tried_first = true;
      EXPECT_EQ(run.attempted, (Ids{"a", "b"}));
      EXPECT_TRUE(run.waits.empty());
      EXPECT_TRUE(fx.router.in_cooldown(fx.dep("a"), now));
    }
  }
  EXPECT_TRUE(a_tried_first);
}

TEST(RequestPlanRetry, AuthLikeFailuresTryEachDeploymentOnceThenGiveUp) {
  for (auto f :
       {unauthorized(), failure(ErrorKind::not_found, 404), failure(ErrorKind::permission_denied, 403)}) {
    Fixture fx(group_of({"a", "b", "c"}, 0));
    RequestPlan plan(fx.router, "g", {}, 3);
    TimePoint now = t0();
    auto run = drive(plan, always(f), now);
    EXPECT_FALSE(run.succeeded);
    EXPECT_EQ(run.attempted.size(), 3u) << to_string(f.kind);
  }
}

TEST(RequestPlanRetry, PermissionDeniedMovesOnButDoesNotCoolDown) {
  Fixture fx(group_of({"a", "b"}, 0));
  RequestPlan plan(fx.router, "g", {}, 3);
  TimePoint now = t0();
  auto run = drive(plan, always(failure(ErrorKind::permission_denied, 403)), now);
  EXPECT_EQ(run.attempted.size(), 2u);
  EXPECT_FALSE(fx.router.in_cooldown(fx.dep("a"), now));
  EXPECT_FALSE(fx.router.in_cooldown(fx.dep("b"), now));
}

TEST(RequestPlanRetry, RequestOverrideOfNumRetries) {
  auto c = group_of({"a"}, 2);
  c.router.allowed_fails = 100;
  Fixture fx(std::move(c));
  for (int n : {0, 4}) {
    RequestPlan plan(fx.router, "g", RequestOverrides{.num_retries = n}, 1);
    TimePoint now = t0();
    auto run = drive(plan, always(server_error()), now);
    EXPECT_EQ(static_cast<int>(run.attempted.size()), 1 + n);
    EXPECT_EQ(plan.max_retries(), n);
  }
}

TEST(RequestPlanRetry, DeploymentMaxRetriesBeatsTheRouterDefault) {
  auto c = group_of({"a"}, 2);
  c.router.allowed_fails = 100;
  c.deployments[0].max_retries = 1;
  Fixture fx(std::move(c));
  {
    RequestPlan plan(fx.router, "g", {}, 1);
    TimePoint now = t0();
    EXPECT_EQ(drive(plan, always(server_error()), now).attempted.size(), 2u);
  }
  {
    RequestPlan plan(fx.router, "g", RequestOverrides{.num_retries = 3}, 1);
    TimePoint now = t0();
    EXPECT_EQ(drive(plan, always(server_error()), now).attempted.size(), 4u);
  }
}

TEST(RequestPlanRetry, SingleDeploymentBacksOffExponentially) {
  auto c = group_of({"a"}, 3);
  c.router.allowed_fails = 100;
  Fixture fx(std::move(c));
  RequestPlan plan(fx.router, "g", {}, 9);
  TimePoint now = t0();
  auto run = drive(plan, always(server_error()), now);
  ASSERT_EQ(run.waits.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    const milliseconds base(500 << i);
    EXPECT_GE(run.waits[i], base) << i;
    EXPECT_LE(run.waits[i], base + milliseconds(750)) << i;
  }
}

TEST(RequestPlanRetry, BackoffHonoursRetryAfterUpToAMinute) {
  auto c = group_of({"a"}, 1);
  c.router.allowed_fails = 100;
  Fixture fx(std::move(c));
  {
    RequestPlan plan(fx.router, "g", {}, 9);
    TimePoint now = t0();
    auto run = drive(plan, always(failure(ErrorKind::unavailable, 503, seconds(3))), now);
    ASSERT_EQ(run.waits.size(), 1u);
    EXPECT_GE(run.waits[0], seconds(3));
    EXPECT_LE(run.waits[0], milliseconds(3750));
  }
  {
    RequestPlan plan(fx.router, "g", {}, 9);
    TimePoint now = t0();
    auto run = drive(plan, always(failure(ErrorKind::unavailable, 503, seconds(120))), now);
    ASSERT_EQ(run.waits.size(), 1u);
    EXPECT_LE(run.waits[0], milliseconds(1250));
  }
}

TEST(RequestPlanRetry, BackoffFloorComesFromRouterRetryAfter) {
  auto c = group_of({"a"}, 1);
  c.router.allowed_fails = 100;
  c.router.retry_after_seconds = 4;
  Fixture fx(std::move(c));
  RequestPlan plan(fx.router, "g", {}, 9);
  TimePoint now = t0();
  auto run = drive(plan, always(server_error()), now);
  ASSERT_EQ(run.waits.size(), 1u);
  EXPECT_GE(run.waits[0], seconds(4));
}

TEST(RequestPlanRetry, RateLimitedOnlyDeploymentIsRetriedAfterRetryAfter) {
  Fixture fx(group_of({"a"}, 2));
  RequestPlan plan(fx.router, "g", {}, 1);
  TimePoint now = t0();
  auto run = drive(plan, always(rate_limited(seconds(2))), now);
  // The 429 cooled the only deployment down, but with no fallback the request is still owed its
  // retries: each waits for the Retry-After the upstream sent.
  EXPECT_EQ(run.attempted, (Ids{"a", "a", "a"}));
  ASSERT_EQ(run.waits.size(), 2u);
  EXPECT_GE(run.waits[0], seconds(2));
  EXPECT_GE(run.waits[1], seconds(2));
}

TEST(RequestPlanRetry, RateLimitWithCooldownsDisabledIsRetriedAfterRetryAfter) {
  auto c = group_of({"a"}, 2);
  c.router.disable_cooldowns = true;
  Fixture fx(std::move(c));
  RequestPlan plan(fx.router, "g", {}, 1);
  TimePoint now = t0();
  auto run = drive(plan, always(rate_limited(seconds(2))), now);
  EXPECT_EQ(run.attempted.size(), 3u);
  ASSERT_EQ(run.waits.size(), 2u);
  EXPECT_GE(run.waits[0], seconds(2));
}

TEST(RequestPlanRetry, SiblingThatJustGotRateLimitedIsSkippedWithoutWaiting) {
  Fixture fx(group_of({"a", "b"}, 2));
  RequestPlan plan(fx.router, "g", {}, 2);
  TimePoint now = t0();
  std::string first;
  auto run = drive(
      plan,
      [&](const config::Deployment& d) {
        if (first.empty()) first = d.id();
        return d.id() == first ? std::optional<Failure>(rate_limited()) : std::nullopt;
      },
      now);
  EXPECT_TRUE(run.succeeded);
  EXPECT_EQ(run.attempted.size(), 2u);
  EXPECT_TRUE(run.waits.empty());
}

TEST(RequestPlanRetry, OrderTiersFallThroughWhenTheLowestTierIsCoolingDown) {
  config::Config c;
  for (const char* id : {"primary-1", "primary-2", "backup"}) c.deployments.push_back(deployment("g", id));
  c.deployments[0].order = 1;
  c.deployments[1].order = 1;
  c.deployments[2].order = 2;
  Fixture fx(std::move(c));
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    RequestPlan plan(fx.router, "g", {}, seed);
    TimePoint now = t0();
    EXPECT_NE(drive(plan, succeed(), now).attempted.front(), "backup");
  }
  fx.router.record_failure(fx.dep("primary-1"), rate_limited(), t0());
  fx.router.record_failure(fx.dep("primary-2"), rate_limited(), t0());
  RequestPlan plan(fx.router, "g", {}, 1);
  TimePoint now = t0();
  auto run = drive(plan, succeed(), now);
  EXPECT_EQ(run.attempted, (Ids{"backup"}));
  EXPECT_FALSE(plan.attempts().front().cooldown_bypassed);
}

TEST(RequestPlanRetry, SameSeedSameRoute) {
  Fixture fx(group_of({"a", "b", "c", "d"}, 3));
  auto route = [&](std::uint64_t seed) {
    RequestPlan plan(fx.router, "g", {}, seed);
    TimePoint now = t0();
    return drive(plan, always(bad_request()), now).attempted;
  };
  EXPECT_EQ(route(11), route(11));
}

}  // namespace
}  // namespace llmux::router
