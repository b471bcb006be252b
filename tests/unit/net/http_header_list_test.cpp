// Response headers kept in wire form: what goes out, what readers see, and that nothing added can
// split a header.

#include "net/http_header_list.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace llmux::net {
namespace {

std::vector<Header> entries(const HeaderList& list) { return {list.begin(), list.end()}; }

TEST(HttpHeaderList, KeepsHeadersInWireFormAndReadsThemBack) {
  HeaderList list;
  EXPECT_TRUE(list.empty());
  list.emplace_back("x-litellm-call-id", "abc");
  list.push_back(Header{"Retry-After", "2"});
  list.emplace_back("x-empty", "");
  EXPECT_EQ(list.wire(), "x-litellm-call-id: abc\r\nRetry-After: 2\r\nx-empty: \r\n");
  EXPECT_EQ(list.size(), 3u);
  EXPECT_EQ(entries(list),
            (std::vector<Header>{{"x-litellm-call-id", "abc"}, {"Retry-After", "2"}, {"x-empty", ""}}));
  EXPECT_EQ(list.find("Retry-After"), "2");
  EXPECT_EQ(list.find("retry-after"), "");  // exact names: these are ours, not a client's
  EXPECT_EQ(entries(HeaderList{}), std::vector<Header>{});
}

TEST(HttpHeaderList, AppendsAnotherListInOneCopy) {
  HeaderList first{{"a", "1"}};
  const HeaderList second{{"b", "2"}, {"c", "3"}};
  first.append(second);
  first.append(HeaderList{});
  EXPECT_EQ(first.wire(), "a: 1\r\nb: 2\r\nc: 3\r\n");
  EXPECT_EQ(first.size(), 3u);
  EXPECT_EQ(first, (HeaderList{{"a", "1"}, {"b", "2"}, {"c", "3"}}));
}

TEST(HttpHeaderList, WritesAValueInPieces) {
  HeaderList list;
  {
    auto value = list.add("x-llmux-route");
    value += "g[m]";
    value += ':';
    value += "ok\r\nx-evil: 1";
  }
  list.emplace_back("after", "x");
  EXPECT_EQ(list.wire(), "x-llmux-route: g[m]:ok??x-evil: 1\r\nafter: x\r\n");
  EXPECT_EQ(list.size(), 2u);
  EXPECT_EQ(list.find("x-llmux-route"), "g[m]:ok??x-evil: 1");
}

TEST(HttpHeaderList, AValueCannotSplitAHeader) {
  // An upstream's forwarded header or a config text with CR/LF in it stays one header.
  HeaderList list;
  list.emplace_back("llm_provider-x-request-id", "id\r\nSet-Cookie: session=stolen");
  list.emplace_back("x-lf", "a\nb");
  list.emplace_back("x-cr", "a\rb");
  EXPECT_EQ(list.wire(),
            "llm_provider-x-request-id: id??Set-Cookie: session=stolen\r\nx-lf: a?b\r\nx-cr: a?b\r\n");
  EXPECT_EQ(list.size(), 3u);
  EXPECT_EQ(entries(list).size(), 3u);
}

TEST(HttpHeaderList, ANameCannotSplitAHeaderOrHoldAColon) {
  HeaderList list;
  list.emplace_back("x-a\r\nx-injected", "1");
  list.emplace_back("x-b: forged", "2");
  EXPECT_EQ(list.wire(), "x-a??x-injected: 1\r\nx-b? forged: 2\r\n");
  EXPECT_EQ(entries(list), (std::vector<Header>{{"x-a??x-injected", "1"}, {"x-b? forged", "2"}}));
}

// Every byte outside printable ASCII, at every position of values long enough for the eight-byte
// check, becomes '?' and nothing else changes.
TEST(HttpHeaderList, EveryUnprintableByteIsReplacedWhereverItIs) {
  const std::string clean = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJ~!0123456789";
  for (int bad = 0; bad < 256; ++bad) {
    const bool printable = bad >= 0x20 && bad <= 0x7e;
    for (std::size_t at = 0; at < clean.size(); ++at) {
      std::string value = clean;
      value[at] = static_cast<char>(bad);
      HeaderList list;
      list.emplace_back("x", value);
      std::string expected = clean;
      expected[at] = printable ? static_cast<char>(bad) : '?';
      ASSERT_EQ(list.find("x"), expected) << "byte " << bad << " at " << at;
    }
  }
}

TEST(HttpHeaderList, ClearsAndSwaps) {
  HeaderList a{{"a", "1"}};
  HeaderList b{{"b", "2"}, {"c", "3"}};
  a.swap(b);
  EXPECT_EQ(a.size(), 2u);
  EXPECT_EQ(b.wire(), "a: 1\r\n");
  a.clear();
  EXPECT_TRUE(a.empty());
  EXPECT_EQ(a.wire(), "");
}

}  // namespace
}  // namespace llmux::net
