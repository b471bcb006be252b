#pragma once

// Live health of every deployment of one config snapshot: cooldowns and recent failure counts.
// Shared by all worker threads; every operation is a few lock-free atomic ops (DESIGN.md, decision 1).

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "config/config.hpp"
#include "router/failure.hpp"

namespace llmux::router {

class DeploymentHealth {
 public:
  // `config` must outlive this object (the Router owns both).
  explicit DeploymentHealth(const config::Config& config);

  void record_success(const config::Deployment& deployment, TimePoint now);
  void record_failure(const config::Deployment& deployment, const Failure& failure, TimePoint now);
  bool in_cooldown(const config::Deployment& deployment, TimePoint now) const;
  std::optional<TimePoint> cooldown_ends(const config::Deployment& deployment, TimePoint now) const;
  // Failures counted toward `allowed_fails` in the current one-minute window (0 once it has passed).
  int recent_failures(const config::Deployment& deployment, TimePoint now) const;

 private:
  struct Slot {
    // Steady-clock nanoseconds; the deployment is cooling down while this is in the future.
    std::atomic<std::int64_t> cooldown_until_ns;
    // Window start (milliseconds, high 44 bits) and failure count (low 20 bits) in one word, so
    // "start a new window or count in this one" is a single compare-and-swap.
    std::atomic<std::uint64_t> failure_window;
    // allowed_fails_policy counts, one per LiteLLM error class: the last failure's time
    // (milliseconds, high bits) and the count since the counter last expired, packed likewise.
    std::array<std::atomic<std::uint64_t>, config::kPolicyErrorClasses> class_failures;
    Slot();
  };

  // Pointer arithmetic for deployments of our snapshot; the id map for copies (or another snapshot's
  // deployment with the same id). Unknown deployments have no health and are never cooled down.
  Slot* slot_for(const config::Deployment& deployment) const;
  // Moves the cooldown end to `until` unless it already ends later.
  static void extend_cooldown(Slot& slot, std::int64_t until_ns);
  // Counts one failure; true when it reached `allowed_fails` (the window is then reset).
  bool count_failure(Slot& slot, const config::Deployment& deployment, TimePoint now) const;
  // Counts one failure of a class an allowed_fails_policy names; true when the count now exceeds
  // `allowed` (the counter is then reset).
  bool count_policy_failure(Slot& slot, const config::Deployment& deployment, config::PolicyErrorClass counted_as,
                            int allowed, TimePoint now) const;

  const config::Config& config_;
  mutable std::vector<Slot> slots_;
  std::unordered_map<std::string, std::size_t> index_by_id_;
};

}  // namespace llmux::router
