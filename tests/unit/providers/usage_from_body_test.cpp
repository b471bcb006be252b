// usage_from_body: the token counts of a whole answer, read in one pass.

#include <gtest/gtest.h>

#include <string>

#include "providers/upstream_failures.hpp"

namespace llmux::providers {
namespace {

TEST(UsageFromBody, ReadsEveryCountOfAnOpenAiAnswer) {
  const Usage usage = usage_from_body(
      R"({"id":"c1","choices":[{"index":0,"message":{"role":"assistant","content":"usage: none"}}],)"
      R"("usage":{"prompt_tokens":12,"completion_tokens":5,"total_tokens":17,)"
      R"("prompt_tokens_details":{"cached_tokens":4,"audio_tokens":0},"cache_creation_input_tokens":2}})");
  EXPECT_TRUE(usage.known);
  EXPECT_EQ(usage.prompt_tokens, 12);
  EXPECT_EQ(usage.completion_tokens, 5);
  EXPECT_EQ(usage.cached_tokens, 4);
  EXPECT_EQ(usage.cache_write_tokens, 2);
}

TEST(UsageFromBody, UsageFirstAndMembersInAnyOrder) {
  const Usage usage = usage_from_body(
      R"({"usage":{"completion_tokens":9,"prompt_tokens_details":{"cached_tokens":1},"prompt_tokens":30},"id":"x"})");
  EXPECT_TRUE(usage.known);
  EXPECT_EQ(usage.prompt_tokens, 30);
  EXPECT_EQ(usage.completion_tokens, 9);
  EXPECT_EQ(usage.cached_tokens, 1);
  EXPECT_EQ(usage.cache_write_tokens, 0);
}

TEST(UsageFromBody, TheLastDuplicateCounts) {
  const Usage usage = usage_from_body(
      R"({"usage":{"prompt_tokens":1},"usage":{"prompt_tokens":2,"prompt_tokens":3,"completion_tokens":4}})");
  EXPECT_EQ(usage.prompt_tokens, 3);
  EXPECT_EQ(usage.completion_tokens, 4);
}

TEST(UsageFromBody, NestedUsageKeysElsewhereAreIgnored) {
  const Usage usage = usage_from_body(
      R"({"choices":[{"usage":{"prompt_tokens":99}}],"meta":{"prompt_tokens":98},"usage":{"prompt_tokens":7}})");
  EXPECT_TRUE(usage.known);
  EXPECT_EQ(usage.prompt_tokens, 7);
  EXPECT_EQ(usage.completion_tokens, 0);
}

TEST(UsageFromBody, MissingOrMistypedCountsAreZero) {
  const Usage usage = usage_from_body(
      R"({"usage":{"prompt_tokens":"12","completion_tokens":2.5,"prompt_tokens_details":null}})");
  EXPECT_TRUE(usage.known);
  EXPECT_EQ(usage.prompt_tokens, 0);
  EXPECT_EQ(usage.completion_tokens, 0);
  EXPECT_EQ(usage.cached_tokens, 0);
}

TEST(UsageFromBody, NoUsageIsUnknown) {
  for (const std::string body : {std::string(R"({"id":"x"})"), std::string(R"({"usage":null})"),
                                 std::string(R"({"usage":[1]})"), std::string("not json"), std::string(),
                                 std::string(R"({"usage":{"prompt_tokens":1})"),         // cut short
                                 std::string(R"({"usage":{"prompt_tokens":1,}}")"),      // broken usage
                                 std::string(R"({"usage":{"prompt_tokens":01}})")}) {    // invalid number
    EXPECT_FALSE(usage_from_body(body).known) << body;
  }
}

}  // namespace
}  // namespace llmux::providers

namespace llmux::providers {
namespace {

TEST(UsageFromBody, NegativeCountsFromAnUpstreamCountAsNone) {
  const Usage usage = usage_from_body(
      R"({"usage":{"prompt_tokens":-1000,"completion_tokens":-5,"prompt_tokens_details":{"cached_tokens":-2}}})");
  EXPECT_TRUE(usage.known);
  EXPECT_EQ(usage.prompt_tokens, 0);
  EXPECT_EQ(usage.completion_tokens, 0);
  EXPECT_EQ(usage.cached_tokens, 0);
}

}  // namespace
}  // namespace llmux::providers
