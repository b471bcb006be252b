#include "gateway/admin_rows.hpp"

#include "gateway/admin_support.hpp"
#include "tenancy/store_mapping.hpp"

namespace llmux::gateway::admin {

namespace json = boost::json;

namespace {

// The fields keys, teams and users all have: limits, spend and its reset, metadata, times.
template <class Row>
void common_fields_json(const Row& row, json::object& out) {
  limits_json(row.limits, out);
  out["spend"] = row.spend;
  out["budget_reset_at"] = iso_time(row.budget_reset_at);
  out["metadata"] = metadata_json(row.metadata_json);
  out["created_at"] = iso_time(row.created_at);
  out["updated_at"] = iso_time(row.updated_at);
}

}  // namespace

json::object row_json(const store::KeyRow& row) {
  json::object out;
  out["token"] = row.token_hash;
  out["key_name"] = row.key_name;
  out["key_alias"] = optional_json(row.key_alias);
  out["expires"] = iso_time(row.expires);
  out["models"] = string_array(row.models);
  out["aliases"] = string_map_json(row.aliases);
  out["tags"] = string_array(row.tags);
  out["team_id"] = optional_json(row.team_id);
  out["user_id"] = optional_json(row.user_id);
  out["blocked"] = row.blocked;
  common_fields_json(row, out);
  return out;
}

json::object row_json(const store::TeamRow& row) {
  json::object out;
  out["team_id"] = row.team_id;
  out["team_alias"] = optional_json(row.team_alias);
  out["models"] = string_array(row.models);
  out["model_aliases"] = string_map_json(row.model_aliases);
  out["tags"] = string_array(row.tags);
  out["blocked"] = row.blocked;
  common_fields_json(row, out);
  return out;
}

json::object row_json(const store::UserRow& row) {
  json::object out;
  out["user_id"] = row.user_id;
  out["user_email"] = optional_json(row.user_email);
  out["models"] = string_array(row.models);
  common_fields_json(row, out);
  return out;
}

void remember(tenancy::Directory& directory, const store::KeyRow& row) {
  directory.put_key(tenancy::to_record(row));
}
void remember(tenancy::Directory& directory, const store::TeamRow& row) {
  directory.put_team(tenancy::to_record(row));
}
void remember(tenancy::Directory& directory, const store::UserRow& row) {
  directory.put_user(tenancy::to_record(row));
}

}  // namespace llmux::gateway::admin
