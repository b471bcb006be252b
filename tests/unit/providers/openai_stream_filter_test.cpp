#include <gtest/gtest.h>

#include "providers/openai_stream.hpp"

namespace llmux::providers {
namespace {

constexpr std::string_view kContent =
    R"(data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]})"
    "\n\n";
constexpr std::string_view kFinish =
    R"(data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})"
    "\n\n";
constexpr std::string_view kUsage =
    R"(data: {"id":"c1","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":7,"completion_tokens":3,"total_tokens":10,"prompt_tokens_details":{"cached_tokens":2}}})"
    "\n\n";
constexpr std::string_view kDone = "data: [DONE]\n\n";

std::string feed_all(OpenAiStreamFilter& filter, std::string_view bytes) {
  std::string out;
  filter.feed(bytes, out);
  return out;
}

TEST(OpenAiStreamFilter, ForwardsEventsAndTakesUsage) {
  OpenAiStreamFilter filter(/*client_wants_usage=*/true);
  const std::string all = std::string(kContent) + std::string(kFinish) + std::string(kUsage) + std::string(kDone);
  const std::string out = feed_all(filter, all);
  EXPECT_EQ(out, all);
  EXPECT_TRUE(filter.saw_done());
  EXPECT_TRUE(filter.saw_finish_reason());
  EXPECT_TRUE(filter.usage().known);
  EXPECT_EQ(filter.usage().prompt_tokens, 7);
  EXPECT_EQ(filter.usage().completion_tokens, 3);
  EXPECT_EQ(filter.usage().cached_tokens, 2);
}

TEST(OpenAiStreamFilter, HidesTheUsageChunkTheClientDidNotAskFor) {
  OpenAiStreamFilter filter(/*client_wants_usage=*/false);
  const std::string out =
      feed_all(filter, std::string(kContent) + std::string(kFinish) + std::string(kUsage) + std::string(kDone));
  EXPECT_EQ(out, std::string(kContent) + std::string(kFinish) + std::string(kDone));
  EXPECT_EQ(filter.usage().prompt_tokens, 7);  // still known to the gateway
}

// What an upstream sends when asked for include_usage: `"usage":null` in every chunk but the last.
constexpr std::string_view kContentNullUsage =
    R"(data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}],"usage":null})"
    "\n\n";
constexpr std::string_view kFinishNullUsage =
    R"(data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}], "usage" : null })"
    "\n\n";

TEST(OpenAiStreamFilter, StripsTheNullUsageTheGatewayAskedFor) {
  OpenAiStreamFilter filter(/*client_wants_usage=*/false);
  const std::string out = feed_all(filter, std::string(kContentNullUsage) + std::string(kFinishNullUsage) +
                                               std::string(kUsage) + std::string(kDone));
  EXPECT_EQ(out, std::string(kContent) + std::string(kFinish) + std::string(kDone));
  EXPECT_TRUE(filter.saw_finish_reason());
  EXPECT_TRUE(filter.usage().known);
  EXPECT_EQ(filter.usage().prompt_tokens, 7);
  EXPECT_EQ(filter.usage().completion_tokens, 3);
}

TEST(OpenAiStreamFilter, KeepsTheNullUsageAClientAskedFor) {
  OpenAiStreamFilter filter(/*client_wants_usage=*/true);
  const std::string all = std::string(kContentNullUsage) + std::string(kUsage) + std::string(kDone);
  EXPECT_EQ(feed_all(filter, all), all);
  EXPECT_EQ(filter.usage().prompt_tokens, 7);
}

TEST(OpenAiStreamFilter, LeavesUsageThatIsNotATrailingTopLevelNullAlone) {
  OpenAiStreamFilter filter(/*client_wants_usage=*/false);
  // Not the last member, nested, or inside a string: forwarded as they came.
  const std::string first = R"(data: {"usage":null,"choices":[{"delta":{"content":"a"}}]})"
                            "\n\n";
  const std::string nested = R"(data: {"choices":[{"delta":{"content":"b"},"x":{"usage":null}}]})"
                             "\n\n";
  const std::string quoted = R"(data: {"choices":[{"delta":{"content":"\"usage\":null"}}]})"
                             "\n\n";
  EXPECT_EQ(feed_all(filter, first + nested + quoted), first + nested + quoted);
  EXPECT_FALSE(filter.usage().known);
  // A real usage object is still found next to a null "usage" elsewhere in the chunk.
  feed_all(filter, R"(data: {"choices":[],"x":{"usage":null},"usage":{"prompt_tokens":5,"completion_tokens":1}})"
                   "\n\n");
  EXPECT_TRUE(filter.usage().known);
  EXPECT_EQ(filter.usage().prompt_tokens, 5);
}

TEST(OpenAiStreamFilter, EventsSplitAcrossReadsComeOutWhole) {
  OpenAiStreamFilter filter(true);
  const std::string all = std::string(kContent) + std::string(kDone);
  std::string out;
  for (char c : all) filter.feed(std::string_view(&c, 1), out);
  EXPECT_EQ(out, all);
}

