#include "net/sse_parser.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace llmux::net {
namespace {

using namespace std::string_view_literals;

std::vector<SseEvent> parse_whole(std::string_view stream) {
  SseParser parser;
  std::vector<SseEvent> events;
  parser.feed(stream, events);
  return events;
}

std::vector<SseEvent> parse_bytewise(std::string_view stream) {
  SseParser parser;
  std::vector<SseEvent> events;
  for (const char c : stream) parser.feed(std::string_view(&c, 1), events);
  return events;
}

void expect_same(const std::vector<SseEvent>& a, const std::vector<SseEvent>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].event, b[i].event) << i;
    EXPECT_EQ(a[i].data, b[i].data) << i;
    EXPECT_EQ(a[i].id, b[i].id) << i;
  }
}

// Captured from api.openai.com /v1/chat/completions with stream_options.include_usage.
constexpr std::string_view kOpenAiStream =
    "data: {\"id\":\"chatcmpl-AB1\",\"object\":\"chat.completion.chunk\",\"created\":1718000000,"
    "\"model\":\"gpt-4o-mini-2024-07-18\",\"system_fingerprint\":\"fp_0ba0d124f1\",\"choices\":[{\"index\":0,"
    "\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},\"logprobs\":null,\"finish_"
    "reason\":null}],"
    "\"usage\":null}\n\n"
    "data: {\"id\":\"chatcmpl-AB1\",\"object\":\"chat.completion.chunk\",\"created\":1718000000,"
    "\"model\":\"gpt-4o-mini-2024-07-18\",\"system_fingerprint\":\"fp_0ba0d124f1\",\"choices\":[{\"index\":0,"
    "\"delta\":{\"content\":\"Hello\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n"
    "data: {\"id\":\"chatcmpl-AB1\",\"object\":\"chat.completion.chunk\",\"created\":1718000000,"
    "\"model\":\"gpt-4o-mini-2024-07-18\",\"system_fingerprint\":\"fp_0ba0d124f1\",\"choices\":[{\"index\":0,"
    "\"delta\":{\"content\":\" world\\n\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n"
    "data: {\"id\":\"chatcmpl-AB1\",\"object\":\"chat.completion.chunk\",\"created\":1718000000,"
    "\"model\":\"gpt-4o-mini-2024-07-18\",\"system_fingerprint\":\"fp_0ba0d124f1\",\"choices\":[{\"index\":0,"
    "\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}\n\n"
    "data: {\"id\":\"chatcmpl-AB1\",\"object\":\"chat.completion.chunk\",\"created\":1718000000,"
    "\"model\":\"gpt-4o-mini-2024-07-18\",\"system_fingerprint\":\"fp_0ba0d124f1\",\"choices\":[],"
    "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":3,\"total_tokens\":12}}\n\n"
    "data: [DONE]\n\n";

// Captured from api.anthropic.com /v1/messages (CRLF line ends, as some proxies rewrite them).
constexpr std::string_view kAnthropicStream =
    "event: message_start\r\n"
    "data: "
    "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_01XF\",\"type\":\"message\",\"role\":"
    "\"assistant\","
    "\"content\":[],\"model\":\"claude-3-5-sonnet-20241022\",\"stop_reason\":null,\"stop_sequence\":null,"
    "\"usage\":{\"input_tokens\":25,\"output_tokens\":1}}}\r\n\r\n"
    "event: content_block_start\r\n"
    "data: "
    "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"
    "\r\n\r\n"
    "event: ping\r\n"
    "data: {\"type\": \"ping\"}\r\n\r\n"
    "event: content_block_delta\r\n"
    "data: "
    "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}"
    "\r\n\r\n"
    "event: content_block_delta\r\n"
    "data: "
    "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"!\"}}"
    "\r\n\r\n"
    "event: content_block_stop\r\n"
    "data: {\"type\":\"content_block_stop\",\"index\":0}\r\n\r\n"
    "event: message_delta\r\n"
    "data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
    "\"usage\":{\"output_tokens\":15}}\r\n\r\n"
    "event: message_stop\r\n"
    "data: {\"type\":\"message_stop\"}\r\n\r\n";

