// Which deployments speak the Responses API natively (model_info.supported_endpoints, LiteLLM's
// key), and llmux_settings.response_retention_seconds.

#include <gtest/gtest.h>

#include "config_test_support.hpp"

namespace llmux::config::test {
namespace {

TEST(ConfigResponsesSupport, DefaultIsNativeOnlyForHostedOpenAi) {
  const Config config = load_ok(R"(model_list:
  - model_name: hosted
    litellm_params: {model: openai/gpt-4o, api_key: sk-x}
  - model_name: bare
    litellm_params: {model: gpt-4o-mini, api_key: sk-x}
  - model_name: hosted-explicit-base
    litellm_params: {model: openai/gpt-4o, api_key: sk-x, api_base: "https://API.openai.com/v1/"}
  - model_name: vllm-behind-openai-prefix
    litellm_params: {model: openai/llama, api_base: "http://127.0.0.1:8000/v1"}
  - model_name: vllm
    litellm_params: {model: hosted_vllm/llama, api_base: "http://127.0.0.1:8000/v1"}
  - model_name: claude
    litellm_params: {model: anthropic/claude-3-5-sonnet-20241022, api_key: k}
  - model_name: canned
    litellm_params: {model: mock/canned}
)");
  ASSERT_EQ(config.deployments.size(), 7u);
  EXPECT_TRUE(config.deployments[0].speaks_responses_api);
  EXPECT_TRUE(config.deployments[1].speaks_responses_api);
  EXPECT_TRUE(config.deployments[2].speaks_responses_api);
  EXPECT_FALSE(config.deployments[3].speaks_responses_api);
  EXPECT_FALSE(config.deployments[4].speaks_responses_api);
  EXPECT_FALSE(config.deployments[5].speaks_responses_api);
  EXPECT_FALSE(config.deployments[6].speaks_responses_api);
}

TEST(ConfigResponsesSupport, SupportedEndpointsMarksEitherWay) {
  const Config config = load_ok(R"(model_list:
  - model_name: vllm
    litellm_params: {model: hosted_vllm/llama, api_base: "http://127.0.0.1:8000/v1"}
    model_info:
      supported_endpoints: ["/v1/chat/completions", "/v1/responses"]
  - model_name: short-form
    litellm_params: {model: openai_like/x, api_base: "http://127.0.0.1:8000/v1"}
    model_info: {supported_endpoints: ["/responses/"]}
  - model_name: hosted-but-bridged
    litellm_params: {model: openai/gpt-4o, api_key: sk-x}
    model_info: {supported_endpoints: ["/v1/chat/completions"]}
  - model_name: empty-list
    litellm_params: {model: openai/gpt-4o, api_key: sk-x}
    model_info: {supported_endpoints: []}
  - model_name: null-is-absent
    litellm_params: {model: openai/gpt-4o, api_key: sk-x}
    model_info: {supported_endpoints: null}
)");
  ASSERT_EQ(config.deployments.size(), 5u);
  EXPECT_TRUE(config.deployments[0].speaks_responses_api);
  EXPECT_TRUE(config.deployments[1].speaks_responses_api);
  EXPECT_FALSE(config.deployments[2].speaks_responses_api);
  EXPECT_FALSE(config.deployments[3].speaks_responses_api);
  EXPECT_TRUE(config.deployments[4].speaks_responses_api);
}

TEST(ConfigResponsesSupport, WrongTypesAreConfigErrors) {
  EXPECT_NE(load_error(R"(model_list:
  - model_name: m
    litellm_params: {model: hosted_vllm/llama, api_base: "http://h/v1"}
    model_info: {supported_endpoints: "/v1/responses"}
)").find("supported_endpoints must be a list of strings"),
            std::string::npos);
  EXPECT_NE(load_error(R"(model_list:
  - model_name: m
    litellm_params: {model: hosted_vllm/llama, api_base: "http://h/v1"}
    model_info: {supported_endpoints: [{path: /v1/responses}]}
)").find("supported_endpoints[0] must be a string"),
            std::string::npos);
}

TEST(ConfigResponsesSupport, AnAnthropicOrMockDeploymentMarkedNativeIsRefused) {
  const std::string anthropic = load_error(R"(model_list:
  - model_name: claude
    litellm_params: {model: anthropic/claude-3-5-sonnet-20241022, api_key: k}
    model_info: {supported_endpoints: ["/v1/messages", "/v1/responses"]}
)");
  EXPECT_NE(anthropic.find("config.yaml:4"), std::string::npos) << anthropic;
  EXPECT_NE(anthropic.find("anthropic deployment has no native Responses API"), std::string::npos) << anthropic;
  const std::string mock = load_error(R"(model_list:
  - model_name: canned
    litellm_params: {model: mock/canned}
    model_info: {supported_endpoints: ["/v1/responses"]}
)");
  EXPECT_NE(mock.find("mock deployment has no native Responses API"), std::string::npos) << mock;
}

TEST(ConfigResponsesSupport, RetentionSetting) {
  EXPECT_DOUBLE_EQ(load_ok("model_list: []\n").server.response_retention_seconds, 30.0 * 86400);
  EXPECT_DOUBLE_EQ(load_ok("model_list: []\nllmux_settings: {response_retention_seconds: 3600}\n")
                       .server.response_retention_seconds,
                   3600);
  for (const char* bad : {"0", "-5", "\"soon\"", "1e12"}) {
    const std::string error =
        load_error(std::string("model_list: []\nllmux_settings: {response_retention_seconds: ") + bad + "}\n");
    EXPECT_NE(error.find("response_retention_seconds"), std::string::npos) << bad << ": " << error;
  }
}

}  // namespace
}  // namespace llmux::config::test
