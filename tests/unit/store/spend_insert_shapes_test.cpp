// The spend batch write's statements, against a connection that models ON CONFLICT DO NOTHING by
// call id: which texts it runs (a connection keeps every text it prepared, so batches of any size
// must reuse a handful), that an all-new batch reads nothing back and copies no text, and that an
// INSERT meeting rows already logged undoes the transaction and writes the batch row by row.

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "store/sql_store.hpp"
#include "store_test_support.hpp"

namespace llmux::store {
namespace {

constexpr std::size_t spend_column_count = 19;  // the spend log's columns (sql_store_spend.cpp)

struct ConnectionLog {
  std::set<std::string> insert_texts;
  std::vector<std::string> calls;      // "begin", "insert N" (rows), "update", "commit", "rollback"
  std::set<std::string> logged;        // committed call ids
  std::vector<bool> call_id_borrowed;  // per spend INSERT: did its first value borrow its text?
  const char* first_call_id = nullptr;
  bool read_back = false;  // a spend INSERT went through query()
};

class ModelConnection final : public SqlConnection {
 public:
  explicit ModelConnection(ConnectionLog& log) : log_(log) {}

  Dialect dialect() const override { return Dialect::sqlite; }
  Status prepare_operation() override { return Done{}; }
  Result<std::vector<SqlRow>> query(std::string_view sql, SqlParams) override {
    if (sql.starts_with("INSERT INTO llmux_spend_logs")) log_.read_back = true;
    return std::vector<SqlRow>{};
  }
  Result<std::int64_t> execute(std::string_view sql, SqlParams params) override {
    if (!sql.starts_with("INSERT INTO llmux_spend_logs")) {
      log_.calls.emplace_back("update");
      return std::int64_t{1};
    }
    log_.insert_texts.emplace(sql);
    const std::size_t rows = params.size() / spend_column_count;
    log_.calls.push_back("insert " + std::to_string(rows));
    log_.call_id_borrowed.push_back(std::holds_alternative<SqlTextRef>(params[0]));
    if (log_.first_call_id == nullptr) log_.first_call_id = sql_text(params[0])->data();
    std::int64_t inserted = 0;
    for (std::size_t at = 0; at < params.size(); at += spend_column_count) {
      const std::string call_id(sql_text(params[at]).value());
      if (log_.logged.contains(call_id) || pending_.contains(call_id)) continue;
      pending_.insert(call_id);
      ++inserted;
    }
    return inserted;
  }
  Status execute_script(std::string_view) override { return Done{}; }
  Status begin() override {
    log_.calls.emplace_back("begin");
    return Done{};
  }
  Status commit() override {
    log_.calls.emplace_back("commit");
    log_.logged.merge(pending_);
    pending_.clear();
    return Done{};
  }
  void rollback() override {
    log_.calls.emplace_back("rollback");
    pending_.clear();
  }
  Status notify_change(std::string_view) override { return Done{}; }
  Result<std::vector<std::string>> take_notifications(bool& resynced) override {
    resynced = false;
    return std::vector<std::string>{};
  }

 private:
  ConnectionLog& log_;
  std::set<std::string> pending_;  // inserted by the open transaction
};

std::vector<SpendRow> new_rows(std::size_t count, int& next_call) {
  std::vector<SpendRow> batch;
  for (std::size_t i = 0; i < count; ++i) {
    batch.push_back(testing::make_spend("call-" + std::to_string(next_call++), "key-1", 0.5));
  }
  return batch;
}

TEST(SpendInsertShapes, BatchesOfEverySizeShareAFewStatementTexts) {
  ConnectionLog log;
  SqlStore store(std::make_unique<ModelConnection>(log));
  int next_call = 0;
  for (std::size_t size = 1; size <= 500; ++size) {
    auto outcome = store.apply_spend_batch(new_rows(size, next_call));
    ASSERT_TRUE(outcome) << outcome.error().message;
    ASSERT_EQ(outcome.value().inserted, size) << "every row of a " << size << "-row batch is inserted";
    ASSERT_EQ(outcome.value().duplicates, 0u);
  }
  // 100 rows, then 64, 32, 16, 8, 4, 2, 1 for the rest.
  EXPECT_LE(log.insert_texts.size(), 8u);
}

TEST(SpendInsertShapes, AllNewBatchReadsNothingBackAndCopiesNoText) {
  ConnectionLog log;
  SqlStore store(std::make_unique<ModelConnection>(log));
  int next_call = 0;
  const std::vector<SpendRow> batch = new_rows(250, next_call);
  auto outcome = store.apply_spend_batch(batch);
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_EQ(outcome.value().inserted, 250u);

  EXPECT_FALSE(log.read_back);
  for (const std::string& text : log.insert_texts) EXPECT_EQ(text.find("RETURNING"), std::string::npos);
  EXPECT_EQ(log.calls, (std::vector<std::string>{"begin", "insert 100", "insert 100", "insert 32",
                                                 "insert 16", "insert 2", "update", "commit"}));
  // The values bound are the batch's own strings, not copies of them.
  EXPECT_EQ(log.call_id_borrowed, std::vector<bool>(5, true));
  EXPECT_EQ(log.first_call_id, batch.front().call_id.data());
}

TEST(SpendInsertShapes, ShortInsertUndoesTheBatchAndWritesItRowByRow) {
  ConnectionLog log;
  SqlStore store(std::make_unique<ModelConnection>(log));
  int next_call = 0;
  std::vector<SpendRow> batch = new_rows(150, next_call);
  log.logged.insert(batch[120].call_id);  // already logged, met by the second INSERT
  auto outcome = store.apply_spend_batch(batch);
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_EQ(outcome.value().inserted, 149u);
  EXPECT_EQ(outcome.value().duplicates, 1u);

  std::vector<std::string> expected{"begin", "insert 100", "insert 32", "rollback", "begin"};
  expected.insert(expected.end(), 150, "insert 1");
  expected.insert(expected.end(), {"update", "commit"});
  EXPECT_EQ(log.calls, expected);
  EXPECT_EQ(log.logged.size(), 150u);
}

}  // namespace
}  // namespace llmux::store
