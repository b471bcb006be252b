#pragma once

// The Store, written once in SQL over a SqlConnection; sqlite_store.cpp and postgres_store.cpp
// only supply connections. One mutex serialises calls, so the spend writer's thread and a
// management thread may share an instance; nothing here runs on a request worker.

#include <functional>
#include <memory>
#include <mutex>

#include "store/sql_connection.hpp"
#include "store/store.hpp"

namespace llmux::store {

class SqlStore final : public Store {
 public:
  using Clock = std::function<Millis()>;

  // `clock` stamps created_at/updated_at; the default is the system clock.
  explicit SqlStore(std::unique_ptr<SqlConnection> connection, Clock clock = {});

  Result<MigrationReport> migrate() override;
  // Applies migrations only up to `target`: how tests build a database as an older llmux left it.
  Result<MigrationReport> migrate_to(int target);
  Result<int> schema_version();
  Dialect dialect() const { return dialect_; }

  Status ping() override;

  Result<KeyRow> insert_key(const KeyRow& row) override;
  Result<std::optional<KeyRow>> get_key(std::string_view token_hash) override;
  Result<KeyRow> update_key(std::string_view token_hash, const KeyPatch& patch) override;
  Status delete_key(std::string_view token_hash) override;
  Result<Page<KeyRow>> list_keys(const KeyFilter& filter) override;
  Result<KeyRow> set_key_blocked(std::string_view token_hash, bool blocked) override;

  Result<TeamRow> insert_team(const TeamRow& row) override;
  Result<std::optional<TeamRow>> get_team(std::string_view team_id) override;
  Result<TeamRow> update_team(std::string_view team_id, const TeamPatch& patch) override;
  Status delete_team(std::string_view team_id) override;
  Result<Page<TeamRow>> list_teams(const TeamFilter& filter) override;
  Result<TeamRow> set_team_blocked(std::string_view team_id, bool blocked) override;

  Result<UserRow> insert_user(const UserRow& row) override;
  Result<std::optional<UserRow>> get_user(std::string_view user_id) override;
  Result<UserRow> update_user(std::string_view user_id, const UserPatch& patch) override;
  Status delete_user(std::string_view user_id) override;
  Result<Page<UserRow>> list_users(const UserFilter& filter) override;

  Result<SpendBatchOutcome> apply_spend_batch(const std::vector<SpendRow>& rows) override;
  Result<ResetOutcome> reset_budgets(Millis now) override;
  Result<std::vector<SpendRow>> spend_logs(const SpendLogFilter& filter) override;
  Result<std::vector<SpendReportRow>> spend_report(const SpendReportQuery& query) override;

  Result<bool> insert_response(const ResponseRow& row) override;
  Result<std::optional<ResponseRow>> get_response(std::string_view response_id, Millis now) override;
  Status insert_reasoning_owners(const std::vector<std::string>& item_ids, std::string_view response_id,
                                 std::string_view deployment_id, std::string_view key_hash, Millis now,
                                 Millis expires_at) override;
  Result<bool> delete_response(std::string_view response_id) override;
  Result<bool> set_response_status(std::string_view response_id, std::string_view status,
                                   std::string_view response_json) override;
  Result<std::vector<ReasoningOwner>> reasoning_owners(std::span<const std::string> item_ids, Millis now) override;
  Result<std::size_t> sweep_expired_responses(Millis now) override;

  Result<std::int64_t> change_version() override;
  Result<std::vector<ChangeNotice>> poll_notifications() override;

 private:
  // Takes the lock and readies the connection, then runs `body`.
  template <class F>
  auto locked(F&& body) -> decltype(body());

  Result<MigrationReport> migrate_locked(int target);

  std::mutex mutex_;
  std::unique_ptr<SqlConnection> db_;
  Dialect dialect_;
  Clock clock_;
};

template <class F>
auto SqlStore::locked(F&& body) -> decltype(body()) {
  std::lock_guard lock(mutex_);
  if (Status ready = db_->prepare_operation(); !ready) return ready.error();
  return body();
}

}  // namespace llmux::store
