#pragma once

// Spend leaves the request path through here (DESIGN decision 9). Workers enqueue one SpendRow per
// finished call; enqueue never waits (a lock-free bounded queue; full = the row is dropped and
// counted). One writer thread applies rows to the store in batches: every flush_interval
// (~200 ms), or as soon as batch_rows (500) are waiting, whichever comes first.
//
// When the store is down the writer keeps the batch and retries with backoff; new rows keep
// queueing up to queue_capacity, then are dropped and counted. Because the store's batch write is
// idempotent on (start_time, call_id), a retry after an ambiguous failure (commit sent, answer lost) never
// counts a row twice.
//
// Loss bound: flush_and_stop() (SIGTERM) writes everything queued, retrying until its deadline.
// A crash (SIGKILL, OOM) loses what was queued but not yet committed: in normal operation at most
// one flush interval of rows (~200 ms of traffic, at most batch_rows plus the batch in flight);
// while the store is unreachable, everything queued since it went away (up to queue_capacity).

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/bounded_queue.hpp"
#include "store/store.hpp"

namespace llmux::store {

struct SpendWriterOptions {
  std::size_t queue_capacity = 65536;  // rows; rounded up to a power of two
  std::size_t batch_rows = 500;
  std::chrono::milliseconds flush_interval{200};
  std::chrono::milliseconds retry_initial{100};
  std::chrono::milliseconds retry_max{5000};
};

struct SpendWriterStats {
  std::uint64_t enqueued = 0;
  std::uint64_t dropped_full = 0;  // refused: queue full
  std::uint64_t rejected = 0;      // refused: no call_id, or enqueued after flush_and_stop
  std::uint64_t written = 0;       // rows newly inserted by the store
  std::uint64_t duplicates = 0;    // rows the store already had (a retried batch)
  std::uint64_t failed = 0;        // rows in batches the store refused for good (not retryable)
  std::uint64_t lost = 0;          // rows abandoned when a stop deadline passed
  std::uint64_t batches = 0;       // successful store writes
  std::uint64_t retries = 0;       // failed attempts that were retried
  std::size_t queued = 0;          // waiting now (approximate)
};

struct FlushResult {
  bool complete = true;  // everything enqueued before the stop reached the store
  std::uint64_t rows_lost = 0;
};

class SpendWriter {
 public:
  using Clock = std::chrono::steady_clock;

  explicit SpendWriter(SpendSink& sink, SpendWriterOptions options = {});
  // Stops with a short deadline if flush_and_stop() was not called.
  ~SpendWriter();
  SpendWriter(const SpendWriter&) = delete;
  SpendWriter& operator=(const SpendWriter&) = delete;

  void start();

  // Any thread; never blocks. False when the row was dropped (full, stopped, no call_id).
  bool enqueue(SpendRow row);

  // Refuses new rows, writes everything queued (retrying a down store until `deadline`), and
  // joins the writer thread. Without start(), drains on the calling thread.
  FlushResult flush_and_stop(Clock::time_point deadline);

  SpendWriterStats stats() const;
  std::size_t capacity() const { return queue_.capacity(); }
  std::string last_error() const;  // the store's last failure message, "" if none

 private:
  void run();
  void drain(bool everything);
  bool write_with_retry(std::vector<SpendRow>& batch);  // false: gave up at the stop deadline
  std::vector<SpendRow> take(std::size_t max_rows);
  void abandon(std::size_t rows);

  SpendSink& sink_;
  const SpendWriterOptions options_;
  BoundedQueue<std::unique_ptr<SpendRow>> queue_;
  std::thread thread_;
  std::atomic<bool> accepting_{true};
  std::atomic<bool> wake_requested_{false};

  mutable std::mutex mutex_;  // guards the fields below and the writer's sleeps
  std::condition_variable wake_;
  bool stopping_ = false;
  bool gave_up_ = false;
  Clock::time_point stop_deadline_{};
  std::string last_error_;

  std::atomic<std::uint64_t> enqueued_{0}, dropped_full_{0}, rejected_{0}, written_{0}, duplicates_{0},
      failed_{0}, lost_{0}, batches_{0}, retries_{0};
};

}  // namespace llmux::store
