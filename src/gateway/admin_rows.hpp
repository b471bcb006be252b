#pragma once

// Keys, teams and users as the admin API shows them (LiteLLM's field names), and how a changed row
// reaches the in-memory directory so the next request sees it. One overload set per row type, so
// the shared handlers in admin_entity.hpp serve all three.

#include <boost/json/object.hpp>
#include <string_view>
#include <type_traits>

#include "store/rows.hpp"
#include "store/store.hpp"
#include "tenancy/directory.hpp"

namespace llmux::gateway::admin {

// LiteLLM's key object (`/key/info`'s "info"): `token` is the hash; the raw key is never in it.
boost::json::object row_json(const store::KeyRow& row);
boost::json::object row_json(const store::TeamRow& row);
boost::json::object row_json(const store::UserRow& row);

// The 404 for a row a change named but the store does not have: {message, param}.
struct Missing {
  std::string_view message;
  std::string_view param;
};
constexpr Missing missing(std::type_identity<store::KeyRow>) { return {"Key not found in database", "key"}; }
constexpr Missing missing(std::type_identity<store::TeamRow>) { return {"Team not found", "team_id"}; }
constexpr Missing missing(std::type_identity<store::UserRow>) { return {"User not found", "user_id"}; }

void remember(tenancy::Directory& directory, const store::KeyRow& row);
void remember(tenancy::Directory& directory, const store::TeamRow& row);
void remember(tenancy::Directory& directory, const store::UserRow& row);

// What differs between teams and users for info and delete: names in the wire format, and which
// store calls read, delete and list their keys.
struct TeamEntity {
  using Row = store::TeamRow;
  static constexpr std::string_view id_field = "team_id";
  static constexpr std::string_view info_field = "team_info";
  static constexpr std::string_view ids_field = "team_ids";
  static constexpr std::string_view deleted_field = "deleted_teams";
  static constexpr std::string_view not_found = "Team not found, passed team_id=";
  static store::Result<std::optional<Row>> get(store::Store& store, const std::string& id) {
    return store.get_team(id);
  }
  static store::Status remove(store::Store& store, const std::string& id) { return store.delete_team(id); }
  static void forget(tenancy::Directory& directory, const std::string& id) { directory.erase_team(id); }
  static void own_keys(store::KeyFilter& filter, const std::string& id) { filter.team_id = id; }
};

struct UserEntity {
  using Row = store::UserRow;
  static constexpr std::string_view id_field = "user_id";
  static constexpr std::string_view info_field = "user_info";
  static constexpr std::string_view ids_field = "user_ids";
  static constexpr std::string_view deleted_field = "deleted_users";
  static constexpr std::string_view not_found = "User not found, passed user_id=";
  static store::Result<std::optional<Row>> get(store::Store& store, const std::string& id) {
    return store.get_user(id);
  }
  static store::Status remove(store::Store& store, const std::string& id) { return store.delete_user(id); }
  static void forget(tenancy::Directory& directory, const std::string& id) { directory.erase_user(id); }
  static void own_keys(store::KeyFilter& filter, const std::string& id) { filter.user_id = id; }
};

}  // namespace llmux::gateway::admin
