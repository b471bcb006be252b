// Spend: the idempotent batch write, budget resets, and the two read paths (logs and reports).

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <map>
#include <span>
#include <thread>

#include "store/json_columns.hpp"
#include "store/sql_build.hpp"
#include "store/sql_store.hpp"

namespace llmux::store {
namespace {

constexpr std::string_view spend_columns =
    "call_id, key_hash, key_alias, team_id, user_id, model_group, deployment_id, model, prompt_tokens, "
    "completion_tokens, cached_tokens, cache_write_tokens, cost, latency_ms, status, start_time, end_time, "
    "tags, client_call_id";
constexpr std::size_t spend_column_count = 19;

// 100 rows x 19 columns stays far below both SQLite's and PostgreSQL's bound-parameter limits
// while still turning a 500-row batch into five round trips.
constexpr std::size_t rows_per_insert = 100;

// Rows in the next INSERT when `left` remain: full chunks, then the rest as powers of two. Each
// row count is its own statement text, and a connection keeps every text it prepared (a 100-row
// statement holds ~47 KB in SQLite); remainders of any size would leave up to 100 of them cached
// (several MB on the store thread), powers of two leave eight.
std::size_t rows_in_next_insert(std::size_t left) {
  return left >= rows_per_insert ? rows_per_insert : std::bit_floor(left);
}

constexpr std::size_t insert_shapes = 8;  // 100, then 1, 2, 4, ..., 64

// The INSERT for `rows` rows (a count rows_in_next_insert gives), built once per process rather
// than once per chunk: the 100-row text is ~6 KB. No RETURNING: reading the inserted rows back
// cost SQLite more than the insert itself (~20,000 instructions a row instead of ~12,000); the
// count of affected rows says what the batch needs to know (insert_all_new).
const std::string& spend_insert_sql(std::size_t rows) {
  static const std::array<std::string, insert_shapes> texts = [] {
    std::array<std::string, insert_shapes> out;
    const std::string one_row = "(" + placeholders(spend_column_count) + ")";
    for (std::size_t shape = 0; shape < insert_shapes; ++shape) {
      const std::size_t count = shape == 0 ? rows_per_insert : std::size_t{1} << (shape - 1);
      std::string& sql = out[shape];
      sql = "INSERT INTO llmux_spend_logs (" + std::string(spend_columns) + ") VALUES ";
      for (std::size_t i = 0; i < count; ++i) {
        if (i != 0) sql += ", ";
        sql += one_row;
      }
      sql += " ON CONFLICT (start_time, call_id) DO NOTHING";
    }
    return out;
  }();
  return texts[rows == rows_per_insert ? 0 : static_cast<std::size_t>(std::bit_width(rows))];
}

// A NaN or infinite cost (a pricing bug) would violate NOT NULL in SQLite and fail the whole
// batch for good, taking every other row with it; it is recorded as 0 instead.
double finite_cost(const SpendRow& row) { return std::isfinite(row.cost) ? row.cost : 0.0; }

// Every text borrows from `row` (SqlTextRef), which outlives the INSERT it is bound to.
void append_spend_values(std::vector<SqlValue>& v, const SpendRow& row) {
  v.emplace_back(SqlTextRef{row.call_id});
  v.emplace_back(SqlTextRef{row.key_hash});
  v.push_back(sql_optional_ref(row.key_alias));
  v.push_back(sql_optional_ref(row.team_id));
  v.push_back(sql_optional_ref(row.user_id));
  v.emplace_back(SqlTextRef{row.model_group});
  v.emplace_back(SqlTextRef{row.deployment_id});
  v.emplace_back(SqlTextRef{row.model});
  v.emplace_back(row.prompt_tokens);
  v.emplace_back(row.completion_tokens);
  v.emplace_back(row.cached_tokens);
  v.emplace_back(row.cache_write_tokens);
  v.emplace_back(finite_cost(row));
  v.emplace_back(row.latency_ms);
  v.emplace_back(SqlTextRef{row.status});
  v.emplace_back(row.start_time);
  v.emplace_back(row.end_time);
  // Most rows carry no tags: their encoding is a constant, not a JSON serialisation.
  if (row.tags.empty()) {
    v.emplace_back(SqlTextRef{empty_string_list});
  } else {
    v.emplace_back(encode_string_list(row.tags));
  }
  v.push_back(sql_optional_ref(row.client_call_id));
}

Result<SpendRow> read_spend(const SqlRow& sql_row) {
  ColumnReader in(sql_row);
  SpendRow row;
  row.call_id = in.text();
  row.key_hash = in.text();
  row.key_alias = in.optional_text();
  row.team_id = in.optional_text();
  row.user_id = in.optional_text();
  row.model_group = in.text();
  row.deployment_id = in.text();
  row.model = in.text();
  row.prompt_tokens = in.integer();
  row.completion_tokens = in.integer();
  row.cached_tokens = in.integer();
  row.cache_write_tokens = in.integer();
  row.cost = in.real();
  row.latency_ms = in.integer();
  row.status = in.text();
  row.start_time = in.integer();
  row.end_time = in.integer();
  row.tags = in.string_list();
  row.client_call_id = in.optional_text();
  if (in.corrupt())
    return make_error(StoreErrorKind::corrupt, "a stored spend log tags list cannot be decoded");
  return row;
}

// A 500-row batch is ~2.5 ms of CPU. Where the writer shares a core with a worker (one pinned
// core, or a busy machine), running it in one go stalls every request on that core for as long:
// the benchmark's p99. Giving the core back after each INSERT (≤ 100 rows, well under a
// millisecond) keeps the writer's share but bounds the stall.
void let_workers_run() { std::this_thread::yield(); }

// Inserts `rows`, ≤ 100 per INSERT; true when every one was new, which each INSERT's count of
// affected rows proves without reading a row back. Stops at the first INSERT that falls short.
Result<bool> insert_all_new(SqlConnection& db, std::span<const SpendRow* const> rows) {
  std::vector<SqlValue> params;  // one list serves every chunk
  params.reserve(std::min(rows.size(), rows_per_insert) * spend_column_count);
  for (std::size_t begin = 0, end = 0; begin < rows.size(); begin = end) {
    end = begin + rows_in_next_insert(rows.size() - begin);
    params.clear();
    for (std::size_t i = begin; i < end; ++i) append_spend_values(params, *rows[i]);
    auto affected = db.execute(spend_insert_sql(end - begin), params);
    if (!affected) return affected.error();
    if (affected.value() != static_cast<std::int64_t>(end - begin)) return false;
    let_workers_run();
  }
  return true;
}

// Inserts `rows` one per INSERT and marks in `inserted` the ones that were new: a one-row
// INSERT affects one row, or none when the row is already logged (or repeated earlier in the
// batch). Slower than insert_all_new, but only a batch that overlaps the log comes here, and it
// reuses the one-row statement rather than adding shapes to every connection's cache.
Status insert_one_by_one(SqlConnection& db, std::span<const SpendRow* const> rows,
                         std::vector<char>& inserted) {
  std::vector<SqlValue> params;
  params.reserve(spend_column_count);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    params.clear();
    append_spend_values(params, *rows[i]);
    auto affected = db.execute(spend_insert_sql(1), params);
    if (!affected) return affected.error();
    inserted[i] = affected.value() == 1 ? 1 : 0;
    if ((i + 1) % rows_per_insert == 0) let_workers_run();
  }
  return Done{};
}

// Ordered maps: every writer updates entities in the same order, so two instances flushing at
// once cannot deadlock on each other's row locks (the failure LiteLLM documents in db_deadlocks).
// The ids borrow from the batch's rows.
struct SpendDeltas {
  std::map<std::string_view, double> keys, teams, users;
};

Status apply_deltas(SqlConnection& db, std::string_view table, std::string_view id_column,
                    const std::map<std::string_view, double>& deltas) {
  const std::string sql =
      "UPDATE " + std::string(table) + " SET spend = spend + ? WHERE " + std::string(id_column) + " = ?";
  for (const auto& [id, delta] : deltas) {
    const std::vector<SqlValue> params{delta, SqlTextRef{id}};
    if (auto updated = db.execute(sql, params); !updated) return updated.error();
  }
  return Done{};
}

// Counts the rows `was_inserted` says went in and adds their cost to their key, team and user.
template <class WasInserted>
Result<SpendBatchOutcome> credit_inserted(SqlConnection& db, std::span<const SpendRow* const> rows,
                                          WasInserted&& was_inserted) {
  SpendBatchOutcome outcome;
  SpendDeltas deltas;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (!was_inserted(i)) {
      ++outcome.duplicates;
      continue;
    }
    ++outcome.inserted;
    const SpendRow& row = *rows[i];
    const double cost = finite_cost(row);
    if (cost == 0) continue;
    if (!row.key_hash.empty()) deltas.keys[row.key_hash] += cost;
    if (row.team_id) deltas.teams[*row.team_id] += cost;
    if (row.user_id) deltas.users[*row.user_id] += cost;
  }
  if (Status s = apply_deltas(db, "llmux_keys", "token_hash", deltas.keys); !s) return s.error();
  if (Status s = apply_deltas(db, "llmux_teams", "team_id", deltas.teams); !s) return s.error();
  if (Status s = apply_deltas(db, "llmux_users", "user_id", deltas.users); !s) return s.error();
  return outcome;
}

