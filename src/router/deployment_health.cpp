#include "router/deployment_health.hpp"

#include <algorithm>
#include <limits>

#include "router/cooldown_rules.hpp"
#include "router/error_policies.hpp"
#include "router/model_pattern.hpp"

namespace llmux::router {
namespace {

constexpr std::int64_t kNoCooldown = std::numeric_limits<std::int64_t>::min();
constexpr int kCountBits = 20;
constexpr std::uint64_t kCountMask = (std::uint64_t{1} << kCountBits) - 1;
constexpr std::int64_t kMaxWindowStartMs = (std::int64_t{1} << (64 - kCountBits)) - 1;

std::int64_t to_ns(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

// steady_clock counts from boot, so its values are never negative; clamp anyway to keep the packing valid.
std::int64_t to_window_ms(TimePoint t) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  return std::clamp<std::int64_t>(ms, 0, kMaxWindowStartMs);
}

std::uint64_t pack(std::int64_t start_ms, std::uint64_t count) {
  return (static_cast<std::uint64_t>(start_ms) << kCountBits) | std::min(count, kCountMask);
}
std::int64_t window_start_ms(std::uint64_t word) { return static_cast<std::int64_t>(word >> kCountBits); }
std::uint64_t window_count(std::uint64_t word) { return word & kCountMask; }

bool window_expired(std::uint64_t word, std::int64_t now_ms) {
  constexpr auto kWindowMs = std::chrono::duration_cast<std::chrono::milliseconds>(kFailureWindow).count();
  return window_count(word) == 0 || now_ms - window_start_ms(word) >= kWindowMs;
}

}  // namespace

DeploymentHealth::Slot::Slot() : cooldown_until_ns(kNoCooldown), failure_window(0) {
  for (auto& counter : class_failures) counter.store(0, std::memory_order_relaxed);
}

DeploymentHealth::DeploymentHealth(const config::Config& config)
    : config_(config), slots_(config.deployments.size()) {
  for (std::size_t i = 0; i < config.deployments.size(); ++i) {
    index_by_id_.try_emplace(config.deployments[i].id(), i);
  }
}

DeploymentHealth::Slot* DeploymentHealth::slot_for(const config::Deployment& deployment) const {
  const auto& all = config_.deployments;
  if (!all.empty() && &deployment >= all.data() && &deployment < all.data() + all.size()) {
    return &slots_[static_cast<std::size_t>(&deployment - all.data())];
  }
  if (auto it = index_by_id_.find(deployment.id()); it != index_by_id_.end()) return &slots_[it->second];
  return nullptr;
}

void DeploymentHealth::extend_cooldown(Slot& slot, std::int64_t until_ns) {
  std::int64_t current = slot.cooldown_until_ns.load(std::memory_order_relaxed);
  while (current < until_ns && !slot.cooldown_until_ns.compare_exchange_weak(
                                   current, until_ns, std::memory_order_release, std::memory_order_relaxed)) {
  }
}

bool DeploymentHealth::count_failure(Slot& slot, const config::Deployment& deployment, TimePoint now) const {
  const int allowed_fails = deployment.model_info.allowed_fails.value_or(config_.router.allowed_fails);
  const std::uint64_t allowed = static_cast<std::uint64_t>(std::max(1, allowed_fails));
  const std::int64_t now_ms = to_window_ms(now);
  std::uint64_t word = slot.failure_window.load(std::memory_order_relaxed);
  while (true) {
    const std::uint64_t counted =
        window_expired(word, now_ms) ? pack(now_ms, 1) : pack(window_start_ms(word), window_count(word) + 1);
    const bool reached = window_count(counted) >= allowed;
    // Once it triggers a cooldown the count starts over: after the cooldown the deployment gets a
    // fresh `allowed_fails` budget.
    const std::uint64_t desired = reached ? 0 : counted;
    if (slot.failure_window.compare_exchange_weak(word, desired, std::memory_order_acq_rel,
                                                  std::memory_order_relaxed)) {
      return reached;
    }
  }
}

bool DeploymentHealth::count_policy_failure(Slot& slot, const config::Deployment& deployment,
                                            config::PolicyErrorClass counted_as, int allowed, TimePoint now) const {
  // LiteLLM (should_cooldown_based_on_allowed_fails_policy): the count lives for cooldown_time after
  // the latest failure, and the deployment cools down once it exceeds what the policy allows.
  const double ttl_seconds = deployment.cooldown_time_seconds && *deployment.cooldown_time_seconds > 0
                                 ? *deployment.cooldown_time_seconds
                                 : config_.router.cooldown_time_seconds;
  const auto ttl_ms = static_cast<std::int64_t>(std::clamp(ttl_seconds, 0.001, 86400.0 * 365) * 1000);
  const std::int64_t now_ms = to_window_ms(now);
  auto& counter = slot.class_failures[static_cast<std::size_t>(counted_as)];
  std::uint64_t word = counter.load(std::memory_order_relaxed);
  while (true) {
    const bool expired = window_count(word) == 0 || now_ms - window_start_ms(word) >= ttl_ms;
    const std::uint64_t count = (expired ? 0 : window_count(word)) + 1;
    const bool exceeded = count > static_cast<std::uint64_t>(std::max(0, allowed));
    const std::uint64_t desired = exceeded ? 0 : pack(now_ms, count);
    if (counter.compare_exchange_weak(word, desired, std::memory_order_acq_rel, std::memory_order_relaxed)) {
      return exceeded;
    }
  }
}

void DeploymentHealth::record_success(const config::Deployment& deployment, TimePoint) {
  // A success does not end a cooldown: requests started before it may still succeed while the
  // upstream is already refusing new ones (a 429 with Retry-After). It does forgive earlier failures.
  if (Slot* slot = slot_for(deployment)) slot->failure_window.store(0, std::memory_order_release);
  // The policy counters are not forgiven by a success: LiteLLM's expire only with time.
}

void DeploymentHealth::record_failure(const config::Deployment& deployment, const Failure& failure,
                                      TimePoint now) {
  const auto& settings = config_.router;
  if (settings.disable_cooldowns) return;
  // LiteLLM never cools a wildcard deployment down (its provider_default_deployment_ids): it serves
  // every model of a provider, and one missing or overloaded model must not take the others out.
  if (ModelPattern::is_pattern(deployment.model_name)) return;
  // A policy naming the failure's class decides alone, even for a class that otherwise never
  // counts (LiteLLM: a named entry enables cooldown for a 400 too).
  const auto allowance = policy_allowed_fails(deployment, settings, failure);
  if (!allowance && !counts_toward_cooldown(failure.kind)) return;
  Slot* slot = slot_for(deployment);
  if (slot == nullptr) return;
  const auto duration = cooldown_duration(deployment, failure, settings);
  if (duration <= std::chrono::nanoseconds::zero()) return;
  const std::int64_t now_ns = to_ns(now);
  const std::int64_t until_ns = now_ns + duration.count();

  if (allowance) {
    if (slot->cooldown_until_ns.load(std::memory_order_acquire) > now_ns ||
        count_policy_failure(*slot, deployment, allowance->counted_as, allowance->allowed, now)) {
      extend_cooldown(*slot, until_ns);
    }
    return;
  }

  if (slot->cooldown_until_ns.load(std::memory_order_acquire) > now_ns) {
    // Still failing while cooling down (a request in flight, or a bypass attempt): keep it out longer.
    extend_cooldown(*slot, until_ns);
    return;
  }
  if (cools_down_at_once(failure) || count_failure(*slot, deployment, now)) {
    slot->failure_window.store(0, std::memory_order_release);
    extend_cooldown(*slot, until_ns);
  }
}

bool DeploymentHealth::in_cooldown(const config::Deployment& deployment, TimePoint now) const {
  const Slot* slot = slot_for(deployment);
  return slot != nullptr && slot->cooldown_until_ns.load(std::memory_order_acquire) > to_ns(now);
}

std::optional<TimePoint> DeploymentHealth::cooldown_ends(const config::Deployment& deployment,
                                                         TimePoint now) const {
  const Slot* slot = slot_for(deployment);
  if (slot == nullptr) return std::nullopt;
  const std::int64_t until_ns = slot->cooldown_until_ns.load(std::memory_order_acquire);
  if (until_ns <= to_ns(now)) return std::nullopt;
  return TimePoint{std::chrono::duration_cast<TimePoint::duration>(std::chrono::nanoseconds{until_ns})};
}

int DeploymentHealth::recent_failures(const config::Deployment& deployment, TimePoint now) const {
  const Slot* slot = slot_for(deployment);
  if (slot == nullptr) return 0;
  const std::uint64_t word = slot->failure_window.load(std::memory_order_acquire);
  return window_expired(word, to_window_ms(now)) ? 0 : static_cast<int>(window_count(word));
}

}  // namespace llmux::router
