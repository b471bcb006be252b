#include "tenancy/budget_ledger.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace llmux::tenancy {
namespace {

using namespace std::chrono;

const Timestamp kT0 = sys_days{year{2025} / 3 / 1};

Limits budget(double max, std::optional<seconds> duration = std::nullopt) {
  Limits l;
  l.max_budget = max;
  l.budget_duration = duration;
  return l;
}

BudgetedEntity key_entity(const Limits& l, double spend = 0,
                          std::optional<Timestamp> reset_at = std::nullopt) {
  return BudgetedEntity{{EntityKind::key, "hash-1"}, &l, spend, reset_at};
}

std::variant<BudgetReservation, BudgetExceeded> reserve_one(BudgetLedger& ledger, const BudgetedEntity& e,
                                                            double estimate, Timestamp now = kT0) {
  return ledger.reserve(std::span(&e, 1), estimate, now);
}

TEST(BudgetLedger, ReservesWithinBudget) {
  BudgetLedger ledger;
  const Limits l = budget(10);
  auto r = reserve_one(ledger, key_entity(l, 2.0), 1.5);
  ASSERT_TRUE(std::holds_alternative<BudgetReservation>(r));
  const auto b = ledger.balance({EntityKind::key, "hash-1"}, kT0);
  EXPECT_DOUBLE_EQ(b->spend, 2.0);
  EXPECT_DOUBLE_EQ(b->reserved, 1.5);
}

TEST(BudgetLedger, RefusesWhenTheEstimateWouldPassTheBudget) {
  BudgetLedger ledger;
  const Limits l = budget(10);
  auto r = reserve_one(ledger, key_entity(l, 9.5), 1.0);
  ASSERT_TRUE(std::holds_alternative<BudgetExceeded>(r));
  const auto& e = std::get<BudgetExceeded>(r);
  // Under the budget, the estimate is the figure that explains the refusal.
  EXPECT_EQ(e.message(),
            "Budget has been exceeded! Current cost: 9.5, Max budget: 10.0, Estimated cost of this call: 1.0");
  const Denial d = e.to_denial();
  EXPECT_EQ(d.status, 400);
  EXPECT_EQ(d.type, "budget_exceeded");
  EXPECT_EQ(e.to_denial(DenialStatuses{.budget_exceeded = 429}).status, 429);
}

TEST(BudgetLedger, ReachedBudgetRefusesEvenAZeroEstimate) {
  BudgetLedger ledger;
  const Limits l = budget(10);
  EXPECT_TRUE(std::holds_alternative<BudgetExceeded>(reserve_one(ledger, key_entity(l, 10.0), 0)));
  // Below the budget a zero estimate passes: LiteLLM's `spend >= max_budget` check.
  BudgetLedger other;
  EXPECT_TRUE(std::holds_alternative<BudgetReservation>(reserve_one(other, key_entity(l, 9.99), 0)));
}

TEST(BudgetLedger, SettleChargesTheRealCost) {
  BudgetLedger ledger;
  const Limits l = budget(10);
  auto r = std::get<BudgetReservation>(reserve_one(ledger, key_entity(l, 1.0), 2.0));
  const auto balances = r.settle(0.25, kT0 + seconds(1));
  ASSERT_EQ(balances.size(), 1u);
  EXPECT_EQ(balances[0].entity_id, "hash-1");
  EXPECT_DOUBLE_EQ(balances[0].spend, 1.25);
  EXPECT_DOUBLE_EQ(balances[0].reserved, 0.0);
  EXPECT_FALSE(r.active());
  EXPECT_TRUE(r.settle(1.0, kT0).empty());  // once
  EXPECT_DOUBLE_EQ(ledger.balance({EntityKind::key, "hash-1"}, kT0)->spend, 1.25);
}

TEST(BudgetLedger, ACallMayEndPastTheBudget) {
  BudgetLedger ledger;
  const Limits l = budget(1);
  auto r = std::get<BudgetReservation>(reserve_one(ledger, key_entity(l), 0.1));
  EXPECT_DOUBLE_EQ(r.settle(3.0, kT0)[0].spend, 3.0);
  EXPECT_EQ(std::get<BudgetExceeded>(reserve_one(ledger, key_entity(l), 0)).message(),
            "Budget has been exceeded! Current cost: 3.0, Max budget: 1.0");
}

TEST(BudgetLedger, ReleaseAndDestructionReturnTheEstimate) {
  BudgetLedger ledger;
  const Limits l = budget(1);
  {
    auto r = std::get<BudgetReservation>(reserve_one(ledger, key_entity(l), 0.75));
    EXPECT_TRUE(std::holds_alternative<BudgetExceeded>(reserve_one(ledger, key_entity(l), 0.5)));
  }
  EXPECT_DOUBLE_EQ(ledger.balance({EntityKind::key, "hash-1"}, kT0)->reserved, 0.0);
  auto r = std::get<BudgetReservation>(reserve_one(ledger, key_entity(l), 0.5));
  r.release();
  EXPECT_DOUBLE_EQ(ledger.balance({EntityKind::key, "hash-1"}, kT0)->reserved, 0.0);
  EXPECT_DOUBLE_EQ(ledger.balance({EntityKind::key, "hash-1"}, kT0)->spend, 0.0);
}

TEST(BudgetLedger, RecordSpendSeedsOnlyOnce) {
  BudgetLedger ledger;
  const Limits l = budget(10);
  std::get<BudgetReservation>(reserve_one(ledger, key_entity(l, 4.0), 1)).settle(1.0, kT0);
  // A stale record (spend 4.0) does not undo the ledger's 5.0.
  auto r = reserve_one(ledger, key_entity(l, 4.0), 0);
  EXPECT_DOUBLE_EQ(ledger.balance({EntityKind::key, "hash-1"}, kT0)->spend, 5.0);
  ledger.refresh({EntityKind::key, "hash-1"}, 0.0, std::nullopt);  // admin reset
  EXPECT_DOUBLE_EQ(ledger.balance({EntityKind::key, "hash-1"}, kT0)->spend, 0.0);
}

TEST(BudgetLedger, TeamAndUserWording) {
  BudgetLedger ledger;
  const Limits key = budget(100), team = budget(5), user = budget(2);
  std::vector<BudgetedEntity> entities{{{EntityKind::key, "k"}, &key, 0, std::nullopt},
                                       {{EntityKind::team, "team-1"}, &team, 5.5, std::nullopt},
                                       {{EntityKind::user, "user-1"}, &user, 3.0, std::nullopt}};
  auto r = ledger.reserve(entities, 0.1, kT0);
  EXPECT_EQ(std::get<BudgetExceeded>(r).message(),
            "Budget has been exceeded! Team=team-1 Current cost: 5.5, Max budget: 5.0");
  entities.erase(entities.begin() + 1);
  EXPECT_EQ(std::get<BudgetExceeded>(ledger.reserve(entities, 0.1, kT0)).message(),
            "ExceededBudget: User=user-1 over budget. Spend=3.0, Budget=2.0");
}

TEST(BudgetLedger, KeyTeamAndUserAreReservedTogetherOrNotAtAll) {
  BudgetLedger ledger;
  const Limits key = budget(100), team = budget(1);
  const std::vector<BudgetedEntity> entities{{{EntityKind::key, "k"}, &key, 0, std::nullopt},
                                             {{EntityKind::team, "t"}, &team, 0.9, std::nullopt}};
  auto r = ledger.reserve(entities, 0.5, kT0);
  ASSERT_TRUE(std::holds_alternative<BudgetExceeded>(r));
  EXPECT_EQ(std::get<BudgetExceeded>(r).kind, EntityKind::team);
  EXPECT_DOUBLE_EQ(ledger.balance({EntityKind::key, "k"}, kT0)->reserved, 0.0);
  auto ok = std::get<BudgetReservation>(ledger.reserve(entities, 0.05, kT0));
  const auto balances = ok.settle(0.05, kT0);
  ASSERT_EQ(balances.size(), 2u);
  EXPECT_DOUBLE_EQ(balances[0].spend, 0.05);
  EXPECT_DOUBLE_EQ(balances[1].spend, 0.95);
}

TEST(BudgetLedger, EntitiesWithoutABudgetAreSkipped) {
  BudgetLedger ledger;
  const Limits none;
  const BudgetedEntity e{{EntityKind::key, "k"}, &none, 1e9, std::nullopt};
  EXPECT_TRUE(std::holds_alternative<BudgetReservation>(reserve_one(ledger, e, 100)));
  EXPECT_FALSE(ledger.balance({EntityKind::key, "k"}, kT0));
}

TEST(BudgetLedger, WindowResetsWhenItsTimeHasCome) {
  BudgetLedger ledger;
  const Limits l = budget(10, hours(24));
  const Timestamp reset_at = kT0 + hours(24);
  EXPECT_TRUE(std::holds_alternative<BudgetExceeded>(reserve_one(ledger, key_entity(l, 10, reset_at), 0)));
  EXPECT_TRUE(std::holds_alternative<BudgetExceeded>(
      reserve_one(ledger, key_entity(l, 10, reset_at), 0, reset_at - seconds(1))));
  ASSERT_TRUE(std::holds_alternative<BudgetReservation>(
      reserve_one(ledger, key_entity(l, 10, reset_at), 0, reset_at)));
  const auto b = ledger.balance({EntityKind::key, "hash-1"}, reset_at);
  EXPECT_DOUBLE_EQ(b->spend, 0.0);
  EXPECT_EQ(b->budget_reset_at, reset_at + hours(24));
}

TEST(BudgetLedger, FirstWindowStartsWhenNoResetTimeIsStored) {
  BudgetLedger ledger;
  const Limits l = budget(10, hours(1));
  auto r = reserve_one(ledger, key_entity(l, 3.0), 0);
  EXPECT_EQ(ledger.balance({EntityKind::key, "hash-1"}, kT0)->budget_reset_at, kT0 + hours(1));
  EXPECT_DOUBLE_EQ(ledger.balance({EntityKind::key, "hash-1"}, kT0 + hours(1))->spend, 0.0);
}

TEST(BudgetLedger, CostSettledAfterAResetLandsInTheNewWindow) {
  BudgetLedger ledger;
  const Limits l = budget(10, hours(1));
  auto r = std::get<BudgetReservation>(reserve_one(ledger, key_entity(l, 9.0, kT0 + minutes(30)), 0.5));
  const auto balances = r.settle(0.5, kT0 + minutes(31));
  EXPECT_DOUBLE_EQ(balances[0].spend, 0.5);
  EXPECT_EQ(balances[0].budget_reset_at, kT0 + minutes(90));
}

TEST(ApplyBudgetReset, PureFunctionStorageCanRunToo) {
  double spend = 7;
  std::optional<Timestamp> reset_at = kT0;
  EXPECT_FALSE(apply_budget_reset(spend, reset_at, std::nullopt, kT0 + hours(1)));  // no duration
  EXPECT_TRUE(apply_budget_reset(spend, reset_at, hours(24), kT0 + hours(50)));
  EXPECT_EQ(spend, 0);
  EXPECT_EQ(reset_at, kT0 + hours(72));
}

TEST(BudgetLedger, SweepKeepsReservedEntities) {
  BudgetLedger ledger;
  const Limits l = budget(10);
  auto r = std::get<BudgetReservation>(reserve_one(ledger, key_entity(l), 1));
  EXPECT_EQ(ledger.sweep(), 0u);
  r.release();
  EXPECT_EQ(ledger.sweep(), 1u);
}

// 100 parallel reservations against a budget that fits 50 of them: exactly 50 pass, and the
// reserved total never exceeds the budget.
TEST(BudgetLedger, HundredThreadBurstCannotOvershoot) {
  for (int round = 0; round < 20; ++round) {
    BudgetLedger ledger;
    const Limits key = budget(0.5), team = budget(1000), user = budget(1000);
    const std::vector<BudgetedEntity> entities{{{EntityKind::key, "k"}, &key, 0, std::nullopt},
                                               {{EntityKind::team, "t"}, &team, 0, std::nullopt},
                                               {{EntityKind::user, "u"}, &user, 0, std::nullopt}};
    std::atomic<bool> go{false};
    std::atomic<int> admitted{0};
    std::vector<BudgetReservation> held(100);
    std::vector<std::thread> threads;
    for (int t = 0; t < 100; ++t) {
      threads.emplace_back([&, t] {
        while (!go.load()) std::this_thread::yield();
        auto r = ledger.reserve(entities, 0.01, kT0);
        if (auto* ok = std::get_if<BudgetReservation>(&r)) {
          admitted.fetch_add(1);
          held[t] = std::move(*ok);
        }
      });
    }
    go.store(true);
    for (auto& t : threads) t.join();
    ASSERT_EQ(admitted.load(), 50);
    const auto b = ledger.balance({EntityKind::key, "k"}, kT0);
    EXPECT_LE(b->reserved, 0.5 + kBudgetEpsilon);
    EXPECT_NEAR(ledger.balance({EntityKind::team, "t"}, kT0)->reserved, 0.5, 1e-9);

    // Settling at the estimate lands exactly on the budget, never past it.
    std::vector<std::thread> settlers;
    for (auto& r : held) {
      settlers.emplace_back([&r] { r.settle(0.01, kT0); });
    }
    for (auto& t : settlers) t.join();
    const auto after = ledger.balance({EntityKind::key, "k"}, kT0);
    EXPECT_NEAR(after->spend, 0.5, 1e-9);
    EXPECT_DOUBLE_EQ(after->reserved, 0.0);
    EXPECT_TRUE(std::holds_alternative<BudgetExceeded>(ledger.reserve(entities, 0.01, kT0)));
  }
}

// Many threads reserve, then settle at or under the estimate, until refused: spend stays within budget.
TEST(BudgetLedger, SustainedConcurrentTrafficStaysWithinBudget) {
  BudgetLedger ledger;
  const Limits key = budget(5.0);
  const BudgetedEntity e{{EntityKind::key, "k"}, &key, 0, std::nullopt};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        auto r = ledger.reserve(std::span(&e, 1), 0.004, kT0);
        if (auto* ok = std::get_if<BudgetReservation>(&r)) {
          if ((i + t) % 3 == 0) {
            ok->release();
          } else {
            ok->settle(0.001 * ((i + t) % 5), kT0);
          }
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  const auto b = ledger.balance({EntityKind::key, "k"}, kT0);
  EXPECT_LE(b->spend, 5.0 + kBudgetEpsilon);
  EXPECT_DOUBLE_EQ(b->reserved, 0.0);
}

}  // namespace
}  // namespace llmux::tenancy
