// skim_member: finding a member of an answer without validating it.

#include "api/json_skim.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>

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
