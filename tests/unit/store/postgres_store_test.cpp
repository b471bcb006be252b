// The shared store behaviour against a real PostgreSQL server, plus what only PostgreSQL has:
// NOTIFY between instances, masked credentials, timeouts, and surviving a server restart.
// Skipped unless LLMUX_TEST_DATABASE_URL is set; tests/store/pg_test.sh starts a throwaway server
// on loopback and sets it (and the stop/start commands the restart test needs).

#include "store/postgres_store.hpp"

#include <libpq-fe.h>

#include <cstdlib>

#include "store/spend_writer.hpp"
#include "store_entity_behaviour.hpp"
#include "store_response_behaviour.hpp"
#include "store_spend_behaviour.hpp"

namespace llmux::store::testing {
namespace {

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

// A side connection for what the store must not be asked to do: dropping its tables, corrupting
// rows, holding locks against it.
class RawConnection {
 public:
  explicit RawConnection(const std::string& url) : conn_(PQconnectdb(url.c_str())) {
    EXPECT_EQ(PQstatus(conn_), CONNECTION_OK) << PQerrorMessage(conn_);
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);  // "table does not exist, skipping"
  }
  ~RawConnection() { PQfinish(conn_); }
  void exec(const std::string& sql) {
    PGresult* res = PQexec(conn_, sql.c_str());
    const ExecStatusType status = PQresultStatus(res);
    EXPECT_TRUE(status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
        << sql << ": " << PQerrorMessage(conn_);
    PQclear(res);
  }

 private:
  PGconn* conn_;
};

class PostgresBackend {
 public:
  std::string skip_reason() const {
    return url_.empty() ? "LLMUX_TEST_DATABASE_URL is not set (tests/store/pg_test.sh sets it)" : "";
  }
  std::unique_ptr<SqlStore> fresh(SqlStore::Clock clock) {
    exec(
        "DROP TABLE IF EXISTS llmux_keys, llmux_teams, llmux_users, llmux_spend_logs, llmux_changes, "
        "llmux_responses, llmux_response_reasoning, schema_migrations CASCADE");
    return reopen(std::move(clock));
  }
  std::unique_ptr<SqlStore> reopen(SqlStore::Clock clock) {
    PostgresOptions options;
    options.clock = std::move(clock);
    auto store = open_postgres_store(url_, options);
    EXPECT_TRUE(store) << (store ? "" : store.error().message);
    return store ? std::move(store).value() : nullptr;
  }
  void exec(const std::string& sql) { RawConnection(url_).exec(sql); }
  const std::string& url() const { return url_; }

 private:
  std::string url_ = env("LLMUX_TEST_DATABASE_URL");
};

using PostgresStoreOnly = StoreBehaviour<PostgresBackend>;

}  // namespace

INSTANTIATE_TYPED_TEST_SUITE_P(PostgresStore, StoreEntities, PostgresBackend);
INSTANTIATE_TYPED_TEST_SUITE_P(PostgresStore, StoreSpend, PostgresBackend);
INSTANTIATE_TYPED_TEST_SUITE_P(PostgresStore, StoreResponses, PostgresBackend);

TEST_F(PostgresStoreOnly, ChangesReachAnotherInstanceByNotify) {
  auto other = reopen();  // a second gateway instance
  ASSERT_TRUE(other);
  ASSERT_TRUE(other->poll_notifications());  // drains anything from setup
  ASSERT_TRUE(store_->insert_key(make_key("k1")));
  KeyPatch patch;
  patch.blocked = true;
  ASSERT_TRUE(store_->update_key("k1", patch));

  // Delivery to another session is asynchronous: collect until both arrive.
  std::vector<ChangeNotice> notices;
  ASSERT_TRUE(eventually([&] {
    auto polled = other->poll_notifications();
    EXPECT_TRUE(polled) << polled.error().message;
    if (polled) notices.insert(notices.end(), polled.value().begin(), polled.value().end());
    return notices.size() >= 2;
  }));
  ASSERT_EQ(notices.size(), 2u);
  EXPECT_EQ(notices[0].kind, EntityKind::key);
  EXPECT_EQ(notices[0].id, "k1");
  EXPECT_EQ(notices[1].version, store_->change_version().value());
  EXPECT_TRUE(other->poll_notifications().value().empty());
}

TEST_F(PostgresStoreOnly, WrongPasswordIsReportedMasked) {
  std::string url = backend_.url();
  const std::size_t at = url.find('@');
  ASSERT_NE(at, std::string::npos);
  const std::size_t colon = url.rfind(':', at);
  url = url.substr(0, colon) + ":Wr0ngPassw0rd" + url.substr(at);
  auto store = open_postgres_store(url);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().message.find("Wr0ngPassw0rd"), std::string::npos) << store.error().message;
  EXPECT_NE(store.error().message.find("****"), std::string::npos) << store.error().message;
}

