#include "providers/openai_chunk_scan.hpp"

#include <gtest/gtest.h>

#include <string>

namespace llmux::providers {
namespace {

TEST(ScanChunkKeys, FindsEachKeyInAnOrdinaryChunk) {
  const std::string chunk =
      R"({"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null})";
  const ChunkKeys keys = scan_chunk_keys(chunk);
  EXPECT_TRUE(keys.finish_reason);
  EXPECT_FALSE(keys.error);
  EXPECT_EQ(keys.usage_count, 1u);
  EXPECT_EQ(keys.first_usage, chunk.find("\"usage\""));
}

TEST(ScanChunkKeys, NullFinishReasonDoesNotCount) {
  EXPECT_FALSE(scan_chunk_keys(R"({"choices":[{"finish_reason":null}]})").finish_reason);
  EXPECT_FALSE(scan_chunk_keys(R"({"choices":[{"finish_reason" :  null}]})").finish_reason);
  EXPECT_TRUE(scan_chunk_keys(R"({"choices":[{"finish_reason" : "length"}]})").finish_reason);
  // Any choice's: the second of two.
  EXPECT_TRUE(
      scan_chunk_keys(R"({"choices":[{"finish_reason":null},{"finish_reason":"stop"}]})").finish_reason);
  // A key that ends the text has no value to read.
  EXPECT_FALSE(scan_chunk_keys(R"({"finish_reason")").finish_reason);
}

TEST(ScanChunkKeys, EscapedQuotesInStringsDoNotMatch) {
  const ChunkKeys keys = scan_chunk_keys(
      R"({"choices":[{"delta":{"content":"\"usage\":1 \"error\" \"finish_reason\":\"stop\""}}]})");
  EXPECT_FALSE(keys.finish_reason);
  EXPECT_FALSE(keys.error);
  EXPECT_EQ(keys.usage_count, 0u);
  EXPECT_EQ(keys.first_usage, std::string_view::npos);
}

TEST(ScanChunkKeys, CountsEveryUsageAndFindsErrors) {
  const std::string chunk = R"({"x":{"usage":null},"usage":{"prompt_tokens":1},"error":{"message":"m"}})";
  const ChunkKeys keys = scan_chunk_keys(chunk);
  EXPECT_EQ(keys.usage_count, 2u);
  EXPECT_EQ(keys.first_usage, chunk.find("\"usage\""));
  EXPECT_TRUE(keys.error);
}

TEST(ScanChunkKeys, KeysAtEveryOffsetAndWordBoundary) {
  // The scan reads 32, 16 and 8 bytes at a time: the key must be found wherever it falls.
  for (std::size_t pad = 0; pad < 72; ++pad) {
    const std::string chunk = "{" + std::string(pad, ' ') + R"("error":1,"finish_reason":"stop","usage":2})";
    const ChunkKeys keys = scan_chunk_keys(chunk);
    EXPECT_TRUE(keys.error) << pad;
    EXPECT_TRUE(keys.finish_reason) << pad;
    EXPECT_EQ(keys.usage_count, 1u) << pad;
    EXPECT_EQ(keys.first_usage, chunk.find("\"usage\"")) << pad;
  }
  // Cut short anywhere, nothing reads past the end.
  const std::string full = R"({"finish_reason":"stop","error":1,"usage":2})";
  for (std::size_t size = 0; size < full.size(); ++size) {
    const ChunkKeys keys = scan_chunk_keys(std::string_view(full).substr(0, size));
    EXPECT_EQ(keys.finish_reason, size > full.find(":\"stop") + 1) << size;  // needs the value's first byte
  }
}

TEST(ScanChunkKeys, PortableScanAgreesWithTheFastOne) {
  const std::string chunks[] = {
      R"({"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"fue \"usage\""},"finish_reason":null}],"usage":null})",
      R"({"choices":[],"usage":{"prompt_tokens":1},"x":{"usage":null},"error":1,"finish_reason":"stop"})",
      R"({"error":{"message":"engine died"}})",
      R"("u"e"f")",
  };
  for (const std::string& chunk : chunks) {
    for (std::size_t size = 0; size <= chunk.size(); ++size) {
      const std::string_view text = std::string_view(chunk).substr(0, size);
      const ChunkKeys fast = scan_chunk_keys(text);
      const ChunkKeys portable = detail::scan_chunk_keys_portable(text, 0);
      EXPECT_EQ(fast.finish_reason, portable.finish_reason) << text;
      EXPECT_EQ(fast.error, portable.error) << text;
      EXPECT_EQ(fast.usage_count, portable.usage_count) << text;
      EXPECT_EQ(fast.first_usage, portable.first_usage) << text;
    }
  }
  const ChunkKeys keys = detail::scan_chunk_keys_portable(chunks[1], 0);
  EXPECT_TRUE(keys.finish_reason);
  EXPECT_TRUE(keys.error);
  EXPECT_EQ(keys.usage_count, 2u);
}

}  // namespace
}  // namespace llmux::providers
