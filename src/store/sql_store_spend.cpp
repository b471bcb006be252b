// Spend: the idempotent batch write, budget resets, and the two read paths (logs and reports).

#include <bit>
#include <cmath>
#include <map>
#include <thread>
#include <unordered_set>

#include "store/json_columns.hpp"
#include "store/sql_build.hpp"
#include "store/sql_store.hpp"

namespace llmux::store {
namespace {

constexpr std::string_view spend_columns =
    "call_id, key_hash, key_alias, team_id, user_id, model_group, deployment_id, model, prompt_tokens, "
    "completion_tokens, cached_tokens, cache_write_tokens, cost, latency_ms, status, start_time, end_time, "
    "tags";
constexpr std::size_t spend_column_count = 18;

// 100 rows x 18 columns stays far below both SQLite's and PostgreSQL's bound-parameter limits
// while still turning a 500-row batch into five round trips.
constexpr std::size_t rows_per_insert = 100;

// Rows in the next INSERT when `left` remain: full chunks, then the rest as powers of two. Each
// row count is its own statement text, and a connection keeps every text it prepared (a 100-row
// statement holds ~47 KB in SQLite); remainders of any size would leave up to 100 of them cached
// (several MB on the store thread), powers of two leave eight.
std::size_t rows_in_next_insert(std::size_t left) {
  return left >= rows_per_insert ? rows_per_insert : std::bit_floor(left);
}

// A NaN or infinite cost (a pricing bug) would violate NOT NULL in SQLite and fail the whole
// batch for good, taking every other row with it; it is recorded as 0 instead.
double finite_cost(const SpendRow& row) { return std::isfinite(row.cost) ? row.cost : 0.0; }

void append_spend_values(std::vector<SqlValue>& v, const SpendRow& row) {
  v.insert(v.end(),
           {row.call_id, row.key_hash, sql_optional(row.key_alias), sql_optional(row.team_id),
            sql_optional(row.user_id), row.model_group, row.deployment_id, row.model, row.prompt_tokens,
            row.completion_tokens, row.cached_tokens, row.cache_write_tokens, finite_cost(row),
            row.latency_ms, row.status, row.start_time, row.end_time, encode_string_list(row.tags)});
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
  if (in.corrupt())
    return make_error(StoreErrorKind::corrupt, "a stored spend log tags list cannot be decoded");
  return row;
}

// A row's identity in the log: the same request retried in a later batch has the same pair.
std::string log_identity(Millis start_time, std::string_view call_id) {
  return std::to_string(start_time) + ':' + std::string(call_id);
}

// Inserts rows[begin, end) and adds the identities actually inserted (not already present) to
// `inserted`.
Status insert_spend_chunk(SqlConnection& db, const std::vector<const SpendRow*>& rows, std::size_t begin,
                          std::size_t end, std::unordered_set<std::string>& inserted) {
  std::string sql = "INSERT INTO llmux_spend_logs (" + std::string(spend_columns) + ") VALUES ";
  std::vector<SqlValue> params;
  params.reserve((end - begin) * spend_column_count);
  const std::string one_row = "(" + placeholders(spend_column_count) + ")";
  sql.reserve(sql.size() + (end - begin) * (one_row.size() + 2) + 96);
  for (std::size_t i = begin; i < end; ++i) {
    if (i != begin) sql += ", ";
    sql += one_row;
    append_spend_values(params, *rows[i]);
  }
  sql += " ON CONFLICT (start_time, call_id) DO NOTHING RETURNING start_time, call_id";
  auto returned = db.query(sql, params);
  if (!returned) return returned.error();
  for (const SqlRow& r : returned.value()) inserted.insert(log_identity(r.integer_or(0, 0), r.text_or(1, "")));
  return Done{};
}

// Ordered maps: every writer updates entities in the same order, so two instances flushing at
// once cannot deadlock on each other's row locks (the failure LiteLLM documents in db_deadlocks).
struct SpendDeltas {
  std::map<std::string, double> keys, teams, users;
};

Status apply_deltas(SqlConnection& db, std::string_view table, std::string_view id_column,
                    const std::map<std::string, double>& deltas) {
  const std::string sql =
      "UPDATE " + std::string(table) + " SET spend = spend + ? WHERE " + std::string(id_column) + " = ?";
  for (const auto& [id, delta] : deltas) {
    const std::vector<SqlValue> params{delta, id};
    if (auto updated = db.execute(sql, params); !updated) return updated.error();
  }
  return Done{};
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

  return locked([&] {
    return in_transaction(*db_, [&]() -> Result<SpendBatchOutcome> {
      std::unordered_set<std::string> inserted;
      for (std::size_t begin = 0, end = 0; begin < valid.size(); begin = end) {
        end = begin + rows_in_next_insert(valid.size() - begin);
        if (Status chunk = insert_spend_chunk(*db_, valid, begin, end, inserted); !chunk)
          return chunk.error();
        // A 500-row batch is ~4 ms of CPU. Where the writer shares a core with a worker (one
        // pinned core, or a busy machine), running it in one go stalls every request on that
        // core for as long: the benchmark's p99. Giving the core back after each INSERT
        // (≤ 100 rows, well under a millisecond) keeps the writer's share but bounds the stall.
        std::this_thread::yield();
      }
      SpendBatchOutcome outcome;
      SpendDeltas deltas;
      for (const SpendRow* row : valid) {
        // erase(): a row repeated inside one batch was inserted once and counts once.
        if (inserted.erase(log_identity(row->start_time, row->call_id)) == 0) {
          ++outcome.duplicates;
          continue;
        }
        ++outcome.inserted;
        const double cost = finite_cost(*row);
        if (cost == 0) continue;
        if (!row->key_hash.empty()) deltas.keys[row->key_hash] += cost;
        if (row->team_id) deltas.teams[*row->team_id] += cost;
        if (row->user_id) deltas.users[*row->user_id] += cost;
      }
      if (Status s = apply_deltas(*db_, "llmux_keys", "token_hash", deltas.keys); !s) return s.error();
      if (Status s = apply_deltas(*db_, "llmux_teams", "team_id", deltas.teams); !s) return s.error();
      if (Status s = apply_deltas(*db_, "llmux_users", "user_id", deltas.users); !s) return s.error();
      return outcome;
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
