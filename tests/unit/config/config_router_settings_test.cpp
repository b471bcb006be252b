// router_settings, litellm_settings, general_settings, llmux_settings and their precedence.

#include <gtest/gtest.h>

#include <limits>

#include "config_test_support.hpp"

namespace llmux::config {
namespace {

using test::has_warning;
using test::load_error;
using test::load_ok;

constexpr std::string_view three_groups = R"(model_list:
  - model_name: a
    litellm_params: {model: mock/a}
  - model_name: b
    litellm_params: {model: mock/b}
  - model_name: c
    litellm_params: {model: mock/c}
)";

Config load_with(std::string_view sections) {
  return load_ok(std::string(three_groups) + std::string(sections));
}

std::string error_with(std::string_view sections) {
  return load_error(std::string(three_groups) + std::string(sections));
}

TEST(ConfigRouterSettings, DefaultsAreLiteLlmsCodeDefaults) {
  const Config config = load_with("");
  EXPECT_EQ(config.router.routing_strategy, RoutingStrategy::simple_shuffle);
  EXPECT_EQ(config.router.num_retries, 2);
  EXPECT_EQ(config.router.timeout_seconds, 6000);
  EXPECT_EQ(config.router.retry_after_seconds, 0);
  EXPECT_EQ(config.router.allowed_fails, 3);
  EXPECT_EQ(config.router.cooldown_time_seconds, 5);
  EXPECT_EQ(config.router.max_fallbacks, 5);
  EXPECT_FALSE(config.router.disable_cooldowns);
  EXPECT_FALSE(config.router.stream_timeout_seconds.has_value());
  EXPECT_TRUE(config.router.fallbacks.empty());
  EXPECT_FALSE(config.litellm.drop_params);
  EXPECT_EQ(config.general.max_request_body_bytes, 32u << 20);
  EXPECT_TRUE(config.warnings.empty()) << test::all_warnings(config);
}

TEST(ConfigRouterSettings, ReadsEveryRouterKey) {
  const Config config = load_with(R"(router_settings:
  routing_strategy: simple-shuffle
  num_retries: 4
  retry_after: 1.5
  timeout: 30
  stream_timeout: 60
  allowed_fails: 7
  cooldown_time: 12
  disable_cooldowns: true
  max_fallbacks: 3
)");
  EXPECT_EQ(config.router.num_retries, 4);
  EXPECT_EQ(config.router.retry_after_seconds, 1.5);
  EXPECT_EQ(config.router.timeout_seconds, 30);
  EXPECT_EQ(config.router.stream_timeout_seconds, 60);
  EXPECT_EQ(config.router.allowed_fails, 7);
  EXPECT_EQ(config.router.cooldown_time_seconds, 12);
  EXPECT_TRUE(config.router.disable_cooldowns);
  EXPECT_EQ(config.router.max_fallbacks, 3);
}

TEST(ConfigRouterSettings, NumRetriesRouterThenLitellmThenTwo) {
  EXPECT_EQ(
      load_with("router_settings: {num_retries: 5}\nlitellm_settings: {num_retries: 1}\n").router.num_retries,
      5);
  EXPECT_EQ(load_with("litellm_settings: {num_retries: 1}\n").router.num_retries, 1);
  EXPECT_EQ(load_with("router_settings: {num_retries: 0}\n").router.num_retries, 0);
  EXPECT_EQ(load_with("litellm_settings: {drop_params: true}\n").router.num_retries, 2);
}

TEST(ConfigRouterSettings, TimeoutRouterThenRequestTimeoutThen6000) {
  EXPECT_EQ(load_with("router_settings: {timeout: 30}\nlitellm_settings: {request_timeout: 90}\n")
                .router.timeout_seconds,
            30);
  EXPECT_EQ(load_with("litellm_settings: {request_timeout: 90}\n").router.timeout_seconds, 90);
  EXPECT_EQ(load_with("").router.timeout_seconds, 6000);
}

TEST(ConfigRouterSettings, WrongTypeNamesTheKeyAndTheValue) {
  EXPECT_EQ(error_with("router_settings:\n  num_retries: two\n"),
            "config.yaml:9: router_settings.num_retries must be an integer, got \"two\"");
  EXPECT_EQ(error_with("router_settings:\n  disable_cooldowns: maybe\n"),
            "config.yaml:9: router_settings.disable_cooldowns must be true or false, got \"maybe\"");
  EXPECT_EQ(error_with("router_settings: [1]\n"), "config.yaml:8: router_settings must be a map, got a list");
}

TEST(ConfigRouterSettings, FallbacksAllThreeKinds) {
  const Config config = load_with(R"(router_settings:
  fallbacks:
    - a: [b, c]
    - b: [c]
  context_window_fallbacks:
    - a: [c]
  content_policy_fallbacks:
    - b: c
)");
  ASSERT_EQ(config.router.fallbacks.size(), 2u);
  EXPECT_EQ(config.router.fallbacks[0].group, "a");
  EXPECT_EQ(config.router.fallbacks[0].targets, (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(config.router.fallbacks[0].source_line, 10);
  EXPECT_EQ(config.router.fallbacks[1].group, "b");
  ASSERT_EQ(config.router.context_window_fallbacks.size(), 1u);
  EXPECT_EQ(config.router.context_window_fallbacks[0].targets, std::vector<std::string>{"c"});
  ASSERT_EQ(config.router.content_policy_fallbacks.size(), 1u);
  EXPECT_EQ(config.router.content_policy_fallbacks[0].targets, std::vector<std::string>{"c"});  // lone string
  EXPECT_TRUE(config.warnings.empty()) << test::all_warnings(config);
}

TEST(ConfigRouterSettings, FallbackWithMoreThanOneKeyFails) {
  EXPECT_EQ(error_with("router_settings:\n  fallbacks:\n    - {a: [b], b: [c]}\n"),
            "config.yaml:10: router_settings.fallbacks[0] must have exactly one key (the group), got 2");
  EXPECT_EQ(
      error_with("router_settings:\n  fallbacks:\n    - a\n"),
      "config.yaml:10: router_settings.fallbacks[0] must be a map {group: [fallback groups]}, got \"a\"");
  EXPECT_EQ(
      error_with("router_settings:\n  fallbacks: {a: [b]}\n"),
      "config.yaml:9: router_settings.fallbacks must be a list of {group: [fallback groups]}, got a map");
}

TEST(ConfigRouterSettings, DefaultFallbacksAreAppendedAsStar) {
  const Config config = load_with("router_settings:\n  fallbacks: [{a: [b]}]\n  default_fallbacks: [c]\n");
  ASSERT_EQ(config.router.fallbacks.size(), 2u);
  EXPECT_EQ(config.router.fallbacks[1].group, "*");
  EXPECT_EQ(config.router.fallbacks[1].targets, std::vector<std::string>{"c"});
}

TEST(ConfigRouterSettings, FallbacksFromLitellmSettingsUnlessRouterSettingsHasThem) {
  const Config only_litellm = load_with(
      "litellm_settings:\n  fallbacks: [{a: [b]}]\n  default_fallbacks: [c]\n"
      "  context_window_fallbacks: [{a: [c]}]\n");
  ASSERT_EQ(only_litellm.router.fallbacks.size(), 2u);
  EXPECT_EQ(only_litellm.router.fallbacks[0].targets, std::vector<std::string>{"b"});
  EXPECT_EQ(only_litellm.router.fallbacks[1].group, "*");
  ASSERT_EQ(only_litellm.router.context_window_fallbacks.size(), 1u);

  const Config both = load_with(
      "router_settings:\n  fallbacks: [{a: [c]}]\n"
      "litellm_settings:\n  fallbacks: [{a: [b]}, {b: [c]}]\n");
  ASSERT_EQ(both.router.fallbacks.size(), 1u);
  EXPECT_EQ(both.router.fallbacks[0].targets, std::vector<std::string>{"c"});
}

TEST(ConfigRouterSettings, FallbackTargetThatNamesNoGroupWarns) {
  const Config config = load_with("router_settings:\n  fallbacks:\n    - a: [b, nope]\n");
  EXPECT_TRUE(has_warning(config, "config.yaml:10: fallbacks of a: nope names no model_name in model_list"))
      << test::all_warnings(config);
  EXPECT_FALSE(has_warning(config, "fallbacks of a: b "));
}

TEST(ConfigRouterSettings, FallbackTargetMayBeAnAliasOrMatchAWildcard) {
  const Config config = load_ok(R"(model_list:
  - model_name: a
    litellm_params: {model: mock/a}
  - model_name: "openai/*"
    litellm_params: {model: "openai/*"}
router_settings:
  model_group_alias: {short: a}
  fallbacks:
    - a: [short, openai/gpt-4o]
)");
  EXPECT_TRUE(config.warnings.empty()) << test::all_warnings(config);
}

TEST(ConfigRouterSettings, ModelGroupAliasBothForms) {
  const Config config = load_with(R"(router_settings:
  model_group_alias:
    fast: a
    secret: {model: b, hidden: true}
    shown: {model: c}
)");
  const auto& aliases = config.router.model_group_alias;
  ASSERT_EQ(aliases.size(), 3u);
  EXPECT_EQ(aliases.at("fast").target, "a");
  EXPECT_FALSE(aliases.at("fast").hidden);
  EXPECT_EQ(aliases.at("secret").target, "b");
  EXPECT_TRUE(aliases.at("secret").hidden);
  EXPECT_EQ(aliases.at("shown").target, "c");
  EXPECT_FALSE(aliases.at("shown").hidden);
  EXPECT_TRUE(config.warnings.empty()) << test::all_warnings(config);
}

TEST(ConfigRouterSettings, AliasErrorsAndUnknownTargets) {
  EXPECT_EQ(error_with("router_settings:\n  model_group_alias:\n    x: {hidden: true}\n"),
            "config.yaml:10: router_settings.model_group_alias.x.model is required");
  const Config config = load_with("router_settings:\n  model_group_alias:\n    x: nowhere\n");
  EXPECT_TRUE(
      has_warning(config, "config.yaml:10: model_group_alias x: nowhere names no model_name in model_list"));
}

TEST(ConfigRouterSettings, EveryLiteLlmStrategyAndAdaptiveLoadAsThemselves) {
  struct Case {
    const char* name;
    RoutingStrategy expected;
  };
  for (const Case& c : {Case{"simple-shuffle", RoutingStrategy::simple_shuffle},
                        Case{"least-busy", RoutingStrategy::least_busy},
                        Case{"usage-based-routing", RoutingStrategy::usage_based},
                        Case{"usage-based-routing-v2", RoutingStrategy::usage_based_v2},
                        Case{"latency-based-routing", RoutingStrategy::latency_based},
                        Case{"cost-based-routing", RoutingStrategy::cost_based},
                        Case{"adaptive", RoutingStrategy::adaptive}}) {
    const Config config = load_with(std::string("router_settings:\n  routing_strategy: ") + c.name + "\n");
    EXPECT_EQ(config.router.routing_strategy, c.expected) << c.name;
    EXPECT_TRUE(config.warnings.empty()) << c.name << ": " << config.warnings.front();
  }
}

TEST(ConfigRouterSettings, UnknownStrategyAndProviderBudgetRoutingAreStartUpErrors) {
  const std::string error = error_with("router_settings:\n  routing_strategy: fastest-please\n");
  EXPECT_EQ(
      error.rfind("config.yaml:9: router_settings.routing_strategy must be one of simple-shuffle, least-busy",
                  0),
      0u)
      << error;
  EXPECT_NE(error.find("adaptive"), std::string::npos) << error;
  EXPECT_NE(error.find("got \"fastest-please\""), std::string::npos);
  const std::string budget = error_with("router_settings:\n  routing_strategy: provider-budget-routing\n");
  EXPECT_EQ(budget.rfind("config.yaml:9: router_settings.routing_strategy provider-budget-routing is not supported", 0),
            0u)
      << budget;
}

TEST(ConfigRouterSettings, RoutingStrategyArgsAreTypedAndUnknownOnesWarn) {
  const Config defaults = load_with("router_settings:\n  routing_strategy: latency-based-routing\n");
  EXPECT_EQ(defaults.router.routing_strategy_args.ttl_seconds, 3600);
  EXPECT_EQ(defaults.router.routing_strategy_args.lowest_latency_buffer, 0);
  EXPECT_EQ(defaults.router.routing_strategy_args.max_latency_list_size, 10);

  const Config set = load_with(R"(router_settings:
  routing_strategy_args: {ttl: 60, lowest_latency_buffer: 0.5, max_latency_list_size: 3, colour: red}
)");
  EXPECT_EQ(set.router.routing_strategy_args.ttl_seconds, 60);
  EXPECT_EQ(set.router.routing_strategy_args.lowest_latency_buffer, 0.5);
  EXPECT_EQ(set.router.routing_strategy_args.max_latency_list_size, 3);
  EXPECT_TRUE(has_warning(set, "router_settings.routing_strategy_args.colour is not a routing_strategy_args key"));

  EXPECT_EQ(error_with("router_settings:\n  routing_strategy_args: {ttl: soon}\n").rfind("config.yaml:9: ", 0), 0u);
  EXPECT_NE(error_with("router_settings:\n  routing_strategy_args: {max_latency_list_size: 0}\n")
                .find("max_latency_list_size must be between 1 and 1000"),
            std::string::npos);
  EXPECT_NE(error_with("router_settings:\n  routing_strategy_args: [1]\n").find("routing_strategy_args"),
            std::string::npos);
  EXPECT_NE(error_with("router_settings:\n  routing_strategy_args: {lowest_latency_buffer: -1}\n")
                .find("must not be negative"),
            std::string::npos);
}

TEST(ConfigRouterSettings, EnablePreCallChecksIsABoolean) {
  EXPECT_FALSE(load_with("router_settings: {}\n").router.enable_pre_call_checks);
  EXPECT_TRUE(load_with("router_settings:\n  enable_pre_call_checks: true\n").router.enable_pre_call_checks);
  EXPECT_EQ(error_with("router_settings:\n  enable_pre_call_checks: maybe\n").rfind("config.yaml:9: ", 0), 0u);
}

TEST(ConfigRouterSettings, UnknownAndUnimplementedKeysWarnNamingTheKey) {
  const Config config = load_with(R"(router_settings:
  redis_host: localhost
  retry_afterr: 3
litellm_settings:
  cache: true
  callbacks: [prometheus]
  success_callback: [langfuse]
  drop_paramz: true
general_settings:
  database_connection_pool_limit: 10
  alerting: [slack]
  masterkey: sk-typo
llmux_settings:
  max_header_byte: 10
callback_settings: {}
mystery_section: 1
)");
  for (const char* soft :
       {"router_settings.redis_host", "litellm_settings.cache",
        "litellm_settings.callbacks", "litellm_settings.success_callback",
        "general_settings.database_connection_pool_limit", "general_settings.alerting", "callback_settings"}) {
    EXPECT_TRUE(has_warning(config, std::string(soft) + " is accepted but not implemented yet")) << soft;
  }
  for (const char* unknown :
       {"router_settings.retry_afterr", "litellm_settings.drop_paramz", "general_settings.masterkey",
        "llmux_settings.max_header_byte", "mystery_section"}) {
    EXPECT_TRUE(has_warning(config, "unknown key " + std::string(unknown) + "; ignored")) << unknown;
  }
  EXPECT_TRUE(has_warning(config, "config.yaml:10: unknown key router_settings.retry_afterr"));
  EXPECT_EQ(config.warnings.size(), 12u) << test::all_warnings(config);
}

TEST(ConfigRouterSettings, EnablePreCallChecksIsABooleanThatActs) {
  EXPECT_FALSE(load_with("router_settings: {}\n").router.enable_pre_call_checks);
  const Config on = load_with("router_settings:\n  enable_pre_call_checks: true\n");
  EXPECT_TRUE(on.router.enable_pre_call_checks);
  EXPECT_TRUE(on.warnings.empty()) << test::all_warnings(on);
}

TEST(ConfigRouterSettings, UnknownKeyInADeploymentWarns) {
  const Config config = load_ok(
      "model_list:\n  - model_name: a\n    litellm_params: {model: mock/a}\n"
      "    modle_info: {id: x}\n");
  EXPECT_TRUE(has_warning(config, "config.yaml:4: unknown key model_list[0].modle_info; ignored"))
      << test::all_warnings(config);
}

TEST(ConfigRouterSettings, LitellmGeneralAndLlmuxSettings) {
  const Config config = load_with(R"(litellm_settings:
  drop_params: True
  set_verbose: yes
general_settings:
  max_request_size_mb: 2
llmux_settings:
  max_header_bytes: 8192
  header_read_timeout: 5
  keepalive_timeout: 20
  shutdown_grace_period: 3
  anthropic_version: "2024-01-01"
)");
  EXPECT_TRUE(config.litellm.drop_params);
  EXPECT_TRUE(config.litellm.set_verbose);
  EXPECT_EQ(config.general.max_request_body_bytes, 2u * 1024 * 1024);
  EXPECT_EQ(config.server.max_header_bytes, 8192u);
  EXPECT_EQ(config.server.header_read_timeout_seconds, 5);
  EXPECT_EQ(config.server.keepalive_idle_timeout_seconds, 20);
  EXPECT_EQ(config.server.shutdown_grace_seconds, 3);
  EXPECT_EQ(config.server.anthropic_version, "2024-01-01");
}

TEST(ConfigRouterSettings, ServerLimitsHaveDefaultsAndAreHeldToSaneRanges) {
  const Config defaults = load_with("llmux_settings: {}\n");
  EXPECT_EQ(defaults.server.max_header_bytes, 16u * 1024);
  EXPECT_EQ(defaults.server.max_chunk_line_bytes, 4u * 1024);
  EXPECT_EQ(defaults.server.max_trailer_bytes, 16u * 1024);
  EXPECT_EQ(defaults.server.max_connections, 16'384u);

  const Config set = load_with(
      "llmux_settings:\n  max_chunk_line_bytes: 1024\n  max_trailer_bytes: 2048\n  max_connections: 4\n");
  EXPECT_EQ(set.server.max_chunk_line_bytes, 1024u);
  EXPECT_EQ(set.server.max_trailer_bytes, 2048u);
  EXPECT_EQ(set.server.max_connections, 4u);

  struct Case {
    const char* yaml;
    const char* error;
  };
  for (const Case& c : {
           Case{"llmux_settings:\n  max_connections: 0\n",
                "llmux_settings.max_connections must be between 1 and 1000000, got 0"},
           Case{"llmux_settings:\n  max_connections: -5\n",
                "llmux_settings.max_connections must be between 1 and 1000000, got -5"},
           Case{"llmux_settings:\n  max_header_bytes: 99999999999\n",
                "llmux_settings.max_header_bytes must be between 1024 and 1048576, got 99999999999"},
           Case{"llmux_settings:\n  max_chunk_line_bytes: 10\n",
                "llmux_settings.max_chunk_line_bytes must be between 64 and 1048576, got 10"},
           Case{"llmux_settings:\n  max_trailer_bytes: 2000000\n",
                "llmux_settings.max_trailer_bytes must be between 256 and 1048576, got 2000000"},
           Case{"llmux_settings:\n  max_connections: 1.5\n", "llmux_settings.max_connections must be"},
       }) {
    SCOPED_TRACE(c.yaml);
    const std::string error = error_with(c.yaml);
    EXPECT_EQ(error.rfind("config.yaml:", 0), 0u) << error;  // file:line first
    EXPECT_NE(error.find(c.error), std::string::npos) << error;
  }
}

TEST(ConfigRouterSettings, AHugeRequestSizeIsTheLargestSizeNotAnOverflow) {
  const Config config = load_with("general_settings:\n  max_request_size_mb: 1e300\n");
  EXPECT_EQ(config.general.max_request_body_bytes, std::numeric_limits<std::size_t>::max());
}

TEST(ConfigRouterSettings, DocumentShapeAndYamlErrors) {
  EXPECT_EQ(
      load_error("- a\n- b\n"),
      "config.yaml:1: the document must be a map of sections (model_list, router_settings, …), got a list");
  EXPECT_EQ(
      load_error(""),
      "config.yaml:1: the document must be a map of sections (model_list, router_settings, …), got nothing");
  const std::string bad_yaml = load_error("model_list:\n  - model_name: a\n    litellm_params: [unclosed\n");
  EXPECT_EQ(bad_yaml.rfind("config.yaml:", 0), 0u) << bad_yaml;
  EXPECT_NE(bad_yaml.find("invalid YAML"), std::string::npos) << bad_yaml;
}

TEST(ConfigRouterSettings, MissingFileIsALoadError) {
  const LoadResult result = load_config_file("/nonexistent/llmux/config.yaml");
  const auto* error = std::get_if<LoadError>(&result);
  ASSERT_NE(error, nullptr);
  EXPECT_EQ(error->message, "/nonexistent/llmux/config.yaml: cannot read: No such file or directory");
}

}  // namespace
}  // namespace llmux::config
