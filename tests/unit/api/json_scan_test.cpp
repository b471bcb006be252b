#include "api/json_scan.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <random>
#include <string>
#include <vector>

namespace llmux::api {
namespace {

namespace bj = boost::json;

bool boost_parses(std::string_view text) {
  boost::system::error_code ec;
  bj::parse(text, ec);
  return !ec;
}

bj::value parse_or_fail(std::string_view text) {
  boost::system::error_code ec;
  bj::value v = bj::parse(text, ec);
  EXPECT_FALSE(ec) << "Boost.JSON rejected: " << text;
  return v;
}

// ---------------------------------------------------------------- validation

TEST(ValidateJson, AcceptsValidDocuments) {
  const std::vector<std::string> valid = {
      "{}",
      "[]",
      " \t\r\n{} \n",
      "0",
      "-0",
      "-0.5e+3",
      "1E10",
      "1e-7",
      "12.500",
      "123456789012345678901234567890",
      "true",
      "false",
      "null",
      R"("")",
      R"("a\"b\\c\/d\b\f\n\r\t")",
      R"("\u00e9\u4e2d\uD83D\uDE00")",
      "\"caf\xC3\xA9 \xE4\xB8\xAD \xF0\x9F\x98\x80\"",
      R"({"a":[1,2,{"b":null}],"c":{"d":"e"}})",
      R"([[],[{}],{"":""}])",
      R"({"a":1,"a":2})",
      "\"\x7F\"",
  };
  for (const auto& text : valid) {
    EXPECT_TRUE(validate_json(text)) << text << " : " << find_json_error(text)->reason;
    EXPECT_TRUE(boost_parses(text)) << text;  // the reference agrees
  }
}

TEST(ValidateJson, RejectsInvalidDocuments) {
  const std::vector<std::string> invalid = {
      "",
      "   ",
      "{",
      "}",
      R"({"a":1,})",
      "[1,]",
      "{,}",
      "[,1]",
      R"({"a" 1})",
      R"({"a":})",
      R"({a:1})",
      R"({'a':1})",
      R"({"a":1}})",
      R"({"a":1} x)",
      "{} {}",
      "01",
      "-01",
      "00",
      "-",
      "1.",
      ".5",
      "1e",
      "1e+",
      "+1",
      "0x10",
      "NaN",
      "Infinity",
      "-Infinity",
      "tru",
      "nul",
      "True",
      R"("\x")",
      R"("\u12")",
      R"("\u12G4")",
      "\"abc",
      "\"a\nb\"",
      "\"a\x01\"",
      "\"\xC0\x80\"",
      "\"\xED\xA0\x80\"",
      "\"\xF5\x80\x80\x80\"",
      "\"\xE2\x82\"",
      "\"\x80\"",
      "[1 2]",
      R"({"a":1 "b":2})",
      "// c\n{}",
      "{\"a\":1,\"b\":[}",
  };
  for (const auto& text : invalid) {
    EXPECT_FALSE(validate_json(text)) << text;
    EXPECT_FALSE(boost_parses(text)) << text;
  }
}

TEST(ValidateJson, RejectsLoneSurrogatesByDesign) {
  // RFC 8259 leaves these to the implementation; we refuse them (see json_scan.hpp).
  for (std::string_view text : {R"("\ud800")", R"("\udc00")", R"("\ud800\u0041")", R"("\udc00\ud800")",
                                R"("\ud800x")", R"("\uDBFF\uDBFF")"}) {
    auto err = find_json_error(text);
    ASSERT_TRUE(err) << text;
    EXPECT_EQ(err->reason, "lone surrogate in \\u escape") << text;
  }
  EXPECT_TRUE(validate_json(R"("\uDBFF\uDFFF")"));  // U+10FFFF
}

TEST(ValidateJson, ReportsWhereAndWhy) {
  auto err = find_json_error(R"({"a":1,})");
  ASSERT_TRUE(err);
  EXPECT_EQ(err->reason, "trailing comma");
  EXPECT_EQ(err->offset, 7u);

  err = find_json_error("01");
  ASSERT_TRUE(err);
  EXPECT_EQ(err->reason, "leading zero in number");

  err = find_json_error(R"({"a":"b)");
  ASSERT_TRUE(err);
  EXPECT_EQ(err->reason, "unterminated string");
  EXPECT_EQ(err->offset, 5u);

  err = find_json_error(R"("\q")");
  ASSERT_TRUE(err);
  EXPECT_EQ(err->reason, "invalid escape");

  err = find_json_error("{} x");
  ASSERT_TRUE(err);
  EXPECT_EQ(err->reason, "unexpected data after the JSON value");
  EXPECT_EQ(err->offset, 3u);
}

TEST(ValidateJson, NestingLimit) {
  const auto nested = [](int depth, char open, char close) {
    return std::string(depth, open) + std::string(depth, close);
  };
  EXPECT_TRUE(validate_json(nested(kMaxJsonDepth, '[', ']')));
  EXPECT_FALSE(validate_json(nested(kMaxJsonDepth + 1, '[', ']')));
  EXPECT_EQ(find_json_error(nested(kMaxJsonDepth + 1, '[', ']'))->reason, "nesting too deep");
  EXPECT_FALSE(validate_json(nested(100000, '[', ']')));  // no stack overflow

  std::string objects;
  for (int i = 0; i < kMaxJsonDepth; ++i) objects += R"({"a":)";
  objects += "1" + std::string(kMaxJsonDepth, '}');
  EXPECT_TRUE(validate_json(objects));
}

TEST(ValidateJson, FastPathSeesSpecialBytesAtEveryOffset) {
  // The string scanner skips 8 clean bytes at a time; put each kind of special byte at
  // every position of a word, in strings of several lengths.
  for (std::size_t len = 0; len < 40; ++len) {
    for (std::size_t at = 0; at < len; ++at) {
      std::string base(len, 'x');
      std::string ok = base;
      ok[at] = '\x7F';
      EXPECT_TRUE(validate_json("\"" + ok + "\""));
      std::string ctrl = base;
      ctrl[at] = '\x1F';
      EXPECT_FALSE(validate_json("\"" + ctrl + "\"")) << len << "/" << at;
      std::string quote = base;
      quote[at] = '"';
      EXPECT_FALSE(validate_json("\"" + quote + "\"")) << len << "/" << at;
      std::string esc = base;
      esc.replace(at, 1, "\\n");
      EXPECT_TRUE(validate_json("\"" + esc + "\"")) << len << "/" << at;
      std::string bad_utf8 = base;
      bad_utf8[at] = '\xFF';
      EXPECT_FALSE(validate_json("\"" + bad_utf8 + "\"")) << len << "/" << at;
      std::string utf8 = base;
      utf8.replace(at, 1, "\xC3\xA9");
      EXPECT_TRUE(validate_json("\"" + utf8 + "\"")) << len << "/" << at;
    }
  }
}

TEST(ValidateJson, StringsInsideALongDocumentAtEveryBlockOffset) {
  // Inside a long body the scanner reads whole 16-byte blocks: put multi-byte characters,
  // escapes and bad bytes across every block boundary, and agree with Boost.JSON (which also
  // validates UTF-8) on every verdict.
  const std::vector<std::string> pieces = {
      "\xC3\xA9",          "\xE4\xB8\xAD",      "\xF0\x9F\x98\x80",  "\\n",    "\\u00e9",
      "\\uD83D\\uDE00",    "\\\\",              "\\\"",              "\\/",    "\xE4\xB8\xAD\xE6\x96\x87",
      "\xE4\xB8",          "\xE4\xB8x",         "\xF0\x9F\x98",      "\xC3",   "\x80",
      "\xFF",              "\xED\xA0\x80",      "\x1F",              "\x7F",   "\\x",
      "\\u00g0",           "\\",                "\xC3\xA9\x01",      "\xE4\xB8\xAD\""};
  for (const std::string& piece : pieces) {
    for (std::size_t pad = 0; pad < 40; ++pad) {
      for (std::size_t tail : {0, 1, 15, 16, 17, 40}) {
        const std::string body = R"({"model":"m","messages":[{"role":"user","content":")" + std::string(pad, 'p') +
                                 piece + std::string(tail, 't') + R"("}],"n":1})";
        ASSERT_EQ(validate_json(body), boost_parses(body)) << body;
      }
    }
  }
}

