#pragma once

// Plain rows as the store reads and writes them. tenancy/ owns the richer value types (KeyRecord,
// TeamRecord, ...) and converts; these stay dumb so the store never learns budget or access rules.
//
// Times are UTC epoch milliseconds (std::int64_t) everywhere: they sort and compare as numbers in
// both SQLite and PostgreSQL, need no parsing on the hot read path, and survive a round trip
// exactly. Reports turn them into UTC calendar days in SQL.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace llmux::store {

using Millis = std::int64_t;  // UTC epoch milliseconds

// Budget and rate limits shared by keys, teams and users; an empty optional means "no limit".
struct Limits {
  std::optional<double> max_budget;  // USD
  std::optional<std::int64_t> budget_duration_s;
  std::optional<std::int64_t> rpm_limit;
  std::optional<std::int64_t> tpm_limit;
  std::optional<std::int64_t> max_parallel_requests;

  bool operator==(const Limits&) const = default;
};

struct KeyRow {
  std::string token_hash;                // sha256 hex of the raw key; the raw key is never stored
  std::string key_name;                  // masked display form, e.g. "sk-...AbCd"
  std::optional<std::string> key_alias;  // unique when set
  std::vector<std::string> models;       // empty = every model the team allows
  std::map<std::string, std::string> aliases;
  std::vector<std::string> tags;
  Limits limits;
  std::optional<Millis> budget_reset_at;
  std::optional<Millis> expires;
  std::string metadata_json = "{}";  // free-form JSON object, stored as given
  std::optional<std::string> team_id;
  std::optional<std::string> user_id;
  bool blocked = false;
  double spend = 0;
  Millis created_at = 0;  // 0 on insert = "now"
  Millis updated_at = 0;  // set by the store

  bool operator==(const KeyRow&) const = default;
};

struct TeamRow {
  std::string team_id;
  std::optional<std::string> team_alias;
  std::vector<std::string> models;
  std::map<std::string, std::string> model_aliases;  // merged over a key's aliases (team wins)
  std::vector<std::string> tags;
  Limits limits;
  double spend = 0;
  std::optional<Millis> budget_reset_at;
  bool blocked = false;
  std::string metadata_json = "{}";
  Millis created_at = 0;
  Millis updated_at = 0;

  bool operator==(const TeamRow&) const = default;
};

struct UserRow {
  std::string user_id;
  std::optional<std::string> user_email;
  std::vector<std::string> models;
  Limits limits;
  double spend = 0;
  std::optional<Millis> budget_reset_at;
  std::string metadata_json = "{}";
  Millis created_at = 0;
  Millis updated_at = 0;

  bool operator==(const UserRow&) const = default;
};

// One request's accounting record. (start_time, call_id) is the idempotency key: writing the same
// row twice (a retried batch) must not count its cost twice. call_id is always the gateway's own
// (a new UUID per call), never the client's: a client reusing one x-litellm-call-id on concurrent
// calls would otherwise make them one row and be charged once. The client's id is kept beside it.
struct SpendRow {
  std::string call_id;
  std::optional<std::string> client_call_id;  // the client's x-litellm-call-id, not unique
  std::string key_hash;  // empty when the proxy runs without keys
  std::optional<std::string> key_alias;
  std::optional<std::string> team_id;
  std::optional<std::string> user_id;
  std::string model_group;    // the name the client asked for
  std::string deployment_id;  // the deployment that answered
  std::string model;          // the upstream model name
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::int64_t cached_tokens = 0;       // cache reads
  std::int64_t cache_write_tokens = 0;  // cache creation (Anthropic)
  double cost = 0;                      // USD; 0 for failures
  std::int64_t latency_ms = 0;
  std::string status = "success";  // "success" | "failure", as LiteLLM's SpendLogs
  Millis start_time = 0;
  Millis end_time = 0;
  std::vector<std::string> tags;

  bool operator==(const SpendRow&) const = default;
};

// Partial updates: an empty outer optional leaves the column alone; for nullable columns the
// inner optional is the new value, nullopt writing NULL.
template <class T>
using Change = std::optional<T>;

struct LimitsPatch {
  Change<std::optional<double>> max_budget;
  Change<std::optional<std::int64_t>> budget_duration_s;
  Change<std::optional<std::int64_t>> rpm_limit;
  Change<std::optional<std::int64_t>> tpm_limit;
  Change<std::optional<std::int64_t>> max_parallel_requests;
};

struct KeyPatch {
  Change<std::string> key_name;
  Change<std::optional<std::string>> key_alias;
  Change<std::vector<std::string>> models;
  Change<std::map<std::string, std::string>> aliases;
  Change<std::vector<std::string>> tags;
  LimitsPatch limits;
  Change<std::optional<Millis>> budget_reset_at;
  Change<std::optional<Millis>> expires;
  Change<std::string> metadata_json;
  Change<std::optional<std::string>> team_id;
  Change<std::optional<std::string>> user_id;
  Change<bool> blocked;
  Change<double> spend;  // an explicit overwrite (/key/update "spend"); batches add instead
};

struct TeamPatch {
  Change<std::optional<std::string>> team_alias;
  Change<std::vector<std::string>> models;
  Change<std::map<std::string, std::string>> model_aliases;
  Change<std::vector<std::string>> tags;
  LimitsPatch limits;
  Change<std::optional<Millis>> budget_reset_at;
  Change<bool> blocked;
  Change<std::string> metadata_json;
  Change<double> spend;
};

struct UserPatch {
  Change<std::optional<std::string>> user_email;
  Change<std::vector<std::string>> models;
  LimitsPatch limits;
  Change<std::optional<Millis>> budget_reset_at;
  Change<std::string> metadata_json;
  Change<double> spend;
};

}  // namespace llmux::store
