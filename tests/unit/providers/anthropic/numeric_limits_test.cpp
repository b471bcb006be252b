// Numbers from clients and upstreams on the translated paths: nothing wraps, nothing is UB.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <limits>

#include "providers/anthropic/json_helpers.hpp"
#include "providers/anthropic/mapping.hpp"
#include "providers/anthropic/request_to_anthropic.hpp"

namespace llmux::providers::anthropic {
namespace {

namespace json = boost::json;

TEST(AsInt, OnlyIntegersThatFit) {
  EXPECT_EQ(as_int(json::parse("42")), 42);
  EXPECT_EQ(as_int(json::parse("1024.0")), 1024);
  EXPECT_EQ(as_int(json::parse("-7")), -7);
  EXPECT_EQ(as_int(json::parse("9223372036854775807")), std::numeric_limits<std::int64_t>::max());
  EXPECT_FALSE(as_int(json::parse("9223372036854775808")));   // a uint64 past INT64_MAX: no wrap
  EXPECT_FALSE(as_int(json::parse("18446744073709551615")));  // UINT64_MAX
  EXPECT_FALSE(as_int(json::parse("1e300")));                 // a double no int64 holds: no UB
  EXPECT_FALSE(as_int(json::parse("9.3e18")));
  EXPECT_FALSE(as_int(json::parse("1.5")));
  EXPECT_FALSE(as_int(json::parse("\"3\"")));
}

json::object request_with_thinking(std::string_view budget_json) {
  return json::parse(R"({"model":"c","messages":[{"role":"user","content":"hi"}],)"
                     R"("thinking":{"type":"enabled","budget_tokens":)" + std::string(budget_json) + "}}")
      .as_object();
}

TEST(ThinkingBudget, AHugeBudgetIsA400NotANegativeMaxTokens) {
  for (std::string_view budget : {"9223372036854775807", "9223372036854775000", "9223372036854775808", "1e300",
                                  "-1", "\"lots\""}) {
    auto translated = to_anthropic_request(request_with_thinking(budget), TranslateOptions{"claude-3-7-sonnet"});
    auto* error = std::get_if<TranslationError>(&translated);
    ASSERT_NE(error, nullptr) << budget << ": "
                              << (error ? "" : std::get<TranslatedRequest>(translated).body);
    EXPECT_EQ(error->status, 400);
    EXPECT_EQ(error->param, "thinking");
    EXPECT_NE(error->message.find("budget_tokens"), std::string::npos);
  }
}

TEST(ThinkingBudget, AnOrdinaryBudgetStillRaisesTheDefault) {
  auto translated = to_anthropic_request(request_with_thinking("100000"), TranslateOptions{"claude-3-5-sonnet"});
  ASSERT_TRUE(std::holds_alternative<TranslatedRequest>(translated));
  const auto body = json::parse(std::get<TranslatedRequest>(translated).body).as_object();
  EXPECT_GT(body.at("max_tokens").as_int64(), 100000);
}

}  // namespace
}  // namespace llmux::providers::anthropic

namespace llmux::providers::anthropic {
namespace {

TEST(UpstreamUsage, HugeCountsSaturateAndNegativeOnesCountAsNone) {
  Usage usage;
  merge_anthropic_usage(usage, json::parse(R"({"input_tokens":9223372036854775807,"cache_read_input_tokens":5,)"
                                           R"("cache_creation_input_tokens":9223372036854775807,"output_tokens":-40})")
                                   .as_object());
  EXPECT_EQ(usage.prompt_tokens(), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(usage.total_tokens(), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(usage.output_tokens, 0);

  const Usage from_openai = usage_from_openai(
      json::parse(R"({"prompt_tokens":-100,"completion_tokens":-1,"prompt_tokens_details":{"cached_tokens":-5}})")
          .as_object());
  EXPECT_EQ(from_openai.prompt_tokens(), 0);
  EXPECT_EQ(from_openai.completion_tokens(), 0);
}

}  // namespace
}  // namespace llmux::providers::anthropic