TEST(ValidateJson, NonAsciiRunsAreValidatedToTheirEnd) {
  const std::string cjk = "\xE4\xB8\xAD\xE6\x96\x87\xE6\x96\x87\xE5\xAD\x97";  // 中文文字
  EXPECT_TRUE(validate_json("[\"" + cjk + cjk + cjk + "\"]"));
  EXPECT_TRUE(validate_json("[\"" + cjk + "\"," + std::string(30, ' ') + "\"" + cjk + "x\"]"));
  EXPECT_FALSE(validate_json("[\"" + cjk + "\xFF" + cjk + "\"]"));               // bad byte mid-run
  EXPECT_FALSE(validate_json("[\"" + cjk + "\xE4\xB8\"" + std::string(20, ' ') + "]"));  // cut by the quote
  EXPECT_FALSE(validate_json("[\"" + cjk + "\n\"]"));                             // control after a run
  EXPECT_EQ(find_json_error("[\"" + cjk + "\xFF\"]")->offset, 2 + cjk.size());
}

// ---------------------------------------------------------------- reading

TEST(TopLevelMembers, SpansAndRawKeys) {
  const std::string body = R"( { "model" : "gpt-4o" ,"k\"ey":[1, 2], "n":null } )";
  auto members = top_level_members(body);
  ASSERT_TRUE(members);
  ASSERT_EQ(members->size(), 3u);
  const auto& m = (*members)[0];
  EXPECT_EQ(m.key_raw, "model");
  EXPECT_EQ(body.substr(m.member_begin, m.member_end - m.member_begin), R"("model" : "gpt-4o")");
  EXPECT_EQ(m.value(body), R"("gpt-4o")");
  EXPECT_EQ((*members)[1].key_raw, R"(k\"ey)");
  EXPECT_EQ((*members)[1].value(body), "[1, 2]");
  EXPECT_EQ((*members)[2].value(body), "null");
}

