#include "net/chunked_decoder.hpp"

#include <gtest/gtest.h>

#include <string>

namespace llmux::net {
namespace {

// Feeds `wire` in pieces of `step` bytes, as reads would bring it: unconsumed bytes (a partial
// line) are kept and fed again with the next piece. Returns the body, or "FAILED: why".
std::string decode_in_pieces(const std::string& wire, std::size_t step, std::size_t* left_over = nullptr) {
  ChunkedDecoder decoder;
  std::string pending;
  std::string body;
  for (std::size_t at = 0; at < wire.size() && !decoder.done(); at += step) {
    pending += wire.substr(at, step);
    const auto result = decoder.decode(pending.data(), pending.size());
    if (decoder.failed()) return "FAILED: " + std::string(decoder.error());
    body.append(result.data);
    pending.erase(0, result.consumed);
  }
  if (!decoder.done()) return "UNFINISHED: " + body;
  if (left_over) *left_over = pending.size();
  return body;
}

std::string chunk(std::string_view data) {
  char size[20];
  const int n = std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  return std::string(size, static_cast<std::size_t>(n)) + std::string(data) + "\r\n";
}

TEST(ChunkedDecoder, JoinsTheChunksOfOneReadIntoOneContiguousRun) {
  std::string wire = chunk("data: one\n\n") + chunk("data: two\n\n") + "0\r\n\r\n";
  ChunkedDecoder decoder;
  const auto step = decoder.decode(wire.data(), wire.size());
  EXPECT_TRUE(decoder.done());
  EXPECT_EQ(step.consumed, wire.size());
  EXPECT_EQ(step.data, "data: one\n\ndata: two\n\n");
  // The run lies inside the buffer it was given: nothing was copied out.
  EXPECT_GE(step.data.data(), wire.data());
  EXPECT_LE(step.data.data() + step.data.size(), wire.data() + wire.size());
}

TEST(ChunkedDecoder, GivesTheSameBodyHoweverTheBytesAreSplit) {
  const std::string body = "data: {\"a\":1}\n\ndata: {\"b\":\"" + std::string(300, 'x') + "\"}\n\ndata: [DONE]\n\n";
  std::string wire;
  for (std::size_t at = 0; at < body.size(); at += 37) wire += chunk(body.substr(at, 37));
  wire += "0\r\n\r\n";
  for (std::size_t step = 1; step <= wire.size(); ++step) {
    ASSERT_EQ(decode_in_pieces(wire, step), body) << "pieces of " << step;
  }
}

TEST(ChunkedDecoder, HandsOutPartOfAChunkWithoutWaitingForTheRest) {
  std::string wire = "10\r\n0123456789";  // 16 bytes declared, 10 here
  ChunkedDecoder decoder;
  const auto step = decoder.decode(wire.data(), wire.size());
  EXPECT_EQ(step.data, "0123456789");
  EXPECT_EQ(step.consumed, wire.size());
  EXPECT_FALSE(decoder.done());
  std::string rest = "abcdef\r\n0\r\n\r\n";
  const auto second = decoder.decode(rest.data(), rest.size());
  EXPECT_EQ(second.data, "abcdef");
  EXPECT_TRUE(decoder.done());
}

TEST(ChunkedDecoder, KeepsAPartialSizeLineForTheNextRead) {
  std::string wire = chunk("abc") + "1";  // the next size line has begun
  ChunkedDecoder decoder;
  const auto step = decoder.decode(wire.data(), wire.size());
  EXPECT_EQ(step.data, "abc");
  EXPECT_EQ(step.consumed, wire.size() - 1);
  EXPECT_FALSE(decoder.done());
}

TEST(ChunkedDecoder, AcceptsExtensionsUpperCaseHexBareLfAndTrailers) {
  const std::string wire = "A;name=value\r\n0123456789\r\n3 ; x\nabc\n0\r\nExpires: never\r\nX-Other: 1\r\n\r\n";
  EXPECT_EQ(decode_in_pieces(wire, wire.size()), "0123456789abc");
  EXPECT_EQ(decode_in_pieces(wire, 1), "0123456789abc");
}

TEST(ChunkedDecoder, LeavesWhatFollowsTheBodyUnconsumed) {
  const std::string wire = chunk("abc") + "0\r\n\r\nHTTP/1.1 200 OK\r\n";
  std::size_t left_over = 0;
  EXPECT_EQ(decode_in_pieces(wire, wire.size(), &left_over), "abc");
  EXPECT_EQ(left_over, std::string("HTTP/1.1 200 OK\r\n").size());
}

TEST(ChunkedDecoder, RefusesMalformedFraming) {
  EXPECT_EQ(decode_in_pieces("zz\r\nab\r\n0\r\n\r\n", 64), "FAILED: bad chunk size");
  EXPECT_EQ(decode_in_pieces("\r\nab\r\n0\r\n\r\n", 64), "FAILED: bad chunk size");
  EXPECT_EQ(decode_in_pieces("2x\r\nab\r\n0\r\n\r\n", 64), "FAILED: bad chunk size");
  EXPECT_EQ(decode_in_pieces("2\r\nabc\r\n0\r\n\r\n", 64), "FAILED: chunk data not followed by CRLF");
  EXPECT_EQ(decode_in_pieces("2\r\nab\rx0\r\n\r\n", 64), "FAILED: chunk data not followed by CRLF");
  EXPECT_EQ(decode_in_pieces("10000000000000000\r\n", 64), "FAILED: chunk size too large");
  EXPECT_EQ(decode_in_pieces("2;" + std::string(ChunkedDecoder::kMaxLineBytes, 'x'), 512),
            "FAILED: chunk header or trailer line too long");
  std::string trailers = "0\r\n";
  while (trailers.size() <= ChunkedDecoder::kMaxTrailerBytes) trailers += "X-Filler: " + std::string(100, 'y') + "\r\n";
  EXPECT_EQ(decode_in_pieces(trailers + "\r\n", 4096), "FAILED: trailer fields too large");
}

TEST(ChunkedDecoder, ATruncatedBodyIsNotDone) {
  EXPECT_EQ(decode_in_pieces(chunk("abc") + "5\r\nab", 3), "UNFINISHED: abcab");
  EXPECT_EQ(decode_in_pieces(chunk("abc") + "0\r\n", 3), "UNFINISHED: abc");
}

TEST(ChunkedDecoder, ResetStartsTheNextBody) {
  ChunkedDecoder decoder;
  std::string first = chunk("one") + "0\r\n\r\n";
  decoder.decode(first.data(), first.size());
  ASSERT_TRUE(decoder.done());
  decoder.reset();
  std::string second = chunk("two");
  EXPECT_EQ(decoder.decode(second.data(), second.size()).data, "two");
  EXPECT_FALSE(decoder.done());
}

}  // namespace
}  // namespace llmux::net
