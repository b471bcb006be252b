#pragma once

// The state behind keys, teams, users and spend. Synchronous by design: it is driven from a store
// thread (the spend writer's thread, the tenancy loader), never from a request worker, so a slow
// database can delay accounting and cache refreshes but never a response. Implementations
// serialise their own calls, so two such threads may share one Store.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/response_rows.hpp"
#include "store/rows.hpp"
#include "store/store_result.hpp"

namespace llmux::store {

template <class T>
struct Page {
  std::vector<T> rows;
  std::int64_t total = 0;  // rows matching the filter, ignoring offset/limit
};

// Lists are ordered by created_at, then id, so offset paging is stable. limit: 1..10000.
struct KeyFilter {
  std::optional<std::string> team_id;
  std::optional<std::string> user_id;
  std::optional<std::string> key_alias;
  std::optional<bool> blocked;
  std::int64_t offset = 0;
  std::int64_t limit = 100;
};

struct TeamFilter {
  std::optional<std::string> team_alias;
  std::int64_t offset = 0;
  std::int64_t limit = 100;
};

struct UserFilter {
  std::optional<std::string> user_email;
  std::int64_t offset = 0;
  std::int64_t limit = 100;
};

// Newest first. `model` matches either the model group or the upstream model; `request_id` the
// gateway's own call id or the client's x-litellm-call-id (several rows may share the latter).
// Times are [start, end) on start_time.
struct SpendLogFilter {
  std::optional<std::string> request_id;
  std::optional<std::string> key_hash;
  std::optional<std::string> team_id;
  std::optional<std::string> user_id;
  std::optional<std::string> model;
  std::optional<Millis> start;
  std::optional<Millis> end;
  std::int64_t offset = 0;
  std::int64_t limit = 100;
};

enum class SpendGroupBy { day, team, key, model };

// [start, end) on start_time. per_day splits team/key/model groups by UTC day as well.
struct SpendReportQuery {
  SpendGroupBy group_by = SpendGroupBy::day;
  Millis start = 0;
  Millis end = 0;
  bool per_day = false;
};

// `group` is the UTC day ("2025-01-31") for group_by day, else the team id / key hash / model
// group ("" when the rows had none). `day` is set for group_by day and for per_day reports.
struct SpendReportRow {
  std::string group;
  std::optional<std::string> day;
  double spend = 0;
  std::int64_t requests = 0;
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;

  bool operator==(const SpendReportRow&) const = default;
};

struct SpendBatchOutcome {
  std::size_t inserted = 0;    // new rows, whose cost was added to key/team/user spend
  std::size_t duplicates = 0;  // (start_time, call_id) already stored (a retried batch): not counted again
};

struct ResetOutcome {
  std::size_t keys = 0;
  std::size_t teams = 0;
  std::size_t users = 0;
};

struct MigrationReport {
  int from_version = 0;
  int to_version = 0;
};

enum class EntityKind { key, team, user, all };

// One change seen by another instance. kind == all means notifications may have been missed (the
// connection was re-established): drop every cached entity.
struct ChangeNotice {
  std::int64_t version = 0;
  EntityKind kind = EntityKind::all;
  std::string id;
};

// The one thing the spend writer needs; a seam so it can be tested against a failing fake.
class SpendSink {
 public:
  virtual ~SpendSink() = default;

  // In ONE transaction: insert the rows into the spend log, skipping rows whose (start_time,
  // call_id) is already stored, and add the cost of the newly inserted rows to their key, team and
  // user. Safe to retry.
  virtual Result<SpendBatchOutcome> apply_spend_batch(const std::vector<SpendRow>& rows) = 0;
};

class Store : public SpendSink {
 public:
  // Brings the schema to the latest version; idempotent. Refuses a database newer than us.
  virtual Result<MigrationReport> migrate() = 0;
  virtual Status ping() = 0;