TEST(SseParser, DispatchesOnBlankLine) {
  SseParser parser;
  std::vector<SseEvent> events;
  parser.feed("data: hello\n", events);
  EXPECT_TRUE(events.empty());
  EXPECT_TRUE(parser.has_partial());
  parser.feed("\n", events);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "hello");
  EXPECT_EQ(events[0].event, "");
  EXPECT_FALSE(parser.has_partial());
}

TEST(SseParser, JoinsDataLinesWithNewline) {
  const auto events = parse_whole("data: one\ndata: two\ndata:\ndata: three\n\n");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "one\ntwo\n\nthree");
}

TEST(SseParser, IgnoresComments) {
  SseParser parser;
  std::vector<SseEvent> events;
  parser.feed(": keep-alive\n\n: another\ndata: x\n: inside\n\n", events);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "x");
  parser.feed(": ping\n", events);
  EXPECT_FALSE(parser.has_partial()) << "a comment alone is not a truncated event";
}

TEST(SseParser, StripsExactlyOneSpaceAfterColon) {
  const auto events = parse_whole("data:no-space\n\ndata:  two spaces\n\ndata:\tTab\n\n");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].data, "no-space");
  EXPECT_EQ(events[1].data, " two spaces");
  EXPECT_EQ(events[2].data, "\tTab");
}

TEST(SseParser, ValueKeepsLaterColons) {
  const auto events = parse_whole("data: {\"a\": \"b:c\"}\n\n");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "{\"a\": \"b:c\"}");
}

TEST(SseParser, FieldWithoutColonHasEmptyValue) {
  const auto events = parse_whole("data\n\ndata\ndata\n\nevent\ndata: x\n\n");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].data, "");
  EXPECT_EQ(events[1].data, "\n");
  EXPECT_EQ(events[2].event, "");
  EXPECT_EQ(events[2].data, "x");
}

TEST(SseParser, IgnoresUnknownFieldsAndRetry) {
  const auto events = parse_whole("foo: bar\nretry: 3000\nDATA: upper\ndata: kept\n\n");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "kept");
}

TEST(SseParser, EventTypeAppliesToOneEvent) {
  const auto events = parse_whole("event: first\ndata: a\n\ndata: b\n\n");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].event, "first");
  EXPECT_EQ(events[1].event, "");
}

TEST(SseParser, EventWithoutDataIsNotDispatched) {
  const auto events = parse_whole("event: lonely\n\ndata: next\n\n");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event, "") << "the type of a dropped event must not leak into the next";
  EXPECT_EQ(events[0].data, "next");
}

TEST(SseParser, IdPersistsAcrossEvents) {
  const auto events = parse_whole("id: 7\ndata: a\n\ndata: b\n\nid\ndata: c\n\nid: bad\0id\ndata: d\n\n"sv);
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].id, "7");
  EXPECT_EQ(events[1].id, "7");
  EXPECT_EQ(events[2].id, "");
  EXPECT_EQ(events[3].id, "") << "an id containing NUL is ignored";
}

TEST(SseParser, AcceptsAllLineEndings) {
  const auto events = parse_whole("data: lf\n\ndata: crlf\r\n\r\ndata: cr\r\rdata: mixed\r\n\n");
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].data, "lf");
  EXPECT_EQ(events[1].data, "crlf");
  EXPECT_EQ(events[2].data, "cr");
  EXPECT_EQ(events[3].data, "mixed");
}

