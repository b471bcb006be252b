// What one spend row costs the store thread: SqlStore::apply_spend_batch on a SQLite file that
// already holds `prefill` rows, 500 rows per batch (the spend writer's batch), call ids random
// UUIDs as the gateway makes them, start times increasing as traffic does. Reports the CPU time
// per row ("per_row", seconds with an SI prefix: "12u" = 12 µs; system time included, which is
// where page reads and writes show) and the bytes handed to write() per row ("written_per_row",
// WAL frames plus checkpoints, from /proc/self/io; 4096 = one page). It measures, it does not
// judge; bench/store/run.sh builds and runs it.

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "store/spend_writer.hpp"
#include "store/sqlite_store.hpp"

namespace {

using namespace llmux::store;
namespace fs = std::filesystem;

constexpr std::size_t batch_rows = 500;
constexpr int key_count = 64;

std::string random_call_id(std::mt19937_64& rng) {
  const std::uint64_t high = rng(), low = rng();
  char text[37];
  std::snprintf(text, sizeof text, "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(high >> 32),
                static_cast<unsigned>((high >> 16) & 0xffff), static_cast<unsigned>(high & 0x0fff),
                static_cast<unsigned>(((low >> 48) & 0x3fff) | 0x8000),
                static_cast<unsigned long long>(low & 0xffffffffffffULL));
  return text;
}

// Bytes this process has passed to write() so far (/proc/self/io "wchar").
double bytes_written() {
  std::ifstream io("/proc/self/io");
  std::string name;
  double value = 0;
  while (io >> name >> value) {
    if (name == "wchar:") return value;
  }
  return 0;
}

class SpendFixture {
 public:
  explicit SpendFixture(std::int64_t prefill) {
    std::string pattern = (fs::temp_directory_path() / "llmux-spend-bench-XXXXXX").string();
    dir_ = ::mkdtemp(pattern.data());
    auto opened = open_sqlite_store((dir_ / "bench.db").string());
    if (!opened || !opened.value()->migrate()) throw std::runtime_error("cannot open the bench store");
    store_ = std::move(opened).value();
    for (int k = 0; k < key_count; ++k) {
      KeyRow key;
      key.token_hash = "key-" + std::to_string(k);
      key.key_name = "sk-...bench";
      key.team_id = "team-" + std::to_string(k % 8);
      (void)store_->insert_key(key);
    }
    for (std::int64_t done = 0; done < prefill; done += batch_rows) (void)store_->apply_spend_batch(next_batch());
  }
  ~SpendFixture() {
    store_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::vector<SpendRow> next_batch() {
    std::vector<SpendRow> rows(batch_rows);
    for (SpendRow& row : rows) {
      row.call_id = random_call_id(rng_);
      const int k = static_cast<int>(rng_() % key_count);
      row.key_hash = "key-" + std::to_string(k);
      row.team_id = "team-" + std::to_string(k % 8);
      row.model_group = "gpt-4o";
      row.deployment_id = "dep-1";
      row.model = "openai/gpt-4o";
      row.prompt_tokens = 120;
      row.completion_tokens = 40;
      row.cost = 0.0001;
      row.latency_ms = 5;
      row.start_time = now_ += 1;  // ~1,000 requests per second
      row.end_time = row.start_time + 5;
    }
    return rows;
  }

  SqlStore& store() { return *store_; }

 private:
  fs::path dir_;
  std::unique_ptr<SqlStore> store_;
  std::mt19937_64 rng_{42};
  Millis now_ = 1'750'000'000'000;
};

// The store's share: one 500-row batch per iteration.
void BM_ApplySpendBatch(benchmark::State& state) {
  SpendFixture fixture(state.range(0));
  const double written_before = bytes_written();
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<SpendRow> batch = fixture.next_batch();
    state.ResumeTiming();
    auto applied = fixture.store().apply_spend_batch(batch);
    if (!applied) state.SkipWithError(applied.error().message.c_str());
  }
  const double rows = static_cast<double>(state.iterations() * batch_rows);
  state.SetItemsProcessed(static_cast<std::int64_t>(rows));
  state.counters["per_row"] =
      benchmark::Counter(rows, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["written_per_row"] = (bytes_written() - written_before) / rows;
}

// Everything the gateway pays per row: enqueue on a "worker" plus the writer thread's batches,
// timed until flush_and_stop returns.
void BM_WriterEndToEnd(benchmark::State& state) {
  SpendFixture fixture(state.range(0));
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<SpendRow> rows;
    for (int b = 0; b < 4; ++b) {
      auto more = fixture.next_batch();
      rows.insert(rows.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
    }
    SpendWriter writer(fixture.store());
    state.ResumeTiming();
    writer.start();
    for (SpendRow& row : rows) writer.enqueue(std::move(row));
    writer.flush_and_stop(std::chrono::steady_clock::now() + std::chrono::seconds(60));
  }
  state.SetItemsProcessed(state.iterations() * 4 * static_cast<std::int64_t>(batch_rows));
}

}  // namespace

BENCHMARK(BM_ApplySpendBatch)->Arg(0)->Arg(200'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_WriterEndToEnd)->Arg(200'000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_MAIN();
