#include "store/postgres_store.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <unordered_map>

#include "store/database_url.hpp"

namespace llmux::store {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr std::string_view change_channel = "llmux_changes";

StoreErrorKind classify_sqlstate(std::string_view state) {
  if (state == "23505") return StoreErrorKind::conflict;
  if (state.starts_with("23") || state.starts_with("22")) return StoreErrorKind::invalid;
  // Connection trouble, resource exhaustion, admin shutdown, serialization failure or deadlock,
  // statement timeout, lock not available, system error: all may succeed on a later try.
  if (state.starts_with("08") || state.starts_with("53") || state.starts_with("57P") ||
      state.starts_with("58") || state == "40001" || state == "40P01" || state == "57014" ||
      state == "55P03") {
    return StoreErrorKind::unavailable;
  }
  return StoreErrorKind::internal;
}

std::string trimmed(const char* text) {
  std::string out = text != nullptr ? text : "";
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

std::string to_text(const SqlValue& value) {
  char buffer[64];
  if (const auto* n = std::get_if<std::int64_t>(&value)) {
    return std::string(buffer, std::to_chars(buffer, buffer + sizeof buffer, *n).ptr);
  }
  if (const auto* d = std::get_if<double>(&value)) {  // shortest form that reads back exactly
    return std::string(buffer, std::to_chars(buffer, buffer + sizeof buffer, *d).ptr);
  }
  return std::string(sql_text(value).value_or(std::string_view{}));
}

class PostgresConnection final : public SqlConnection {
 public:
  PostgresConnection(std::string url, PostgresOptions options)
      : url_(std::move(url)), password_(url_password(url_)), options_(std::move(options)) {}
  ~PostgresConnection() override { drop(); }

  Dialect dialect() const override { return Dialect::postgres; }

  Status connect() {
    drop();
    const std::string connect_timeout = std::to_string(std::max<long>(2, options_.connect_timeout.count()));
    const std::string tcp_user_timeout = std::to_string(options_.tcp_user_timeout.count());
    // The URL comes first and is expanded (expand_dbname=1); the keywords after it override it.
    const char* keywords[] = {"dbname",           "connect_timeout",  "application_name",
                              "keepalives",       "keepalives_idle",  "keepalives_interval",
                              "keepalives_count", "tcp_user_timeout", nullptr};
    const char* values[] = {url_.c_str(),
                            connect_timeout.c_str(),
                            options_.application_name.c_str(),
                            "1",
                            "10",
                            "5",
                            "3",
                            tcp_user_timeout.c_str(),
                            nullptr};
    conn_ = PQconnectdbParams(keywords, values, 1);
    if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) {
      StoreError error = failure("connect to " + mask_database_url(url_), StoreErrorKind::unavailable);
      drop();
      return error;
    }
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);  // no server chatter on stderr
    const std::string setup =
        "SET statement_timeout = " + std::to_string(options_.statement_timeout.count()) +
        "; SET idle_in_transaction_session_timeout = 60000; LISTEN " + std::string(change_channel);
    if (Status ready = execute_script(setup); !ready) {
      drop();
      return ready;
    }
    if (ever_connected_) resynced_ = true;  // NOTIFYs sent while we were away are lost
    ever_connected_ = true;
    return Done{};
  }

  Status prepare_operation() override {
    retry_allowed_ = true;
    if (conn_ != nullptr) {
      // Reads what the server sent while we were idle: notifications, or news that it closed us.
      if (PQconsumeInput(conn_) == 1 && PQstatus(conn_) == CONNECTION_OK) {
        collect_notifications();
        return Done{};
      }
      drop();
    }
    return reconnect();
  }

  Result<std::vector<SqlRow>> query(std::string_view sql, SqlParams params) override {
    auto result = run(sql, params);
    if (!result) return result.error();
    PGresult* res = result.value();
    std::vector<SqlRow> rows;
    const int count = PQntuples(res);
    const int columns = PQnfields(res);
    rows.reserve(static_cast<std::size_t>(count));
    for (int r = 0; r < count; ++r) {
      std::vector<SqlValue> values;
      values.reserve(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        if (PQgetisnull(res, r, c)) {
          values.emplace_back();
        } else {
          values.emplace_back(
              std::string(PQgetvalue(res, r, c), static_cast<std::size_t>(PQgetlength(res, r, c))));
        }
      }
      rows.emplace_back(std::move(values));
    }
    PQclear(res);
    return rows;
  }

