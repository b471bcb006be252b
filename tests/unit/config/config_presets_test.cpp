// litellm_params presets (request params, extra_body, headers, organization, additional_drop_params),
// router_settings.default_litellm_params, and per-deployment num_retries.

#include <gtest/gtest.h>

#include "api/request_view.hpp"
#include "config/known_keys.hpp"
#include "config_test_support.hpp"

namespace llmux::config {
namespace {

using test::has_warning;
using test::load_error;
using test::load_ok;
using test::ScopedEnv;
using Members = std::vector<std::pair<std::string, std::string>>;

std::string deployment_yaml(std::string_view model, std::string_view params) {
  return "model_list:\n  - model_name: g\n    litellm_params:\n      model: " + std::string(model) + "\n" +
         std::string(params);
}

Deployment single(std::string_view params, std::string_view model = "openai/m") {
  Config config = load_ok(deployment_yaml(model, params));
  if (config.deployments.size() != 1) {
    ADD_FAILURE() << "expected one deployment\n" << test::all_warnings(config);
    return {};
  }
  return config.deployments.front();
}

TEST(ConfigPresets, RequestParamsAreJsonInConfigOrder) {
  const Deployment d = single(
      "      temperature: 0.2\n      max_tokens: 64\n      stop: [\"END\", \"STOP\"]\n      seed: 7\n"
      "      response_format: {type: json_object}\n      user: svc\n      logit_bias: {'50256': -100}\n");
  EXPECT_EQ(d.presets.body, (Members{{"temperature", "0.2"},
                                     {"max_tokens", "64"},
                                     {"stop", R"(["END", "STOP"])"},
                                     {"seed", "7"},
                                     {"response_format", R"({"type": "json_object"})"},
                                     {"user", R"("svc")"},
                                     {"logit_bias", R"({"50256": -100})"}}));
}

TEST(ConfigPresets, ExtraBodyMembersJoinTheBodyAndWinOverTheSameKeyBesideThem) {
  const Deployment d = single(
      "      temperature: 0.2\n      extra_body: {temperature: 0.9, top_k: 5, guided_json: {type: object}}\n");
  EXPECT_EQ(d.presets.body,
            (Members{{"temperature", "0.9"}, {"top_k", "5"}, {"guided_json", R"({"type": "object"})"}}));
}

TEST(ConfigPresets, ExtraBodyMustBeAMapOfValuesJsonCanCarry) {
  EXPECT_EQ(load_error(deployment_yaml("openai/m", "      extra_body: [1, 2]\n")),
            "config.yaml:5: model_list[0].litellm_params.extra_body must be a map, got a list");
  EXPECT_EQ(load_error(deployment_yaml("openai/m", "      extra_body: {top_p: .inf}\n")),
            "config.yaml:5: model_list[0].litellm_params.extra_body.top_p holds .inf or .nan, which JSON cannot send");
  EXPECT_EQ(load_error(deployment_yaml("openai/m", "      temperature: .nan\n")),
            "config.yaml:5: model_list[0].litellm_params.temperature holds .inf or .nan, which JSON cannot send");
}

TEST(ConfigPresets, KeysTheGatewayReadsItselfCannotBePreset) {
  EXPECT_EQ(load_error(deployment_yaml("openai/m", "      stream: true\n")),
            "config.yaml:5: model_list[0].litellm_params.stream cannot be preset: the gateway takes it from each request");
  EXPECT_EQ(load_error(deployment_yaml("openai/m", "      extra_body: {messages: []}\n")),
            "config.yaml:5: model_list[0].litellm_params.extra_body.messages cannot be preset: the gateway takes it "
            "from each request");
}

TEST(ConfigPresets, GatewayOnlyKeysAreNotPresetsAndSayWhy) {
  const Config config = load_ok(deployment_yaml("openai/m", "      metadata: {team: a}\n      caching: true\n"));
  EXPECT_TRUE(config.deployments.at(0).presets.body.empty());
  EXPECT_TRUE(has_warning(config, "model_list[0].litellm_params.metadata is a LiteLLM request control"));
  EXPECT_TRUE(has_warning(config, "model_list[0].litellm_params.caching is a LiteLLM request control"));
}

TEST(ConfigPresets, GatewayOnlyKeysAreAlsoStrippedFromRequests) {
  // The loader's list and the request reader's must agree, or a preset could carry what the
  // reader strips (or the reverse).
  for (std::string_view key : {"metadata", "litellm_metadata", "caching", "cache", "ttl", "no-log", "fallbacks",
                               "context_window_fallbacks", "content_policy_fallbacks", "disable_fallbacks",
                               "max_fallbacks", "guardrails", "proxy_server_request", "allowed_openai_params",
                               "model_info", "id", "litellm_trace_id", "prompt_id", "mock_timeout",
                               "mock_response", "timeout", "stream_timeout", "request_timeout", "num_retries",
                               "max_retries", "drop_params", "tags", "api_key", "api_base", "base_url", "rpm",
                               "tpm", "weight", "order", "cooldown_time", "user_api_key_alias",
                               "mock_testing_fallbacks", "litellm_anything"}) {
    EXPECT_TRUE(detail::is_gateway_only_param(key)) << key;
    EXPECT_TRUE(api::is_gateway_control_param(key)) << key;
  }
}

TEST(ConfigPresets, EnvironmentReferencesAreResolved) {
  ScopedEnv seed("LLMUX_TEST_PRESET_USER", "from-env");
  EXPECT_EQ(single("      user: os.environ/LLMUX_TEST_PRESET_USER\n").presets.body,
            (Members{{"user", R"("from-env")"}}));
}

TEST(ConfigPresets, HeadersAndExtraHeadersBecomeUpstreamHeadersExtraHeadersWinning) {
  ScopedEnv token("LLMUX_TEST_PRESET_TOKEN", "tok-1234567890");
  const Deployment d = single(
      "      headers: {X-Team: alpha, X-Trace: one}\n"
      "      extra_headers: {x-trace: two, X-Gateway-Token: os.environ/LLMUX_TEST_PRESET_TOKEN}\n");
  EXPECT_EQ(d.presets.headers,
            (Members{{"X-Team", "alpha"}, {"X-Trace", "two"}, {"X-Gateway-Token", "tok-1234567890"}}));
  EXPECT_EQ(d.presets.secret_values, (std::vector<std::string>{"tok-1234567890"}));
  EXPECT_FALSE(d.presets.sets_credential_header);
}

TEST(ConfigPresets, HeaderNamesAndValuesAreCheckedAtLoad) {
  EXPECT_EQ(load_error(deployment_yaml("openai/m", "      extra_headers: {\"bad name\": x}\n")),
            "config.yaml:5: model_list[0].litellm_params.extra_headers.bad name: 'bad name' is not a valid HTTP header "
            "name");
  EXPECT_EQ(load_error(deployment_yaml("openai/m", "      extra_headers: {X-A: \"one\\r\\nX-B: two\"}\n")),
            "config.yaml:5: model_list[0].litellm_params.extra_headers.X-A has a line break or control character");
  EXPECT_EQ(load_error(deployment_yaml("openai/m", "      headers: {X-A: [1]}\n")),
            "config.yaml:5: model_list[0].litellm_params.headers.X-A must be a string, got a list");
  EXPECT_EQ(load_error(deployment_yaml("openai/m", "      headers: [a]\n")),
            "config.yaml:5: model_list[0].litellm_params.headers must be a map, got a list");
  for (std::string_view managed : {"Host", "content-length", "Transfer-Encoding", "Connection", "Content-Type"}) {
    const std::string error =
        load_error(deployment_yaml("openai/m", "      extra_headers: {" + std::string(managed) + ": x}\n"));
    EXPECT_NE(error.find("header is set by llmux and cannot be configured"), std::string::npos) << error;
  }
}

TEST(ConfigPresets, AnAuthorizationHeaderReplacesTheKeyButNotBesideOne) {
  const Deployment d = single("      extra_headers: {Authorization: Basic dXNlcjpwYXNzd29yZA==}\n");
  EXPECT_TRUE(d.presets.sets_credential_header);
  EXPECT_EQ(d.presets.secret_values, (std::vector<std::string>{"Basic dXNlcjpwYXNzd29yZA=="}));
  EXPECT_EQ(load_error(deployment_yaml("openai/m", "      api_key: sk-1\n      extra_headers: {Authorization: Bearer x}\n")),
            "config.yaml:6: model_list[0] (g): model_list[0].litellm_params.extra_headers.Authorization and api_key both "
            "set the credential; keep one");
}

TEST(ConfigPresets, OrganizationIsTheOpenAiOrganizationHeader) {
  EXPECT_EQ(single("      organization: org-42\n").presets.headers, (Members{{"OpenAI-Organization", "org-42"}}));
  // An explicit header wins, as extra_headers do in the OpenAI SDK.
  EXPECT_EQ(single("      organization: org-42\n      extra_headers: {openai-organization: org-7}\n").presets.headers,
            (Members{{"openai-organization", "org-7"}}));
  EXPECT_EQ(load_error(deployment_yaml("openai/m", "      organization: [org-1, org-2]\n")),
            "config.yaml:5: model_list[0].litellm_params.organization must be a string; write one deployment per "
            "organization");
  const Config anthropic = load_ok(deployment_yaml("anthropic/claude-x", "      organization: org-42\n"));
  EXPECT_TRUE(anthropic.deployments.at(0).presets.headers.empty());
  EXPECT_TRUE(has_warning(anthropic, "organization is an OpenAI setting; this provider gets no organization header"));
}

TEST(ConfigPresets, ApiVersionIsAzureOnlyAndSaysSo) {
  const Config config = load_ok(deployment_yaml("openai/m", "      api_version: '2024-02-01'\n"));
  EXPECT_TRUE(config.deployments.at(0).presets.empty());
  EXPECT_TRUE(has_warning(config, "api_version is used by Azure only, which llmux does not serve; it has no effect"));
  EXPECT_EQ(load_error(deployment_yaml("openai/m", "      api_version: {a: 1}\n")),
            "config.yaml:5: model_list[0].litellm_params.api_version must be a string, got a map");
}

TEST(ConfigPresets, AdditionalDropParamsAreKeptAndRemovePresetsToo) {
  const Deployment d = single("      temperature: 0.2\n      seed: 1\n      additional_drop_params: [seed, user]\n");
  EXPECT_EQ(d.presets.drop, (std::vector<std::string>{"seed", "user"}));
  EXPECT_EQ(d.presets.body, (Members{{"temperature", "0.2"}}));
  EXPECT_EQ(load_error(deployment_yaml("openai/m", "      additional_drop_params: seed\n")),
            "config.yaml:5: model_list[0].litellm_params.additional_drop_params must be a list of strings, got \"seed\"");
}

TEST(ConfigPresets, NumRetriesIsReadAndChecked) {
  EXPECT_EQ(single("      num_retries: 4\n").num_retries, 4);
  EXPECT_EQ(load_error(deployment_yaml("openai/m", "      num_retries: -1\n")),
            "config.yaml:5: model_list[0].litellm_params.num_retries must not be negative");
  EXPECT_EQ(load_error(deployment_yaml("openai/m", "      num_retries: many\n")),
            "config.yaml:5: model_list[0].litellm_params.num_retries must be an integer, got \"many\"");
}

TEST(ConfigPresets, RequestTimeoutIsTheTimeoutWhenTimeoutIsUnset) {
  EXPECT_EQ(single("      request_timeout: 12\n").timeout_seconds, 12);
  EXPECT_EQ(single("      timeout: 3\n      request_timeout: 12\n").timeout_seconds, 3);
}

TEST(ConfigPresets, DefaultLitellmParamsFillWhatEachDeploymentLacks) {
  const Config config = load_ok(R"(model_list:
  - model_name: a
    litellm_params:
      model: openai/a
      temperature: 0.1
  - model_name: b
    litellm_params:
      model: anthropic/claude-x
      additional_drop_params: [seed]
      extra_headers: {X-Team: own}
router_settings:
  default_litellm_params:
    temperature: 0.7
    seed: 3
    organization: org-1
    extra_headers: {X-Team: default, X-Env: prod}
    metadata: {source: gateway}
)");
  ASSERT_EQ(config.deployments.size(), 2u);
  const RequestPresets& a = config.deployments[0].presets;
  EXPECT_EQ(a.body, (Members{{"temperature", "0.1"}, {"seed", "3"}}));
  EXPECT_EQ(a.headers, (Members{{"X-Team", "default"}, {"X-Env", "prod"}, {"OpenAI-Organization", "org-1"}}));
  const RequestPresets& b = config.deployments[1].presets;
  EXPECT_EQ(b.body, (Members{{"temperature", "0.7"}}));               // seed dropped for this one
  EXPECT_EQ(b.headers, (Members{{"X-Team", "own"}, {"X-Env", "prod"}}));  // no organization for Anthropic
  EXPECT_TRUE(has_warning(config, "router_settings.default_litellm_params.metadata is a LiteLLM request control"));
  EXPECT_FALSE(has_warning(config, "default_litellm_params is accepted but not implemented"));
}

TEST(ConfigPresets, DefaultLitellmParamsRefuseCredentialsAndBadTypes) {
  EXPECT_EQ(load_error("router_settings:\n  default_litellm_params:\n    extra_headers: {Authorization: Bearer x}\n"),
            "config.yaml:3: router_settings.default_litellm_params.extra_headers.Authorization: a credential header "
            "would reach every provider; set it on the deployments that need it");
  EXPECT_EQ(load_error("router_settings:\n  default_litellm_params: [temperature]\n"),
            "config.yaml:2: router_settings.default_litellm_params must be a map, got a list");
}

TEST(ConfigPresets, MoneyAndSecurityKeysSayWhatIsNotEnforced) {
  const Config config = load_ok(
      "model_list:\n  - model_name: g\n    litellm_params:\n      model: openai/m\n      max_budget: 10\n"
      "litellm_settings:\n  max_budget: 100\ngeneral_settings:\n  allowed_ips: [10.0.0.1]\n");
  EXPECT_TRUE(has_warning(config, "model_list[0].litellm_params.max_budget is accepted but not implemented yet; "
                                  "ignored: this deployment's spend is NOT capped"));
  EXPECT_TRUE(has_warning(config, "litellm_settings.max_budget is accepted but not implemented yet; ignored: the "
                                  "proxy-wide budget is NOT enforced"));
  EXPECT_TRUE(has_warning(config, "general_settings.allowed_ips is accepted but not implemented yet; ignored: "
                                  "requests are NOT restricted by client IP"));
}

}  // namespace
}  // namespace llmux::config
