#include "net/connection_limit.hpp"

namespace llmux::net {

bool ConnectionLimit::try_acquire() {
  std::size_t open = open_.load(std::memory_order_relaxed);
  do {
    if (open >= max_) return false;
  } while (!open_.compare_exchange_weak(open, open + 1, std::memory_order_relaxed));
  return true;
}

std::uint64_t ConnectionLimit::refused(Clock::time_point now) {
  const std::uint64_t count = refused_since_warning_.fetch_add(1, std::memory_order_relaxed) + 1;
  Clock::rep last = last_warning_.load(std::memory_order_relaxed);
  const Clock::rep now_ticks = now.time_since_epoch().count();
  const Clock::rep second = std::chrono::duration_cast<Clock::duration>(std::chrono::seconds(1)).count();
  // Compared as a difference from the last time, which starts at min(): no overflow on the first.
  if (last != Clock::time_point::min().time_since_epoch().count() && now_ticks - last < second) return 0;
  // One worker wins the second; the others see it taken.
  if (!last_warning_.compare_exchange_strong(last, now_ticks, std::memory_order_relaxed)) return 0;
  refused_since_warning_.fetch_sub(count, std::memory_order_relaxed);
  return count;
}

bool ConnectionLimit::try_begin_refusal() {
  std::size_t lingering = refusing_.load(std::memory_order_relaxed);
  do {
    if (lingering >= kMaxLingeringRefusals) return false;
  } while (!refusing_.compare_exchange_weak(lingering, lingering + 1, std::memory_order_relaxed));
  return true;
}

}  // namespace llmux::net
