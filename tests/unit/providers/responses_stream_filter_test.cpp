// The Responses pass-through stream, sans I/O: events forwarded as they come, usage and the final
// Response taken from the terminal event, failures told apart.

#include <gtest/gtest.h>

#include "providers/responses_stream.hpp"

namespace llmux::providers {
namespace {

std::string event(std::string_view type, std::string_view rest) {
  return "event: " + std::string(type) + "\ndata: {\"type\":\"" + std::string(type) + "\"" + std::string(rest) + "}\n\n";
}

const std::string kCreated = event("response.created", R"(,"response":{"id":"r1","status":"in_progress"},"sequence_number":0)");
const std::string kInProgress = event("response.in_progress", R"(,"response":{"id":"r1"},"sequence_number":1)");
const std::string kDelta = event("response.output_text.delta", R"(,"item_id":"m","delta":"Hi","sequence_number":2)");
const std::string kCompleted = event(
    "response.completed",
    R"(,"response":{"id":"r1","status":"completed","output":[],"usage":{"input_tokens":5,"input_tokens_details":{"cached_tokens":1},"output_tokens":2}},"sequence_number":3)");

TEST(ResponsesStreamFilter, ForwardsEventsAndReadsTheTerminalOne) {
  ResponsesStreamFilter filter;
  std::string out;
  filter.feed(kCreated + kInProgress, out);
  EXPECT_EQ(out, kCreated + kInProgress);
  EXPECT_FALSE(filter.saw_output());
  filter.feed(kDelta, out);
  EXPECT_TRUE(filter.saw_output());
  EXPECT_FALSE(filter.saw_terminal());
  filter.feed(kCompleted, out);
  EXPECT_EQ(out, kCreated + kInProgress + kDelta + kCompleted);
  EXPECT_TRUE(filter.saw_terminal());
  EXPECT_FALSE(filter.failure());
  EXPECT_EQ(filter.usage().prompt_tokens, 5);
  EXPECT_EQ(filter.usage().completion_tokens, 2);
  EXPECT_EQ(filter.usage().cached_tokens, 1);
  EXPECT_TRUE(filter.final_response().starts_with(R"({"id":"r1","status":"completed")"));
}

TEST(ResponsesStreamFilter, SplitAnywhereGivesTheSameEvents) {
  const std::string all = kCreated + kDelta + kCompleted;
  for (std::size_t cut = 1; cut < all.size(); cut += 7) {
    ResponsesStreamFilter filter;
    std::string out;
    filter.feed(std::string_view(all).substr(0, cut), out);
    filter.feed(std::string_view(all).substr(cut), out);
    EXPECT_EQ(out, all) << cut;
    EXPECT_TRUE(filter.saw_terminal());
  }
}

TEST(ResponsesStreamFilter, FailedAndErrorEventsAreFailuresForwardedAsTheyCame) {
  const std::string failed = event(
      "response.failed", R"(,"response":{"id":"r1","status":"failed","error":{"code":"server_error","message":"boom"}})");
  ResponsesStreamFilter filter;
  std::string out;
  filter.feed(kCreated + failed + kDelta, out);
  EXPECT_EQ(out, kCreated + failed);  // nothing after the terminal event
  ASSERT_TRUE(filter.failure());
  EXPECT_EQ(filter.failure()->kind, router::ErrorKind::internal);
  EXPECT_NE(filter.failure()->message.find("boom"), std::string::npos);

  ResponsesStreamFilter errored;
  std::string out2;
  errored.feed(kCreated + event("error", R"(,"code":"rate_limit_exceeded","message":"Rate limit reached","param":null)"), out2);
  ASSERT_TRUE(errored.failure());
  EXPECT_EQ(errored.failure()->kind, router::ErrorKind::rate_limited);
  EXPECT_FALSE(errored.saw_terminal());
}

TEST(ResponsesStreamFilter, HostileEventsDoNotBreakIt) {
  ResponsesStreamFilter filter;
  std::string out;
  // Not JSON, no type, [DONE] too early, a terminal event without a response object.
  filter.feed("data: not json\n\ndata: {}\n\ndata: [DONE]\n\n", out);
  EXPECT_FALSE(filter.saw_terminal());
  EXPECT_FALSE(filter.failure());
  filter.feed("event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":7}\n\n", out);
  EXPECT_TRUE(filter.saw_terminal());
  EXPECT_FALSE(filter.usage().known);
  EXPECT_TRUE(filter.final_response().empty());
  // A line that never ends: the parser's limit, not unbounded memory.
  ResponsesStreamFilter flooded;
  std::string sink;
  const std::string chunk(1 << 20, 'x');
  for (int i = 0; i < 20 && !flooded.overflowed(); ++i) flooded.feed(chunk, sink);
  EXPECT_TRUE(flooded.overflowed());
}

}  // namespace
}  // namespace llmux::providers