std::string day_expression(Dialect dialect) {
  return dialect == Dialect::postgres
             ? "to_char(to_timestamp(start_time / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
             : "strftime('%Y-%m-%d', start_time / 1000, 'unixepoch')";
}

std::string group_expression(SpendGroupBy group_by, Dialect dialect) {
  switch (group_by) {
    case SpendGroupBy::day:
      return day_expression(dialect);
    case SpendGroupBy::team:
      return "COALESCE(team_id, '')";
    case SpendGroupBy::key:
      return "key_hash";
    case SpendGroupBy::model:
      return "model_group";
  }
  return "model_group";
}

// Moves budget_reset_at forward by whole periods past `now` (so resets do not drift later with
// each late run of the job); a row without a duration resets once and stops.
std::string reset_sql(std::string_view table) {
  return "UPDATE " + std::string(table) +
         " SET spend = 0, updated_at = ?, budget_reset_at = CASE"
         " WHEN budget_duration_s IS NULL OR budget_duration_s <= 0 THEN NULL"
         " ELSE budget_reset_at + ((? - budget_reset_at) / (budget_duration_s * 1000) + 1) * "
         "(budget_duration_s * 1000)"
         " END WHERE budget_reset_at IS NOT NULL AND budget_reset_at <= ?";
}

}  // namespace

