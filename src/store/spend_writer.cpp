#include "store/spend_writer.hpp"

#include <algorithm>

namespace llmux::store {

SpendWriter::SpendWriter(SpendSink& sink, SpendWriterOptions options)
    : sink_(sink), options_(options), queue_(options.queue_capacity) {}

SpendWriter::~SpendWriter() {
  if (thread_.joinable()) flush_and_stop(Clock::now() + std::chrono::seconds(2));
}

void SpendWriter::start() {
  if (!thread_.joinable() && accepting_.load()) thread_ = std::thread([this] { run(); });
}

bool SpendWriter::enqueue(SpendRow row) {
  if (!accepting_.load(std::memory_order_acquire) || row.call_id.empty()) {
    rejected_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  auto boxed = std::make_unique<SpendRow>(std::move(row));
  if (!queue_.try_push(std::move(boxed))) {
    dropped_full_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  enqueued_.fetch_add(1, std::memory_order_relaxed);
  // The only lock a producer ever takes: once per full batch, to wake the writer early.
  if (queue_.size() >= options_.batch_rows && !wake_requested_.exchange(true)) {
    std::lock_guard lock(mutex_);
    wake_.notify_one();
  }
  return true;
}

FlushResult SpendWriter::flush_and_stop(Clock::time_point deadline) {
  const std::uint64_t lost_before = lost_.load();
  accepting_.store(false, std::memory_order_release);
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    stop_deadline_ = deadline;
  }
  wake_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  } else {
    run();  // never started: drain here
  }
  // Rows whose producer passed the accepting_ check just as the writer finished.
  if (const std::size_t stragglers = queue_.size(); stragglers > 0) {
    std::vector<SpendRow> rest = take(stragglers);
    if (!rest.empty() && !write_with_retry(rest)) abandon(rest.size());
  }
  const std::uint64_t lost = lost_.load() - lost_before;
  return FlushResult{lost == 0, lost};
}

void SpendWriter::run() {
  Clock::time_point next_tick = Clock::now() + options_.flush_interval;
  for (;;) {
    bool stopping = false;
    {
      std::unique_lock lock(mutex_);
      wake_.wait_until(lock, next_tick, [&] { return stopping_ || queue_.size() >= options_.batch_rows; });
      wake_requested_.store(false);
      stopping = stopping_;
    }
    const bool tick = stopping || Clock::now() >= next_tick;
    if (tick) next_tick = Clock::now() + options_.flush_interval;
    // Woken by a full batch: write full batches only. On a tick or at stop: everything.
    drain(tick);
    std::lock_guard lock(mutex_);
    if (gave_up_ || (stopping && queue_.size() == 0)) return;
  }
}

void SpendWriter::drain(bool everything) {
  for (;;) {
    const std::size_t queued = queue_.size();
    if (queued == 0 || (!everything && queued < options_.batch_rows)) return;
    std::vector<SpendRow> batch = take(options_.batch_rows);
    if (batch.empty()) return;
    if (!write_with_retry(batch)) {
      const std::vector<SpendRow> discarded = take(queue_.capacity());
      abandon(batch.size() + discarded.size());
      std::lock_guard lock(mutex_);
      gave_up_ = true;
      return;
    }
  }
}

std::vector<SpendRow> SpendWriter::take(std::size_t max_rows) {
  std::vector<SpendRow> batch;
  batch.reserve(std::min(max_rows, queue_.size()));
  std::unique_ptr<SpendRow> row;
  while (batch.size() < max_rows && queue_.try_pop(row)) batch.push_back(std::move(*row));
  return batch;
}

bool SpendWriter::write_with_retry(std::vector<SpendRow>& batch) {
  std::chrono::milliseconds backoff = options_.retry_initial;
  for (;;) {
    auto outcome = sink_.apply_spend_batch(batch);
    if (outcome) {
      written_.fetch_add(outcome.value().inserted);
      duplicates_.fetch_add(outcome.value().duplicates);
      batches_.fetch_add(1);
      return true;
    }
    std::unique_lock lock(mutex_);
    last_error_ = outcome.error().message;
    if (!outcome.error().retryable()) {
      // Retrying a batch the database rejects as such would wedge every row behind it.
      failed_.fetch_add(batch.size());
      return true;
    }
    const Clock::time_point now = Clock::now();
    if (stopping_ && now >= stop_deadline_) return false;
    retries_.fetch_add(1);
    Clock::time_point until = now + backoff;
    if (stopping_) until = std::min(until, stop_deadline_);
    // A stop request ends the wait early so the final flush starts at once.
    const bool was_stopping = stopping_;
    wake_.wait_until(lock, until, [&] { return stopping_ != was_stopping; });
    backoff = std::min(backoff * 2, options_.retry_max);
  }
}

void SpendWriter::abandon(std::size_t rows) { lost_.fetch_add(rows); }

SpendWriterStats SpendWriter::stats() const {
  SpendWriterStats s;
  s.enqueued = enqueued_.load();
  s.dropped_full = dropped_full_.load();
  s.rejected = rejected_.load();
  s.written = written_.load();
  s.duplicates = duplicates_.load();
  s.failed = failed_.load();
  s.lost = lost_.load();
  s.batches = batches_.load();
  s.retries = retries_.load();
  s.queued = queue_.size();
  return s;
}

std::string SpendWriter::last_error() const {
  std::lock_guard lock(mutex_);
  return last_error_;
}

}  // namespace llmux::store
