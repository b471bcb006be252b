// The shared store behaviour against a temp-file SQLite database, plus what only SQLite has: the
// file and its pragmas, the in-memory store, busy handling, and the factory's default.

#include "store/sqlite_store.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "store/store_factory.hpp"
#include "store_entity_behaviour.hpp"
#include "store_response_behaviour.hpp"
#include "store_spend_behaviour.hpp"

namespace llmux::store::testing {
namespace {

namespace fs = std::filesystem;

// A private directory per backend instance (= per test), removed afterwards.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "llmux-store-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Runs SQL on its own connection, as another process would.
std::string sqlite_exec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  std::string first_value;
  char* error = nullptr;
  const int rc = sqlite3_exec(
      db, sql.c_str(),
      [](void* out, int columns, char** values, char**) {
        if (columns > 0 && values[0] != nullptr) *static_cast<std::string*>(out) = values[0];
        return 0;
      },
      &first_value, &error);
  EXPECT_EQ(rc, SQLITE_OK) << sql << ": " << (error != nullptr ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
  return first_value;
}

class SqliteBackend {
 public:
  std::string skip_reason() const { return {}; }

  std::unique_ptr<SqlStore> fresh(SqlStore::Clock clock) {
    path_ = (dir_.path() / ("db-" + std::to_string(++databases_)) / "llmux.db").string();
    return reopen(std::move(clock));
  }
  std::unique_ptr<SqlStore> reopen(SqlStore::Clock clock) {
    SqliteOptions options;
    options.clock = std::move(clock);
    auto store = open_sqlite_store(path_, options);
    EXPECT_TRUE(store) << (store ? "" : store.error().message);
    return store ? std::move(store).value() : nullptr;
  }
  void exec(const std::string& sql) { sqlite_exec(path_, sql); }
  const std::string& path() const { return path_; }

 private:
  TempDir dir_;
  std::string path_;
  int databases_ = 0;
};

}  // namespace

INSTANTIATE_TYPED_TEST_SUITE_P(SqliteStore, StoreEntities, SqliteBackend);
INSTANTIATE_TYPED_TEST_SUITE_P(SqliteStore, StoreSpend, SqliteBackend);
INSTANTIATE_TYPED_TEST_SUITE_P(SqliteStore, StoreResponses, SqliteBackend);

TEST(SqliteStoreFile, CreatedOnFirstStartInWalMode) {
  SqliteBackend backend;
  auto store = backend.fresh({});  // in a directory that does not exist yet
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->migrate());
  EXPECT_TRUE(fs::exists(backend.path()));
  EXPECT_EQ(sqlite_exec(backend.path(), "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(sqlite_exec(backend.path(), "SELECT COUNT(*) FROM schema_migrations"),
            std::to_string(latest_schema_version()));
  EXPECT_TRUE(store->ping());
}

TEST(SqliteStoreFile, WriterLockedElsewhereIsUnavailableNotHung) {
  SqliteBackend backend;
  auto opened = backend.fresh({});
  ASSERT_TRUE(opened->migrate());
  SqliteOptions impatient;
  impatient.busy_timeout = std::chrono::milliseconds(50);
  auto store = open_sqlite_store(backend.path(), impatient);
  ASSERT_TRUE(store);

  sqlite3* other = nullptr;
  sqlite3_open(backend.path().c_str(), &other);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  auto blocked = store.value()->insert_key(make_key("k1"));
  ASSERT_FALSE(blocked);
  EXPECT_EQ(blocked.error().kind, StoreErrorKind::unavailable);
  EXPECT_TRUE(blocked.error().retryable());
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);

  EXPECT_TRUE(store.value()->insert_key(make_key("k1")));  // and fine once the lock is gone
}

TEST(SqliteStoreFile, MemoryStoreNeedsNoFile) {
  auto store = open_sqlite_store(":memory:");
  ASSERT_TRUE(store);
  ASSERT_TRUE(store.value()->migrate());
  ASSERT_TRUE(store.value()->insert_key(make_key("k1")));
  EXPECT_TRUE(store.value()->get_key("k1").value());
}

TEST(StoreFactory, DefaultsToSqliteAndRefusesUnknownUrls) {
  TempDir dir;
  const char* saved = std::getenv("DATABASE_URL");
  const std::string saved_url = saved != nullptr ? saved : "";
  ::unsetenv("DATABASE_URL");

  StoreSettings settings;
  settings.sqlite_path = (dir.path() / "factory.db").string();
  EXPECT_EQ(describe_store(settings), "sqlite:" + settings.sqlite_path);
  auto store = open_store(settings);
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_TRUE(store.value()->ping());
  EXPECT_EQ(store.value()->change_version().value(), 0);  // opened and migrated

  settings.database_url = "mysql://root:hunter2@db/llmux";
  auto refused = open_store(settings);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, StoreErrorKind::invalid);
  EXPECT_EQ(refused.error().message.find("hunter2"), std::string::npos);

  settings.database_url.clear();
  ::setenv("DATABASE_URL", "postgresql://u:hunter2@127.0.0.1:1/db", 1);
  EXPECT_EQ(describe_store(settings), "postgresql://u:****@127.0.0.1:1/db");
  if (saved != nullptr) {
    ::setenv("DATABASE_URL", saved_url.c_str(), 1);
  } else {
    ::unsetenv("DATABASE_URL");
  }
}

}  // namespace llmux::store::testing
