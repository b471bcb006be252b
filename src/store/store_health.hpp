#pragma once

// What /health/readiness says about the database, without asking it: the store thread records
// when each periodic check starts and how it ends, and a reader (any thread) derives the state.
// A check that has not come back within `patience` counts as disconnected too: a database that
// stopped answering (frozen, network black hole) leaves the store thread waiting, not failing.

#include <chrono>
#include <mutex>
#include <optional>
#include <string>

namespace llmux::store {

class StoreHealth {
 public:
  using Clock = std::chrono::steady_clock;

  struct View {
    bool connected = false;
    std::optional<std::chrono::milliseconds> unanswered_for;  // a check still waiting past patience
    std::optional<std::chrono::milliseconds> since_last_ok;   // nullopt: never reached
    std::string last_error;                                   // "" after a good check
  };

  // The store opened (and migrated) at start: connected until a check says otherwise.
  explicit StoreHealth(Clock::time_point opened_at = Clock::now());

  void check_started(Clock::time_point now);
  void check_finished(Clock::time_point now, bool ok, std::string error = {});

  View view(Clock::time_point now, std::chrono::milliseconds patience = std::chrono::seconds(2)) const;

 private:
  mutable std::mutex mutex_;  // a probe a second and a readiness read: never contended
  std::optional<Clock::time_point> pending_since_;
  std::optional<Clock::time_point> last_ok_;
  bool last_ok_result_ = true;
  std::string last_error_;
};

}  // namespace llmux::store
