// Wrongly typed fields on both translated paths are 400s naming the field, in the wording of the
// client's API, instead of being dropped or forwarded.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>

#include "providers/anthropic/request_from_anthropic.hpp"
#include "providers/anthropic/request_to_anthropic.hpp"

namespace llmux::providers::anthropic {
namespace {

namespace json = boost::json;

struct Case {
  std::string_view field;
  std::string_view value_json;
  std::string_view message;  // the exact error message
};

json::object with_field(std::string_view base, std::string_view field, std::string_view value_json) {
  json::object request = json::parse(base).as_object();
  request[field] = json::parse(value_json);
  return request;
}

constexpr std::string_view kOpenAiBase = R"({"model":"claude","messages":[{"role":"user","content":"hi"}]})";

TEST(OpenAiToAnthropicFieldTypes, AWrongTypeIsA400NamingTheField) {
  const Case cases[] = {
      {"tools", R"("x")", "Invalid type for 'tools': expected an array, but got a string instead."},
      {"max_tokens", R"("ten")", "Invalid type for 'max_tokens': expected an integer, but got a string instead."},
      {"max_tokens", "10.5", "Invalid type for 'max_tokens': expected an integer, but got a decimal number instead."},
      {"max_completion_tokens", "true",
       "Invalid type for 'max_completion_tokens': expected an integer, but got a boolean instead."},
      {"temperature", R"("hot")", "Invalid type for 'temperature': expected a decimal number, but got a string instead."},
      {"top_p", "[]", "Invalid type for 'top_p': expected a decimal number, but got an array instead."},
      {"top_k", "1.5", "Invalid type for 'top_k': expected an integer, but got a decimal number instead."},
      {"thinking", R"("on")", "Invalid type for 'thinking': expected an object, but got a string instead."},
      {"tool_choice", "3", "Invalid type for 'tool_choice': expected a string or an object, but got an integer instead."},
      {"parallel_tool_calls", R"("no")",
       "Invalid type for 'parallel_tool_calls': expected a boolean, but got a string instead."},
      {"reasoning_effort", "2", "Invalid type for 'reasoning_effort': expected a string, but got an integer instead."},
      {"response_format", R"("json")",
       "Invalid type for 'response_format': expected an object, but got a string instead."},
  };
  for (const Case& c : cases) {
    auto translated = to_anthropic_request(with_field(kOpenAiBase, c.field, c.value_json), TranslateOptions{"claude"});
    auto* error = std::get_if<TranslationError>(&translated);
    ASSERT_NE(error, nullptr) << c.field << " = " << c.value_json;
    EXPECT_EQ(error->status, 400);
    EXPECT_EQ(error->message, c.message);
    EXPECT_EQ(error->param, c.field);
  }
}

TEST(OpenAiToAnthropicFieldTypes, RightTypesAndNullsPass) {
  const std::pair<std::string_view, std::string_view> fine[] = {
      {"max_tokens", "10"}, {"max_tokens", "10.0"}, {"temperature", "0"}, {"temperature", "0.5"},
      {"top_k", "5"},       {"tools", "[]"},        {"tool_choice", "\"auto\""}, {"thinking", "null"},
      {"temperature", "null"},
  };
  for (const auto& [field, value] : fine) {
    auto translated = to_anthropic_request(with_field(kOpenAiBase, field, value), TranslateOptions{"claude"});
    EXPECT_TRUE(std::holds_alternative<TranslatedRequest>(translated)) << field << " = " << value;
  }
}

constexpr std::string_view kAnthropicBase =
    R"({"model":"claude","max_tokens":10,"messages":[{"role":"user","content":"hi"}]})";

TEST(AnthropicToOpenAiFieldTypes, AWrongTypeIsA400NamingTheField) {
  const Case cases[] = {
      {"messages", "{}", "messages: Input should be a valid list"},
      {"max_tokens", R"("ten")", "max_tokens: Input should be a valid integer"},
      {"stream", R"("yes")", "stream: Input should be a valid boolean"},
      {"temperature", R"("hot")", "temperature: Input should be a valid number"},
      {"top_k", "0.5", "top_k: Input should be a valid integer"},
      {"stop_sequences", "5", "stop_sequences: Input should be a valid list"},
      {"stop_sequences", R"(["ok", 5])", "stop_sequences.1: Input should be a valid string"},
      {"system", "7", "system: Input should be a valid string or a list of blocks"},
      {"thinking", R"("on")", "thinking: Input should be a valid dictionary"},
      {"tool_choice", "3", "tool_choice: Input should be a valid dictionary"},
      {"tools", R"("x")", "tools: Input should be a valid list"},
      {"metadata", "[]", "metadata: Input should be a valid dictionary"},
      {"service_tier", "1", "service_tier: Input should be a valid string"},
      {"output_config", "[]", "output_config: Input should be a valid dictionary"},
      {"output_format", R"("json")", "output_format: Input should be a valid dictionary"},
  };
  for (const Case& c : cases) {
    auto translated = to_openai_request(with_field(kAnthropicBase, c.field, c.value_json), "gpt-4o-mini");
    auto* error = std::get_if<TranslationError>(&translated);
    ASSERT_NE(error, nullptr) << c.field << " = " << c.value_json;
    EXPECT_EQ(error->status, 400);
    EXPECT_EQ(error->message, c.message);
    EXPECT_EQ(error->param, c.field);
  }
}

TEST(AnthropicToOpenAiFieldTypes, RightTypesPass) {
  const std::pair<std::string_view, std::string_view> fine[] = {
      {"system", R"("be brief")"}, {"system", R"([{"type":"text","text":"be brief"}])"},
      {"stop_sequences", R"(["END"])"}, {"stream", "false"}, {"metadata", R"({"user_id":"u"})"},
      {"thinking", R"({"type":"enabled","budget_tokens":1024})"}, {"temperature", "1"},
  };
  for (const auto& [field, value] : fine) {
    auto translated = to_openai_request(with_field(kAnthropicBase, field, value), "gpt-4o-mini");
    auto* ok = std::get_if<OpenAiTranslation>(&translated);
    ASSERT_NE(ok, nullptr) << field << " = " << value;
    EXPECT_FALSE(ok->needs_anthropic) << field << " = " << value;
  }
}

}  // namespace
}  // namespace llmux::providers::anthropic