// Needs no server: runs everywhere.
TEST(PostgresStoreUrl, NothingListeningIsUnavailableAndMasked) {
  auto store = open_postgres_store("postgresql://llmux:secret@127.0.0.1:1/llmux");
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().kind, StoreErrorKind::unavailable);
  EXPECT_EQ(store.error().message.find("secret"), std::string::npos) << store.error().message;

  auto not_postgres = open_postgres_store("mysql://u:secret@h/db");
  ASSERT_FALSE(not_postgres);
  EXPECT_EQ(not_postgres.error().kind, StoreErrorKind::invalid);
  EXPECT_EQ(not_postgres.error().message.find("secret"), std::string::npos);
}

// A row locked by another session makes our UPDATE wait; statement_timeout ends the wait.
TEST_F(PostgresStoreOnly, StatementTimeoutBoundsASlowServer) {
  ASSERT_TRUE(store_->insert_key(make_key("k1")));
  PostgresOptions options;
  options.statement_timeout = std::chrono::milliseconds(200);
  auto impatient = open_postgres_store(backend_.url(), options);
  ASSERT_TRUE(impatient);
  RawConnection locker(backend_.url());
  locker.exec("BEGIN");
  locker.exec("SELECT * FROM llmux_keys WHERE token_hash = 'k1' FOR UPDATE");

  const auto started = std::chrono::steady_clock::now();
  auto blocked = impatient.value()->set_key_blocked("k1", true);
  const auto waited = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(blocked);
  EXPECT_EQ(blocked.error().kind, StoreErrorKind::unavailable);
  EXPECT_LT(waited, std::chrono::seconds(3));
  locker.exec("ROLLBACK");
  EXPECT_TRUE(impatient.value()->set_key_blocked("k1", true));  // the same connection carries on
}

// The server goes away mid-run: the writer keeps the rows, retries, and writes them all once it
// is back; the store reconnects by itself and tells listeners to resync.
TEST_F(PostgresStoreOnly, WriterKeepsRowsWhileServerIsDown) {
  const std::string stop = env("LLMUX_TEST_PG_STOP_CMD");
  const std::string start = env("LLMUX_TEST_PG_START_CMD");
  if (stop.empty() || start.empty()) GTEST_SKIP() << "LLMUX_TEST_PG_STOP_CMD / _START_CMD not set";
  ASSERT_TRUE(store_->insert_key(make_key("k1")));
  SpendWriterOptions options;
  options.flush_interval = std::chrono::milliseconds(50);
  options.retry_initial = std::chrono::milliseconds(20);
  options.retry_max = std::chrono::milliseconds(200);
  SpendWriter writer(*store_, options);
  writer.start();
  for (int i = 0; i < 10; ++i)
    ASSERT_TRUE(writer.enqueue(make_spend("before" + std::to_string(i), "k1", 1.0)));
  ASSERT_TRUE(eventually([&] { return writer.stats().written == 10; }));

  ASSERT_EQ(std::system(stop.c_str()), 0);
  for (int i = 0; i < 20; ++i)
    ASSERT_TRUE(writer.enqueue(make_spend("during" + std::to_string(i), "k1", 1.0)));
  ASSERT_TRUE(eventually([&] { return writer.stats().retries >= 3; })) << writer.last_error();
  EXPECT_EQ(writer.stats().written, 10u);
  EXPECT_EQ(writer.stats().lost + writer.stats().dropped_full + writer.stats().failed, 0u);
  EXPECT_FALSE(store_->ping());

  ASSERT_EQ(std::system(start.c_str()), 0);
  ASSERT_TRUE(eventually([&] { return writer.stats().written == 30; }, std::chrono::seconds(30)))
      << writer.last_error();
  EXPECT_TRUE(writer.flush_and_stop(std::chrono::steady_clock::now() + std::chrono::seconds(10)).complete);
  EXPECT_DOUBLE_EQ(key_spend("k1"), 30.0);
  auto notices = store_->poll_notifications();
  ASSERT_TRUE(notices);
  ASSERT_FALSE(notices.value().empty());
  EXPECT_EQ(notices.value().front().kind, EntityKind::all);  // reconnected: caches must resync
}

}  // namespace llmux::store::testing