TEST(SseParser, LoneCrBeforeTheNextLfEndsTheLine) {
  // The line-break search looks for '\n' first: a '\r' earlier in the text must still win.
  const auto events = parse_whole("data: a\rdata: b\n\ndata: c\r\rdata: d\n\n");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].data, "a\nb");
  EXPECT_EQ(events[1].data, "c");
  EXPECT_EQ(events[2].data, "d");
  SseParser parser;
  std::vector<SseEvent> tail;
  parser.feed("data: e\r", tail);  // a CR with no LF anywhere after it in this feed
  parser.feed("data: f\n\n", tail);
  ASSERT_EQ(tail.size(), 1u);
  EXPECT_EQ(tail[0].data, "e\nf");
}

TEST(SseParser, ManyEventsInOneFeedAndALineAcrossFeeds) {
  SseParser parser;
  std::vector<SseEvent> events;
  const std::string long_value(5000, 'x');
  parser.feed("data: 1\n\ndata: 2\r\n\r\nevent: e\ndata: 3\n\ndata: " + long_value.substr(0, 1234), events);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].data, "1");
  EXPECT_EQ(events[1].data, "2");
  EXPECT_EQ(events[2].event, "e");
  EXPECT_EQ(events[2].data, "3");
  parser.feed(long_value.substr(1234) + "\n\n", events);
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[3].data, long_value);
  EXPECT_EQ(events[3].event, "") << "an event type applies to one event";
}

struct SeenEvent {
  std::string event, data, id;
  bool one_line = false;
  bool data_in_input = false;  // the view pointed into the bytes that were fed
};

std::vector<SeenEvent> feed_views(SseParser& parser, std::string_view bytes) {
  std::vector<SeenEvent> seen;
  parser.feed(bytes, [&](const SseEventView& view) {
    const bool inside = !view.data.empty() && view.data.data() >= bytes.data() &&
                        view.data.data() + view.data.size() <= bytes.data() + bytes.size();
    seen.push_back(
        {std::string(view.event), std::string(view.data), std::string(view.id), view.one_line, inside});
  });
  return seen;
}

TEST(SseParser, OneLineEventInOneFeedIsAViewOfTheFedBytes) {
  SseParser parser;
  const std::string bytes = "event: e\nid: 7\ndata: {\"a\":1}\n\ndata: second\r\n\r\n";
  const auto seen = feed_views(parser, bytes);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].event, "e");
  EXPECT_EQ(seen[0].id, "7");
  EXPECT_EQ(seen[0].data, "{\"a\":1}");
  EXPECT_TRUE(seen[0].one_line);
  EXPECT_TRUE(seen[0].data_in_input) << "a whole one-line event must not be copied";
  EXPECT_EQ(seen[1].event, "");
  EXPECT_EQ(seen[1].id, "7");
  EXPECT_EQ(seen[1].data, "second");
  EXPECT_TRUE(seen[1].data_in_input);
}

TEST(SseParser, EventSplitAcrossFeedsIsKeptUntilItEnds) {
  SseParser parser;
  std::string first = "data: abc";
  EXPECT_TRUE(feed_views(parser, first).empty());
  first.assign(first.size(), '#');  // the caller's buffer is reused for the next read
  std::string second = "def\n";
  EXPECT_TRUE(feed_views(parser, second).empty());
  second.assign(second.size(), '#');
  const auto seen = feed_views(parser, "\n");
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].data, "abcdef");
  EXPECT_TRUE(seen[0].one_line);
  // The whole data line arrived, only the blank line did not: the data must outlive its read.
  std::string line = "data: whole\n";
  EXPECT_TRUE(feed_views(parser, line).empty());
  line.assign(line.size(), '#');
  const auto later = feed_views(parser, "\n");
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0].data, "whole");
}

TEST(SseParser, SeveralDataLinesAreJoinedAndNotOneLine) {
  SseParser parser;
  const auto seen = feed_views(parser, "data: a\ndata:\ndata: c\n\ndata:\n\n");
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].data, "a\n\nc");
  EXPECT_FALSE(seen[0].one_line);
  EXPECT_EQ(seen[1].data, "") << "one empty data line is still an event";
  EXPECT_TRUE(seen[1].one_line);
}