  // Inserts set created_at (when 0) and updated_at, and return the stored row. Updates return the
  // row after the change; a missing id is StoreErrorKind::not_found. A missing row on get is
  // not an error (an unknown key is ordinary traffic).
  virtual Result<KeyRow> insert_key(const KeyRow& row) = 0;
  virtual Result<std::optional<KeyRow>> get_key(std::string_view token_hash) = 0;
  virtual Result<KeyRow> update_key(std::string_view token_hash, const KeyPatch& patch) = 0;
  virtual Status delete_key(std::string_view token_hash) = 0;
  virtual Result<Page<KeyRow>> list_keys(const KeyFilter& filter) = 0;
  virtual Result<KeyRow> set_key_blocked(std::string_view token_hash, bool blocked) = 0;

  virtual Result<TeamRow> insert_team(const TeamRow& row) = 0;
  virtual Result<std::optional<TeamRow>> get_team(std::string_view team_id) = 0;
  virtual Result<TeamRow> update_team(std::string_view team_id, const TeamPatch& patch) = 0;
  virtual Status delete_team(std::string_view team_id) = 0;
  virtual Result<Page<TeamRow>> list_teams(const TeamFilter& filter) = 0;
  virtual Result<TeamRow> set_team_blocked(std::string_view team_id, bool blocked) = 0;

  virtual Result<UserRow> insert_user(const UserRow& row) = 0;
  virtual Result<std::optional<UserRow>> get_user(std::string_view user_id) = 0;
  virtual Result<UserRow> update_user(std::string_view user_id, const UserPatch& patch) = 0;
  virtual Status delete_user(std::string_view user_id) = 0;
  virtual Result<Page<UserRow>> list_users(const UserFilter& filter) = 0;

  // For every key/team/user whose budget_reset_at <= now: spend := 0 and budget_reset_at moves
  // forward by whole budget_duration_s periods past now (no drift), or to NULL without a duration.
  virtual Result<ResetOutcome> reset_budgets(Millis now) = 0;

  virtual Result<std::vector<SpendRow>> spend_logs(const SpendLogFilter& filter) = 0;
  virtual Result<std::vector<SpendReportRow>> spend_report(const SpendReportQuery& query) = 0;

  // The response store (/v1/responses state). Insert refuses to replace a row: false when the id
  // is already stored (an upstream repeating another caller's id must not take that row over).
  // Reads treat rows whose expires_at <= now as gone; the sweep deletes them. At most
  // kMaxReasoningLookup ids are looked up at once.
  virtual Result<bool> insert_response(const ResponseRow& row) = 0;
  virtual Result<std::optional<ResponseRow>> get_response(std::string_view response_id, Millis now) = 0;
  // Only who made which reasoning items, for a turn whose content is not kept (store: false): an
  // id and a deployment, so encrypted reasoning still goes back where it can be read.
  virtual Status insert_reasoning_owners(const std::vector<std::string>& item_ids, std::string_view response_id,
                                         std::string_view deployment_id, std::string_view key_hash, Millis now,
                                         Millis expires_at) = 0;
  virtual Result<bool> delete_response(std::string_view response_id) = 0;  // false: there was none
  virtual Result<bool> set_response_status(std::string_view response_id, std::string_view status,
                                           std::string_view response_json) = 0;
  virtual Result<std::vector<ReasoningOwner>> reasoning_owners(std::span<const std::string> item_ids, Millis now) = 0;
  virtual Result<std::size_t> sweep_expired_responses(Millis now) = 0;  // rows removed
  static constexpr std::size_t kMaxReasoningLookup = 256;

  // Change feed for cache invalidation across instances: a counter bumped in the same transaction
  // as every key/team/user insert, update, delete, block and budget reset (spend batches do not
  // bump it: each instance updates its cached spend itself). Compare it to the last value seen.
  virtual Result<std::int64_t> change_version() = 0;
  // PostgreSQL: changes NOTIFYed on channel "llmux_changes" since the last call (including this
  // instance's own). SQLite: always empty (one instance per file; use change_version()).
  virtual Result<std::vector<ChangeNotice>> poll_notifications() = 0;
};

const char* to_string(EntityKind kind);

}  // namespace llmux::store