TEST(TopLevelMembers, NulloptUnlessAValidObject) {
  EXPECT_FALSE(top_level_members("[]"));
  EXPECT_FALSE(top_level_members("\"x\""));
  EXPECT_FALSE(top_level_members(R"({"a":1,})"));
  EXPECT_FALSE(top_level_members(R"({"a":1} [])"));
  EXPECT_FALSE(top_level_members(R"({"a":[1,}})"));
  auto empty = top_level_members(" {} ");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
}

TEST(MemberCursor, ReportsErrors) {
  MemberCursor cursor(R"({"a":1,"b":tru})");
  Member m;
  EXPECT_TRUE(cursor.next(m));
  EXPECT_FALSE(cursor.next(m));
  ASSERT_TRUE(cursor.error());
  EXPECT_EQ(cursor.error()->reason, "invalid literal");
  EXPECT_FALSE(cursor.next(m));  // stays stopped

  MemberCursor not_object("[1]");
  EXPECT_FALSE(not_object.next(m));
  ASSERT_TRUE(not_object.error());
  EXPECT_EQ(not_object.error()->reason, "expected an object");
}

// A bound on members per object, duplicates counted, for the top level and every nested object.
TEST(MemberCursor, MemberLimit) {
  const auto count_members = [](std::string_view text, std::size_t limit, std::size_t& read) {
    MemberCursor cursor(text, limit);
    Member m;
    read = 0;
    while (cursor.next(m)) ++read;
    return cursor.error();
  };
  std::size_t read = 0;
  EXPECT_FALSE(count_members(R"({"a":1,"a":2,"b":3})", 3, read));
  EXPECT_EQ(read, 3u);
  auto error = count_members(R"({"a":1,"a":2,"b":3})", 2, read);
  ASSERT_TRUE(error);
  EXPECT_TRUE(error->over_member_limit);
  EXPECT_EQ(error->offset, 13u);  // the third key
  EXPECT_EQ(read, 2u);

  error = count_members(R"({"a":{"x":1,"y":2,"z":3}})", 2, read);
  ASSERT_TRUE(error);
  EXPECT_TRUE(error->over_member_limit);
  EXPECT_EQ(read, 0u);
  error = count_members(R"({"a":[{"x":1},{"x":1,"y":2,"z":3}]})", 2, read);
  ASSERT_TRUE(error);
  EXPECT_TRUE(error->over_member_limit);

  // A syntax error is still a syntax error, and arrays are not objects.
  error = count_members(R"({"a":tru})", 2, read);
  ASSERT_TRUE(error);
  EXPECT_FALSE(error->over_member_limit);
  EXPECT_FALSE(count_members(R"({"a":[1,2,3,4,5]})", 1, read));

  EXPECT_FALSE(find_json_error(R"([{"a":1,"b":2}])", 2));
  ASSERT_TRUE(find_json_error(R"([{"a":1,"b":2}])", 1));
  EXPECT_TRUE(find_json_error(R"([{"a":1,"b":2}])", 1)->over_member_limit);
}

