#include "store/sqlite_store.hpp"

#include <sqlite3.h>

#include <filesystem>
#include <unordered_map>

namespace llmux::store {
namespace {

StoreError sqlite_error(sqlite3* db, int code, std::string_view doing) {
  const int primary = code & 0xff;
  StoreErrorKind kind = StoreErrorKind::internal;
  switch (primary) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_PROTOCOL:
      kind = StoreErrorKind::unavailable;  // a busy or sick disk may recover: retry
      break;
    case SQLITE_CONSTRAINT:
      kind = (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY)
                 ? StoreErrorKind::conflict
                 : StoreErrorKind::invalid;
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      kind = StoreErrorKind::corrupt;
      break;
    default:
      break;
  }
  const char* detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  return make_error(kind, "sqlite " + std::string(doing) + ": " + detail);
}

class SqliteConnection final : public SqlConnection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override {
    for (auto& [sql, statement] : statements_) sqlite3_finalize(statement);
    sqlite3_close_v2(db_);
  }

  Dialect dialect() const override { return Dialect::sqlite; }
  Status prepare_operation() override { return Done{}; }

  Result<std::vector<SqlRow>> query(std::string_view sql, SqlParams params) override {
    auto statement = bound(sql, params);
    if (!statement) return statement.error();
    ResetOnExit reset{statement.value()};
    std::vector<SqlRow> rows;
    for (;;) {
      const int rc = sqlite3_step(statement.value());
      if (rc == SQLITE_DONE) return rows;
      if (rc != SQLITE_ROW) return sqlite_error(db_, sqlite3_extended_errcode(db_), "query");
      rows.push_back(read_row(statement.value()));
    }
  }

  Result<std::int64_t> execute(std::string_view sql, SqlParams params) override {
    auto statement = bound(sql, params);
    if (!statement) return statement.error();
    ResetOnExit reset{statement.value()};
    int rc = SQLITE_ROW;
    while (rc == SQLITE_ROW) rc = sqlite3_step(statement.value());
    if (rc != SQLITE_DONE) return sqlite_error(db_, sqlite3_extended_errcode(db_), "execute");
    return static_cast<std::int64_t>(sqlite3_changes64(db_));
  }

  Status execute_script(std::string_view sql) override {
    const std::string text(sql);
    if (int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr); rc != SQLITE_OK) {
      return sqlite_error(db_, sqlite3_extended_errcode(db_), "script");
    }
    return Done{};
  }

  // IMMEDIATE takes the write lock up front; a deferred BEGIN that later upgrades can fail with
  // SQLITE_BUSY without ever calling the busy handler.
  Status begin() override { return execute_script("BEGIN IMMEDIATE"); }
  Status commit() override { return execute_script("COMMIT"); }
  void rollback() override {
    if (sqlite3_get_autocommit(db_) == 0) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }

  Status notify_change(std::string_view) override { return Done{}; }
  Result<std::vector<std::string>> take_notifications(bool& resynced) override {
    resynced = false;
    return std::vector<std::string>{};
  }

 private:
  // A cached statement left un-reset keeps its read transaction open and blocks WAL checkpoints.
  struct ResetOnExit {
    sqlite3_stmt* statement;
    ~ResetOnExit() {
      sqlite3_reset(statement);
      sqlite3_clear_bindings(statement);
    }
  };

  Result<sqlite3_stmt*> bound(std::string_view sql, SqlParams params) {
    auto statement = prepared(sql);
    if (!statement) return statement;
    sqlite3_stmt* s = statement.value();
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int at = static_cast<int>(i) + 1;
      int rc = SQLITE_OK;
      if (const auto* n = std::get_if<std::int64_t>(&params[i])) {
        rc = sqlite3_bind_int64(s, at, *n);
      } else if (const auto* d = std::get_if<double>(&params[i])) {
        rc = sqlite3_bind_double(s, at, *d);
      } else if (const auto text = sql_text(params[i])) {
        // SQLITE_STATIC: `params` (and the text a SqlTextRef borrows) outlives the statement's
        // use (ResetOnExit clears the bindings before the caller's values go away), so SQLite
        // need not copy every string.
        rc = sqlite3_bind_text64(s, at, text->data(), text->size(), SQLITE_STATIC, SQLITE_UTF8);
      } else {
        rc = sqlite3_bind_null(s, at);
      }
      if (rc != SQLITE_OK) {
        sqlite3_clear_bindings(s);
        return sqlite_error(db_, rc, "bind");
      }
    }
    return s;
  }

  Result<sqlite3_stmt*> prepared(std::string_view sql) {
    if (auto found = statements_.find(sql); found != statements_.end()) return found->second;
    sqlite3_stmt* statement = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &statement, nullptr);
    if (rc != SQLITE_OK) return sqlite_error(db_, rc, "prepare");
    statements_.emplace(std::string(sql), statement);
    return statement;
  }

  static SqlRow read_row(sqlite3_stmt* statement) {
    const int columns = sqlite3_column_count(statement);
    std::vector<SqlValue> values;
    values.reserve(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      switch (sqlite3_column_type(statement, c)) {
        case SQLITE_INTEGER:
          values.emplace_back(std::int64_t{sqlite3_column_int64(statement, c)});
          break;
        case SQLITE_FLOAT:
          values.emplace_back(sqlite3_column_double(statement, c));
          break;
        case SQLITE_NULL:
          values.emplace_back();
          break;
        default: {
          const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, c));
          values.emplace_back(
              std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(statement, c))));
        }
      }
    }
    return SqlRow(std::move(values));
  }

  sqlite3* db_;
  // By SQL text; a bounded set of shapes. Looked up by view: a hit copies no text.
  std::unordered_map<std::string, sqlite3_stmt*, SqlTextHash, std::equal_to<>> statements_;
};

}  // namespace

Result<std::unique_ptr<SqlStore>> open_sqlite_store(const std::string& path, SqliteOptions options) {
  const bool in_memory = path == ":memory:";
  if (!in_memory) {
    std::error_code ec;
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec)
      return make_error(StoreErrorKind::unavailable,
                        "sqlite: cannot create " + parent.string() + ": " + ec.message());
  }
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;  // SqlStore serialises
  if (int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr); rc != SQLITE_OK) {
    StoreError error = sqlite_error(db, rc, "open " + path);
    sqlite3_close_v2(db);
    return error;
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, static_cast<int>(options.busy_timeout.count()));
  auto connection = std::make_unique<SqliteConnection>(db);
  // WAL: readers never wait for the writer. synchronous=NORMAL: a commit survives a process crash;
  // an OS crash or power loss may lose the last commits, the same order as the spend writer's
  // own loss bound, and it saves an fsync per batch. The page cache is 2 MiB: new spend rows land
  // at the right-hand edges of the table and its two indexes, a few hundred KB of pages, while a
  // larger cache only fills with pages written once and never read again (16 MiB of them grew
  // the store thread's heap by as much under load). Checkpointing every 4,000 pages (16 MiB of
  // WAL) instead of 1,000 writes a page that several batches touched back once instead of up to
  // four times, and journal_size_limit trims the WAL file back after a checkpoint.
  if (Status pragmas = connection->execute_script(
          "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-2048; "
          "PRAGMA wal_autocheckpoint=4000; PRAGMA journal_size_limit=67108864;");
      !pragmas) {
    return pragmas.error();
  }
  return std::make_unique<SqlStore>(std::move(connection), std::move(options.clock));
}

}  // namespace llmux::store