TEST(SseParser, DataViewSplitAcrossFeedsCountsTowardsTheLimit) {
  SseParser parser(/*max_pending_bytes=*/16);
  std::vector<SseEvent> events;
  parser.feed("data: 0123456789\n", events);  // 10 bytes pending: within the limit
  EXPECT_FALSE(parser.failed());
  parser.feed("data: 0123456789\n", events);  // 21 joined: over it
  EXPECT_TRUE(parser.failed());
  parser.feed("\n", events);
  EXPECT_TRUE(events.empty());
}

TEST(SseParser, CrLfSplitAcrossFeedsIsOneLineEnd) {
  SseParser parser;
  std::vector<SseEvent> events;
  parser.feed("data: a\r", events);
  parser.feed("\ndata: b\r", events);
  EXPECT_TRUE(events.empty()) << "\\r then \\n must not read as an empty line";
  parser.feed("\n\r", events);
  parser.feed("\n", events);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "a\nb");
  EXPECT_FALSE(parser.has_partial());
}

TEST(SseParser, LoneCrAtFeedEndThenNextLine) {
  SseParser parser;
  std::vector<SseEvent> events;
  parser.feed("data: a\r", events);
  parser.feed("\r", events);  // a second CR is an empty line, not the LF of a CRLF
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "a");
}

TEST(SseParser, EmptyFeedKeepsPendingCr) {
  SseParser parser;
  std::vector<SseEvent> events;
  parser.feed("data: a\r", events);
  parser.feed("", events);
  parser.feed("\n", events);
  EXPECT_TRUE(events.empty());
  parser.feed("\n", events);
  ASSERT_EQ(events.size(), 1u);
}

TEST(SseParser, StripsLeadingBomEvenWhenSplit) {
  SseParser parser;
  std::vector<SseEvent> events;
  parser.feed("\xEF", events);
  parser.feed("\xBB", events);
  parser.feed(
      "\xBF"
      "data: x\n\n",
      events);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "x");
  // Only at the very start: later the same bytes are content.
  const auto later = parse_whole("data: \xEF\xBB\xBFy\n\n");
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0].data, "\xEF\xBB\xBFy");
}

TEST(SseParser, BomPrefixThatIsNotABomIsContent) {
  SseParser parser;
  std::vector<SseEvent> events;
  parser.feed("\xEF", events);
  parser.feed("x: 1\ndata: y\n\n", events);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "y");
}

TEST(SseParser, ReportsTruncatedStream) {
  SseParser parser;
  std::vector<SseEvent> events;
  parser.feed("data: complete\n\ndata: {\"partial\":", events);
  EXPECT_EQ(events.size(), 1u);
  EXPECT_TRUE(parser.has_partial());

  SseParser fields_only;
  fields_only.feed("data: all lines ended\n", events);
  EXPECT_TRUE(fields_only.has_partial()) << "a data line without its blank line is still cut off";
}

TEST(SseParser, StopsAtPendingLimit) {
  SseParser parser(64);
  std::vector<SseEvent> events;
  parser.feed("data: " + std::string(100, 'x'), events);
  EXPECT_TRUE(parser.failed());
  parser.feed("\n\ndata: y\n\n", events);
  EXPECT_TRUE(events.empty());
}

TEST(SseParser, OpenAiStreamByteByByte) {
  const auto whole = parse_whole(kOpenAiStream);
  ASSERT_EQ(whole.size(), 6u);
  EXPECT_NE(whole[1].data.find("\"content\":\"Hello\""), std::string::npos);
  EXPECT_NE(whole[2].data.find("world\\n"), std::string::npos) << "an escaped newline stays escaped";
  EXPECT_NE(whole[4].data.find("\"total_tokens\":12"), std::string::npos);
  EXPECT_EQ(whole[5].data, "[DONE]");
  for (const auto& event : whole) EXPECT_EQ(event.event, "");
  expect_same(parse_bytewise(kOpenAiStream), whole);
}

