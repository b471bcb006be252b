// The keys behind tag routing, sticky splits and confidence escalation: defaults, values, and the
// start-up errors a wrong value gets.

#include <gtest/gtest.h>

#include "config_test_support.hpp"

namespace llmux::config {
namespace {

using test::has_warning;
using test::load_error;
using test::load_ok;

constexpr std::string_view two_groups = R"(model_list:
  - model_name: local
    litellm_params: {model: mock/a}
  - model_name: frontier
    litellm_params: {model: mock/b}
)";

Config load_with(std::string_view sections) { return load_ok(std::string(two_groups) + std::string(sections)); }
std::string error_with(std::string_view sections) {
  return load_error(std::string(two_groups) + std::string(sections));
}

TEST(ConfigRoutingPatterns, Defaults) {
  const Config c = load_with("");
  EXPECT_FALSE(c.router.enable_tag_filtering);
  EXPECT_TRUE(c.router.tag_filtering_match_any);
  EXPECT_FALSE(c.router.affinity.any());
  EXPECT_TRUE(c.router.group_affinity.empty());
  EXPECT_FALSE(c.general.reject_clientside_metadata_tags);
  EXPECT_EQ(c.server.session_header, "x-session-id");
  EXPECT_TRUE(c.server.confidence_routing.empty());
}

TEST(ConfigRoutingPatterns, TagAndAffinityKeysAreReadAndNoLongerWarned) {
  const Config c = load_with(R"(router_settings:
  enable_tag_filtering: true
  tag_filtering_match_any: false
  optional_pre_call_checks: [deployment_affinity, session_affinity, prompt_caching]
  model_group_affinity_config:
    frontier: [session_affinity]
general_settings:
  reject_clientside_metadata_tags: true
llmux_settings:
  session_header: X-Conversation-Id
)");
  EXPECT_TRUE(c.router.enable_tag_filtering);
  EXPECT_FALSE(c.router.tag_filtering_match_any);
  EXPECT_TRUE(c.router.affinity.caller);
  EXPECT_TRUE(c.router.affinity.session);
  ASSERT_EQ(c.router.group_affinity.count("frontier"), 1u);
  EXPECT_FALSE(c.router.group_affinity.at("frontier").caller);
  EXPECT_TRUE(c.router.group_affinity.at("frontier").session);
  EXPECT_TRUE(c.general.reject_clientside_metadata_tags);
  EXPECT_EQ(c.server.session_header, "x-conversation-id");
  EXPECT_FALSE(has_warning(c, "enable_tag_filtering"));
  EXPECT_FALSE(has_warning(c, "model_group_affinity_config"));
  EXPECT_TRUE(has_warning(c, "\"prompt_caching\" is known to LiteLLM but not implemented"));
}

TEST(ConfigRoutingPatterns, WrongTypesStopStartUp) {
  EXPECT_NE(error_with("router_settings:\n  enable_tag_filtering: [1]\n").find("config.yaml:"), std::string::npos);
  EXPECT_NE(error_with("router_settings:\n  optional_pre_call_checks: session_affinity\n").find("must be a list"),
            std::string::npos);
  EXPECT_NE(error_with("router_settings:\n  model_group_affinity_config: [a]\n").find("config.yaml:"),
            std::string::npos);
}

TEST(ConfigRoutingPatterns, ConfidenceRuleIsRead) {
  const Config c = load_with(R"(llmux_settings:
  confidence_routing:
    local:
      escalate_to: frontier
      min_mean_logprob: -0.7
      min_token_logprob: -4
)");
  ASSERT_EQ(c.server.confidence_routing.count("local"), 1u);
  const ConfidenceRule& rule = c.server.confidence_routing.at("local");
  EXPECT_EQ(rule.escalate_to, "frontier");
  EXPECT_EQ(rule.min_mean_logprob, -0.7);
  EXPECT_EQ(rule.min_token_logprob, -4);
  EXPECT_TRUE(rule.confidence_header.empty());

  const Config by_header = load_with(R"(llmux_settings:
  confidence_routing:
    local: {escalate_to: frontier, confidence_header: X-Confidence, min_header_confidence: 0.6}
)");
  EXPECT_EQ(by_header.server.confidence_routing.at("local").confidence_header, "x-confidence");
  EXPECT_EQ(by_header.server.confidence_routing.at("local").min_header_confidence, 0.6);
}

TEST(ConfigRoutingPatterns, ConfidenceRuleMistakesStopStartUp) {
  const auto rule = [](std::string_view body) {
    return "llmux_settings:\n  confidence_routing:\n    local: " + std::string(body) + "\n";
  };
  EXPECT_NE(error_with(rule("{min_mean_logprob: -1}")).find("escalate_to is required"), std::string::npos);
  EXPECT_NE(error_with(rule("{escalate_to: frontier}")).find("needs min_mean_logprob"), std::string::npos);
  EXPECT_NE(error_with(rule("{escalate_to: frontier, min_mean_logprob: 0.5}")).find("log-probability"),
            std::string::npos);
  EXPECT_NE(error_with(rule("{escalate_to: nowhere, min_mean_logprob: -1}")).find("no model group \"nowhere\""),
            std::string::npos);
  EXPECT_NE(error_with(rule("{escalate_to: local, min_mean_logprob: -1}")).find("the group itself"),
            std::string::npos);
  EXPECT_NE(error_with(rule("{escalate_to: frontier, confidence_header: x-c}")).find("needs both"),
            std::string::npos);
  EXPECT_NE(error_with(rule("{escalate_to: frontier, min_mean_logprob: -1, confidence_header: x-c, "
                            "min_header_confidence: 1}"))
                .find("one kind, not both"),
            std::string::npos);
  EXPECT_NE(error_with("llmux_settings:\n  confidence_routing:\n    ghost: {escalate_to: frontier, "
                       "min_mean_logprob: -1}\n")
                .find("config.yaml:"),
            std::string::npos);
}

}  // namespace
}  // namespace llmux::config
