#pragma once

// Budgets that hold under concurrency. LiteLLM checks `spend >= max_budget` before a call and adds
// the cost after it (reference §4.4, §7.6), so N parallel calls can each pass the check and
// overshoot by N calls. The ledger instead RESERVES each call's estimated cost (pricing::
// estimate_cost) for the key, its team and its user at once, refuses when spend + reservations +
// estimate would pass a budget, and on settle replaces the estimate by the real cost. So a burst
// cannot overshoot by more than the estimates under-guessed (never, when the estimate is an upper
// bound: max_tokens set). An estimate of 0 gives LiteLLM's behaviour.
//
// Windows: an entity with `budget_duration` starts over (spend 0) when `budget_reset_at` has passed
// — applied lazily at the next reserve/settle/balance, a pure function of `now` (apply_budget_reset).
// Storage runs the same function over its rows, so both agree on spend and the next reset.
//
// Source of truth: the ledger holds live spend for entities that have a max_budget. It is seeded
// from the record (spend, budget_reset_at) the first time it sees the entity; afterwards its own
// figure wins, except after refresh() (an admin reset the spend, or another instance wrote it).
//
// Thread safety: as RateLimiter (sharded mutexes, the request's entities locked together in a fixed
// order), so check-and-reserve over key, team and user is atomic.

#include <array>
#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "tenancy/denial.hpp"
#include "tenancy/entity.hpp"
#include "tenancy/entity_shards.hpp"

namespace llmux::tenancy {

// Floating-point slack when comparing USD sums (a burst of reservations adds up to a budget
// with rounding noise); far below any price.
inline constexpr double kBudgetEpsilon = 1e-9;

// If `duration` is set and `reset_at` has passed: spend = 0, reset_at = the next reset on the
// same grid (advance_reset), and true. With a duration but no reset_at yet, the first window starts
// now (reset_at = now + duration). Otherwise nothing changes.
bool apply_budget_reset(double& spend, std::optional<Timestamp>& reset_at,
                        std::optional<std::chrono::seconds> duration, Timestamp now);

struct BudgetedEntity {
  EntityId entity;
  const Limits* limits = nullptr;            // max_budget, budget_duration; never null
  double stored_spend = 0;                   // the record's spend: seeds the ledger on first sight
  std::optional<Timestamp> stored_reset_at;  // the record's budget_reset_at, likewise
};

struct BudgetExceeded {
  EntityKind kind = EntityKind::key;
  std::string entity_id;
  double spend = 0;     // settled spend in the current window
  double reserved = 0;  // estimates of calls in flight
  double estimate = 0;  // this call's estimate
  double max_budget = 0;

  // LiteLLM's wording per entity, with "current cost" = spend + reserved:
  //   key:  "Budget has been exceeded! Current cost: 10.5, Max budget: 10.0"
  //   team: "Budget has been exceeded! Team=<id> Current cost: 10.5, Max budget: 10.0"
  //   user: "ExceededBudget: User=<id> over budget. Spend=10.5, Budget=10.0"
  // followed by ", Estimated cost of this call: 0.2" when current cost is under the budget and
  // only this call's estimate would pass it (llmux reserves estimates; LiteLLM does not).
  std::string message() const;
  // statuses.budget_exceeded (400 by default), type "budget_exceeded".
  Denial to_denial(const DenialStatuses& statuses = {}) const;
};

// Where an entity stands, for the spend-update writer and the key cache.
struct BudgetBalance {
  EntityKind kind = EntityKind::key;
  std::string entity_id;
  double spend = 0;
  double reserved = 0;
  std::optional<double> max_budget;
  std::optional<Timestamp> budget_reset_at;
};

namespace detail {

struct BudgetAccount {
  EntityKind kind = EntityKind::key;
  std::string id;
  bool seeded = false;
  double spend = 0;
  double reserved = 0;
  std::int64_t in_flight = 0;
  std::optional<Timestamp> reset_at;
  std::optional<double> max_budget;              // as last passed to reserve()
  std::optional<std::chrono::seconds> duration;  // likewise
};

}  // namespace detail

class BudgetLedger;

// One call's reservation: RAII. Destroying it without settle() is release(). Move-only; must not
// outlive its BudgetLedger.
class BudgetReservation {
 public:
  BudgetReservation() = default;
  BudgetReservation(BudgetReservation&& other) noexcept;
  BudgetReservation& operator=(BudgetReservation&& other) noexcept;
  BudgetReservation(const BudgetReservation&) = delete;
  BudgetReservation& operator=(const BudgetReservation&) = delete;
  ~BudgetReservation();

  // The call cost `actual_cost` USD: added to every entity's spend (even past its budget: the call
  // has happened), the estimate dropped. Returns each entity's balance afterwards. Once; later
  // calls return nothing.
  std::vector<BudgetBalance> settle(double actual_cost, Timestamp now);
  // The call did not happen or cost nothing: drop the estimate.
  void release();

  double estimate() const { return estimate_; }
  bool active() const { return ledger_ != nullptr; }

 private:
  friend class BudgetLedger;
  std::vector<BudgetBalance> finish(std::optional<double> actual_cost, Timestamp now);

  BudgetLedger* ledger_ = nullptr;
  std::array<detail::Slot<detail::BudgetAccount>, detail::kMaxEntities> slots_{};
  std::size_t count_ = 0;
  double estimate_ = 0;
};

class BudgetLedger {
 public:
  // Reserves `estimated_cost` USD for every entity that has a max_budget, or refuses naming the
  // first (in the order given) that cannot take it: spend + reserved >= max_budget (reached counts
  // as exceeded, as for LiteLLM keys), or spend + reserved + estimate > max_budget (+ epsilon).
  // At most detail::kMaxEntities entities.
  std::variant<BudgetReservation, BudgetExceeded> reserve(std::span<const BudgetedEntity> entities,
                                                          double estimated_cost, Timestamp now);

  // The ledger's view of one entity (after any due reset), or nullopt if it has none.
  std::optional<BudgetBalance> balance(const EntityId& entity, Timestamp now);

  // Storage says the entity's spend and reset time are now these (admin reset, other instance):
  // replaces the ledger's settled spend; reservations in flight stay.
  void refresh(const EntityId& entity, double spend, std::optional<Timestamp> budget_reset_at);

  // Forgets entities with nothing reserved; they are re-seeded from their record next time, so call
  // it only if the records the gateway passes to reserve() carry the spend settle() returned (the
  // gateway's key/team/user cache is updated from settle's balances, as LiteLLM updates its cache).
  std::size_t sweep();

 private:
  friend class BudgetReservation;
  detail::EntityShards<detail::BudgetAccount> shards_;
};

}  // namespace llmux::tenancy
