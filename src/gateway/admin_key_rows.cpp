#include "gateway/admin_key_rows.hpp"

#include "gateway/admin_support.hpp"
#include "tenancy/key_material.hpp"

namespace llmux::gateway::admin {

namespace json = boost::json;

store::KeyRow key_row_for(const std::string& raw_key) {
  store::KeyRow row;
  row.token_hash = tenancy::hash_key(raw_key);
  row.key_name = tenancy::mask_key(raw_key);
  return row;
}

std::optional<store::Millis> expiry_from(const json::object& body, store::Millis now) {
  auto duration = string_field(body, "duration");
  if (!duration) return std::nullopt;
  return millis_after(now, *seconds_of(*duration, now, "duration"), "duration");
}

store::KeyRow new_key_row(const json::object& body, const std::string& raw_key, store::Millis now) {
  store::KeyRow row = key_row_for(raw_key);
  row.key_alias = string_field(body, "key_alias");
  row.models = string_list_field(body, "models").value_or(std::vector<std::string>{});
  row.aliases = string_map_field(body, "aliases").value_or(std::map<std::string, std::string>{});
  row.tags = string_list_field(body, "tags").value_or(std::vector<std::string>{});
  row.limits = limits_from(limits_patch(body, now));
  row.budget_reset_at = budget_reset_at(row.limits, now);
  row.expires = expiry_from(body, now);
  row.metadata_json = metadata_text(body);
  row.team_id = string_field(body, "team_id");
  row.user_id = string_field(body, "user_id");
  row.blocked = bool_field(body, "blocked").value_or(false);
  return row;
}

store::KeyPatch key_patch(const json::object& body, store::Millis now) {
  store::KeyPatch patch;
  if (has_field(body, "key_alias")) patch.key_alias = string_field(body, "key_alias");
  if (auto models = string_list_field(body, "models")) patch.models = std::move(*models);
  if (auto aliases = string_map_field(body, "aliases")) patch.aliases = std::move(*aliases);
  if (auto tags = string_list_field(body, "tags")) patch.tags = std::move(*tags);
  patch.limits = limits_patch(body, now);
  patch.budget_reset_at = budget_reset_change(patch.limits, now);
  if (has_field(body, "duration")) patch.expires = expiry_from(body, now);
  if (has_field(body, "metadata")) patch.metadata_json = metadata_text(body);
  if (has_field(body, "team_id")) patch.team_id = string_field(body, "team_id");
  if (has_field(body, "user_id")) patch.user_id = string_field(body, "user_id");
  if (auto blocked = bool_field(body, "blocked")) patch.blocked = *blocked;
  if (auto spend = amount_field(body, "spend")) patch.spend = *spend;
  return patch;
}

}  // namespace llmux::gateway::admin
