// The response store's SQL (migration 5): /v1/responses turns and reasoning item owners.

#include "store/sql_build.hpp"
#include "store/sql_store.hpp"

namespace llmux::store {
namespace {

constexpr std::string_view response_columns =
    "response_id, created_at, expires_at, key_hash, team_id, model_group, deployment_id, passed_through, status, "
    "background, input_items, response";

ResponseRow read_response(const SqlRow& row) {
  ColumnReader in(row);
  ResponseRow out;
  out.response_id = in.text();
  out.created_at = in.integer();
  out.expires_at = in.integer();
  out.key_hash = in.text();
  out.team_id = in.optional_text();
  out.model_group = in.text();
  out.deployment_id = in.text();
  out.passed_through = in.flag();
  out.status = in.text();
  out.background = in.flag();
  out.input_items = in.text();
  out.response = in.text();
  return out;
}

// The first response to name an item keeps it: a later one cannot redirect its owner.
Status insert_owners(SqlConnection& db, const std::vector<std::string>& item_ids, std::string_view response_id,
                     std::string_view deployment_id, std::string_view key_hash, Millis now, Millis expires_at) {
  for (const std::string& item : item_ids) {
    if (item.empty()) continue;
    const std::vector<SqlValue> owner{SqlTextRef{item}, now};
    if (auto cleared = db.execute("DELETE FROM llmux_response_reasoning WHERE item_id = ? AND expires_at <= ?", owner);
        !cleared) {
      return cleared.error();
    }
    const std::vector<SqlValue> reasoning{SqlTextRef{item}, SqlTextRef{response_id}, SqlTextRef{deployment_id},
                                          SqlTextRef{key_hash}, expires_at};
    auto added = db.execute(
        "INSERT INTO llmux_response_reasoning (item_id, response_id, deployment_id, key_hash, expires_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (item_id) DO NOTHING",
        reasoning);
    if (!added) return added.error();
  }
  return Done{};
}

}  // namespace

Result<bool> SqlStore::insert_response(const ResponseRow& row) {
  if (row.response_id.empty()) return make_error(StoreErrorKind::invalid, "response_id must not be empty");
  return locked([&] {
    return in_transaction(*db_, [&]() -> Result<bool> {
      // An expired row no read would serve must not keep its id from being stored again.
      const std::vector<SqlValue> stale{SqlTextRef{row.response_id}, row.created_at};
      if (auto cleared = db_->execute("DELETE FROM llmux_responses WHERE response_id = ? AND expires_at <= ?", stale);
          !cleared) {
        return cleared.error();
      }
      const std::vector<SqlValue> values{SqlTextRef{row.response_id},
                                         row.created_at,
                                         row.expires_at,
                                         SqlTextRef{row.key_hash},
                                         sql_optional_ref(row.team_id),
                                         SqlTextRef{row.model_group},
                                         SqlTextRef{row.deployment_id},
                                         std::int64_t{row.passed_through ? 1 : 0},
                                         SqlTextRef{row.status},
                                         std::int64_t{row.background ? 1 : 0},
                                         SqlTextRef{row.input_items},
                                         SqlTextRef{row.response}};
      auto inserted = db_->execute("INSERT INTO llmux_responses (" + std::string(response_columns) + ") VALUES (" +
                                       placeholders(values.size()) + ") ON CONFLICT (response_id) DO NOTHING",
                                   values);
      if (!inserted) return inserted.error();
      if (inserted.value() == 0) return false;
      if (Status owners = insert_owners(*db_, row.reasoning_item_ids, row.response_id, row.deployment_id, row.key_hash,
                                        row.created_at, row.expires_at);
          !owners) {
        return owners.error();
      }
      return true;
    });
  });
}

Status SqlStore::insert_reasoning_owners(const std::vector<std::string>& item_ids, std::string_view response_id,
                                         std::string_view deployment_id, std::string_view key_hash, Millis now,
                                         Millis expires_at) {
  if (item_ids.empty()) return Done{};
  return locked([&] {
    return in_transaction(*db_, [&] {
      return insert_owners(*db_, item_ids, response_id, deployment_id, key_hash, now, expires_at);
    });
  });
}

Result<std::optional<ResponseRow>> SqlStore::get_response(std::string_view response_id, Millis now) {
  return locked([&]() -> Result<std::optional<ResponseRow>> {
    const std::vector<SqlValue> params{SqlTextRef{response_id}, now};
    auto rows = db_->query("SELECT " + std::string(response_columns) +
                               " FROM llmux_responses WHERE response_id = ? AND expires_at > ?",
                           params);
    if (!rows) return rows.error();
    if (rows.value().empty()) return std::optional<ResponseRow>{};
    return std::optional<ResponseRow>{read_response(rows.value().front())};
  });
}

Result<bool> SqlStore::delete_response(std::string_view response_id) {
  return locked([&] {
    return in_transaction(*db_, [&]() -> Result<bool> {
      const std::vector<SqlValue> params{SqlTextRef{response_id}};
      if (auto owners = db_->execute("DELETE FROM llmux_response_reasoning WHERE response_id = ?", params); !owners) {
        return owners.error();
      }
      auto removed = db_->execute("DELETE FROM llmux_responses WHERE response_id = ?", params);
      if (!removed) return removed.error();
      return removed.value() > 0;
    });
  });
}

Result<bool> SqlStore::set_response_status(std::string_view response_id, std::string_view status,
                                           std::string_view response_json) {
  return locked([&]() -> Result<bool> {
    const std::vector<SqlValue> params{SqlTextRef{status}, SqlTextRef{response_json}, SqlTextRef{response_id}};
    auto updated = db_->execute("UPDATE llmux_responses SET status = ?, response = ? WHERE response_id = ?", params);
    if (!updated) return updated.error();
    return updated.value() > 0;
  });
}

Result<std::vector<ReasoningOwner>> SqlStore::reasoning_owners(std::span<const std::string> item_ids, Millis now) {
  if (item_ids.size() > kMaxReasoningLookup) {
    return make_error(StoreErrorKind::invalid, "at most " + std::to_string(kMaxReasoningLookup) +
                                                   " reasoning items can be looked up at once");
  }
  std::vector<ReasoningOwner> owners;
  if (item_ids.empty()) return owners;
  std::vector<SqlValue> params;
  params.reserve(item_ids.size() + 1);
  for (const std::string& id : item_ids) params.emplace_back(SqlTextRef{id});
  params.emplace_back(now);
  return locked([&]() -> Result<std::vector<ReasoningOwner>> {
    auto rows = db_->query("SELECT item_id, deployment_id, key_hash FROM llmux_response_reasoning WHERE item_id IN (" +
                               placeholders(item_ids.size()) + ") AND expires_at > ? ORDER BY item_id",
                           params);
    if (!rows) return rows.error();
    for (const SqlRow& row : rows.value()) {
      owners.push_back(ReasoningOwner{row.text_or(0, ""), row.text_or(1, ""), row.text_or(2, "")});
    }
    return owners;
  });
}

Result<std::size_t> SqlStore::sweep_expired_responses(Millis now) {
  return locked([&] {
    return in_transaction(*db_, [&]() -> Result<std::size_t> {
      const std::vector<SqlValue> params{now};
      if (auto owners = db_->execute("DELETE FROM llmux_response_reasoning WHERE expires_at <= ?", params); !owners) {
        return owners.error();
      }
      auto removed = db_->execute("DELETE FROM llmux_responses WHERE expires_at <= ?", params);
      if (!removed) return removed.error();
      return static_cast<std::size_t>(removed.value());
    });
  });
}

}  // namespace llmux::store
