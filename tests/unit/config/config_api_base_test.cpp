// api_base is parsed once, when the config loads: a bad one is a config error with its line.

#include <gtest/gtest.h>

#include "config_test_support.hpp"

namespace llmux::config::test {
namespace {

TEST(ConfigApiBase, IsParsedAtLoad) {
  const Config config = load_ok(R"(model_list:
  - model_name: local
    litellm_params:
      model: hosted_vllm/llama
      api_base: http://VLLM.internal:0080/v1/
  - model_name: hosted
    litellm_params:
      model: openai/gpt-4o
      api_key: sk-x
  - model_name: canned
    litellm_params:
      model: mock/canned
)");
  ASSERT_EQ(config.deployments.size(), 3u);
  const auto& local = config.deployments[0].upstream_target;
  ASSERT_TRUE(local.has_value());
  EXPECT_FALSE(local->tls);
  EXPECT_EQ(local->host, "vllm.internal");
  EXPECT_EQ(local->port, "80");
  EXPECT_EQ(local->base_path, "/v1");
  const auto& hosted = config.deployments[1].upstream_target;  // the provider's default base
  ASSERT_TRUE(hosted.has_value());
  EXPECT_EQ(hosted->origin(), "https://api.openai.com");
  EXPECT_EQ(hosted->base_path, "/v1");
  EXPECT_FALSE(config.deployments[2].upstream_target.has_value());  // mock answers in process
}

TEST(ConfigApiBase, ABadUrlIsAConfigErrorAtItsLine) {
  for (const char* base : {"ftp://host/v1", "http://user:pw@host/v1", "http://host/v1?key=1", "http://host:99999",
                           "not a url", "http:///v1"}) {
    const std::string message = load_error(std::string(R"(model_list:
  - model_name: local
    litellm_params:
      model: openai/llama
      api_base: ")") + base + "\"\n");
    EXPECT_NE(message.find("config.yaml:5:"), std::string::npos) << base << ": " << message;
    EXPECT_NE(message.find("api_base is not an http:// or https:// URL"), std::string::npos) << message;
    EXPECT_EQ(message.find("pw@"), std::string::npos) << "the URL is not echoed: " << message;
  }
}

}  // namespace
}  // namespace llmux::config::test
