// The translators' JSON accessors on numbers a client or an upstream can choose: an integer is
// read only when it fits, never through an out-of-range cast.

#include "providers/anthropic/json_helpers.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <variant>

#include "providers/anthropic/response_from_anthropic.hpp"

namespace llmux::providers::anthropic {
namespace {

namespace json = boost::json;

TEST(AnthropicJsonHelpers, IntegersThatFitAreRead) {
  EXPECT_EQ(as_int(json::value(1024)), 1024);
  EXPECT_EQ(as_int(json::value(1024.0)), 1024);
  EXPECT_EQ(as_int(json::value(std::numeric_limits<std::int64_t>::min())), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(as_int(json::value(std::uint64_t{9223372036854775807u})), std::numeric_limits<std::int64_t>::max());
}

// Found by tests/fuzz/anthropic_request_fuzz (its corpus: budget_tokens_out_of_range.json):
// `"thinking": {"budget_tokens": 3.3e82}` was cast to int64 (undefined behaviour), and an uint64
// past INT64_MAX wrapped to a negative count.
TEST(AnthropicJsonHelpers, IntegersThatDoNotFitAreNotRead) {
  EXPECT_EQ(as_int(json::value(3.33333e82)), std::nullopt);
  EXPECT_EQ(as_int(json::value(-1e19)), std::nullopt);
  EXPECT_EQ(as_int(json::value(9223372036854775808.0)), std::nullopt);
  EXPECT_EQ(as_int(json::value(std::numeric_limits<std::uint64_t>::max())), std::nullopt);
  EXPECT_EQ(as_int(json::value(std::uint64_t{9223372036854775808u})), std::nullopt);
  EXPECT_EQ(as_int(json::value(1.5)), std::nullopt);
  EXPECT_EQ(as_int(json::value(std::numeric_limits<double>::infinity())), std::nullopt);
}

// Found by tests/fuzz/anthropic_response_fuzz and messages_request_fuzz (their corpora:
// number_out_of_range.json): Boost.JSON reads 1e309 as infinity and -0e3095808 as NaN, and writes
// them back as `Infinity` and `NaN`, which no JSON reader accepts; a translation carried them to
// the client (or upstream) as a body it cannot parse.
TEST(AnthropicJsonHelpers, NumbersBeyondDoubleAreNotJsonWeCanTranslate) {
  EXPECT_TRUE(parse_json(R"({"a":[1,2.5,-1.5e308,{"b":1e-400}]})").has_value());
  EXPECT_FALSE(parse_json(R"({"a":1e309})").has_value());
  EXPECT_FALSE(parse_json(R"({"a":[{"b":-1e309}]})").has_value());
  EXPECT_FALSE(parse_json(R"({"a":-0e3095808})").has_value());
  EXPECT_FALSE(has_non_finite_number(json::value(1.0)));
  EXPECT_TRUE(has_non_finite_number(json::value(std::numeric_limits<double>::quiet_NaN())));
}

TEST(AnthropicJsonHelpers, AnUpstreamNumberBeyondDoubleIsAnUnreadableAnswer) {
  const auto translated = from_anthropic_response(
      R"({"id":"msg_1","type":"message","role":"assistant","model":"claude","content":[{"type":"redacted_thinking","data":1e309},{"type":"text","text":"hi"}],"stop_reason":"end_turn","usage":{"input_tokens":1,"output_tokens":1}})",
      {"gpt-4o", false, 1700000000});
  ASSERT_TRUE(std::holds_alternative<TranslationError>(translated)) << std::get<std::string>(translated);
  EXPECT_EQ(std::get<TranslationError>(translated).status, 502);
}

}  // namespace
}  // namespace llmux::providers::anthropic
