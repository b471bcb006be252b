// The upstream's rate-limit headers as numbers: OpenAI's duration format and what does not parse.

#include <gtest/gtest.h>

#include "router/rate_limit_hints.hpp"

namespace llmux::router {
namespace {

using std::chrono::milliseconds;

TEST(ResetDuration, OpenAiGoDurationsAndBareSeconds) {
  struct Case {
    const char* text;
    std::optional<milliseconds> expected;
  };
  for (const Case& c : {Case{"6m0s", milliseconds(360'000)}, Case{"1.5s", milliseconds(1500)},
                        Case{"20ms", milliseconds(20)}, Case{"1h2m3.5s", milliseconds(3'723'500)},
                        Case{"300us", milliseconds(1)}, Case{"2", milliseconds(2000)}, Case{" 0.25 ", milliseconds(250)},
                        Case{"0s", milliseconds(0)}, Case{"100h", milliseconds(24LL * 3600 * 1000)},
                        Case{"", std::nullopt}, Case{"soon", std::nullopt}, Case{"5x", std::nullopt},
                        Case{"-1s", std::nullopt}, Case{"1s2", std::nullopt}, Case{"s", std::nullopt},
                        Case{"1e400s", std::nullopt}}) {
    EXPECT_EQ(parse_reset_duration(c.text), c.expected) << c.text;
  }
}

TEST(RateLimitHints, RemainingCountsWithTheirResets) {
  const auto hints = parse_rate_limit_hints(
      {.remaining_requests = "0", .reset_requests = "1.2s", .remaining_tokens = "149000", .reset_tokens = "6m0s"});
  EXPECT_EQ(hints.remaining_requests, 0);
  EXPECT_EQ(hints.requests_reset, milliseconds(1200));
  EXPECT_EQ(hints.remaining_tokens, 149000);
  EXPECT_EQ(hints.tokens_reset, milliseconds(360'000));
  EXPECT_FALSE(hints.retry_after);
}

TEST(RateLimitHints, BadValuesStayUnknown) {
  const auto hints = parse_rate_limit_hints(
      {.remaining_requests = "-3", .reset_requests = "1s", .remaining_tokens = "12abc", .retry_after = "Wed, 21 Oct"});
  EXPECT_TRUE(hints.empty());
}

TEST(RateLimitHints, RetryAfterMsWinsOverRetryAfter) {
  EXPECT_EQ(parse_rate_limit_hints({.retry_after_ms = "250", .retry_after = "9"}).retry_after, milliseconds(250));
  EXPECT_EQ(parse_rate_limit_hints({.retry_after = "2"}).retry_after, milliseconds(2000));
  EXPECT_EQ(parse_rate_limit_hints({.retry_after_ms = "1.5"}).retry_after, milliseconds(2));
}

}  // namespace
}  // namespace llmux::router
