// llmux_settings' bounds on what one request may ask of the gateway.

#include <gtest/gtest.h>

#include "api/request_view.hpp"
#include "config_test_support.hpp"

namespace llmux::config {
namespace {

using test::load_error;
using test::load_ok;

constexpr std::string_view kOneGroup = "model_list:\n  - model_name: a\n    litellm_params: {model: mock/a}\n";

Config load_with(std::string_view sections) { return load_ok(std::string(kOneGroup) + std::string(sections)); }

TEST(ConfigRequestLimits, DefaultsMatchTheReader) {
  const Config config = load_with("");
  const api::ReadLimits reader;
  EXPECT_EQ(config.server.max_json_object_keys, reader.max_object_keys);
  EXPECT_EQ(config.server.max_routing_list_items, reader.max_list_items);
  EXPECT_EQ(config.server.max_json_object_keys, 10000u);
  EXPECT_EQ(config.server.max_routing_list_items, 1000u);
  EXPECT_EQ(config.server.max_request_retries, 10);
  EXPECT_EQ(config.server.max_request_timeout_seconds, 6000);
}

TEST(ConfigRequestLimits, Settable) {
  const Config config = load_with(R"(llmux_settings:
  max_json_object_keys: 500
  max_routing_list_items: 20
  max_request_retries: 0
  max_request_timeout: 90.5
)");
  EXPECT_EQ(config.server.max_json_object_keys, 500u);
  EXPECT_EQ(config.server.max_routing_list_items, 20u);
  EXPECT_EQ(config.server.max_request_retries, 0);
  EXPECT_EQ(config.server.max_request_timeout_seconds, 90.5);
  EXPECT_TRUE(config.warnings.empty()) << test::all_warnings(config);
}

TEST(ConfigRequestLimits, NonsenseIsAConfigError) {
  for (const char* line : {"max_json_object_keys: 0", "max_routing_list_items: -1", "max_request_retries: -1",
                           "max_request_timeout: 0", "max_request_timeout: -3", "max_request_timeout: .nan",
                           "max_json_object_keys: many"}) {
    const std::string error = load_error(std::string(kOneGroup) + "llmux_settings:\n  " + line + "\n");
    EXPECT_NE(error.find("llmux_settings."), std::string::npos) << line << ": " << error;
  }
}

}  // namespace
}  // namespace llmux::config
