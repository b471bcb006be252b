// The readiness view of the database: derived from the store thread's checks, with a check that
// never comes back (a frozen server) reported as disconnected once it is overdue.

#include "store/store_health.hpp"

#include <gtest/gtest.h>

namespace llmux::store {
namespace {

using namespace std::chrono_literals;
using Clock = StoreHealth::Clock;

TEST(StoreHealth, ConnectedFromTheStartUntilACheckFails) {
  const Clock::time_point t0{};
  StoreHealth health(t0);
  EXPECT_TRUE(health.view(t0 + 1s).connected);
  EXPECT_EQ(health.view(t0 + 1s).since_last_ok, 1000ms);

  health.check_started(t0 + 2s);
  health.check_finished(t0 + 2s, false, "postgresql connect: connection refused");
  const auto down = health.view(t0 + 3s);
  EXPECT_FALSE(down.connected);
  EXPECT_EQ(down.last_error, "postgresql connect: connection refused");
  EXPECT_EQ(down.since_last_ok, 3000ms);  // still counted from the last good check

  health.check_started(t0 + 4s);
  health.check_finished(t0 + 4s, true);
  const auto back = health.view(t0 + 4s);
  EXPECT_TRUE(back.connected);
  EXPECT_EQ(back.last_error, "");
  EXPECT_EQ(back.since_last_ok, 0ms);
}

TEST(StoreHealth, ACheckThatDoesNotComeBackIsDisconnectedOncePastPatience) {
  const Clock::time_point t0{};
  StoreHealth health(t0);
  health.check_started(t0 + 1s);
  EXPECT_TRUE(health.view(t0 + 2s, 2s).connected);  // slow, but within patience
  const auto hung = health.view(t0 + 4s, 2s);
  EXPECT_FALSE(hung.connected);
  EXPECT_EQ(hung.unanswered_for, 3000ms);
  EXPECT_FALSE(hung.last_error.empty());

  health.check_finished(t0 + 5s, true);  // it answered in the end
  EXPECT_TRUE(health.view(t0 + 5s, 2s).connected);
  EXPECT_FALSE(health.view(t0 + 5s, 2s).unanswered_for);
}

}  // namespace
}  // namespace llmux::store
