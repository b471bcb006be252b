// retry_policy, model_group_retry_policy, allowed_fails_policy and model_info's overrides, with the
// hand-driven clock.

#include "router/error_policies.hpp"

#include <gtest/gtest.h>

#include "router/router.hpp"
#include "router_test_support.hpp"

namespace llmux::router {
namespace {

using namespace testing;
using config::PolicyErrorClass;
using Ids = std::vector<std::string>;

config::ErrorClassCounts policy(std::initializer_list<std::pair<PolicyErrorClass, int>> entries) {
  config::ErrorClassCounts p;
  for (const auto& [c, n] : entries) p.at(c) = n;
  return p;
}

config::Config group_of(const Ids& ids, int num_retries = 2) {
  config::Config c;
  for (const auto& id : ids) c.deployments.push_back(deployment("g", id));
  c.router.num_retries = num_retries;
  c.router.allowed_fails = 100;  // the generic counter out of the way
  return c;
}

TEST(ErrorPolicies, KindsMapOntoLiteLLMsClassesMostSpecificFirst) {
  using V = std::vector<PolicyErrorClass>;
  const auto classes = [](Failure f) {
    const auto c = policy_classes(f);
    return V(c.begin(), c.end());
  };
  EXPECT_EQ(classes(failure(ErrorKind::content_policy, 400)),
            (V{PolicyErrorClass::content_policy_violation, PolicyErrorClass::bad_request}));
  EXPECT_EQ(classes(failure(ErrorKind::context_window_exceeded, 400)), V{PolicyErrorClass::bad_request});
  EXPECT_EQ(classes(rate_limited()), V{PolicyErrorClass::rate_limit});
  EXPECT_EQ(classes(failure(ErrorKind::timeout, 0)), V{PolicyErrorClass::timeout});
  EXPECT_EQ(classes(server_error()), V{PolicyErrorClass::internal_server});
  EXPECT_EQ(classes(failure(ErrorKind::internal, 502)), V{PolicyErrorClass::bad_gateway});
  EXPECT_EQ(classes(failure(ErrorKind::unavailable, 503)), V{PolicyErrorClass::service_unavailable});
  EXPECT_TRUE(classes(failure(ErrorKind::connection_failed, 0)).empty());
}

TEST(ErrorPolicies, ContentPolicyFallsBackToTheBadRequestEntry) {
  config::RouterSettings s;
  s.retry_policy = policy({{PolicyErrorClass::bad_request, 4}});
  EXPECT_EQ(policy_retries(s, "g", failure(ErrorKind::content_policy, 400)), 4);
  s.retry_policy->at(PolicyErrorClass::content_policy_violation) = 1;
  EXPECT_EQ(policy_retries(s, "g", failure(ErrorKind::content_policy, 400)), 1);
  EXPECT_EQ(policy_retries(s, "g", server_error()), std::nullopt);
}

TEST(ErrorPolicies, RetryPolicyOverridesNumRetriesPerKind) {
  auto c = group_of({"a"}, 1);
  c.router.retry_policy = policy({{PolicyErrorClass::internal_server, 3}, {PolicyErrorClass::timeout, 0}});
  Fixture fx(std::move(c));
  {
    RequestPlan plan(fx.router, "g", {}, 1);
    auto now = t0();
    EXPECT_EQ(drive(plan, always(server_error()), now).attempted, (Ids{"a", "a", "a", "a"}));  // 1 + 3
  }
  {
    RequestPlan plan(fx.router, "g", {}, 1);
    auto now = t0();
    EXPECT_EQ(drive(plan, always(failure(ErrorKind::timeout, 408)), now).attempted, (Ids{"a"}));  // 1 + 0
  }
  {
    RequestPlan plan(fx.router, "g", {}, 1);  // a kind the policy does not name: num_retries
    auto now = t0();
    EXPECT_EQ(drive(plan, always(failure(ErrorKind::unavailable, 503)), now).attempted, (Ids{"a", "a"}));
  }
}

TEST(ErrorPolicies, ANamedBadRequestIsRetriedThoughItNormallyIsNot) {
  auto c = group_of({"a"}, 5);
  c.router.retry_policy = policy({{PolicyErrorClass::bad_request, 2}});
  Fixture fx(std::move(c));
  RequestPlan plan(fx.router, "g", {}, 1);
  auto now = t0();
  EXPECT_EQ(drive(plan, always(bad_request()), now).attempted, (Ids{"a", "a", "a"}));
}

TEST(ErrorPolicies, AGroupsOwnPolicyReplacesTheRoutersWhole) {
  auto c = group_of({"a"}, 0);
  c.router.retry_policy = policy({{PolicyErrorClass::internal_server, 3}, {PolicyErrorClass::rate_limit, 2}});
  c.router.model_group_retry_policy["g"] = policy({{PolicyErrorClass::internal_server, 1}});
  Fixture fx(std::move(c));
  EXPECT_EQ(policy_retries(fx.router.config().router, "g", server_error()), 1);
  EXPECT_EQ(policy_retries(fx.router.config().router, "g", rate_limited()), std::nullopt);  // not inherited
  EXPECT_EQ(policy_retries(fx.router.config().router, "other", rate_limited()), 2);
  RequestPlan plan(fx.router, "g", {}, 1);
  auto now = t0();
  EXPECT_EQ(drive(plan, always(server_error()), now).attempted, (Ids{"a", "a"}));
}

TEST(ErrorPolicies, AuthenticationRetriesGoToSiblingsAndZeroStopsAtOnce) {
  auto c = group_of({"a", "b", "c"}, 5);
  c.router.retry_policy = policy({{PolicyErrorClass::authentication, 0}});
  Fixture fx(std::move(c));
  RequestPlan plan(fx.router, "g", {}, 1);
  auto now = t0();
  // Without the policy every sibling would be tried; AuthenticationErrorRetries: 0 stops after one.
  EXPECT_EQ(drive(plan, always(unauthorized()), now).attempted.size(), 1u);
}

TEST(ErrorPolicies, AllowedFailsPolicyCoolsDownWhenTheCountExceedsIt) {
  auto c = group_of({"a", "b"});
  c.router.allowed_fails_policy = policy({{PolicyErrorClass::internal_server, 2}});
  Fixture fx(std::move(c));
  const auto& a = fx.dep("a");
  auto now = t0();
  fx.router.record_failure(a, server_error(), now);
  fx.router.record_failure(a, server_error(), now);
  EXPECT_FALSE(fx.router.in_cooldown(a, now));  // two allowed
  fx.router.record_failure(a, server_error(), now);
  EXPECT_TRUE(fx.router.in_cooldown(a, now));   // the third exceeds it
}

TEST(ErrorPolicies, APolicyCountedRateLimitNoLongerCoolsAtOnce) {
  auto c = group_of({"a", "b"});
  c.router.allowed_fails_policy = policy({{PolicyErrorClass::rate_limit, 1}});
  Fixture fx(std::move(c));
  const auto& a = fx.dep("a");
  fx.router.record_failure(a, rate_limited(), t0());
  EXPECT_FALSE(fx.router.in_cooldown(a, t0()));
  fx.router.record_failure(a, rate_limited(), t0());
  EXPECT_TRUE(fx.router.in_cooldown(a, t0()));
}

TEST(ErrorPolicies, ANamedBadRequestCoolsDownThoughItNormallyNeverDoes) {
  auto c = group_of({"a", "b"});
  c.router.allowed_fails_policy = policy({{PolicyErrorClass::bad_request, 0}});
  Fixture fx(std::move(c));
  fx.router.record_failure(fx.dep("a"), bad_request(), t0());
  EXPECT_TRUE(fx.router.in_cooldown(fx.dep("a"), t0()));
}

TEST(ErrorPolicies, PolicyCountsExpireCooldownTimeAfterTheLastFailure) {
  auto c = group_of({"a", "b"});
  c.router.cooldown_time_seconds = 5;
  c.router.allowed_fails_policy = policy({{PolicyErrorClass::timeout, 1}});
  Fixture fx(std::move(c));
  const auto& a = fx.dep("a");
  auto now = t0();
  fx.router.record_failure(a, failure(ErrorKind::timeout, 408), now);
  now += seconds(6);  // the count has expired
  fx.router.record_failure(a, failure(ErrorKind::timeout, 408), now);
  EXPECT_FALSE(fx.router.in_cooldown(a, now));
  now += seconds(4);  // within 5 s of the last one
  fx.router.record_failure(a, failure(ErrorKind::timeout, 408), now);
  EXPECT_TRUE(fx.router.in_cooldown(a, now));
}

TEST(ErrorPolicies, ClassesAreCountedApart) {
  auto c = group_of({"a", "b"});
  c.router.allowed_fails_policy = policy({{PolicyErrorClass::timeout, 1}, {PolicyErrorClass::internal_server, 1}});
  Fixture fx(std::move(c));
  const auto& a = fx.dep("a");
  fx.router.record_failure(a, failure(ErrorKind::timeout, 408), t0());
  fx.router.record_failure(a, server_error(), t0());
  EXPECT_FALSE(fx.router.in_cooldown(a, t0()));
}

TEST(ErrorPolicies, ADeploymentsOwnPolicyAndAllowedFailsWin) {
  auto c = group_of({"a", "b"});
  c.router.allowed_fails_policy = policy({{PolicyErrorClass::internal_server, 5}});
  c.deployments[0].model_info.allowed_fails_policy = policy({{PolicyErrorClass::internal_server, 0}});
  c.deployments[1].model_info.allowed_fails = 1;  // generic count, for kinds no policy names
  Fixture fx(std::move(c));
  fx.router.record_failure(fx.dep("a"), server_error(), t0());
  EXPECT_TRUE(fx.router.in_cooldown(fx.dep("a"), t0()));
  fx.router.record_failure(fx.dep("b"), failure(ErrorKind::timeout, 408), t0());
  EXPECT_TRUE(fx.router.in_cooldown(fx.dep("b"), t0()));  // allowed_fails 1: the first failure reaches it
}

}  // namespace
}  // namespace llmux::router
