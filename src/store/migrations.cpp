#include "store/migrations.hpp"

#include <array>

namespace llmux::store {
namespace {

constexpr std::string_view entities_sql = R"sql(
CREATE TABLE llmux_keys (
  token_hash TEXT PRIMARY KEY,
  key_name TEXT NOT NULL,
  key_alias TEXT UNIQUE,
  models TEXT NOT NULL DEFAULT '[]',
  aliases TEXT NOT NULL DEFAULT '{}',
  tags TEXT NOT NULL DEFAULT '[]',
  max_budget DOUBLE PRECISION,
  budget_duration_s BIGINT,
  budget_reset_at BIGINT,
  rpm_limit BIGINT,
  tpm_limit BIGINT,
  max_parallel_requests BIGINT,
  expires BIGINT,
  metadata TEXT NOT NULL DEFAULT '{}',
  team_id TEXT,
  user_id TEXT,
  blocked INTEGER NOT NULL DEFAULT 0,
  spend DOUBLE PRECISION NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX llmux_keys_team ON llmux_keys (team_id);
CREATE INDEX llmux_keys_user ON llmux_keys (user_id);
CREATE TABLE llmux_teams (
  team_id TEXT PRIMARY KEY,
  team_alias TEXT,
  models TEXT NOT NULL DEFAULT '[]',
  model_aliases TEXT NOT NULL DEFAULT '{}',
  tags TEXT NOT NULL DEFAULT '[]',
  max_budget DOUBLE PRECISION,
  budget_duration_s BIGINT,
  budget_reset_at BIGINT,
  rpm_limit BIGINT,
  tpm_limit BIGINT,
  max_parallel_requests BIGINT,
  blocked INTEGER NOT NULL DEFAULT 0,
  metadata TEXT NOT NULL DEFAULT '{}',
  spend DOUBLE PRECISION NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE llmux_users (
  user_id TEXT PRIMARY KEY,
  user_email TEXT,
  models TEXT NOT NULL DEFAULT '[]',
  max_budget DOUBLE PRECISION,
  budget_duration_s BIGINT,
  budget_reset_at BIGINT,
  rpm_limit BIGINT,
  tpm_limit BIGINT,
  max_parallel_requests BIGINT,
  metadata TEXT NOT NULL DEFAULT '{}',
  spend DOUBLE PRECISION NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE llmux_spend_logs (
  call_id TEXT PRIMARY KEY,
  key_hash TEXT NOT NULL,
  key_alias TEXT,
  team_id TEXT,
  user_id TEXT,
  model_group TEXT NOT NULL,
  deployment_id TEXT NOT NULL,
  model TEXT NOT NULL,
  prompt_tokens BIGINT NOT NULL,
  completion_tokens BIGINT NOT NULL,
  cached_tokens BIGINT NOT NULL,
  cache_write_tokens BIGINT NOT NULL DEFAULT 0,
  cost DOUBLE PRECISION NOT NULL,
  latency_ms BIGINT NOT NULL,
  status TEXT NOT NULL,
  start_time BIGINT NOT NULL,
  end_time BIGINT NOT NULL,
  tags TEXT NOT NULL DEFAULT '[]'
);
)sql";

// Reports and filters scan spend logs by time, per entity; the change counter feeds cache
// invalidation across instances (store.hpp change_version()).
constexpr std::string_view spend_indexes_and_changes_sql = R"sql(
CREATE INDEX llmux_spend_logs_start ON llmux_spend_logs (start_time);
CREATE INDEX llmux_spend_logs_key ON llmux_spend_logs (key_hash, start_time);
CREATE INDEX llmux_spend_logs_team ON llmux_spend_logs (team_id, start_time);
CREATE INDEX llmux_spend_logs_user ON llmux_spend_logs (user_id, start_time);
CREATE TABLE llmux_changes (
  id INTEGER PRIMARY KEY,
  version BIGINT NOT NULL
);
INSERT INTO llmux_changes (id, version) VALUES (1, 0);
)sql";

// Cheaper spend rows (each row used to touch ~6 B-trees, one of them keyed by a random UUID, so
// every insert dirtied a random page of a large index). Now: a plain append-only table and two
// indexes that new rows reach at their right-hand edge. Idempotency moves from call_id alone to
// (start_time, call_id): a retried batch carries the same pair, while a client that reuses one
// x-litellm-call-id for two requests gets both logged (and both billed). The team and user
// indexes go: /spend/logs for a team or user walks the time index newest first and stops at the
// page size, and reports scan a time range anyway. One text for both dialects: rebuild and rename.
constexpr std::string_view lean_spend_logs_sql = R"sql(
CREATE TABLE llmux_spend_logs_v3 (
  call_id TEXT NOT NULL,
  key_hash TEXT NOT NULL,
  key_alias TEXT,
  team_id TEXT,
  user_id TEXT,
  model_group TEXT NOT NULL,
  deployment_id TEXT NOT NULL,
  model TEXT NOT NULL,
  prompt_tokens BIGINT NOT NULL,
  completion_tokens BIGINT NOT NULL,
  cached_tokens BIGINT NOT NULL,
  cache_write_tokens BIGINT NOT NULL DEFAULT 0,
  cost DOUBLE PRECISION NOT NULL,
  latency_ms BIGINT NOT NULL,
  status TEXT NOT NULL,
  start_time BIGINT NOT NULL,
  end_time BIGINT NOT NULL,
  tags TEXT NOT NULL DEFAULT '[]'
);
INSERT INTO llmux_spend_logs_v3 (call_id, key_hash, key_alias, team_id, user_id, model_group,
  deployment_id, model, prompt_tokens, completion_tokens, cached_tokens, cache_write_tokens, cost,
  latency_ms, status, start_time, end_time, tags)
SELECT call_id, key_hash, key_alias, team_id, user_id, model_group, deployment_id, model,
  prompt_tokens, completion_tokens, cached_tokens, cache_write_tokens, cost, latency_ms, status,
  start_time, end_time, tags
FROM llmux_spend_logs ORDER BY start_time, call_id;
DROP TABLE llmux_spend_logs;
ALTER TABLE llmux_spend_logs_v3 RENAME TO llmux_spend_logs;
CREATE UNIQUE INDEX llmux_spend_logs_call ON llmux_spend_logs (start_time, call_id);
CREATE INDEX llmux_spend_logs_key ON llmux_spend_logs (key_hash, start_time);
)sql";

// The spend log's call_id becomes the gateway's own id for every call; the client's
// x-litellm-call-id, which used to be stored there, gets a column of its own that nothing requires
// to be unique (two calls with one client id are two rows, two charges). No index: only the admin's
// /spend/logs?request_id= reads it, and a random-keyed index would cost every insert (see above).
constexpr std::string_view client_call_id_sql = R"sql(
ALTER TABLE llmux_spend_logs ADD COLUMN client_call_id TEXT;
)sql";

// The response store: /v1/responses turns kept for previous_response_id and GET/DELETE, and which
// deployment made which reasoning item (encrypted_content affinity). Both expire; the expiry
// indexes let the store thread's sweep find old rows without a scan.
constexpr std::string_view responses_sql = R"sql(
CREATE TABLE llmux_responses (
  response_id TEXT PRIMARY KEY,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  key_hash TEXT NOT NULL,
  team_id TEXT,
  model_group TEXT NOT NULL,
  deployment_id TEXT NOT NULL,
  passed_through INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL,
  background INTEGER NOT NULL DEFAULT 0,
  input_items TEXT NOT NULL DEFAULT '[]',
  response TEXT NOT NULL
);
CREATE INDEX llmux_responses_expires ON llmux_responses (expires_at);
CREATE TABLE llmux_response_reasoning (
  item_id TEXT PRIMARY KEY,
  response_id TEXT NOT NULL,
  deployment_id TEXT NOT NULL,
  key_hash TEXT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX llmux_response_reasoning_expires ON llmux_response_reasoning (expires_at);
CREATE INDEX llmux_response_reasoning_response ON llmux_response_reasoning (response_id);
)sql";

constexpr std::array<Migration, 5> all_migrations{{
    {1, "keys, teams, users, spend logs", entities_sql},
    {2, "spend log indexes, change counter", spend_indexes_and_changes_sql},
    {3, "append-only spend logs: unique (start_time, call_id), key index only", lean_spend_logs_sql},
    {4, "spend logs keep the client's call id apart from the gateway's", client_call_id_sql},
    {5, "response store: /v1/responses turns and reasoning item owners", responses_sql},
}};

}  // namespace

std::span<const Migration> schema_migrations() { return all_migrations; }

int latest_schema_version() { return all_migrations.back().version; }

}  // namespace llmux::store
