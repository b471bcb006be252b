#include "router/local_live_stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>

#include "text/checked_number.hpp"

namespace llmux::router {
namespace {

constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMinuteNs = 60'000'000'000;

std::int64_t to_ns(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}
TimePoint from_ns(std::int64_t ns) {
  return TimePoint{std::chrono::duration_cast<TimePoint::duration>(std::chrono::nanoseconds{ns})};
}

// A minute counter: the minute (high 32 bits) and its count (low 32 bits) in one word, so
// "start this minute's count, or add to it" is one compare-and-swap.
std::uint64_t pack(std::uint32_t minute, std::uint64_t count) {
  return (static_cast<std::uint64_t>(minute) << 32) | std::min<std::uint64_t>(count, 0xffffffffULL);
}
std::uint32_t minute_in(std::uint64_t word) { return static_cast<std::uint32_t>(word >> 32); }
std::uint64_t count_in(std::uint64_t word) { return word & 0xffffffffULL; }

std::uint64_t add_in_minute(std::atomic<std::uint64_t>& counter, std::uint32_t minute, std::uint64_t n) {
  std::uint64_t word = counter.load(std::memory_order_relaxed);
  for (;;) {
    const std::uint64_t base = minute_in(word) == minute ? count_in(word) : 0;
    const std::uint64_t desired = pack(minute, base + n);
    if (counter.compare_exchange_weak(word, desired, std::memory_order_relaxed)) return count_in(desired);
  }
}

std::int64_t count_this_minute(const std::atomic<std::uint64_t>& counter, std::uint32_t minute) {
  const std::uint64_t word = counter.load(std::memory_order_relaxed);
  return minute_in(word) == minute ? static_cast<std::int64_t>(count_in(word)) : 0;
}

// The newest `capacity` samples, oldest overwritten first. LiteLLM keeps its first nine samples and
// replaces only the tenth; a ring keeps the newest, so a deployment that slows down shows it.
struct SampleRing {
  struct Sample {
    double value;
    std::int64_t at_ns;
  };
  std::vector<Sample> samples;
  std::size_t next = 0;

  void add(std::size_t capacity, double value, std::int64_t at_ns) {
    if (samples.size() < capacity) {
      samples.push_back({value, at_ns});
      return;
    }
    samples[next] = {value, at_ns};
    next = (next + 1) % capacity;
  }
  std::optional<double> mean_since(std::int64_t oldest_ns) const {
    double sum = 0;
    std::size_t n = 0;
    for (const Sample& s : samples) {
      if (s.at_ns < oldest_ns) continue;
      sum += s.value;
      ++n;
    }
    if (n == 0) return std::nullopt;
    return sum / static_cast<double>(n);
  }
};

class SpinLock {
 public:
  void lock() {
    while (flag_.test_and_set(std::memory_order_acquire)) std::this_thread::yield();
  }
  void unlock() { flag_.clear(std::memory_order_release); }

 private:
  std::atomic_flag flag_ = ATOMIC_FLAG_INIT;
};

double per_token(std::chrono::nanoseconds d, std::int64_t completion_tokens) {
  const double seconds = std::chrono::duration<double>(d).count();
  // LiteLLM divides by the completion tokens; an answer without any counts as one token.
  return completion_tokens > 0 ? seconds / static_cast<double>(completion_tokens) : seconds;
}

std::int64_t ns_after(std::int64_t now_ns, std::chrono::milliseconds d) {
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
  return text::saturating_add(now_ns, ns);
}

}  // namespace

struct LocalLiveStats::Slot {
  std::atomic<int> in_flight{0};
  std::atomic<std::uint64_t> minute_requests{0};
  std::atomic<std::uint64_t> minute_tokens{0};
  std::atomic<std::int64_t> last_started_ns{kNever};

