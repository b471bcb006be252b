#include "tenancy/rate_limiter.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <limits>
#include <thread>
#include <vector>

namespace llmux::tenancy {
namespace {

using namespace std::chrono;

const Timestamp kT0 = sys_days{year{2025} / 1 / 2} + hours(3);

Limits limits(std::optional<std::int64_t> rpm, std::optional<std::int64_t> tpm = std::nullopt,
              std::optional<std::int64_t> parallel = std::nullopt) {
  Limits l;
  l.rpm_limit = rpm;
  l.tpm_limit = tpm;
  l.max_parallel_requests = parallel;
  return l;
}

struct Fixture {
  RateLimiter limiter;
  Limits key_limits;
  std::vector<LimitedEntity> entities;

  explicit Fixture(Limits l, RateLimiterOptions options = {}) : limiter(options), key_limits(std::move(l)) {
    entities.push_back({{EntityKind::key, "hash-1"}, &key_limits});
  }
  std::variant<RateLimitAdmission, RateLimitExceeded> admit(Timestamp now, std::int64_t estimate = 0) {
    return limiter.admit(entities, estimate, now);
  }
};

TEST(RateLimiter, RpmAdmitsExactlyTheLimitPerWindow) {
  Fixture f(limits(2));
  auto a = f.admit(kT0);
  auto b = f.admit(kT0 + seconds(1));
  ASSERT_TRUE(std::holds_alternative<RateLimitAdmission>(a));
  ASSERT_TRUE(std::holds_alternative<RateLimitAdmission>(b));
  auto c = f.admit(kT0 + seconds(2));
  ASSERT_TRUE(std::holds_alternative<RateLimitExceeded>(c));
  const auto& refused = std::get<RateLimitExceeded>(c);
  EXPECT_EQ(refused.type, RateLimitType::requests);
  EXPECT_EQ(refused.limit, 2);
  EXPECT_EQ(refused.remaining, 0);
  EXPECT_EQ(refused.retry_after, seconds(58));
  EXPECT_EQ(refused.resets_at, kT0 + seconds(60));
  EXPECT_EQ(refused.message(),
            "Rate limit exceeded for api_key: hash-1. Limit type: requests. Current limit: 2, Remaining: 0. "
            "Limit resets at: 2025-01-02 03:01:00 UTC");
  const Denial d = refused.to_denial();
  EXPECT_EQ(d.status, 429);
  EXPECT_EQ(d.retry_after, seconds(58));
}

TEST(RateLimiter, WindowIsFixedAndAnchoredAtTheFirstRequest) {
  Fixture f(limits(1));
  ASSERT_TRUE(std::holds_alternative<RateLimitAdmission>(f.admit(kT0 + seconds(10))));
  EXPECT_TRUE(std::holds_alternative<RateLimitExceeded>(f.admit(kT0 + seconds(69))));
  EXPECT_TRUE(std::holds_alternative<RateLimitAdmission>(f.admit(kT0 + seconds(70))));  // new window at 70
  EXPECT_TRUE(std::holds_alternative<RateLimitExceeded>(f.admit(kT0 + seconds(129))));
  EXPECT_TRUE(std::holds_alternative<RateLimitAdmission>(f.admit(kT0 + seconds(130))));
}

TEST(RateLimiter, RetryAfterRoundsUpAndIsAtLeastOneSecond) {
  Fixture f(limits(1));
  ASSERT_TRUE(std::holds_alternative<RateLimitAdmission>(f.admit(kT0)));
  EXPECT_EQ(std::get<RateLimitExceeded>(f.admit(kT0 + milliseconds(10500))).retry_after, seconds(50));
  EXPECT_EQ(std::get<RateLimitExceeded>(f.admit(kT0 + milliseconds(59999))).retry_after, seconds(1));
}

TEST(RateLimiter, HeadersReportLimitsAndRemaining) {
  Fixture f(limits(10, 1000));
  auto a = std::get<RateLimitAdmission>(f.admit(kT0, 100));
  EXPECT_EQ(a.headers().limit_requests, 10);
  EXPECT_EQ(a.headers().remaining_requests, 9);
  EXPECT_EQ(a.headers().limit_tokens, 1000);
  EXPECT_EQ(a.headers().remaining_tokens, 900);
}

TEST(RateLimiter, TpmCountsOutputTokensByDefault) {
  Fixture f(limits(std::nullopt, 100));
  auto a = std::get<RateLimitAdmission>(f.admit(kT0));
  a.settle(/*prompt=*/5000, /*completion=*/60, kT0 + seconds(1));
  EXPECT_EQ(f.limiter.usage({EntityKind::key, "hash-1"}, kT0 + seconds(1)).tokens, 60);
  auto b = std::get<RateLimitAdmission>(f.admit(kT0 + seconds(2)));
  b.settle(0, 50, kT0 + seconds(3));  // 110 > 100: admitted before, counted after
  auto c = f.admit(kT0 + seconds(4));
  ASSERT_TRUE(std::holds_alternative<RateLimitExceeded>(c));
  EXPECT_EQ(std::get<RateLimitExceeded>(c).type, RateLimitType::tokens);
  EXPECT_EQ(std::get<RateLimitExceeded>(c).remaining, 0);
  EXPECT_NE(std::get<RateLimitExceeded>(c).message().find("Limit type: tokens"), std::string::npos);
}

TEST(RateLimiter, TpmCanCountInputOrTotal) {
  Fixture total(limits(std::nullopt, 1000), RateLimiterOptions{.token_counting = TokenCounting::total});
  std::get<RateLimitAdmission>(total.admit(kT0)).settle(300, 200, kT0);
  EXPECT_EQ(total.limiter.usage({EntityKind::key, "hash-1"}, kT0).tokens, 500);
  Fixture input(limits(std::nullopt, 1000), RateLimiterOptions{.token_counting = TokenCounting::input});
  std::get<RateLimitAdmission>(input.admit(kT0)).settle(300, 200, kT0);
  EXPECT_EQ(input.limiter.usage({EntityKind::key, "hash-1"}, kT0).tokens, 300);
}

TEST(RateLimiter, TokenEstimateIsReservedThenSettled) {
  Fixture f(limits(std::nullopt, 1000));
  auto a = std::get<RateLimitAdmission>(f.admit(kT0, 600));
  EXPECT_EQ(f.limiter.usage({EntityKind::key, "hash-1"}, kT0).tokens, 600);
  EXPECT_TRUE(std::holds_alternative<RateLimitExceeded>(f.admit(kT0, 500)));  // 600 + 500 > 1000
  a.settle(0, 100, kT0 + seconds(1));
  EXPECT_EQ(f.limiter.usage({EntityKind::key, "hash-1"}, kT0).tokens, 100);
  EXPECT_TRUE(std::holds_alternative<RateLimitAdmission>(f.admit(kT0 + seconds(1), 500)));
}

// A key holder chooses max_tokens (the estimate) and an upstream reports usage: counts near
// INT64_MAX saturate instead of wrapping negative and letting the next calls through.
TEST(RateLimiter, HugeTokenCountsSaturateInsteadOfWrapping) {
  constexpr std::int64_t most = std::numeric_limits<std::int64_t>::max();
  Fixture f(limits(std::nullopt, 1000), RateLimiterOptions{.token_counting = TokenCounting::total});
  std::get<RateLimitAdmission>(f.admit(kT0)).settle(most, most, kT0);
  EXPECT_EQ(f.limiter.usage({EntityKind::key, "hash-1"}, kT0).tokens, most);
  auto reserved = f.admit(kT0 + seconds(1), most);  // used + estimate would wrap to -2
  EXPECT_TRUE(std::holds_alternative<RateLimitExceeded>(reserved));
  Fixture g(limits(std::nullopt, 1000));
  auto first = std::get<RateLimitAdmission>(g.admit(kT0, most));  // the first of a window always fits
  EXPECT_TRUE(std::holds_alternative<RateLimitExceeded>(g.admit(kT0 + seconds(1), 1)));  // most + 1
}

TEST(RateLimiter, ReleasedCallChargesNoTokens) {
  Fixture f(limits(std::nullopt, 1000));
  { auto a = std::get<RateLimitAdmission>(f.admit(kT0, 600)); }  // destroyed: released
  EXPECT_EQ(f.limiter.usage({EntityKind::key, "hash-1"}, kT0).tokens, 0);
  EXPECT_EQ(f.limiter.usage({EntityKind::key, "hash-1"}, kT0).in_flight, 0);
}

TEST(RateLimiter, FirstRequestOfAnEmptyWindowAlwaysFitsTpm) {
  Fixture f(limits(std::nullopt, 100));
  EXPECT_TRUE(std::holds_alternative<RateLimitAdmission>(f.admit(kT0, 5000)));
}

TEST(RateLimiter, TokensSettledAfterTheWindowEndedCountInTheCurrentOne) {
  Fixture f(limits(std::nullopt, 1000));
  auto a = std::get<RateLimitAdmission>(f.admit(kT0, 500));
  a.settle(0, 300, kT0 + seconds(61));
  const auto u = f.limiter.usage({EntityKind::key, "hash-1"}, kT0 + seconds(61));
  EXPECT_EQ(u.tokens, 300);
  EXPECT_EQ(u.window_resets_at, kT0 + seconds(121));
}

TEST(RateLimiter, MaxParallelRequestsIsAcquireAndRelease) {
  Fixture f(limits(std::nullopt, std::nullopt, 2));
  auto a = std::get<RateLimitAdmission>(f.admit(kT0));
  {
    auto b = std::get<RateLimitAdmission>(f.admit(kT0));
    auto c = f.admit(kT0);
    ASSERT_TRUE(std::holds_alternative<RateLimitExceeded>(c));
    EXPECT_EQ(std::get<RateLimitExceeded>(c).type, RateLimitType::max_parallel_requests);
    EXPECT_EQ(std::get<RateLimitExceeded>(c).retry_after, seconds(1));
    EXPECT_NE(std::get<RateLimitExceeded>(c).message().find("Limit type: max_parallel_requests"),
              std::string::npos);
  }
  EXPECT_TRUE(std::holds_alternative<RateLimitAdmission>(f.admit(kT0)));
  a.release();
  EXPECT_FALSE(a.active());
  EXPECT_EQ(f.limiter.usage({EntityKind::key, "hash-1"}, kT0).in_flight, 0);
}

TEST(RateLimiter, MovedAdmissionReleasesOnce) {
  Fixture f(limits(std::nullopt, std::nullopt, 1));
  auto a = std::get<RateLimitAdmission>(f.admit(kT0));
  RateLimitAdmission moved = std::move(a);
  EXPECT_FALSE(a.active());
  EXPECT_TRUE(std::holds_alternative<RateLimitExceeded>(f.admit(kT0)));
  moved = RateLimitAdmission{};
  EXPECT_TRUE(std::holds_alternative<RateLimitAdmission>(f.admit(kT0)));
}

TEST(RateLimiter, KeyTeamAndUserAreAdmittedTogetherOrNotAtAll) {
  RateLimiter limiter;
  const Limits key = limits(10), team = limits(1), user = limits(10);
  const std::vector<LimitedEntity> entities{
      {{EntityKind::key, "k"}, &key}, {{EntityKind::team, "t"}, &team}, {{EntityKind::user, "u"}, &user}};
  ASSERT_TRUE(std::holds_alternative<RateLimitAdmission>(limiter.admit(entities, 0, kT0)));
  auto refused = limiter.admit(entities, 0, kT0);
  ASSERT_TRUE(std::holds_alternative<RateLimitExceeded>(refused));
  EXPECT_EQ(std::get<RateLimitExceeded>(refused).kind, EntityKind::team);
  EXPECT_EQ(std::get<RateLimitExceeded>(refused).message().substr(0, 32), "Rate limit exceeded for team: t.");
  EXPECT_EQ(limiter.usage({EntityKind::key, "k"}, kT0).requests, 1);  // the refused one did not count
  EXPECT_EQ(limiter.usage({EntityKind::user, "u"}, kT0).requests, 1);
}

TEST(RateLimiter, HeadersComeFromTheFirstEntityWithThatLimit) {
  RateLimiter limiter;
  const Limits key = limits(std::nullopt, 500), team = limits(20, 9000);
  const std::vector<LimitedEntity> entities{{{EntityKind::key, "k"}, &key}, {{EntityKind::team, "t"}, &team}};
  auto a = std::get<RateLimitAdmission>(limiter.admit(entities, 0, kT0));
  EXPECT_EQ(a.headers().limit_requests, 20);  // only the team has rpm
  EXPECT_EQ(a.headers().limit_tokens, 500);   // the key's tpm wins
}

TEST(RateLimiter, EntitiesWithoutLimitsAreNotTracked) {
  RateLimiter limiter;
  const Limits none;
  const std::vector<LimitedEntity> entities{{{EntityKind::key, "k"}, &none}};
  for (int i = 0; i < 100; ++i)
    EXPECT_TRUE(std::holds_alternative<RateLimitAdmission>(limiter.admit(entities, 0, kT0)));
  EXPECT_EQ(limiter.usage({EntityKind::key, "k"}, kT0).requests, 0);
}

TEST(RateLimiter, SweepDropsIdleEntitiesOnly) {
  Fixture f(limits(5));
  Limits other_limits = limits(5, std::nullopt, 5);
  const std::vector<LimitedEntity> busy{{{EntityKind::key, "busy"}, &other_limits}};
  auto held = std::get<RateLimitAdmission>(f.limiter.admit(busy, 0, kT0));
  { auto done = std::get<RateLimitAdmission>(f.admit(kT0)); }
  EXPECT_EQ(f.limiter.sweep(kT0 + seconds(30)), 0u);  // window still open
  EXPECT_EQ(f.limiter.sweep(kT0 + seconds(60)), 1u);  // hash-1 idle; "busy" has a call in flight
  held.release();
  EXPECT_EQ(f.limiter.sweep(kT0 + seconds(60)), 1u);
}

TEST(RateLimiter, ConcurrentAdmissionsNeverPassTheLimit) {
  RateLimiter limiter;
  const Limits key = limits(100), team = limits(1000);
  const std::vector<LimitedEntity> entities{{{EntityKind::key, "k"}, &key}, {{EntityKind::team, "t"}, &team}};
  std::atomic<int> admitted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) {
        auto r = limiter.admit(entities, 0, kT0);
        if (std::holds_alternative<RateLimitAdmission>(r)) admitted.fetch_add(1);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(admitted.load(), 100);
  EXPECT_EQ(limiter.usage({EntityKind::team, "t"}, kT0).requests, 100);
}

TEST(RateLimiter, ConcurrentParallelLimitHolds) {
  RateLimiter limiter;
  const Limits key = limits(std::nullopt, std::nullopt, 3);
  const std::vector<LimitedEntity> entities{{{EntityKind::key, "k"}, &key}};
  std::atomic<int> in_flight{0}, peak{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        auto r = limiter.admit(entities, 0, kT0);
        if (auto* a = std::get_if<RateLimitAdmission>(&r)) {
          const int now = in_flight.fetch_add(1) + 1;
          int seen = peak.load();
          while (now > seen && !peak.compare_exchange_weak(seen, now)) {
          }
          in_flight.fetch_sub(1);
          a->release();
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_LE(peak.load(), 3);
  EXPECT_EQ(limiter.usage({EntityKind::key, "k"}, kT0).in_flight, 0);
}

}  // namespace
}  // namespace llmux::tenancy
