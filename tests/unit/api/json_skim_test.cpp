// skim_member: finding a member of an answer without validating it.

#include "api/json_skim.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/json_scan.hpp"

namespace llmux::api {
namespace {

using Found = std::optional<std::string_view>;

TEST(JsonSkim, FindsTopLevelMembersOfEveryKind) {
  const std::string_view text =
      R"( { "id" : "x", "n": -1.5e3, "t":true, "z":null, "list":[1,[2,{"a":"]"}]], "usage" : {"k": 1} } )";
  EXPECT_EQ(skim_member(text, "id"), Found(R"("x")"));
  EXPECT_EQ(skim_member(text, "n"), Found("-1.5e3"));
  EXPECT_EQ(skim_member(text, "t"), Found("true"));
  EXPECT_EQ(skim_member(text, "z"), Found("null"));
  EXPECT_EQ(skim_member(text, "list"), Found(R"([1,[2,{"a":"]"}]])"));
  EXPECT_EQ(skim_member(text, "usage"), Found(R"({"k": 1})"));
  EXPECT_EQ(skim_member(text, "k"), std::nullopt);  // nested members are not top-level
  EXPECT_EQ(skim_member(text, "absent"), std::nullopt);
}

TEST(JsonSkim, AgreesWithTheValidatingReaderOnValidText) {
  const std::string_view text =
      R"({"choices":[{"message":{"content":"say \"usage\": {} and \\"}}],"usage":{"prompt_tokens":3},)"
      R"("tail":"\\\"","usage":{"prompt_tokens":4}})";
  EXPECT_EQ(skim_member(text, "usage"), find_member(text, "usage"));
  EXPECT_EQ(skim_member(text, "usage"), Found(R"({"prompt_tokens":4})"));  // the last duplicate
  EXPECT_EQ(skim_member(text, "tail"), Found(R"("\\\"")"));
  EXPECT_EQ(skim_member(text, "choices"), find_member(text, "choices"));
}

TEST(JsonSkim, QuotesAndBracketsInsideStringsDoNotCount) {
  const std::string_view text = R"({"a":"}{][,:\"","b":["\\",{"c":"\"}"}],"usage":1})";
  EXPECT_EQ(skim_member(text, "a"), Found(R"("}{][,:\"")"));
  EXPECT_EQ(skim_member(text, "b"), Found(R"(["\\",{"c":"\"}"}])"));
  EXPECT_EQ(skim_member(text, "usage"), Found("1"));
}

TEST(JsonSkim, EscapedKeysAreCompared) {
  EXPECT_EQ(skim_member(R"({"us\u0061ge":7})", "usage"), Found("7"));
}

TEST(JsonSkim, UsageTextInsideLongContentIsNotTheMember) {
  // The skim jumps a block at a time to the next quote, bracket or backslash: shift the decoys
  // (a quoted "usage" member, brackets, escaped quotes and backslashes) across every block
  // offset of a content string longer than a block.
  const std::vector<std::string> decoys = {
      R"(\"usage\": {\"prompt_tokens\": 99}, ])", R"(}]}, \"usage\": 1, {\"a\":[)", R"(\\)", R"(\\\")",
      R"(\\\\\"usage\\\\\":)", "\xE4\xB8\xAD\\\"", R"(\u0022usage\u0022:)"};
  for (const std::string& decoy : decoys) {
    for (std::size_t pad = 0; pad < 40; ++pad) {
      for (std::size_t tail : {0, 7, 16, 33}) {
        const std::string text = R"({"id":"x","choices":[{"message":{"content":")" + std::string(pad, 'p') + decoy +
                                 std::string(tail, 't') + R"("}}],"usage":{"prompt_tokens":3},"z":")" +
                                 std::string(pad, 'q') + decoy + R"("})";
        ASSERT_EQ(skim_member(text, "usage"), Found(R"({"prompt_tokens":3})")) << text;
        ASSERT_EQ(skim_member(text, "choices"), find_member(text, "choices")) << text;
        ASSERT_EQ(skim_member(text, "z"), find_member(text, "z")) << text;
      }
    }
  }
}

TEST(JsonSkim, EscapeOrStringRunningOffTheEndFindsNothing) {
  // Every length around the block size, the text ending inside a string, right after a
  // backslash, or with the closing quote escaped.
  for (std::size_t pad = 0; pad < 40; ++pad) {
    const std::string head = R"({"usage":{"a":")" + std::string(pad, 'p');
    for (std::string_view end : {"", "\\", "\\\"", "\\\"}}", "\"", "\"}"}) {
      const std::string text = head + std::string(end);
      EXPECT_EQ(skim_member(text, "usage"), std::nullopt) << text;
    }
    EXPECT_EQ(skim_member(head + "\"}}", "usage"), Found(R"({"a":")" + std::string(pad, 'p') + "\"}"));
  }
}

TEST(JsonSkim, BrokenStructureFindsNothing) {
  for (std::string_view text : {"", "[]", "\"usage\"", "{", "{}", R"({"usage":1)", R"({"usage" 1})",
                                R"({"usage":})", R"({"usage":1,})", R"({"usage":1 "b":2})",
                                R"({"usage":"open})", R"({"usage":{"k":1})", R"({usage:1})",
                                R"({"a":[1,2,"usage":1})"}) {
    EXPECT_EQ(skim_member(text, "usage"), std::nullopt) << text;
  }
}

TEST(JsonSkim, DamageInsideStringsIsNotLookedFor) {
  // Invalid UTF-8 and a bad escape in a string the gateway never reads: the usage is still found.
  const std::string text = std::string(R"({"content":"caf)") + "\xC3" + R"(\q","usage":{"k":2}})";
  EXPECT_EQ(skim_member(text, "usage"), Found(R"({"k":2})"));
}

}  // namespace
}  // namespace llmux::api