  mutable SpinLock lock;  // guards everything below
  SampleRing latency, time_to_first_token;
  std::optional<double> ewma_latency;
  double ewma_error = 0;
  std::optional<std::int64_t> remaining_requests, remaining_tokens;
  std::int64_t requests_valid_until_ns = kNever, tokens_valid_until_ns = kNever;
  std::int64_t retry_until_ns = kNever;
};

LocalLiveStats::LocalLiveStats(const config::Config& config, std::chrono::nanoseconds utc_minus_steady)
    : config_(config),
      utc_minus_steady_ns_(utc_minus_steady.count()),
      ttl_ns_(text::clamped_integer<std::int64_t>(config.router.routing_strategy_args.ttl_seconds * 1e9)
                  .value_or(std::numeric_limits<std::int64_t>::max())),
      slots_(std::make_unique<Slot[]>(config.deployments.size())) {
  for (std::size_t i = 0; i < config.deployments.size(); ++i) index_by_id_.try_emplace(config.deployments[i].id(), i);
}

LocalLiveStats::~LocalLiveStats() = default;

LocalLiveStats::Slot* LocalLiveStats::slot_for(const config::Deployment& deployment) const {
  const auto& all = config_.deployments;
  if (!all.empty() && &deployment >= all.data() && &deployment < all.data() + all.size()) {
    return &slots_[static_cast<std::size_t>(&deployment - all.data())];
  }
  if (auto it = index_by_id_.find(deployment.id()); it != index_by_id_.end()) return &slots_[it->second];
  return nullptr;
}

std::uint32_t LocalLiveStats::minute_of(TimePoint now) const {
  const std::int64_t utc_ns = text::saturating_add(to_ns(now), utc_minus_steady_ns_);
  // Floor division: a negative reading (a test's clock near zero) still lands in a whole minute.
  std::int64_t minute = utc_ns / kMinuteNs;
  if (utc_ns % kMinuteNs < 0) --minute;
  return static_cast<std::uint32_t>(minute);  // wraps after 8,000 years: only equality matters
}

std::chrono::milliseconds LocalLiveStats::until_next_minute(TimePoint now) const {
  const std::int64_t utc_ns = text::saturating_add(to_ns(now), utc_minus_steady_ns_);
  std::int64_t into = utc_ns % kMinuteNs;
  if (into < 0) into += kMinuteNs;
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::nanoseconds{kMinuteNs - into});
}

std::int64_t LocalLiveStats::attempt_started(const config::Deployment& deployment, TimePoint now) {
  Slot* slot = slot_for(deployment);
  if (slot == nullptr) return 0;
  slot->in_flight.fetch_add(1, std::memory_order_relaxed);
  slot->last_started_ns.store(to_ns(now), std::memory_order_relaxed);
  return static_cast<std::int64_t>(add_in_minute(slot->minute_requests, minute_of(now), 1));
}

void LocalLiveStats::attempt_finished(const config::Deployment& deployment, const AttemptReport& report,
                                      TimePoint now) {
  Slot* slot = slot_for(deployment);
  if (slot == nullptr) return;
  // Never below zero, even if a caller ends an attempt it did not start.
  int current = slot->in_flight.load(std::memory_order_relaxed);
  while (current > 0 && !slot->in_flight.compare_exchange_weak(current, current - 1, std::memory_order_relaxed)) {
  }
  if (report.outcome == AttemptReport::Outcome::abandoned) return;
  const std::int64_t now_ns = to_ns(now);
  const std::size_t capacity = static_cast<std::size_t>(std::max(1, config_.router.routing_strategy_args.max_latency_list_size));
  const double failed = report.outcome == AttemptReport::Outcome::success ? 0.0 : 1.0;
  const auto answer_time = report.time_to_first_token.value_or(report.duration);
  const double answer_seconds = std::chrono::duration<double>(answer_time).count();

  std::lock_guard guard(slot->lock);
  slot->ewma_error += kEwmaWeight * (failed - slot->ewma_error);
  if (report.outcome == AttemptReport::Outcome::timeout) {
    slot->latency.add(capacity, kTimeoutPenalty, now_ns);
    slot->time_to_first_token.add(capacity, kTimeoutPenalty, now_ns);
    // A timeout took at least this long: the average only ever rises on one.
    const double floor = std::max(answer_seconds, slot->ewma_latency.value_or(0));
    slot->ewma_latency = slot->ewma_latency ? *slot->ewma_latency + kEwmaWeight * (floor - *slot->ewma_latency) : floor;
    return;
  }
  if (report.outcome == AttemptReport::Outcome::failure) return;  // a fast error says nothing of speed
  slot->latency.add(capacity, per_token(report.duration, report.completion_tokens), now_ns);
  if (report.time_to_first_token) {
    slot->time_to_first_token.add(capacity, per_token(*report.time_to_first_token, report.completion_tokens), now_ns);
  }
  slot->ewma_latency =
      slot->ewma_latency ? *slot->ewma_latency + kEwmaWeight * (answer_seconds - *slot->ewma_latency) : answer_seconds;
}

