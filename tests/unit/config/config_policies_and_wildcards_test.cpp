// retry_policy / model_group_retry_policy / allowed_fails_policy (router and model_info), and what a
// wildcard deployment may say.

#include <gtest/gtest.h>

#include "config_test_support.hpp"

namespace llmux::config {
namespace {

using test::has_warning;
using test::load_error;
using test::load_ok;

constexpr std::string_view one_group = R"(model_list:
  - model_name: a
    litellm_params: {model: mock/a}
)";

TEST(ConfigPolicies, ReadsEveryPolicyKey) {
  const Config config = load_ok(std::string(one_group) + R"(router_settings:
  retry_policy:
    BadRequestErrorRetries: 1
    AuthenticationErrorRetries: 0
    TimeoutErrorRetries: 2
    RateLimitErrorRetries: "3"
    ContentPolicyViolationErrorRetries: 4
    InternalServerErrorRetries: 5
  model_group_retry_policy:
    a: {RateLimitErrorRetries: 7}
  allowed_fails_policy:
    BadRequestErrorAllowedFails: 10
    ServiceUnavailableErrorAllowedFails: 11
)");
  ASSERT_TRUE(config.router.retry_policy);
  const auto& retry = *config.router.retry_policy;
  EXPECT_EQ(retry.of(PolicyErrorClass::bad_request), 1);
  EXPECT_EQ(retry.of(PolicyErrorClass::authentication), 0);
  EXPECT_EQ(retry.of(PolicyErrorClass::timeout), 2);
  EXPECT_EQ(retry.of(PolicyErrorClass::rate_limit), 3);
  EXPECT_EQ(retry.of(PolicyErrorClass::content_policy_violation), 4);
  EXPECT_EQ(retry.of(PolicyErrorClass::internal_server), 5);
  EXPECT_EQ(retry.of(PolicyErrorClass::not_found), std::nullopt);
  EXPECT_EQ(config.router.model_group_retry_policy.at("a").of(PolicyErrorClass::rate_limit), 7);
  ASSERT_TRUE(config.router.allowed_fails_policy);
  EXPECT_EQ(config.router.allowed_fails_policy->of(PolicyErrorClass::bad_request), 10);
  EXPECT_EQ(config.router.allowed_fails_policy->of(PolicyErrorClass::service_unavailable), 11);
  EXPECT_FALSE(has_warning(config, "not implemented")) << test::all_warnings(config);
}

TEST(ConfigPolicies, UnknownPolicyKeysWarnNamingThem) {
  const Config config = load_ok(std::string(one_group) + R"(router_settings:
  retry_policy:
    RateLimitErrorRetrys: 3
    BadGatewayErrorRetries: 1
)");
  EXPECT_TRUE(has_warning(config, "config.yaml:6: unknown key router_settings.retry_policy.RateLimitErrorRetrys"))
      << test::all_warnings(config);
  EXPECT_TRUE(has_warning(config, "router_settings.retry_policy.BadGatewayErrorRetries"));  // not in RetryPolicy
  EXPECT_EQ(config.router.retry_policy->of(PolicyErrorClass::rate_limit), std::nullopt);
}

TEST(ConfigPolicies, WrongTypesFailWithTheLine) {
  EXPECT_EQ(load_error(std::string(one_group) + "router_settings:\n  retry_policy: [1]\n"),
            "config.yaml:5: router_settings.retry_policy must be a map, got a list");
  EXPECT_NE(load_error(std::string(one_group) + "router_settings:\n  retry_policy: {TimeoutErrorRetries: many}\n")
                .find("config.yaml:5: router_settings.retry_policy.TimeoutErrorRetries"),
            std::string::npos);
  EXPECT_NE(load_error(std::string(one_group) + "router_settings:\n  allowed_fails_policy: {TimeoutErrorAllowedFails: -1}\n")
                .find("must not be negative"),
            std::string::npos);
  EXPECT_NE(load_error(std::string(one_group) + "router_settings:\n  model_group_retry_policy: [a]\n")
                .find("config.yaml:5: router_settings.model_group_retry_policy must be a map"),
            std::string::npos);
}

TEST(ConfigPolicies, DeploymentAllowedFailsAndItsPolicy) {
  const Config config = load_ok(R"(model_list:
  - model_name: a
    litellm_params: {model: mock/a}
    model_info:
      allowed_fails: 2
      allowed_fails_policy: {NotFoundErrorAllowedFails: 0, BadGatewayErrorAllowedFails: 4}
)");
  const ModelInfo& info = config.deployments.at(0).model_info;
  EXPECT_EQ(info.allowed_fails, 2);
  ASSERT_TRUE(info.allowed_fails_policy);
  EXPECT_EQ(info.allowed_fails_policy->of(PolicyErrorClass::not_found), 0);
  EXPECT_EQ(info.allowed_fails_policy->of(PolicyErrorClass::bad_gateway), 4);
  EXPECT_NE(load_error("model_list:\n  - model_name: a\n    litellm_params: {model: mock/a}\n"
                       "    model_info: {allowed_fails: lots}\n")
                .find("config.yaml:4: model_list[0].model_info.allowed_fails"),
            std::string::npos);
}

TEST(ConfigWildcards, PatternDeploymentsLoad) {
  const Config config = load_ok(R"(model_list:
  - model_name: "openai/*"
    litellm_params: {model: "openai/*"}
  - model_name: "*"
    litellm_params: {model: openai/gpt-4o}
  - model_name: "team-*"
    litellm_params: {model: "hosted_vllm/team-*", api_base: "http://127.0.0.1:1/v1"}
)");
  ASSERT_EQ(config.deployments.size(), 3u);
  EXPECT_EQ(config.deployments[0].upstream_model, "*");
  EXPECT_EQ(config.deployments[1].upstream_model, "gpt-4o");
}

TEST(ConfigWildcards, AStarInTheModelWithoutOneInTheNameIsAnError) {
  EXPECT_EQ(load_error("model_list:\n  - model_name: gpt\n    litellm_params:\n      model: \"openai/*\"\n"),
            "config.yaml:3: model_list[0].litellm_params.model \"openai/*\" has a * but model_name \"gpt\" has "
            "none to fill it; make model_name a pattern (e.g. \"openai/*\")");
}

TEST(ConfigWildcards, AStarWithNoProviderIsSkippedSayingWhy) {
  const Config config = load_ok("model_list:\n  - model_name: \"*\"\n    litellm_params: {model: \"*\"}\n");
  EXPECT_TRUE(config.deployments.empty());
  EXPECT_TRUE(has_warning(config, "names no provider; write one (e.g. openai/*)")) << test::all_warnings(config);
}

}  // namespace
}  // namespace llmux::config
