#pragma once

// The seam between the store's SQL (written once, in sql_store*.cpp) and a database client
// library. A connection runs parameterised statements written with `?` placeholders and hands back
// loosely typed rows; SQLite returns native values, PostgreSQL returns text, and SqlRow's readers
// accept either, so the SQL layer never cares which.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "store/store.hpp"
#include "store/store_result.hpp"

namespace llmux::store {

enum class Dialect { sqlite, postgres };

// Text the caller owns and keeps alive until the statement it is bound to has run: the spend
// batch binds ~1,800 strings per INSERT, and copying each into the parameter list was most of
// the store thread's allocations. A distinct type (not a bare string_view) so a view is never
// made by accident; rows read back from a database never hold one.
struct SqlTextRef {
  std::string_view text;
};

using SqlValue = std::variant<std::monostate, std::int64_t, double, std::string, SqlTextRef>;

// The text of a string value, owned or borrowed; nullopt for other kinds.
inline std::optional<std::string_view> sql_text(const SqlValue& value) {
  if (const auto* owned = std::get_if<std::string>(&value)) return std::string_view(*owned);
  if (const auto* borrowed = std::get_if<SqlTextRef>(&value)) return borrowed->text;
  return std::nullopt;
}

inline SqlValue sql_null() { return SqlValue{}; }
template <class T>
SqlValue sql_optional(const std::optional<T>& value) {
  return value ? SqlValue{*value} : SqlValue{};
}
inline SqlValue sql_optional_ref(const std::optional<std::string>& value) {
  return value ? SqlValue{SqlTextRef{*value}} : SqlValue{};
}

class SqlRow {
 public:
  explicit SqlRow(std::vector<SqlValue> values) : values_(std::move(values)) {}

  std::size_t size() const { return values_.size(); }
  bool is_null(std::size_t i) const { return std::holds_alternative<std::monostate>(values_.at(i)); }
  std::optional<std::string> text(std::size_t i) const;
  std::optional<std::int64_t> integer(std::size_t i) const;
  std::optional<double> real(std::size_t i) const;

  // Non-null readers with a fallback, for NOT NULL columns and aggregates.
  std::string text_or(std::size_t i, std::string fallback) const { return text(i).value_or(fallback); }
  std::int64_t integer_or(std::size_t i, std::int64_t fallback) const {
    return integer(i).value_or(fallback);
  }
  double real_or(std::size_t i, double fallback) const { return real(i).value_or(fallback); }

 private:
  std::vector<SqlValue> values_;
};

using SqlParams = std::span<const SqlValue>;

// Hashes SQL text by view, so a connection's statement cache (keyed by text) is searched without
// copying the text on every call.
struct SqlTextHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
};

class SqlConnection {
 public:
  virtual ~SqlConnection() = default;

  virtual Dialect dialect() const = 0;

  // Called at the start of every store operation: re-establishes a lost connection (with backoff)
  // and marks the point from which a lost connection may be retried once.
  virtual Status prepare_operation() = 0;

  virtual Result<std::vector<SqlRow>> query(std::string_view sql, SqlParams params) = 0;
  virtual Result<std::int64_t> execute(std::string_view sql, SqlParams params) = 0;  // rows affected
  virtual Status execute_script(std::string_view sql) = 0;  // DDL; several statements, no params

  // A write transaction. SQLite takes the write lock at BEGIN so two writers queue on
  // busy_timeout instead of deadlocking on a lock upgrade.
  virtual Status begin() = 0;
  virtual Status commit() = 0;
  virtual void rollback() = 0;

  // Publishes a change to other instances when the transaction commits (PostgreSQL NOTIFY).
  virtual Status notify_change(std::string_view payload) = 0;
  // Notifications received since the last call; `resynced` reports a reconnect in between.
  virtual Result<std::vector<std::string>> take_notifications(bool& resynced) = 0;
};

}  // namespace llmux::store
