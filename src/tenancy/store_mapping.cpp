#include "tenancy/store_mapping.hpp"

#include <algorithm>
#include <limits>

namespace llmux::tenancy {
namespace {

constexpr std::int64_t kLongestSeconds = std::numeric_limits<std::int64_t>::max() / 1'000'000'000 / 2;

std::optional<Timestamp> from_millis(const std::optional<store::Millis>& ms) {
  if (!ms) return std::nullopt;
  return tenancy::from_millis(*ms);
}

Limits to_limits(const store::Limits& row) {
  Limits limits;
  limits.max_budget = row.max_budget;
  // The admin API refuses durations past ~292 years; a row holding more (written by hand) would
  // overflow the nanosecond clock's arithmetic, so it is held there too.
  if (row.budget_duration_s)
    limits.budget_duration = std::chrono::seconds(std::clamp<std::int64_t>(*row.budget_duration_s, 0, kLongestSeconds));
  limits.rpm_limit = row.rpm_limit;
  limits.tpm_limit = row.tpm_limit;
  limits.max_parallel_requests = row.max_parallel_requests;
  return limits;
}

}  // namespace

store::Millis to_millis(Timestamp time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

Timestamp from_millis(store::Millis ms) {
  // Held within what the clock's nanoseconds can count (±292 years of 1970), so a far-off stored
  // time (an expiry from a row written by hand) is the farthest time rather than a wrapped one.
  constexpr store::Millis kMostMs = std::numeric_limits<std::int64_t>::max() / 1'000'000 / 2;
  return Timestamp(std::chrono::duration_cast<Clock::duration>(std::chrono::milliseconds(std::clamp(ms, -kMostMs, kMostMs))));
}

KeyRecord to_record(const store::KeyRow& row) {
  KeyRecord key;
  key.token_hash = row.token_hash;
  key.key_name = row.key_name;
  key.key_alias = row.key_alias;
  key.models = row.models;
  key.aliases = row.aliases;
  key.tags = row.tags;
  key.limits = to_limits(row.limits);
  key.spend = row.spend;
  key.budget_reset_at = from_millis(row.budget_reset_at);
  key.expires = from_millis(row.expires);
  key.metadata = row.metadata_json;
  key.team_id = row.team_id;
  key.user_id = row.user_id;
  key.blocked = row.blocked;
  key.created_at = from_millis(row.created_at);
  key.updated_at = from_millis(row.updated_at);
  return key;
}

TeamRecord to_record(const store::TeamRow& row) {
  TeamRecord team;
  team.team_id = row.team_id;
  team.team_alias = row.team_alias;
  team.models = row.models;
  team.model_aliases = row.model_aliases;
  team.tags = row.tags;
  team.limits = to_limits(row.limits);
  team.spend = row.spend;
  team.budget_reset_at = from_millis(row.budget_reset_at);
  team.blocked = row.blocked;
  team.metadata = row.metadata_json;
  return team;
}

UserRecord to_record(const store::UserRow& row) {
  UserRecord user;
  user.user_id = row.user_id;
  user.user_email = row.user_email;
  user.models = row.models;
  user.limits = to_limits(row.limits);
  user.spend = row.spend;
  user.budget_reset_at = from_millis(row.budget_reset_at);
  user.metadata = row.metadata_json;
  return user;
}

}  // namespace llmux::tenancy
