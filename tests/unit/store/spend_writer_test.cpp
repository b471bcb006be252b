// The spend writer against a fake sink: when it flushes, how it batches, what it does while the
// store is down, and what a stop guarantees. (Against real stores: store_spend_behaviour.hpp.)

#include "store/spend_writer.hpp"

#include <set>
#include <thread>

#include "store_test_support.hpp"

namespace llmux::store::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

SpendWriter::Clock::time_point in(std::chrono::milliseconds delay) {
  return SpendWriter::Clock::now() + delay;
}

SpendWriterOptions quick_retries() {
  SpendWriterOptions options;
  options.retry_initial = milliseconds(1);
  options.retry_max = milliseconds(4);
  return options;
}

void enqueue_rows(SpendWriter& writer, int count, const std::string& prefix = "c") {
  for (int i = 0; i < count; ++i)
    ASSERT_TRUE(writer.enqueue(make_spend(prefix + std::to_string(i), "k", 0.1)));
}

TEST(SpendWriter, FlushesFullBatchesAtOnceAndTheRestOnStop) {
  FakeSink sink;
  SpendWriterOptions options;
  options.flush_interval = std::chrono::hours(1);
  SpendWriter writer(sink, options);
  enqueue_rows(writer, 1200);
  writer.start();
  ASSERT_TRUE(sink.wait_for_rows(1000));
  EXPECT_EQ(sink.batch_sizes(), (std::vector<std::size_t>{500, 500}));  // 200 wait for the tick

  const FlushResult flushed = writer.flush_and_stop(in(seconds(10)));
  EXPECT_TRUE(flushed.complete);
  EXPECT_EQ(sink.batch_sizes(), (std::vector<std::size_t>{500, 500, 200}));
  EXPECT_EQ(writer.stats().written, 1200u);
  EXPECT_EQ(writer.stats().queued, 0u);
}

TEST(SpendWriter, FlushesPartialBatchOnTheInterval) {
  FakeSink sink;
  SpendWriterOptions options;
  options.flush_interval = milliseconds(20);
  SpendWriter writer(sink, options);
  writer.start();
  enqueue_rows(writer, 3);
  ASSERT_TRUE(sink.wait_for_rows(3));  // no stop, no full batch: the interval did it
  EXPECT_EQ(sink.call_ids(), (std::vector<std::string>{"c0", "c1", "c2"}));
  EXPECT_TRUE(writer.flush_and_stop(in(seconds(10))).complete);
}

TEST(SpendWriter, RetriesWhileStoreIsDownAndLosesNothing) {
  FakeSink sink(3);  // down for three attempts
  SpendWriter writer(sink, quick_retries());
  writer.start();
  enqueue_rows(writer, 10);
  const FlushResult flushed = writer.flush_and_stop(in(seconds(10)));
  EXPECT_TRUE(flushed.complete);
  EXPECT_EQ(sink.calls(), 4);
  EXPECT_EQ(sink.call_ids().size(), 10u);
  EXPECT_EQ(writer.stats().retries, 3u);
  EXPECT_EQ(writer.last_error(), "store down");
}

TEST(SpendWriter, QueueIsBoundedAndDropsAreCounted) {
  FakeSink sink;
  SpendWriterOptions options;
  options.queue_capacity = 8;
  SpendWriter writer(sink, options);  // not started: nothing drains
  for (int i = 0; i < 10; ++i) writer.enqueue(make_spend("c" + std::to_string(i), "k", 0.1));
  EXPECT_EQ(writer.stats().enqueued, 8u);
  EXPECT_EQ(writer.stats().dropped_full, 2u);
  EXPECT_EQ(writer.stats().queued, 8u);

  // flush_and_stop without start() drains on the caller's thread.
  EXPECT_TRUE(writer.flush_and_stop(in(seconds(10))).complete);
  EXPECT_EQ(sink.call_ids().size(), 8u);
}

TEST(SpendWriter, StopDeadlineBoundsTheWaitForADeadStore) {
  FakeSink sink(-1);  // never comes back
  SpendWriter writer(sink, quick_retries());
  writer.start();
  enqueue_rows(writer, 10);
  const auto started = SpendWriter::Clock::now();
  const FlushResult flushed = writer.flush_and_stop(in(milliseconds(100)));
  EXPECT_LT(SpendWriter::Clock::now() - started, seconds(5));
  EXPECT_FALSE(flushed.complete);
  EXPECT_EQ(flushed.rows_lost, 10u);
  EXPECT_EQ(writer.stats().lost, 10u);
}

TEST(SpendWriter, RowsTheStoreRefusesForGoodDoNotWedgeTheQueue) {
  FakeSink sink(1, StoreErrorKind::invalid);
  SpendWriterOptions options;
  options.batch_rows = 5;
  options.flush_interval = std::chrono::hours(1);
  SpendWriter writer(sink, options);
  enqueue_rows(writer, 10);
  writer.start();
  EXPECT_TRUE(writer.flush_and_stop(in(seconds(10))).complete);
  EXPECT_EQ(writer.stats().failed, 5u);
  EXPECT_EQ(writer.stats().retries, 0u);
  EXPECT_EQ(sink.call_ids().size(), 5u);  // the batch after the bad one went through
}

TEST(SpendWriter, RefusesRowsAfterStopAndRowsWithoutCallId) {
  FakeSink sink;
  SpendWriter writer(sink);
  writer.start();
  EXPECT_FALSE(writer.enqueue(make_spend("", "k", 1.0)));
  EXPECT_TRUE(writer.flush_and_stop(in(seconds(10))).complete);
  EXPECT_FALSE(writer.enqueue(make_spend("late", "k", 1.0)));
  EXPECT_EQ(writer.stats().rejected, 2u);
  EXPECT_TRUE(sink.call_ids().empty());
}

TEST(SpendWriter, ManyProducersEveryRowOnce) {
  FakeSink sink;
  SpendWriterOptions options;
  options.batch_rows = 64;
  options.flush_interval = milliseconds(5);
  SpendWriter writer(sink, options);
  writer.start();
  std::vector<std::thread> producers;
  for (int t = 0; t < 4; ++t) {
    producers.emplace_back([&writer, t] { enqueue_rows(writer, 1000, "t" + std::to_string(t) + "-"); });
  }
  for (std::thread& producer : producers) producer.join();
  EXPECT_TRUE(writer.flush_and_stop(in(seconds(10))).complete);

  const std::vector<std::string> ids = sink.call_ids();
  EXPECT_EQ(ids.size(), 4000u);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 4000u);
  for (std::size_t size : sink.batch_sizes()) EXPECT_LE(size, 64u);
}

}  // namespace
}  // namespace llmux::store::testing
