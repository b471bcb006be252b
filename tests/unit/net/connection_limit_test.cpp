// The process-wide connection cap, without sockets: slots taken and given back across threads,
// and the refusal warning's once-a-second rate.

#include "net/connection_limit.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace llmux::net {
namespace {

using namespace std::chrono_literals;

TEST(ConnectionLimit, RefusesPastTheCapAndServesAgainOnceASlotIsFree) {
  ConnectionLimit limit(2);
  EXPECT_TRUE(limit.try_acquire());
  EXPECT_TRUE(limit.try_acquire());
  EXPECT_FALSE(limit.try_acquire());
  EXPECT_EQ(limit.open(), 2u);  // a refusal takes nothing
  limit.release();
  EXPECT_TRUE(limit.try_acquire());
  EXPECT_FALSE(limit.try_acquire());
}

TEST(ConnectionLimit, NeverGrantsMoreThanTheCapAcrossThreads) {
  ConnectionLimit limit(1000);
  std::atomic<int> granted{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < 4; ++t) {
    workers.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) {
        if (limit.try_acquire()) granted.fetch_add(1);
      }
    });
  }
  for (auto& worker : workers) worker.join();
  EXPECT_EQ(granted.load(), 1000);
  EXPECT_EQ(limit.open(), 1000u);
}

TEST(ConnectionLimit, WarnsAboutRefusalsAtMostOnceASecondCountingThoseBetween) {
  ConnectionLimit limit(1);
  const auto start = ConnectionLimit::Clock::now();
  EXPECT_EQ(limit.refused(start), 1u);  // the first refusal is told at once
  EXPECT_EQ(limit.refused(start + 100ms), 0u);
  EXPECT_EQ(limit.refused(start + 999ms), 0u);
  EXPECT_EQ(limit.refused(start + 1000ms), 3u);  // itself and the two kept quiet
  EXPECT_EQ(limit.refused(start + 1500ms), 0u);
  EXPECT_EQ(limit.refused(start + 2100ms), 2u);
}

TEST(ConnectionLimit, BoundsTheRefusalsLingeringAtOnce) {
  ConnectionLimit limit(1);
  for (std::size_t i = 0; i < ConnectionLimit::kMaxLingeringRefusals; ++i)
    ASSERT_TRUE(limit.try_begin_refusal());
  EXPECT_FALSE(limit.try_begin_refusal());
  limit.end_refusal();
  EXPECT_TRUE(limit.try_begin_refusal());
}

}  // namespace
}  // namespace llmux::net
