// Rows to records: times and durations read from the store must stay within what the clock's
// nanoseconds can count, whatever a row (written by hand, by an older llmux) holds.

#include "tenancy/store_mapping.hpp"

#include <gtest/gtest.h>

#include <limits>

#include "tenancy/duration.hpp"

namespace llmux::tenancy {
namespace {

constexpr store::Millis kNow = 1'700'000'000'123;

TEST(StoreMapping, MillisRoundTrip) {
  EXPECT_EQ(to_millis(from_millis(kNow)), kNow);
  EXPECT_EQ(to_millis(from_millis(-kNow)), -kNow);
}

// INT64_MAX ms as nanoseconds wraps to a time before 1970: a key "expiring" then is expired.
TEST(StoreMapping, FarOffMillisAreTheFarthestTimeNotAWrappedOne) {
  const Timestamp now = from_millis(kNow);
  EXPECT_GT(from_millis(std::numeric_limits<store::Millis>::max()), now);
  EXPECT_LT(from_millis(std::numeric_limits<store::Millis>::min()), now);
  store::KeyRow row;
  row.expires = std::numeric_limits<store::Millis>::max();
  EXPECT_GT(*to_record(row).expires, now);
}

TEST(StoreMapping, HugeBudgetDurationsAreHeldWithinTheClock) {
  store::KeyRow row;
  row.limits.budget_duration_s = std::numeric_limits<std::int64_t>::max();
  const auto duration = *to_record(row).limits.budget_duration;
  const Timestamp now = from_millis(kNow);
  EXPECT_GT(next_reset(now, duration), now);  // no overflow: the reset is later, not earlier
  EXPECT_GT(advance_reset(now - std::chrono::seconds(1), duration, now), now);
}

}  // namespace
}  // namespace llmux::tenancy
