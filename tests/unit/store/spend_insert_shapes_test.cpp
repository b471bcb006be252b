// The spend batch write's statement shapes: a connection keeps every statement text it prepared,
// so batches of any size must reuse a handful of INSERT texts rather than one per row count.

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "store/sql_store.hpp"
#include "store_test_support.hpp"

namespace llmux::store {
namespace {

constexpr std::size_t spend_column_count = 18;
constexpr std::size_t start_time_column = 15;

// Answers the spend INSERT as a database with no conflicts would (every row comes back from
// RETURNING), and records the distinct INSERT texts it was asked to run.
class ShapeRecordingConnection final : public SqlConnection {
 public:
  explicit ShapeRecordingConnection(std::set<std::string>& insert_texts) : insert_texts_(insert_texts) {}

  Dialect dialect() const override { return Dialect::sqlite; }
  Status prepare_operation() override { return Done{}; }
  Result<std::vector<SqlRow>> query(std::string_view sql, SqlParams params) override {
    std::vector<SqlRow> rows;
    if (!sql.starts_with("INSERT INTO llmux_spend_logs")) return rows;
    insert_texts_.emplace(sql);
    for (std::size_t at = 0; at + spend_column_count <= params.size(); at += spend_column_count) {
      rows.emplace_back(std::vector<SqlValue>{params[at + start_time_column], params[at]});
    }
    return rows;
  }
  Result<std::int64_t> execute(std::string_view, SqlParams) override { return std::int64_t{1}; }
  Status execute_script(std::string_view) override { return Done{}; }
  Status begin() override { return Done{}; }
  Status commit() override { return Done{}; }
  void rollback() override {}
  Status notify_change(std::string_view) override { return Done{}; }
  Result<std::vector<std::string>> take_notifications(bool& resynced) override {
    resynced = false;
    return std::vector<std::string>{};
  }

 private:
  std::set<std::string>& insert_texts_;
};

TEST(SpendInsertShapes, BatchesOfEverySizeShareAFewStatementTexts) {
  std::set<std::string> insert_texts;
  SqlStore store(std::make_unique<ShapeRecordingConnection>(insert_texts));
  int next_call = 0;
  for (std::size_t size = 1; size <= 500; ++size) {
    std::vector<SpendRow> batch;
    for (std::size_t i = 0; i < size; ++i) {
      batch.push_back(testing::make_spend("call-" + std::to_string(next_call++), "key-1", 0.5));
    }
    auto outcome = store.apply_spend_batch(batch);
    ASSERT_TRUE(outcome) << outcome.error().message;
    ASSERT_EQ(outcome.value().inserted, size) << "every row of a " << size << "-row batch is inserted";
    ASSERT_EQ(outcome.value().duplicates, 0u);
  }
  // 100 rows, then 64, 32, 16, 8, 4, 2, 1 for the rest.
  EXPECT_LE(insert_texts.size(), 8u);
}

}  // namespace
}  // namespace llmux::store