void LocalLiveStats::add_tokens(const config::Deployment& deployment, std::int64_t tokens, TimePoint now) {
  Slot* slot = slot_for(deployment);
  if (slot == nullptr || tokens <= 0) return;
  add_in_minute(slot->minute_tokens, minute_of(now), static_cast<std::uint64_t>(tokens));
}

void LocalLiveStats::record_hints(const config::Deployment& deployment, const RateLimitHints& hints, TimePoint now) {
  Slot* slot = slot_for(deployment);
  if (slot == nullptr || hints.empty()) return;
  const std::int64_t now_ns = to_ns(now);
  const auto lifetime = std::chrono::duration_cast<std::chrono::milliseconds>(kHintLifetime);
  std::lock_guard guard(slot->lock);
  if (hints.remaining_requests) {
    slot->remaining_requests = hints.remaining_requests;
    slot->requests_valid_until_ns = ns_after(now_ns, hints.requests_reset.value_or(lifetime));
  }
  if (hints.remaining_tokens) {
    slot->remaining_tokens = hints.remaining_tokens;
    slot->tokens_valid_until_ns = ns_after(now_ns, hints.tokens_reset.value_or(lifetime));
  }
  if (hints.retry_after) slot->retry_until_ns = std::max(slot->retry_until_ns, ns_after(now_ns, *hints.retry_after));
}

int LocalLiveStats::in_flight(const config::Deployment& deployment) const {
  const Slot* slot = slot_for(deployment);
  return slot == nullptr ? 0 : slot->in_flight.load(std::memory_order_relaxed);
}

MinuteUsage LocalLiveStats::minute_usage(const config::Deployment& deployment, TimePoint now) const {
  const Slot* slot = slot_for(deployment);
  if (slot == nullptr) return {};
  const std::uint32_t minute = minute_of(now);
  return MinuteUsage{count_this_minute(slot->minute_requests, minute), count_this_minute(slot->minute_tokens, minute)};
}

std::optional<double> LocalLiveStats::average_latency(const config::Deployment& deployment, bool time_to_first_token,
                                                      TimePoint now) const {
  const Slot* slot = slot_for(deployment);
  if (slot == nullptr) return std::nullopt;
  const std::int64_t oldest = text::saturating_add(to_ns(now), -ttl_ns_);
  std::lock_guard guard(slot->lock);
  return (time_to_first_token ? slot->time_to_first_token : slot->latency).mean_since(oldest);
}

AdaptiveSignals LocalLiveStats::adaptive_signals(const config::Deployment& deployment) const {
  const Slot* slot = slot_for(deployment);
  if (slot == nullptr) return {};
  AdaptiveSignals signals;
  const std::int64_t started = slot->last_started_ns.load(std::memory_order_relaxed);
  if (started != kNever) signals.last_started = from_ns(started);
  std::lock_guard guard(slot->lock);
  signals.latency_seconds = slot->ewma_latency;
  signals.error_rate = slot->ewma_error;
  return signals;
}

UpstreamBudget LocalLiveStats::upstream_budget(const config::Deployment& deployment, TimePoint now) const {
  const Slot* slot = slot_for(deployment);
  if (slot == nullptr) return {};
  const std::int64_t now_ns = to_ns(now);
  UpstreamBudget budget;
  std::lock_guard guard(slot->lock);
  std::int64_t blocked = slot->retry_until_ns;
  if (slot->remaining_requests && slot->requests_valid_until_ns > now_ns) {
    budget.remaining_requests = slot->remaining_requests;
    if (*slot->remaining_requests <= 0) blocked = std::max(blocked, slot->requests_valid_until_ns);
  }
  if (slot->remaining_tokens && slot->tokens_valid_until_ns > now_ns) {
    budget.remaining_tokens = slot->remaining_tokens;
    if (*slot->remaining_tokens <= 0) blocked = std::max(blocked, slot->tokens_valid_until_ns);
  }
  if (blocked > now_ns) budget.blocked_until = from_ns(blocked);
  return budget;
}

}  // namespace llmux::router
