#pragma once

// The cap on client connections open at once (llmux_settings.max_connections), shared by every
// worker. One count for the process rather than a share per worker: SO_REUSEPORT spreads
// connections by a hash of their addresses, not by load, so a per-worker share would refuse on a
// busy worker while others had room. The price is one atomic update per connection accepted and
// closed, nothing per request.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace llmux::net {

class ConnectionLimit {
 public:
  using Clock = std::chrono::steady_clock;

  explicit ConnectionLimit(std::size_t max_connections) : max_(max_connections) {}

  // Takes a slot for a new connection; false (nothing taken) when all are in use.
  bool try_acquire();
  void release() { open_.fetch_sub(1, std::memory_order_relaxed); }
  std::size_t open() const { return open_.load(std::memory_order_relaxed); }
  std::size_t max() const { return max_; }

  // A connection was refused at `now`. Returns how many were refused since the last warning when
  // this one should be logged — at most once per second across all workers — and 0 otherwise.
  std::uint64_t refused(Clock::time_point now);

  // Refused connections are answered (503) and closed after a short linger, holding a descriptor
  // meanwhile; past this many lingering at once, one is closed without an answer instead.
  bool try_begin_refusal();
  void end_refusal() { refusing_.fetch_sub(1, std::memory_order_relaxed); }
  static constexpr std::size_t kMaxLingeringRefusals = 256;

 private:
  const std::size_t max_;
  std::atomic<std::size_t> open_{0};
  std::atomic<std::size_t> refusing_{0};
  std::atomic<std::uint64_t> refused_since_warning_{0};
  std::atomic<Clock::rep> last_warning_{Clock::time_point::min().time_since_epoch().count()};
};

}  // namespace llmux::net
