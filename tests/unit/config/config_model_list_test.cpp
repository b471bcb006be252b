// model_list: providers, api_base defaults, per-deployment fields, skips and ids.

#include <gtest/gtest.h>

#include "config_test_support.hpp"

namespace llmux::config {
namespace {

using test::has_warning;
using test::load_error;
using test::load_ok;
using test::ScopedEnv;

Deployment single(std::string_view litellm_params_yaml) {
  const std::string yaml =
      "model_list:\n  - model_name: g\n    litellm_params:\n" + std::string(litellm_params_yaml);
  Config config = load_ok(yaml);
  if (config.deployments.size() != 1) {
    ADD_FAILURE() << "expected one deployment, got " << config.deployments.size() << "\n"
                  << test::all_warnings(config);
    return {};
  }
  return config.deployments.front();
}

TEST(ConfigModelList, OpenAiPrefixGivesFamilyUpstreamModelAndDefaultBase) {
  const Deployment d = single("      model: openai/gpt-4o\n      api_key: sk-1\n");
  EXPECT_EQ(d.model_name, "g");
  EXPECT_EQ(d.litellm_model, "openai/gpt-4o");
  EXPECT_EQ(d.provider, "openai");
  EXPECT_EQ(d.family, ProviderFamily::openai_compatible);
  EXPECT_EQ(d.upstream_model, "gpt-4o");
  EXPECT_EQ(d.api_base, "https://api.openai.com/v1");
  EXPECT_EQ(d.api_key, "sk-1");
  EXPECT_EQ(d.source_line, 2);
  EXPECT_EQ(d.id().size(), 64u);
}

TEST(ConfigModelList, UpstreamModelIsEverythingAfterTheFirstSlash) {
  const Deployment d = single("      model: openai/meta-llama/Llama-3\n");
  EXPECT_EQ(d.provider, "openai");
  EXPECT_EQ(d.upstream_model, "meta-llama/Llama-3");
}

struct ProviderCase {
  const char* prefix;
  ProviderFamily family;
  const char* default_api_base;
};

class ConfigProviderDefaults : public testing::TestWithParam<ProviderCase> {};

TEST_P(ConfigProviderDefaults, PrefixMapsToFamilyAndDefaultApiBase) {
  const ProviderCase& c = GetParam();
  const Deployment d = single("      model: " + std::string(c.prefix) + "/some-model\n      api_key: k\n");
  EXPECT_EQ(d.provider, c.prefix);
  EXPECT_EQ(d.family, c.family);
  EXPECT_EQ(d.api_base, c.default_api_base);
  EXPECT_EQ(d.upstream_model, "some-model");
}

INSTANTIATE_TEST_SUITE_P(
    Config, ConfigProviderDefaults,
    testing::Values(
        ProviderCase{"openai", ProviderFamily::openai_compatible, "https://api.openai.com/v1"},
        ProviderCase{"anthropic", ProviderFamily::anthropic, "https://api.anthropic.com"},
        ProviderCase{"mock", ProviderFamily::mock, ""},
        ProviderCase{"groq", ProviderFamily::openai_compatible, "https://api.groq.com/openai/v1"},
        ProviderCase{"deepseek", ProviderFamily::openai_compatible, "https://api.deepseek.com/v1"},
        ProviderCase{"together_ai", ProviderFamily::openai_compatible, "https://api.together.xyz/v1"},
        ProviderCase{"fireworks_ai", ProviderFamily::openai_compatible,
                     "https://api.fireworks.ai/inference/v1"},
        ProviderCase{"mistral", ProviderFamily::openai_compatible, "https://api.mistral.ai/v1"},
        ProviderCase{"xai", ProviderFamily::openai_compatible, "https://api.x.ai/v1"},
        ProviderCase{"openrouter", ProviderFamily::openai_compatible, "https://openrouter.ai/api/v1"},
        ProviderCase{"deepinfra", ProviderFamily::openai_compatible, "https://api.deepinfra.com/v1/openai"},
        ProviderCase{"perplexity", ProviderFamily::openai_compatible, "https://api.perplexity.ai"}),
    [](const testing::TestParamInfo<ProviderCase>& info) { return std::string(info.param.prefix); });

class ConfigSelfHostedProviders : public testing::TestWithParam<const char*> {};

TEST_P(ConfigSelfHostedProviders, NeedAnApiBase) {
  const std::string prefix = GetParam();
  const std::string yaml =
      "model_list:\n  - model_name: g\n    litellm_params:\n      model: " + prefix + "/m\n";
  EXPECT_EQ(load_error(yaml),
            "config.yaml:3: model_list[0].litellm_params.api_base is required for provider " + prefix);
  const Deployment d = single("      model: " + prefix + "/m\n      api_base: http://10.0.0.5:8000/v1\n");
  EXPECT_EQ(d.family, ProviderFamily::openai_compatible);
  EXPECT_EQ(d.api_base, "http://10.0.0.5:8000/v1");
}

INSTANTIATE_TEST_SUITE_P(Config, ConfigSelfHostedProviders,
                         testing::Values("hosted_vllm", "vllm", "openai_like", "custom_openai",
                                         "litellm_proxy", "lm_studio", "llamafile"));

TEST(ConfigModelList, ApiBaseLosesOneTrailingSlashAndBaseUrlIsAccepted) {
  EXPECT_EQ(single("      model: hosted_vllm/m\n      api_base: http://h:8000/v1/\n").api_base,
            "http://h:8000/v1");
  EXPECT_EQ(single("      model: hosted_vllm/m\n      base_url: http://h:8000/v1\n").api_base,
            "http://h:8000/v1");
  EXPECT_EQ(single("      model: hosted_vllm/m\n      base_url: http://b/v1\n      api_base: http://a/v1\n")
                .api_base,
            "http://a/v1");
}

TEST(ConfigModelList, BareModelNamesAreInferredLikeLiteLlm) {
  for (const char* model :
       {"gpt-4o", "o1-mini", "o3", "o4-mini", "chatgpt-4o-latest", "text-embedding-3-small"}) {
    const Deployment d = single("      model: " + std::string(model) + "\n");
    EXPECT_EQ(d.provider, "openai") << model;
    EXPECT_EQ(d.upstream_model, model);
    EXPECT_EQ(d.api_base, "https://api.openai.com/v1");
  }
  const Deployment claude = single("      model: claude-3-5-haiku-20241022\n");
  EXPECT_EQ(claude.provider, "anthropic");
  EXPECT_EQ(claude.family, ProviderFamily::anthropic);
  EXPECT_EQ(claude.upstream_model, "claude-3-5-haiku-20241022");
}

TEST(ConfigModelList, UnknownProvidersAreSkippedWithAWarning) {
  const Config config = load_ok(R"(model_list:
  - model_name: bare
    litellm_params:
      model: llama3
  - model_name: unknown
    litellm_params:
      model: foo/bar
  - model_name: azure
    litellm_params:
      model: azure/gpt-4o
  - model_name: kept
    litellm_params:
      model: mock/kept
)");
  ASSERT_EQ(config.deployments.size(), 1u);
  EXPECT_EQ(config.deployments[0].model_name, "kept");
  EXPECT_TRUE(has_warning(config,
                          "config.yaml:4: model_list[0] (bare): cannot tell the provider of model llama3; "
                          "deployment skipped"))
      << test::all_warnings(config);
  EXPECT_TRUE(has_warning(
      config, "model_list[1] (unknown): unknown provider foo (model foo/bar); deployment skipped"));
  EXPECT_TRUE(has_warning(config, "model_list[2] (azure): provider azure is not supported by llmux yet"));
}

TEST(ConfigModelList, CustomLlmProviderOverridesThePrefix) {
  const Deployment d = single(
      "      model: meta-llama/Llama-3\n      custom_llm_provider: hosted_vllm\n"
      "      api_base: http://h/v1\n");
  EXPECT_EQ(d.provider, "hosted_vllm");
  EXPECT_EQ(d.upstream_model, "meta-llama/Llama-3");
  const Deployment stripped = single("      model: openai/gpt-4o\n      custom_llm_provider: openai\n");
  EXPECT_EQ(stripped.upstream_model, "gpt-4o");
}

TEST(ConfigModelList, ReadsEveryDeploymentField) {
  const Deployment d = single(R"(      model: mock/m
      timeout: 12.5
      stream_timeout: "40"
      max_retries: 1
      weight: 3
      tags: [free, fast]
      cooldown_time: 9
      drop_params: true
      mock_response: hello there
      input_cost_per_token: 0.000001
      output_cost_per_token: 0.000002
    model_info:
      id: 7
      max_input_tokens: 8192
      max_output_tokens: 1024
      max_tokens: 4096
      mode: chat
      description: anything goes here
      order: 2
)");
  EXPECT_EQ(d.timeout_seconds, 12.5);
  EXPECT_EQ(d.stream_timeout_seconds, 40);
  EXPECT_EQ(d.max_retries, 1);
  EXPECT_EQ(d.weight, 3);
  EXPECT_EQ(d.order, 2);
  EXPECT_EQ(d.tags, (std::vector<std::string>{"free", "fast"}));
  EXPECT_EQ(d.cooldown_time_seconds, 9);
  EXPECT_EQ(d.drop_params, true);
  EXPECT_EQ(d.mock_response, "hello there");
  EXPECT_EQ(d.id(), "7");  // an integer id is coerced to its text
  EXPECT_EQ(d.model_info.max_input_tokens, 8192);
  EXPECT_EQ(d.model_info.max_output_tokens, 1024);
  EXPECT_EQ(d.model_info.max_tokens, 4096);
  EXPECT_EQ(d.model_info.input_cost_per_token, 0.000001);
  EXPECT_EQ(d.model_info.output_cost_per_token, 0.000002);
}

TEST(ConfigModelList, ModelInfoExtraKeysAreSilent) {
  const Config config = load_ok(R"(model_list:
  - model_name: g
    litellm_params:
      model: mock/m
    model_info:
      mode: chat
      base_model: gpt-4
      whatever_i_like: 1
)");
  EXPECT_TRUE(config.warnings.empty()) << test::all_warnings(config);
}

TEST(ConfigModelList, RpmTpmLookupIsTopLevelThenLitellmParamsThenModelInfo) {
  const Config config = load_ok(R"(model_list:
  - model_name: top
    rpm: 1
    tpm: 10
    litellm_params: {model: mock/a, rpm: 2, tpm: 20}
    model_info: {rpm: 3, tpm: 30}
  - model_name: params
    litellm_params: {model: mock/b, rpm: 2, tpm: 20}
    model_info: {rpm: 3, tpm: 30}
  - model_name: info
    litellm_params: {model: mock/c}
    model_info: {rpm: 3, tpm: 30, weight: 0.25}
)");
  ASSERT_EQ(config.deployments.size(), 3u);
  EXPECT_EQ(config.deployments[0].rpm, 1);
  EXPECT_EQ(config.deployments[0].tpm, 10);
  EXPECT_EQ(config.deployments[1].rpm, 2);
  EXPECT_EQ(config.deployments[1].tpm, 20);
  EXPECT_EQ(config.deployments[2].rpm, 3);
  EXPECT_EQ(config.deployments[2].tpm, 30);
  EXPECT_EQ(config.deployments[2].weight, 0.25);
}

TEST(ConfigModelList, CostsInModelInfoWinOverLitellmParams) {
  const Deployment d = single(
      "      model: mock/m\n      input_cost_per_token: 1\n    model_info:\n"
      "      input_cost_per_token: 2\n");
  EXPECT_EQ(d.model_info.input_cost_per_token, 2);
}

TEST(ConfigModelList, CachePricesAndAccessGroupsAreRead) {
  const Deployment d = single(
      "      model: mock/m\n      cache_read_input_token_cost: 0.5\n"
      "      cache_creation_input_token_cost: 3\n    model_info:\n"
      "      cache_read_input_token_cost: 0.25\n      access_groups: [beta-models, internal]\n");
  EXPECT_EQ(d.model_info.cache_read_input_token_cost, 0.25);      // model_info wins
  EXPECT_EQ(d.model_info.cache_creation_input_token_cost, 3);     // from litellm_params
  EXPECT_EQ(d.model_info.access_groups, (std::vector<std::string>{"beta-models", "internal"}));
  EXPECT_TRUE(single("      model: mock/m\n").model_info.access_groups.empty());
}

TEST(ConfigModelList, UnknownLitellmParamsWarnAndBecomePresets) {
  const Config config = load_ok(R"(model_list:
  - model_name: g
    litellm_params:
      model: mock/m
      temperature: 0.2
      frobnicate: "yes"
)");
  ASSERT_EQ(config.deployments.size(), 1u);
  using Body = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(config.deployments[0].presets.body, (Body{{"temperature", "0.2"}, {"frobnicate", R"("yes")"}}));
  // OpenAI request params are expected there; anything else is named in a warning.
  EXPECT_FALSE(has_warning(config, "temperature"));
  EXPECT_TRUE(has_warning(config, "config.yaml:6: model_list[0].litellm_params.frobnicate is not a litellm_params"));
}

TEST(ConfigModelList, RequiredFieldsFailWithFileAndLine) {
  EXPECT_EQ(load_error(R"(model_list:
  - model_name: a
    litellm_params:
      model: mock/a
  - model_name: b
    litellm_params:
      api_base: http://x/v1
)"),
            "config.yaml:6: model_list[1].litellm_params.model is required");
  EXPECT_EQ(load_error("model_list:\n  - litellm_params:\n      model: mock/a\n"),
            "config.yaml:2: model_list[0].model_name is required");
  EXPECT_EQ(load_error("model_list:\n  - model_name: a\n"),
            "config.yaml:2: model_list[0].litellm_params is required");
  EXPECT_EQ(load_error("model_list:\n  - model_name: a\n    litellm_params: mock/a\n"),
            "config.yaml:3: model_list[0].litellm_params must be a map, got \"mock/a\"");
  EXPECT_EQ(load_error("model_list:\n  - just-a-string\n"),
            "config.yaml:2: model_list[0] must be a map, got \"just-a-string\"");
  EXPECT_EQ(load_error("model_list: {a: 1}\n"), "config.yaml:1: model_list must be a list, got a map");
}

TEST(ConfigModelList, WrongTypesFailWithFileAndLine) {
  EXPECT_EQ(load_error("model_list:\n  - model_name: a\n    litellm_params:\n      model: mock/a\n"
                       "      timeout: soon\n"),
            "config.yaml:5: model_list[0].litellm_params.timeout must be a number, got \"soon\"");
  EXPECT_EQ(load_error("model_list:\n  - model_name: a\n    litellm_params:\n      model: mock/a\n"
                       "      rpm: 1.5\n"),
            "config.yaml:5: model_list[0].litellm_params.rpm must be an integer, got \"1.5\"");
  EXPECT_EQ(load_error("model_list:\n  - model_name: a\n    litellm_params:\n      model: mock/a\n"
                       "      tags: free\n"),
            "config.yaml:5: model_list[0].litellm_params.tags must be a list of strings, got \"free\"");
  EXPECT_EQ(load_error("model_list:\n  - model_name: [a]\n    litellm_params:\n      model: mock/a\n"),
            "config.yaml:2: model_list[0].model_name must be a string, got a list");
  EXPECT_EQ(load_error("model_list:\n  - model_name: a\n    litellm_params:\n      model: mock/a\n"
                       "      timeout: -1\n"),
            "config.yaml:5: model_list[0].litellm_params.timeout must not be negative");
}

TEST(ConfigModelList, DuplicateExplicitIdsFail) {
  EXPECT_EQ(load_error(R"(model_list:
  - model_name: a
    litellm_params: {model: mock/a}
    model_info: {id: same}
  - model_name: b
    litellm_params: {model: mock/b}
    model_info: {id: same}
)"),
            "config.yaml:5: model_list[1]: deployment id \"same\" is already used by model_list[0]");
}

TEST(ConfigModelList, IdenticalDeploymentsKeepTheFirst) {
  const Config config = load_ok(R"(model_list:
  - model_name: a
    litellm_params: {model: mock/a}
  - model_name: a
    litellm_params: {model: mock/a}
)");
  EXPECT_EQ(config.deployments.size(), 1u);
  EXPECT_TRUE(has_warning(config, "model_list[1] (a) is identical to model_list[0]; skipped"));
}

TEST(ConfigModelList, EmptyOrMissingModelListIsValidWithAWarning) {
  const Config empty = load_ok("model_list: []\n");
  EXPECT_TRUE(empty.deployments.empty());
  EXPECT_TRUE(has_warning(empty, "no usable deployment"));
  const Config missing = load_ok("litellm_settings:\n  drop_params: true\n");
  EXPECT_TRUE(missing.deployments.empty());
  EXPECT_EQ(missing.warnings,
            std::vector<std::string>{"config.yaml: model_list is empty: no model can be served"});
}

TEST(ConfigModelList, ProviderKeyVariableIsUsedWhenApiKeyIsAbsent) {
  const ScopedEnv openai("OPENAI_API_KEY", "sk-from-env");
  const ScopedEnv anthropic("ANTHROPIC_API_KEY", std::nullopt);
  EXPECT_EQ(single("      model: openai/gpt-4o\n").api_key, "sk-from-env");
  const Deployment claude = single("      model: anthropic/claude-3-5-haiku-20241022\n");
  EXPECT_FALSE(claude.api_key.has_value());
  EXPECT_TRUE(claude.missing_api_key_env.empty());  // nothing was named, so nothing is "missing"
  EXPECT_EQ(single("      model: openai/gpt-4o\n      api_key: written\n").api_key, "written");
}

}  // namespace
}  // namespace llmux::config
