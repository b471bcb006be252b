// The block scans of json_text.hpp against their byte-by-byte definitions: every start, every
// length around the 16-byte block (and 8-byte word) size, every kind of byte that ends a run.

#include "api/json_text.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace llmux::api::json_text {
namespace {

std::size_t plain_run_end_by_bytes(const std::string& s, std::size_t i) {
  while (i < s.size() && is_plain(static_cast<unsigned char>(s[i]))) ++i;
  return i;
}

TEST(JsonText, PlainRunEndStopsAtEveryKindOfByteAtEveryOffset) {
  // The bytes that end a run, and the plain bytes next to the limits (0x20, 0x7F).
  const std::string stoppers = std::string("\"\\\x1F\x80\xFF\xC3", 6) + std::string(1, '\0');
  for (std::size_t len = 0; len <= 50; ++len) {
    for (std::size_t at = 0; at < len; ++at) {
      for (char stop : stoppers) {
        std::string text(len, 'x');
        if (len > 2) text[len / 2] = (at % 2) ? ' ' : '\x7F';  // plain, at the class limits
        text[at] = stop;
        for (std::size_t from = 0; from <= len; ++from) {
          const std::size_t want = plain_run_end_by_bytes(text, from);
          ASSERT_EQ(plain_run_end(text.data(), from, len), want) << len << "/" << at << "/" << from;
          ASSERT_EQ(plain_run_end_swar(text.data(), from, len), want) << len << "/" << at << "/" << from;
        }
      }
    }
  }
}

TEST(JsonText, PlainRunEndAgreesWithTheDefinitionOnRandomText) {
  std::mt19937 rng(7);
  for (int round = 0; round < 3000; ++round) {
    const std::size_t len = rng() % 80;
    std::string text(len, 'a');
    for (char& c : text) {
      const unsigned roll = rng() % 40;
      c = roll == 0 ? '"' : roll == 1 ? '\\' : roll == 2 ? '\n' : roll == 3 ? '\xE4' : static_cast<char>('a' + roll % 26);
    }
    const std::size_t from = len ? rng() % (len + 1) : 0;
    const std::size_t want = plain_run_end_by_bytes(text, from);
    ASSERT_EQ(plain_run_end(text.data(), from, len), want) << text;
    ASSERT_EQ(plain_run_end_swar(text.data(), from, len), want) << text;
  }
}

TEST(JsonText, FindFirstReadsNothingPastTheEnd) {
  // The end of the text is the end of an allocation: a read past it would be seen by ASan and
  // valgrind. The byte after the range is a match that must not be reported.
  for (std::size_t len = 0; len <= 40; ++len) {
    std::string backing(len, 'x');
    backing += '"';
    for (std::size_t from = 0; from <= len; ++from) {
      EXPECT_EQ(plain_run_end(backing.data(), from, len), len) << len << "/" << from;
    }
  }
}

TEST(JsonText, Utf8SequenceLengthFollowsTable3_7) {
  const auto length = [](std::string_view s) {
    return utf8_sequence_length(reinterpret_cast<const unsigned char*>(s.data()), s.size());
  };
  EXPECT_EQ(length("a"), 1u);
  EXPECT_EQ(length("\xC3\xA9"), 2u);
  EXPECT_EQ(length("\xE4\xB8\xAD"), 3u);
  EXPECT_EQ(length("\xF0\x9F\x98\x80"), 4u);
  EXPECT_EQ(length("\xC0\x80"), 0u);          // overlong
  EXPECT_EQ(length("\xE0\x80\x80"), 0u);      // overlong
  EXPECT_EQ(length("\xED\xA0\x80"), 0u);      // a surrogate
  EXPECT_EQ(length("\xF4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(length("\xE4\xB8"), 0u);          // cut short
  EXPECT_EQ(length("\xE4\xB8x"), 0u);         // not a continuation byte
}

}  // namespace
}  // namespace llmux::api::json_text