TEST(ElementCursor, WalksElements) {
  ElementCursor cursor(R"([ 1 , "two", {"three":3}, [4] ])");
  std::vector<std::string_view> elements;
  std::string_view e;
  while (cursor.next(e)) elements.push_back(e);
  EXPECT_FALSE(cursor.error());
  EXPECT_EQ(elements, (std::vector<std::string_view>{"1", R"("two")", R"({"three":3})", "[4]"}));

  ElementCursor bad("[1,]");
  while (bad.next(e)) {
  }
  ASSERT_TRUE(bad.error());
  EXPECT_EQ(bad.error()->reason, "trailing comma");
}

TEST(FindMember, NestedLastWinsAndEscapedKeys) {
  const std::string body = R"({"stream_options":{"include_usage":false,"include_usage":true},"x":1})";
  auto so = find_member(body, "stream_options");
  ASSERT_TRUE(so);
  auto iu = find_member(*so, "include_usage");
  ASSERT_TRUE(iu);
  EXPECT_EQ(*iu, "true");
  EXPECT_FALSE(find_member(*so, "missing"));
  EXPECT_FALSE(find_member("[1]", "x"));
  EXPECT_EQ(find_member(R"({"mo\u0064el":"a"})", "model"), R"("a")");
  EXPECT_FALSE(find_member(R"({"mode\"l":"a"})", "model"));
}

TEST(MemberCursor, KnowsWhichKeysAreEscaped) {
  const std::string body = R"({"model":1,"mo\u0064el":2,"a\"b":3,"messages":4})";
  MemberCursor cursor(body);
  Member m;
  std::vector<std::pair<bool, bool>> seen;  // key_escaped, key_is("model")
  while (cursor.next(m)) seen.emplace_back(m.key_escaped, m.key_is("model"));
  ASSERT_FALSE(cursor.error());
  EXPECT_EQ(seen, (std::vector<std::pair<bool, bool>>{{false, true}, {true, true}, {true, false}, {false, false}}));
}

TEST(KeyEquals, PlainAndEscaped) {
  EXPECT_TRUE(key_equals("model", "model"));
  EXPECT_FALSE(key_equals("model", "models"));
  EXPECT_TRUE(key_equals(R"(m\u006fdel)", "model"));
  EXPECT_TRUE(key_equals(R"(a\"b)", "a\"b"));
  EXPECT_FALSE(key_equals(R"(a\"b)", "a\\\"b"));
  EXPECT_FALSE(key_equals(R"(a\nb)", "a\\nb"));  // as long as the key, but escaped: "a" LF "b"
  EXPECT_FALSE(key_equals("modelx", "model"));       // longer and unescaped
  EXPECT_FALSE(key_equals("mode", "model"));
  EXPECT_EQ(decode_key(R"(\u00e9)"), "\xC3\xA9");
  EXPECT_FALSE(decode_key(R"(bad\)"));
}

// ---------------------------------------------------------------- decoders