Result<SpendBatchOutcome> SqlStore::apply_spend_batch(const std::vector<SpendRow>& rows) {
  std::vector<const SpendRow*> valid;
  valid.reserve(rows.size());
  for (const SpendRow& row : rows) {
    if (!row.call_id.empty()) valid.push_back(&row);
  }
  if (valid.size() != rows.size()) return make_error(StoreErrorKind::invalid, "spend row without call_id");
  if (valid.empty()) return SpendBatchOutcome{};

  return locked([&]() -> Result<SpendBatchOutcome> {
    // Nearly every batch holds only new rows, and the INSERTs' affected-row counts prove it
    // with nothing read back. A count that falls short (a batch retried after a lost commit
    // acknowledgement, a row repeated inside the batch) cannot say which rows were new, so
    // that transaction is rolled back and the batch written again a row at a time.
    bool some_already_logged = false;
    auto counted = in_transaction(*db_, [&]() -> Result<SpendBatchOutcome> {
      auto all_new = insert_all_new(*db_, valid);
      if (!all_new) return all_new.error();
      if (!all_new.value()) {
        some_already_logged = true;
        return make_error(StoreErrorKind::conflict, "some spend rows were already logged");
      }
      return credit_inserted(*db_, valid, [](std::size_t) { return true; });
    });
    if (!some_already_logged) return counted;
    return in_transaction(*db_, [&]() -> Result<SpendBatchOutcome> {
      std::vector<char> inserted(valid.size(), 0);
      if (Status written = insert_one_by_one(*db_, valid, inserted); !written) return written.error();
      return credit_inserted(*db_, valid, [&](std::size_t i) { return inserted[i] != 0; });
    });
  });
}

