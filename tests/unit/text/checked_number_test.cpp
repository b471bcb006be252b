#include "text/checked_number.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace llmux::text {
namespace {

constexpr auto kInt64Max = std::numeric_limits<std::int64_t>::max();
constexpr auto kInt64Min = std::numeric_limits<std::int64_t>::min();

TEST(ExactInteger, TakesIntegralValuesInRange) {
  EXPECT_EQ(exact_integer<std::int64_t>(0.0), 0);
  EXPECT_EQ(exact_integer<std::int64_t>(-42.0), -42);
  EXPECT_EQ(exact_integer<std::int64_t>(9007199254740992.0), 9007199254740992);
  EXPECT_EQ(exact_integer<std::int64_t>(-9223372036854775808.0), kInt64Min);
  EXPECT_EQ(exact_integer<int>(2147483647.0), 2147483647);
}

TEST(ExactInteger, RefusesFractionsNonFiniteAndOutOfRange) {
  EXPECT_FALSE(exact_integer<std::int64_t>(1.5));
  EXPECT_FALSE(exact_integer<std::int64_t>(std::nan("")));
  EXPECT_FALSE(exact_integer<std::int64_t>(INFINITY));
  EXPECT_FALSE(exact_integer<std::int64_t>(-INFINITY));
  EXPECT_FALSE(exact_integer<std::int64_t>(9223372036854775808.0));  // 2^63
  EXPECT_FALSE(exact_integer<std::int64_t>(1e300));
  EXPECT_FALSE(exact_integer<int>(2147483648.0));
  EXPECT_FALSE(exact_integer<std::uint32_t>(-1.0));
}

TEST(FittingInteger, ChecksRange) {
  EXPECT_EQ((fitting_integer<std::int64_t, std::uint64_t>(5u)), 5);
  EXPECT_FALSE((fitting_integer<std::int64_t, std::uint64_t>(std::numeric_limits<std::uint64_t>::max())));
  EXPECT_FALSE((fitting_integer<std::uint32_t, std::int64_t>(-1)));
}

TEST(ClampedInteger, HoldsAtBounds) {
  EXPECT_EQ(clamped_integer<std::int64_t>(1e300), kInt64Max);
  EXPECT_EQ(clamped_integer<std::int64_t>(-INFINITY), kInt64Min);
  EXPECT_EQ(clamped_integer<std::int64_t>(3.9), 3);
  EXPECT_FALSE(clamped_integer<std::int64_t>(std::nan("")));
}

TEST(CheckedArithmetic, ReportsOverflow) {
  EXPECT_EQ(checked_add<std::int64_t>(1, 2), 3);
  EXPECT_FALSE(checked_add<std::int64_t>(kInt64Max, 1));
  EXPECT_FALSE(checked_mul<std::int64_t>(kInt64Max / 2, 3));
  EXPECT_EQ(checked_mul<std::int64_t>(-4, 5), -20);
  EXPECT_EQ(saturating_add<std::int64_t>(kInt64Max, 10), kInt64Max);
  EXPECT_EQ(saturating_add<std::int64_t>(kInt64Min, -10), kInt64Min);
  EXPECT_EQ(saturating_add<std::int64_t>(40, 2), 42);
}

TEST(SecondsToMs, HeldWithinZeroAndMax) {
  using std::chrono::milliseconds;
  EXPECT_EQ(seconds_to_ms(1.5, kLongestWait), milliseconds(1500));
  EXPECT_EQ(seconds_to_ms(-3, kLongestWait), milliseconds(0));
  EXPECT_EQ(seconds_to_ms(std::nan(""), kLongestWait), milliseconds(0));
  EXPECT_EQ(seconds_to_ms(1e10, kLongestWait), kLongestWait);
  EXPECT_EQ(seconds_to_ms(INFINITY, kLongestWait), kLongestWait);
  EXPECT_EQ(seconds_to_ms(1e300, milliseconds(600000)), milliseconds(600000));
}

}  // namespace
}  // namespace llmux::text