TEST(OpenAiStreamFilter, CrLfFramingIsNormalised) {
  OpenAiStreamFilter filter(true);
  std::string out;
  filter.feed("data: {\"choices\":[{\"delta\":{\"content\":\"x\"}}]}\r\n\r\ndata: [DONE]\r\n\r\n", out);
  EXPECT_EQ(out, "data: {\"choices\":[{\"delta\":{\"content\":\"x\"}}]}\n\ndata: [DONE]\n\n");
}

TEST(OpenAiStreamFilter, InBandErrorIsReportedNotForwarded) {
  OpenAiStreamFilter filter(true);
  const std::string out =
      feed_all(filter, std::string(kContent) + "data: {\"error\":{\"message\":\"engine died\",\"code\":500}}\n\n");
  EXPECT_EQ(out, kContent);
  ASSERT_TRUE(filter.upstream_error().has_value());
  EXPECT_NE(filter.upstream_error()->find("engine died"), std::string::npos);
}

TEST(OpenAiStreamFilter, NoFinishReasonWithoutOne) {
  OpenAiStreamFilter filter(true);
  feed_all(filter, kContent);
  EXPECT_FALSE(filter.saw_finish_reason());
  EXPECT_FALSE(filter.saw_done());
}

TEST(OpenAiStreamFilter, NullUsageIsStrippedFromAnEventSplitAcrossReads) {
  OpenAiStreamFilter filter(/*client_wants_usage=*/false);
  std::string out;
  const std::string all = std::string(kContentNullUsage) + std::string(kDone);
  for (std::size_t at = 0; at < all.size(); at += 7) {
    std::string read = all.substr(at, 7);
    filter.feed(read, out);
    read.assign(read.size(), '#');  // the read buffer is reused once the filter returns
  }
  EXPECT_EQ(out, std::string(kContent) + std::string(kDone));
}

TEST(OpenAiStreamFilter, MultiLineDataIsReframedLineByLine) {
  OpenAiStreamFilter filter(/*client_wants_usage=*/false);
  const std::string out =
      feed_all(filter, "data: {\"choices\":[{\"delta\":{\"content\":\"x\"}}]\ndata: ,\"usage\":null}\n\n");
  EXPECT_EQ(out, "data: {\"choices\":[{\"delta\":{\"content\":\"x\"}}]\ndata: }\n\n");
}

TEST(OpenAiStreamFilter, ErrorTextInsideAChunkIsNotAnError) {
  OpenAiStreamFilter filter(true);
  const std::string chunk =
      R"(data: {"choices":[{"delta":{"content":"error"},"finish_reason":null}],"error":null})"
      "\n\n";
  EXPECT_EQ(feed_all(filter, chunk), chunk);
  EXPECT_FALSE(filter.upstream_error().has_value())
      << "a chunk with choices is content, whatever else it holds";
}

TEST(OpenAiStreamFilter, UsageWithoutDetailsKeepsCachedTokensAndReadsCacheWrites) {
  OpenAiStreamFilter filter(true);
  feed_all(
      filter,
      R"(data: {"choices":[],"usage":{"completion_tokens":4,"prompt_tokens":9,"cache_creation_input_tokens":5,"prompt_tokens":11}})"
      "\n\n");
  EXPECT_TRUE(filter.usage().known);
  EXPECT_EQ(filter.usage().prompt_tokens, 11) << "the last of repeated keys wins, as in any JSON reader here";
  EXPECT_EQ(filter.usage().completion_tokens, 4);
  EXPECT_EQ(filter.usage().cache_write_tokens, 5);
  EXPECT_EQ(filter.usage().cached_tokens, 0);
}

// Frames that can go out as the upstream sent them and frames that must be re-framed, mixed in one
// read: the client gets every event once, in the upstream's order, and none of what is dropped.
TEST(OpenAiStreamFilter, MixedFramingsInOneReadKeepTheirOrder) {
  OpenAiStreamFilter filter(/*client_wants_usage=*/false);
  const std::string content = std::string(kContent.substr(0, kContent.size() - 2));  // no "\n\n"
  const std::string read = std::string(kContentNullUsage) +   // kept as sent, but for its cut
                           ": keep-alive\n\n" +                // a comment: not forwarded
                           std::string(kContent) +            // as sent
                           content + "\r\n\r\n" +             // CRLF: re-framed
                           "event: x\n" + std::string(kFinishNullUsage) +  // a named event
                           "data:[DONE]\n\n";                // no space after the colon
  std::string out;
  filter.feed(read, out);
  EXPECT_EQ(out, std::string(kContent) + std::string(kContent) + std::string(kContent) + std::string(kFinish) +
                     std::string(kDone));
  EXPECT_TRUE(filter.saw_done());
}

// A frame's data line in one read and its blank line in the next: the data is no longer in the
// bytes being fed, and must still come out once, before what follows.
TEST(OpenAiStreamFilter, AFrameEndingInTheNextReadComesOutBeforeTheFramesAfterIt) {
  OpenAiStreamFilter filter(/*client_wants_usage=*/true);
  const std::string first = std::string(kContent.substr(0, kContent.size() - 1));  // one "\n" short
  std::string out;
  filter.feed(first, out);
  EXPECT_EQ(out, "");
  filter.feed("\n" + std::string(kFinish) + std::string(kDone), out);
  EXPECT_EQ(out, std::string(kContent) + std::string(kFinish) + std::string(kDone));
}

}  // namespace
}  // namespace llmux::providers