  Result<std::int64_t> execute(std::string_view sql, SqlParams params) override {
    auto result = run(sql, params);
    if (!result) return result.error();
    std::int64_t affected = 0;
    const std::string_view tuples = PQcmdTuples(result.value());
    std::from_chars(tuples.data(), tuples.data() + tuples.size(), affected);
    PQclear(result.value());
    return affected;
  }

  Status execute_script(std::string_view sql) override {
    if (conn_ == nullptr) return make_error(StoreErrorKind::unavailable, "postgresql: not connected");
    const std::string text(sql);
    PGresult* res = PQexec(conn_, text.c_str());
    const ExecStatusType status = PQresultStatus(res);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
      PQclear(res);
      retry_allowed_ = false;
      collect_notifications();
      return Done{};
    }
    StoreError error = result_failure(res, "script");
    PQclear(res);
    if (PQstatus(conn_) != CONNECTION_OK) drop();
    return error;
  }

  Status begin() override {
    // BEGIN is the first statement of a write, so a connection found dead here is safe to
    // re-open and retry: nothing has been sent.
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (conn_ == nullptr) {
        if (Status back = reconnect(); !back) return back;
      }
      const bool may_retry = retry_allowed_;
      Status begun = execute_script("BEGIN");
      if (begun || conn_ != nullptr || !may_retry) return begun;
    }
    return make_error(StoreErrorKind::unavailable, "postgresql: connection lost");
  }
  Status commit() override { return execute_script("COMMIT"); }
  void rollback() override {
    if (conn_ != nullptr && PQtransactionStatus(conn_) != PQTRANS_IDLE) (void)execute_script("ROLLBACK");
  }

  Status notify_change(std::string_view payload) override {
    const std::vector<SqlValue> params{std::string(change_channel), std::string(payload)};
    auto sent = query("SELECT pg_notify(?, ?)", params);
    if (!sent) return sent.error();
    return Done{};
  }

  Result<std::vector<std::string>> take_notifications(bool& resynced) override {
    if (conn_ != nullptr && PQconsumeInput(conn_) == 1) collect_notifications();
    resynced = resynced_;
    resynced_ = false;
    return std::exchange(notifications_, {});
  }

 private:
  // Runs one parameterised statement (prepared once per connection, by SQL text). A read that
  // finds the connection dead before anything ran is retried once on a fresh connection.
  Result<PGresult*> run(std::string_view sql, SqlParams params) {
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (conn_ == nullptr) {
        if (Status back = reconnect(); !back) return back.error();
      }
      const bool may_retry = retry_allowed_ && PQtransactionStatus(conn_) == PQTRANS_IDLE;
      auto outcome = run_once(sql, params);
      if (outcome || conn_ != nullptr || !may_retry) return outcome;
    }
    return make_error(StoreErrorKind::unavailable, "postgresql: connection lost");
  }

  Result<PGresult*> run_once(std::string_view sql, SqlParams params) {
    auto name = prepared(sql);
    if (!name) return name.error();
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (std::size_t i = 0; i < params.size(); ++i) {
      if (std::holds_alternative<std::monostate>(params[i])) continue;
      // An owned string is already NUL-terminated, as libpq's text format needs; numbers and
      // borrowed text (a view need not end in NUL) get a terminated copy.
      if (const auto* owned = std::get_if<std::string>(&params[i])) {
        values[i] = owned->c_str();
        continue;
      }
      texts[i] = to_text(params[i]);
      values[i] = texts[i].c_str();
    }
    PGresult* res = PQexecPrepared(conn_, name.value().c_str(), static_cast<int>(params.size()),
                                   values.data(), nullptr, nullptr, 0);
    collect_notifications();
    const ExecStatusType status = PQresultStatus(res);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
      retry_allowed_ = false;
      return res;
    }
    StoreError error = result_failure(res, "statement");
    PQclear(res);
    if (PQstatus(conn_) != CONNECTION_OK) drop();
    return error;
  }

  // Parameter types are left for the server to infer from context and every value is sent as
  // text, so one prepared statement serves any mix of NULL and non-NULL values.
  Result<std::string> prepared(std::string_view sql) {
    if (auto found = prepared_.find(sql); found != prepared_.end()) return found->second;
    std::string name = "llmux_" + std::to_string(prepared_.size());
    std::string text = with_numbered_placeholders(sql);
    PGresult* res = PQprepare(conn_, name.c_str(), text.c_str(), 0, nullptr);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
      StoreError error = result_failure(res, "prepare");
      PQclear(res);
      if (PQstatus(conn_) != CONNECTION_OK) drop();
      return error;
    }
    PQclear(res);
    prepared_.emplace(std::string(sql), name);
    return name;
  }

  // The store writes `?`; PostgreSQL wants $1, $2, ... (`?` inside quoted literals is left alone).
  static std::string with_numbered_placeholders(std::string_view sql) {
    std::string out;
    out.reserve(sql.size() + 16);
    int next = 1;
    bool quoted = false;
    for (char c : sql) {
      if (c == '\'') quoted = !quoted;
      if (c == '?' && !quoted) {
        out += '$' + std::to_string(next++);
      } else {
        out += c;
      }
    }
    return out;
  }

  Status reconnect() {
    const auto now = SteadyClock::now();
    if (now < next_attempt_) {
      return make_error(StoreErrorKind::unavailable,
                        "postgresql unavailable (retrying after backoff): " + last_error_);
    }
    Status connected = connect();
    if (connected) {
      backoff_ = std::chrono::milliseconds{0};
      next_attempt_ = {};
      return connected;
    }
    backoff_ =
        backoff_.count() == 0 ? options_.reconnect_initial : std::min(backoff_ * 2, options_.reconnect_max);
    next_attempt_ = now + backoff_;
    last_error_ = connected.error().message;
    return connected;
  }

  void collect_notifications() {
    if (conn_ == nullptr) return;
    while (PGnotify* notice = PQnotifies(conn_)) {
      if (change_channel == notice->relname) notifications_.emplace_back(notice->extra);
      PQfreemem(notice);
    }
  }

  StoreError result_failure(const PGresult* res, std::string_view doing) {
    const char* state = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    StoreErrorKind kind = state != nullptr ? classify_sqlstate(state) : StoreErrorKind::internal;
    if (PQstatus(conn_) != CONNECTION_OK) kind = StoreErrorKind::unavailable;
    std::string detail = trimmed(res != nullptr ? PQresultErrorMessage(res) : "");
    if (detail.empty()) detail = trimmed(PQerrorMessage(conn_));
    return make_error(kind, scrub_secret("postgresql " + std::string(doing) + ": " + detail, password_));
  }

  StoreError failure(const std::string& doing, StoreErrorKind kind) {
    const std::string detail = conn_ != nullptr ? trimmed(PQerrorMessage(conn_)) : "out of memory";
    return make_error(kind, scrub_secret("postgresql " + doing + ": " + detail, password_));
  }

  void drop() {
    if (conn_ != nullptr) PQfinish(conn_);
    conn_ = nullptr;
    prepared_.clear();  // prepared statements belong to the session
  }

  std::string url_;
  std::string password_;
  PostgresOptions options_;
  PGconn* conn_ = nullptr;
  std::unordered_map<std::string, std::string, SqlTextHash, std::equal_to<>> prepared_;  // SQL text -> name
  SteadyClock::time_point next_attempt_{};
  std::chrono::milliseconds backoff_{0};
  std::string last_error_;
  bool retry_allowed_ = false;  // nothing has run yet in this operation
  bool ever_connected_ = false;
  bool resynced_ = false;
  std::vector<std::string> notifications_;
};

}  // namespace

Result<std::unique_ptr<SqlStore>> open_postgres_store(const std::string& url, PostgresOptions options) {
  if (!is_postgres_url(url)) {
    return make_error(StoreErrorKind::invalid, "not a postgresql:// URL: " + mask_database_url(url));
  }
  SqlStore::Clock clock = std::move(options.clock);
  auto connection = std::make_unique<PostgresConnection>(url, std::move(options));
  if (Status connected = connection->connect(); !connected) return connected.error();
  return std::make_unique<SqlStore>(std::move(connection), std::move(clock));
}

}  // namespace llmux::store
