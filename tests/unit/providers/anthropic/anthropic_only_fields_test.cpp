#include "providers/anthropic/anthropic_only_fields.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "providers/anthropic/structured_output.hpp"

namespace llmux::providers::anthropic {
namespace {

std::optional<TranslationError> check(const char* json) {
  return anthropic_only_field(boost::json::parse(json).as_object());
}

TEST(AnthropicOnlyFields, EachIsRefusedByName) {
  for (const char* field : {"thread", "container", "mcp_servers", "context_management", "compaction",
                            "fallback_credit_token", "inference_geo"}) {
    std::string body = std::string(R"({")") + field + R"(":{"x":1}})";
    auto error = check(body.c_str());
    ASSERT_TRUE(error) << field;
    EXPECT_EQ(error->status, 400);
    EXPECT_EQ(error->param, field);
    EXPECT_TRUE(error->message.starts_with(std::string(field) + ": not supported")) << error->message;
  }
}

TEST(AnthropicOnlyFields, UnsetValuesAndSelfBillingPass) {
  EXPECT_FALSE(check(R"({"thread":null,"mcp_servers":[],"container":null})"));
  EXPECT_FALSE(check(R"({"billing_policy":{"type":"billing_policy","bill_to":"self"}})"));
  EXPECT_FALSE(check(R"({"billing_policy":{"type":"billing_policy"}})"));
  EXPECT_FALSE(check(R"({"service_tier":"auto","speed":"fast","cache_control":{"type":"ephemeral"}})"));
  EXPECT_TRUE(check(R"({"billing_policy":{"type":"billing_policy","bill_to":"user_profile"}})"));
  EXPECT_TRUE(check(R"({"billing_policy":"someone else"})"));
}

TEST(AnthropicStructuredOutput, NoneMappedOrRefused) {
  auto map = [](const char* json) { return response_format_from_anthropic(boost::json::parse(json).as_object()); };
  EXPECT_TRUE(std::holds_alternative<NoStructuredOutput>(map(R"({"output_config":{"effort":"low"}})")));
  EXPECT_TRUE(std::holds_alternative<NoStructuredOutput>(map(R"({"output_format":null,"output_config":{"format":null}})")));
  auto mapped = map(R"({"output_config":{"format":{"type":"json_schema","schema":{"type":"object"}}}})");
  ASSERT_TRUE(std::holds_alternative<boost::json::object>(mapped));
  EXPECT_EQ(boost::json::serialize(std::get<boost::json::object>(mapped)),
            R"({"type":"json_schema","json_schema":{"name":"structured_output","schema":{"type":"object"},"strict":true}})");
  auto wrong_type = map(R"({"output_format":{"type":"json_object","schema":{}}})");
  ASSERT_TRUE(std::holds_alternative<TranslationError>(wrong_type));
  EXPECT_EQ(std::get<TranslationError>(wrong_type).param, "output_format.type");
  auto not_object = map(R"({"output_config":{"format":{"type":"json_schema","schema":true}}})");
  ASSERT_TRUE(std::holds_alternative<TranslationError>(not_object));
  EXPECT_EQ(std::get<TranslationError>(not_object).message, "output_config.format.schema: Input should be a valid dictionary");
}

}  // namespace
}  // namespace llmux::providers::anthropic
