// A call's ids: its own, always a new version-4 UUID (it keys the spend row, so a client cannot
// choose it), and the client's x-litellm-call-id when sane, which answers echo instead.

#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <regex>

#include "gateway/call_engine.hpp"

namespace llmux::gateway {
namespace {

// The UUID text as printf writes it from the same two random words.
std::string printf_uuid(std::uint64_t high, std::uint64_t low) {
  char text[37];
  std::snprintf(text, sizeof text, "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(high >> 32),
                static_cast<unsigned>((high >> 16) & 0xffff), static_cast<unsigned>(high & 0x0fff),
                static_cast<unsigned>(((low >> 48) & 0x3fff) | 0x8000),
                static_cast<unsigned long long>(low & 0xffffffffffffULL));
  return text;
}

TEST(CallId, NewIdsAreVersionFourUuidsFromTheTwoRandomWords) {
  const net::InboundRequest request;
  std::mt19937_64 rng(12345), replay(12345);
  const std::regex uuid4("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  for (int i = 0; i < 2000; ++i) {
    const std::string id = call_ids_for(request, rng).own;
    const std::uint64_t high = replay(), low = replay();
    ASSERT_EQ(id, printf_uuid(high, low));
    ASSERT_TRUE(std::regex_match(id, uuid4)) << id;  // every field at full width, leading zeros kept
  }
}

net::InboundRequest with_call_id(std::string_view id) {
  net::InboundRequest request;
  request.headers.emplace_back("x-litellm-call-id", id);
  return request;
}

TEST(CallId, TheClientsOwnIdIsEchoedOnlyWhenSane) {
  std::mt19937_64 rng(7);
  EXPECT_EQ(call_ids_for(with_call_id("abc-123_4.5"), rng).echoed(), "abc-123_4.5");
  const CallIds injected = call_ids_for(with_call_id("bad id\r\nx-evil: 1"), rng);
  EXPECT_EQ(injected.client, "");
  EXPECT_EQ(injected.echoed(), injected.own);
  EXPECT_EQ(call_ids_for(with_call_id(std::string(129, 'a')), rng).client, "");
  EXPECT_EQ(call_ids_for(net::InboundRequest{}, rng).client, "");
}

// The attack this guards against: concurrent calls sharing one client id used to share one
// spend row, so all but one went unbilled.
TEST(CallId, TheOwnIdIsNewEvenWhenTheClientSendsOne) {
  std::mt19937_64 rng(7);
  const CallIds first = call_ids_for(with_call_id("abc-123"), rng);
  const CallIds second = call_ids_for(with_call_id("abc-123"), rng);
  EXPECT_EQ(first.client, "abc-123");
  EXPECT_EQ(second.client, "abc-123");
  EXPECT_NE(first.own, "abc-123");
  EXPECT_EQ(first.own.size(), 36u);
  EXPECT_NE(first.own, second.own);
}

}  // namespace
}  // namespace llmux::gateway