Result<ResetOutcome> SqlStore::reset_budgets(Millis now) {
  const Millis stamp = clock_();
  return locked([&] {
    return in_transaction(*db_, [&]() -> Result<ResetOutcome> {
      const std::vector<SqlValue> params{stamp, now, now};
      std::size_t counts[3] = {0, 0, 0};
      const std::string_view tables[3] = {"llmux_keys", "llmux_teams", "llmux_users"};
      for (int i = 0; i < 3; ++i) {
        auto reset = db_->execute(reset_sql(tables[i]), params);
        if (!reset) return reset.error();
        counts[i] = static_cast<std::size_t>(reset.value());
      }
      // Cached spend elsewhere is now stale, and which rows changed is not worth listing.
      if (counts[0] + counts[1] + counts[2] > 0) {
        if (auto changed = record_change(*db_, EntityKind::all, ""); !changed) return changed.error();
      }
      return ResetOutcome{counts[0], counts[1], counts[2]};
    });
  });
}

Result<std::vector<SpendRow>> SqlStore::spend_logs(const SpendLogFilter& filter) {
  if (Status paging = check_paging(filter.offset, filter.limit); !paging) return paging.error();
  SqlClauses where;
  if (filter.request_id)
    where.add_two("(call_id = ? OR client_call_id = ?)", *filter.request_id, *filter.request_id);
  if (filter.key_hash) where.add("key_hash = ?", *filter.key_hash);
  if (filter.team_id) where.add("team_id = ?", *filter.team_id);
  if (filter.user_id) where.add("user_id = ?", *filter.user_id);
  if (filter.model) where.add_two("(model_group = ? OR model = ?)", *filter.model, *filter.model);
  if (filter.start) where.add("start_time >= ?", *filter.start);
  if (filter.end) where.add("start_time < ?", *filter.end);
  std::vector<SqlValue> params = where.params();
  params.emplace_back(filter.limit);
  params.emplace_back(filter.offset);
  const std::string sql = "SELECT " + std::string(spend_columns) + " FROM llmux_spend_logs" + where.where() +
                          " ORDER BY start_time DESC, call_id DESC LIMIT ? OFFSET ?";
  return locked([&]() -> Result<std::vector<SpendRow>> {
    auto rows = db_->query(sql, params);
    if (!rows) return rows.error();
    std::vector<SpendRow> out;
    out.reserve(rows.value().size());
    for (const SqlRow& sql_row : rows.value()) {
      auto row = read_spend(sql_row);
      if (!row) return row.error();
      out.push_back(std::move(row).value());
    }
    return out;
  });
}

Result<std::vector<SpendReportRow>> SqlStore::spend_report(const SpendReportQuery& query) {
  if (query.end <= query.start) return make_error(StoreErrorKind::invalid, "report end must be after start");
  const bool by_day = query.group_by == SpendGroupBy::day;
  const bool with_day = by_day || query.per_day;
  const std::string group = group_expression(query.group_by, dialect_);
  const std::string day = with_day ? day_expression(dialect_) : "NULL";
  std::string sql = "SELECT " + group + ", " + day +
                    ", COALESCE(SUM(cost), 0), COUNT(*), COALESCE(SUM(prompt_tokens), 0),"
                    " COALESCE(SUM(completion_tokens), 0) FROM llmux_spend_logs"
                    " WHERE start_time >= ? AND start_time < ?";
  // Days read chronologically; other groups biggest spender first.
  if (by_day) {
    sql += " GROUP BY 1 ORDER BY 1";
  } else if (query.per_day) {
    sql += " GROUP BY 1, 2 ORDER BY 2, 3 DESC, 1";
  } else {
    sql += " GROUP BY 1 ORDER BY 3 DESC, 1";
  }
  const std::vector<SqlValue> params{query.start, query.end};
  return locked([&]() -> Result<std::vector<SpendReportRow>> {
    auto rows = db_->query(sql, params);
    if (!rows) return rows.error();
    std::vector<SpendReportRow> out;
    for (const SqlRow& r : rows.value()) {
      out.push_back(SpendReportRow{r.text_or(0, ""), with_day ? r.text(1) : std::nullopt, r.real_or(2, 0),
                                   r.integer_or(3, 0), r.integer_or(4, 0), r.integer_or(5, 0)});
    }
    return out;
  });
}

}  // namespace llmux::store