TEST(Decoders, Strings) {
  EXPECT_EQ(decode_string(R"("plain")"), "plain");
  EXPECT_EQ(decode_string(R"("")"), "");
  EXPECT_EQ(decode_string(R"("a\"b\\c\/d\b\f\n\r\t")"), "a\"b\\c/d\b\f\n\r\t");
  EXPECT_EQ(decode_string(R"("\u0041\u00e9\u4e2d")"), "A\xC3\xA9\xE4\xB8\xAD");
  EXPECT_EQ(decode_string(R"("\uD83D\uDE00")"), "\xF0\x9F\x98\x80");
  EXPECT_EQ(decode_string(R"("\uDBFF\uDFFF")"), "\xF4\x8F\xBF\xBF");
  EXPECT_EQ(decode_string(R"("\u0000")"), std::string(1, '\0'));
  EXPECT_EQ(decode_string("\"caf\xC3\xA9\""), "caf\xC3\xA9");
  EXPECT_FALSE(decode_string(R"("\ud800")"));
  EXPECT_FALSE(decode_string(R"("a"b")"));
  EXPECT_FALSE(decode_string(R"("a\")"));
  EXPECT_FALSE(decode_string("\"\xFF\""));
  EXPECT_FALSE(decode_string("1"));
  EXPECT_FALSE(decode_string("\""));
}

TEST(Decoders, Scalars) {
  EXPECT_EQ(decode_bool("true"), true);
  EXPECT_EQ(decode_bool("false"), false);
  EXPECT_FALSE(decode_bool("\"true\""));
  EXPECT_FALSE(decode_bool("1"));

  EXPECT_EQ(decode_int64("0"), 0);
  EXPECT_EQ(decode_int64("-42"), -42);
  EXPECT_EQ(decode_int64("9223372036854775807"), INT64_MAX);
  EXPECT_EQ(decode_int64("-9223372036854775808"), INT64_MIN);
  EXPECT_FALSE(decode_int64("9223372036854775808"));
  EXPECT_FALSE(decode_int64("1.0"));
  EXPECT_FALSE(decode_int64("1e2"));
  EXPECT_FALSE(decode_int64("01"));
  EXPECT_FALSE(decode_int64("\"1\""));
  EXPECT_FALSE(decode_int64(""));
  EXPECT_EQ(decode_int64("-0"), 0);
  EXPECT_FALSE(decode_int64("-01"));
  EXPECT_FALSE(decode_int64("00"));
  EXPECT_FALSE(decode_int64("+1"));
  EXPECT_FALSE(decode_int64("-"));
  EXPECT_FALSE(decode_int64(" 1"));
  EXPECT_FALSE(decode_int64("1 "));

  EXPECT_DOUBLE_EQ(*decode_double("-0.5e+3"), -500.0);
  EXPECT_DOUBLE_EQ(*decode_double("3"), 3.0);
  EXPECT_DOUBLE_EQ(*decode_double("1.25"), 1.25);
  EXPECT_FALSE(decode_double("1e400"));
  EXPECT_FALSE(decode_double("NaN"));
  EXPECT_FALSE(decode_double("1."));
  EXPECT_FALSE(decode_double("null"));
}

TEST(Decoders, StringListsAndKinds) {
  EXPECT_EQ(decode_string_list(R"([ "a", "b\n" ])"), (std::vector<std::string>{"a", "b\n"}));
  EXPECT_EQ(decode_string_list("[]"), std::vector<std::string>{});
  EXPECT_FALSE(decode_string_list(R"(["a", 1])"));
  EXPECT_FALSE(decode_string_list(R"("a")"));
  EXPECT_FALSE(decode_string_list(R"(["a",])"));

  EXPECT_TRUE(is_array("[1]"));
  EXPECT_TRUE(is_object("{}"));
  EXPECT_TRUE(is_null("null"));
  EXPECT_TRUE(is_string("\"\""));
  EXPECT_TRUE(is_bool("false"));
  EXPECT_TRUE(is_number("-1"));
  EXPECT_TRUE(is_integer("-1"));
  EXPECT_FALSE(is_integer("1.5"));
  EXPECT_FALSE(is_array("{}"));
  EXPECT_FALSE(is_object(""));
  EXPECT_FALSE(is_null("nul"));
}

// ---------------------------------------------------------------- splicing

// Every subset of removals, with and without a replacement and additions, in compact and
// spaced layouts: the output must be valid JSON whose members are exactly the expected ones.
TEST(Splice, EveryPositionYieldsValidJson) {
  const std::vector<std::string> bodies = {
      R"({"model":"a","stream":true,"messages":[{"role":"user","content":"hi, {there}"}]})",
      "{\n  \"model\" : \"a\" ,\n  \"stream\" : true ,\n  \"messages\" : [ ]\n}\n",
      R"( {"model":"a" , "stream":true,"messages":{"x":[1,2,3]}} )",
  };
  const std::vector<std::string> keys = {"model", "stream", "messages"};
  for (const auto& body : bodies) {
    auto members = top_level_members(body);
    ASSERT_TRUE(members);
    ASSERT_EQ(members->size(), 3u);
    const bj::object original = parse_or_fail(body).as_object();
    for (unsigned mask = 0; mask < 8; ++mask) {
      for (int replace_at = -1; replace_at < 3; ++replace_at) {
        for (int adds = 0; adds <= 2; ++adds) {
          std::vector<std::size_t> remove;
          for (std::size_t i = 0; i < 3; ++i) {
            if (mask & (1u << i)) remove.push_back(i);
          }
          std::vector<ValueReplacement> replace;
          if (replace_at >= 0) replace.push_back({static_cast<std::size_t>(replace_at), R"({"new":"v"})"});
          std::vector<MemberAddition> add;
          if (adds >= 1) add.push_back({"stream_options", R"({"include_usage":true})"});
          if (adds >= 2) add.push_back({"we\"ird\nkey", "[1]"});

          const std::string out = splice(body, *members, Edits{replace, remove, add});
          ASSERT_TRUE(validate_json(out)) << out << " : " << find_json_error(out)->reason;
          const bj::object got = parse_or_fail(out).as_object();

          bj::object expected;
          for (std::size_t i = 0; i < 3; ++i) {
            if (mask & (1u << i)) continue;
            expected[keys[i]] =
                static_cast<int>(i) == replace_at ? bj::parse(R"({"new":"v"})") : original.at(keys[i]);
          }
          if (adds >= 1) expected["stream_options"] = bj::parse(R"({"include_usage":true})");
          if (adds >= 2) expected["we\"ird\nkey"] = bj::parse("[1]");
          EXPECT_EQ(got, expected) << out;
        }
      }
    }
  }
}

TEST(Splice, KeepsUntouchedBytesAndSizesExactly) {
  const std::string body = R"({"model":"old", "temperature":0.70, "stream":true})";
  auto members = top_level_members(body);
  ASSERT_TRUE(members);
  const ValueReplacement replace[] = {{0, R"("new-model")"}};
  const std::size_t remove[] = {2};
  const MemberAddition add[] = {{"stream_options", R"({"include_usage":true})"}};
  const std::string out = splice(body, *members, Edits{replace, remove, add});
  EXPECT_EQ(out, R"({"model":"new-model", "temperature":0.70,"stream_options":{"include_usage":true}})");
}

TEST(Splice, RemoveWinsOverReplaceAndFirstMiddleLast) {
  const std::string body = R"({"a":1,"b":2,"c":3})";
  auto members = top_level_members(body);
  ASSERT_TRUE(members);
  const auto run = [&](std::vector<std::size_t> remove) {
    return splice(body, *members, Edits{{}, remove, {}});
  };
  EXPECT_EQ(run({0}), R"({"b":2,"c":3})");
  EXPECT_EQ(run({1}), R"({"a":1,"c":3})");
  EXPECT_EQ(run({2}), R"({"a":1,"b":2})");
  EXPECT_EQ(run({0, 2}), R"({"b":2})");
  EXPECT_EQ(run({0, 1, 2}), R"({})");
  const ValueReplacement replace[] = {{1, "9"}};
  const std::size_t remove[] = {1};
  EXPECT_EQ(splice(body, *members, Edits{replace, remove, {}}), R"({"a":1,"c":3})");
}

// Edits may come in any order: splice walks them in member order, so their order must not
// change the result (a later replacement of the same member still wins).
TEST(Splice, EditsInAnyOrder) {
  const std::string body = R"({"a":1,"b":2,"c":3,"d":4})";
  auto members = top_level_members(body);
  ASSERT_TRUE(members);
  const std::size_t remove[] = {3, 0, 3};
  const ValueReplacement replace[] = {{2, "30"}, {1, "20"}, {2, "31"}};
  EXPECT_EQ(splice(body, *members, Edits{replace, remove, {}}), R"({"b":20,"c":31})");
  const std::size_t remove_sorted[] = {0, 3};
  const ValueReplacement replace_sorted[] = {{1, "20"}, {2, "30"}, {2, "31"}};
  EXPECT_EQ(splice(body, *members, Edits{replace_sorted, remove_sorted, {}}), R"({"b":20,"c":31})");
}

TEST(Splice, EmptyObjectAndNested) {
  const std::string empty = " { } ";
  auto none = top_level_members(empty);
  ASSERT_TRUE(none);
  const MemberAddition add[] = {{"a", "1"}, {"b", "\"x\""}};
  EXPECT_EQ(splice(empty, *none, Edits{{}, {}, add}), R"( { "a":1,"b":"x"} )");
  EXPECT_EQ(splice(empty, *none, Edits{}), empty);

  // The same code edits a nested object's text (stream_options merging does this).
  const std::string nested = R"({"include_usage":false,"other":1})";
  auto members = top_level_members(nested);
  ASSERT_TRUE(members);
  const std::size_t remove[] = {0};
  const MemberAddition iu[] = {{"include_usage", "true"}};
  EXPECT_EQ(splice(nested, *members, Edits{{}, remove, iu}), R"({"other":1,"include_usage":true})");
}

// ---------------------------------------------------------------- writing strings

TEST(AppendJsonString, EscapesLikePython) {
  std::string out;
  append_json_string(out, std::string("a\"b\\c\b\f\n\r\t\x01\x1F\x7F/"));
  EXPECT_EQ(out, R"("a\"b\\c\b\f\n\r\t\u0001\u001f)"
                 "\x7F/\"");
  EXPECT_EQ(json_string_size(std::string("a\"b\\c\b\f\n\r\t\x01\x1F\x7F/")), out.size());
  EXPECT_EQ(json_string_size(""), 2u);

  out.clear();
  append_json_string(out, std::string_view("\0", 1));
  EXPECT_EQ(out, R"("\u0000")");
}

TEST(AppendJsonString, ReplacesInvalidUtf8) {
  std::string out;
  append_json_string(out, "ok\xFF\xC3");  // a stray byte and a truncated sequence
  EXPECT_EQ(out, "\"ok\xEF\xBF\xBD\xEF\xBF\xBD\"");
  EXPECT_TRUE(validate_json(out));
  out.clear();
  append_json_string(out, "\xED\xA0\x80");  // an encoded surrogate is not UTF-8
  EXPECT_TRUE(validate_json(out));
}

TEST(AppendJsonString, UnicodeRoundTrips) {
  std::mt19937 rng(12345);
  std::uniform_int_distribution<std::uint32_t> plane(0, 3);
  for (int iteration = 0; iteration < 500; ++iteration) {
    std::string s;
    const int chars = iteration % 40;
    for (int i = 0; i < chars; ++i) {
      std::uint32_t cp = 0;
      switch (plane(rng)) {
        case 0:
          cp = rng() % 0x80;
          break;
        case 1:
          cp = 0x80 + rng() % (0x800 - 0x80);
          break;
        case 2:
          cp = 0x800 + rng() % (0x10000 - 0x800);
          if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xE000;
          break;
        default:
          cp = 0x10000 + rng() % (0x110000 - 0x10000);
      }
      // A plain reference encoder, independent of the code under test.
      if (cp < 0x80) {
        s += static_cast<char>(cp);
      } else if (cp < 0x800) {
        s += static_cast<char>(0xC0 | cp >> 6);
        s += static_cast<char>(0x80 | (cp & 0x3F));
      } else if (cp < 0x10000) {
        s += static_cast<char>(0xE0 | cp >> 12);
        s += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
        s += static_cast<char>(0x80 | (cp & 0x3F));
      } else {
        s += static_cast<char>(0xF0 | cp >> 18);
        s += static_cast<char>(0x80 | (cp >> 12 & 0x3F));
        s += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
        s += static_cast<char>(0x80 | (cp & 0x3F));
      }
    }
    std::string encoded;
    append_json_string(encoded, s);
    ASSERT_TRUE(validate_json(encoded));
    EXPECT_EQ(decode_string(encoded), s);
    EXPECT_EQ(parse_or_fail(encoded).as_string(), s);
    // And Boost's own serialization (which \u-escapes differently) decodes the same.
    EXPECT_EQ(decode_string(bj::serialize(bj::value(s))), s);
  }
}

}  // namespace
}  // namespace llmux::api