TEST(SseParser, AnthropicStreamByteByByte) {
  const auto whole = parse_whole(kAnthropicStream);
  ASSERT_EQ(whole.size(), 8u);
  const std::vector<std::string> types{"message_start",       "content_block_start", "ping",
                                       "content_block_delta", "content_block_delta", "content_block_stop",
                                       "message_delta",       "message_stop"};
  for (std::size_t i = 0; i < types.size(); ++i) {
    EXPECT_EQ(whole[i].event, types[i]);
    EXPECT_NE(whole[i].data.find("\"type\":"), std::string::npos) << whole[i].data;
  }
  EXPECT_EQ(whole[2].data, "{\"type\": \"ping\"}");
  expect_same(parse_bytewise(kAnthropicStream), whole);
}

TEST(SseParser, EverySplitPointGivesTheSameEvents) {
  const std::string_view stream = "event: a\r\ndata: 1\r\n\r\n: c\rdata: 2\rdata: 3\r\r\nid: 9\ndata: 4\n\n";
  const auto whole = parse_whole(stream);
  ASSERT_EQ(whole.size(), 3u);
  EXPECT_EQ(whole[1].data, "2\n3");
  for (std::size_t i = 0; i <= stream.size(); ++i) {
    for (std::size_t j = i; j <= stream.size(); ++j) {
      SseParser parser;
      std::vector<SseEvent> events;
      parser.feed(stream.substr(0, i), events);
      parser.feed(stream.substr(i, j - i), events);
      parser.feed(stream.substr(j), events);
      SCOPED_TRACE(testing::Message() << "split at " << i << "," << j);
      expect_same(events, whole);
    }
  }
}

TEST(SseWriter, FormatsData) {
  EXPECT_EQ(format_sse_data("{\"a\":1}"), "data: {\"a\":1}\n\n");
  EXPECT_EQ(format_sse_data("[DONE]"), "data: [DONE]\n\n");
  EXPECT_EQ(format_sse_data(""), "data: \n\n");
}

TEST(SseWriter, FormatsEvent) {
  EXPECT_EQ(format_sse_event("message_stop", "{\"type\":\"message_stop\"}"),
            "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
}

TEST(SseWriter, SplitsMultiLineData) {
  EXPECT_EQ(format_sse_data("a\nb\r\nc\rd"), "data: a\ndata: b\ndata: c\ndata: d\n\n");
  EXPECT_EQ(format_sse_event("e", "x\n"), "event: e\ndata: x\ndata: \n\n");
  EXPECT_EQ(format_sse_event("bad\nname", "x"), "event: bad\ndata: x\n\n");
}

TEST(SseWriter, AppendsIntoExistingBuffer) {
  std::string out = "data: first\n\n";
  append_sse_data(out, "second");
  append_sse_event(out, "ping", "{}");
  EXPECT_EQ(out, "data: first\n\ndata: second\n\nevent: ping\ndata: {}\n\n");
}

TEST(SseWriter, RoundTripsThroughParser) {
  std::string out;
  const std::vector<std::string> payloads{"plain", "two\nlines", "", "trailing\n", "crlf\r\ninside"};
  for (const auto& p : payloads) append_sse_event(out, "t", p);
  const auto events = parse_bytewise(out);
  ASSERT_EQ(events.size(), payloads.size());
  EXPECT_EQ(events[0].data, "plain");
  EXPECT_EQ(events[1].data, "two\nlines");
  EXPECT_EQ(events[2].data, "");
  EXPECT_EQ(events[3].data, "trailing\n");
  EXPECT_EQ(events[4].data, "crlf\ninside");  // line breaks normalise to \n, as in any SSE reader
  for (const auto& e : events) EXPECT_EQ(e.event, "t");
}

}  // namespace
}  // namespace llmux::net
