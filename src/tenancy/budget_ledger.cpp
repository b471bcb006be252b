#include "tenancy/budget_ledger.hpp"

#include <algorithm>
#include <cassert>

#include "tenancy/duration.hpp"
#include "tenancy/litellm_wording.hpp"

namespace llmux::tenancy {
namespace {

using detail::BudgetAccount;
using Shards = detail::EntityShards<BudgetAccount>;

void seed(BudgetAccount& a, const BudgetedEntity& e) {
  if (a.seeded) return;
  a.kind = e.entity.kind;
  a.id = std::string(e.entity.id);
  a.spend = e.stored_spend;
  a.reset_at = e.stored_reset_at;
  a.seeded = true;
}

BudgetBalance balance_of(const BudgetAccount& a) {
  return BudgetBalance{a.kind, a.id, a.spend, a.reserved, a.max_budget, a.reset_at};
}

void drop_estimate(BudgetAccount& a, double estimate) {
  --a.in_flight;
  // Exactly zero once nothing is in flight, so rounding noise never accumulates.
  a.reserved = a.in_flight <= 0 ? 0.0 : std::max(0.0, a.reserved - estimate);
}

}  // namespace

bool apply_budget_reset(double& spend, std::optional<Timestamp>& reset_at,
                        std::optional<std::chrono::seconds> duration, Timestamp now) {
  if (!duration) return false;
  if (!reset_at) {
    reset_at = next_reset(now, *duration);
    return false;
  }
  if (now < *reset_at) return false;
  spend = 0;
  reset_at = advance_reset(*reset_at, *duration, now);
  return true;
}

std::string BudgetExceeded::message() const {
  const std::string current = wording::python_float(spend + reserved);
  const std::string max = wording::python_float(max_budget);
  // When only this call's estimate does not fit, "Current cost" is still under the budget: the
  // estimate is the figure that explains the refusal.
  const std::string estimated = spend + reserved < max_budget
                                    ? ", Estimated cost of this call: " + wording::python_float(estimate)
                                    : std::string();
  switch (kind) {
    case EntityKind::team:
      return "Budget has been exceeded! Team=" + entity_id + " Current cost: " + current +
             ", Max budget: " + max + estimated;
    case EntityKind::user:
      return "ExceededBudget: User=" + entity_id + " over budget. Spend=" + current + ", Budget=" + max +
             estimated;
    case EntityKind::key:
      break;
  }
  return "Budget has been exceeded! Current cost: " + current + ", Max budget: " + max + estimated;
}

Denial BudgetExceeded::to_denial(const DenialStatuses& statuses) const {
  return Denial{statuses.budget_exceeded, "budget_exceeded", message(), std::nullopt, std::nullopt};
}

// ---- BudgetReservation -----------------------------------------------------------------------

BudgetReservation::BudgetReservation(BudgetReservation&& other) noexcept
    : ledger_(std::exchange(other.ledger_, nullptr)),
      slots_(other.slots_),
      count_(other.count_),
      estimate_(other.estimate_) {}

BudgetReservation& BudgetReservation::operator=(BudgetReservation&& other) noexcept {
  if (this != &other) {
    release();
    ledger_ = std::exchange(other.ledger_, nullptr);
    slots_ = other.slots_;
    count_ = other.count_;
    estimate_ = other.estimate_;
  }
  return *this;
}

BudgetReservation::~BudgetReservation() { release(); }

std::vector<BudgetBalance> BudgetReservation::settle(double actual_cost, Timestamp now) {
  if (!ledger_) return {};
  return finish(std::max(actual_cost, 0.0), now);
}

void BudgetReservation::release() {
  if (ledger_) finish(std::nullopt, Timestamp{});
}

std::vector<BudgetBalance> BudgetReservation::finish(std::optional<double> actual_cost, Timestamp now) {
  std::array<std::size_t, detail::kMaxEntities> shards{};
  for (std::size_t i = 0; i < count_; ++i) shards[i] = slots_[i].shard;
  std::vector<BudgetBalance> out;
  {
    Shards::Lock lock(ledger_->shards_, std::span(shards.data(), count_));
    for (std::size_t i = 0; i < count_; ++i) {
      BudgetAccount& a = *slots_[i].state;
      drop_estimate(a, estimate_);
      if (!actual_cost) continue;
      // The cost lands in the window the call ended in (LiteLLM adds spend after the call).
      apply_budget_reset(a.spend, a.reset_at, a.duration, now);
      a.spend += *actual_cost;
      out.push_back(balance_of(a));
    }
  }
  ledger_ = nullptr;
  return out;
}

// ---- BudgetLedger ----------------------------------------------------------------------------

std::variant<BudgetReservation, BudgetExceeded> BudgetLedger::reserve(
    std::span<const BudgetedEntity> entities, double estimated_cost, Timestamp now) {
  estimated_cost = std::max(estimated_cost, 0.0);
  assert(entities.size() <= detail::kMaxEntities);
  std::array<const BudgetedEntity*, detail::kMaxEntities> budgeted{};
  std::array<std::size_t, detail::kMaxEntities> shards{};
  std::size_t n = 0;
  for (const auto& e : entities) {
    if (!e.limits->max_budget || n == detail::kMaxEntities) continue;
    budgeted[n] = &e;
    shards[n++] = Shards::shard_of(e.entity);
  }

  BudgetReservation reservation;
  reservation.estimate_ = estimated_cost;
  Shards::Lock lock(shards_, std::span(shards.data(), n));
  for (std::size_t i = 0; i < n; ++i) {
    const BudgetedEntity& e = *budgeted[i];
    auto slot = shards_.find_or_create_locked(e.entity);
    BudgetAccount& a = *slot.state;
    seed(a, e);
    a.max_budget = e.limits->max_budget;
    a.duration = e.limits->budget_duration;
    apply_budget_reset(a.spend, a.reset_at, a.duration, now);
    const double committed = a.spend + a.reserved;
    const double max = *a.max_budget;
    if (committed >= max || committed + estimated_cost > max + kBudgetEpsilon) {
      return BudgetExceeded{a.kind, a.id, a.spend, a.reserved, estimated_cost, max};
    }
    reservation.slots_[i] = slot;
  }
  for (std::size_t i = 0; i < n; ++i) {
    BudgetAccount& a = *reservation.slots_[i].state;
    a.reserved += estimated_cost;
    ++a.in_flight;
  }
  reservation.count_ = n;
  reservation.ledger_ = this;
  return reservation;
}

std::optional<BudgetBalance> BudgetLedger::balance(const EntityId& entity, Timestamp now) {
  return shards_.visit(entity, [&](BudgetAccount* a) -> std::optional<BudgetBalance> {
    if (!a) return std::nullopt;
    apply_budget_reset(a->spend, a->reset_at, a->duration, now);
    return balance_of(*a);
  });
}

void BudgetLedger::refresh(const EntityId& entity, double spend, std::optional<Timestamp> budget_reset_at) {
  shards_.visit(entity, [&](BudgetAccount* a) {
    if (!a) return;  // not tracked: the next reserve seeds from the record anyway
    a->spend = spend;
    a->reset_at = budget_reset_at;
  });
}

std::size_t BudgetLedger::sweep() {
  return shards_.erase_if(
      [](EntityKind, std::string_view, const BudgetAccount& a) { return a.in_flight == 0; });
}

}  // namespace llmux::tenancy
