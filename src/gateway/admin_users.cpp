#include "gateway/admin_users.hpp"

#include "gateway/admin_entity.hpp"
#include "gateway/admin_key_rows.hpp"
#include "gateway/admin_support.hpp"
#include "tenancy/key_material.hpp"

namespace llmux::gateway::admin {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

using UserResult = store::Result<store::UserRow>;

store::UserRow new_user_row(const json::object& body, store::Millis now) {
  store::UserRow row;
  row.user_id = string_field(body, "user_id").value_or(new_uuid4());
  row.user_email = string_field(body, "user_email");
  row.models = string_list_field(body, "models").value_or(std::vector<std::string>{});
  row.limits = limits_from(limits_patch(body, now));
  row.budget_reset_at = budget_reset_at(row.limits, now);
  row.metadata_json = metadata_text(body);
  return row;
}

store::UserPatch user_patch(const json::object& body, store::Millis now) {
  store::UserPatch patch;
  if (has_field(body, "user_email")) patch.user_email = string_field(body, "user_email");
  if (auto models = string_list_field(body, "models")) patch.models = std::move(*models);
  patch.limits = limits_patch(body, now);
  patch.budget_reset_at = budget_reset_change(patch.limits, now);
  if (has_field(body, "metadata")) patch.metadata_json = metadata_text(body);
  return patch;
}

// The key LiteLLM's /user/new makes with the user (auto_create_key, default true): owned by the
// user, limited to the user's models, in the team named in the body. The user's own limits and
// budget bound it through the user row, so they are not copied onto the key.
store::KeyRow user_key_row(const json::object& body, const store::UserRow& user, const std::string& raw_key,
                           store::Millis now) {
  store::KeyRow row = key_row_for(raw_key);
  row.key_alias = string_field(body, "key_alias");
  row.models = user.models;
  row.expires = expiry_from(body, now);
  row.team_id = string_field(body, "team_id");
  row.user_id = user.user_id;
  return row;
}

struct UserAndKey {
  UserResult user;
  std::optional<store::Result<store::KeyRow>> key;  // absent with auto_create_key: false
};

asio::awaitable<void> create(TenantServices& tenants, const json::object& body, net::ResponseWriter& writer) {
  const store::Millis now = now_millis();
  const bool with_key = bool_field(body, "auto_create_key").value_or(true);
  store::UserRow user = new_user_row(body, now);
  const std::string raw_key = with_key ? tenancy::generate_key() : std::string();
  std::optional<store::KeyRow> key;
  if (with_key) key = user_key_row(body, user, raw_key, now);
  // One store job, so a key that cannot be stored takes its user back out with it.
  auto job = [user = std::move(user), key = std::move(key)](store::Store& store) {
    UserAndKey out{store.insert_user(user), std::nullopt};
    if (!out.user || !key) return out;
    out.key = store.insert_key(*key);
    if (!*out.key) {
      (void)store.delete_user(user.user_id);
      out.user = out.key->error();
    }
    return out;
  };
  auto made = co_await on_store<UserAndKey>(tenants.store_thread, std::move(job));
  json::object extra;
  if (made.user && made.key) {
    const store::KeyRow& key_row = made.key->value();
    remember(tenants.directory, key_row);
    extra["key"] = raw_key;  // shown once: only its hash is kept
    extra["key_name"] = key_row.key_name;
    extra["token"] = key_row.token_hash;
    extra["key_alias"] = optional_json(key_row.key_alias);
    extra["expires"] = iso_time(key_row.expires);
    extra["team_id"] = optional_json(key_row.team_id);
  }
  co_await answer_row(tenants, writer, made.user, std::move(extra));
}

}  // namespace

asio::awaitable<void> run_user_route(TenantServices& tenants, api::Route route,
                                     const net::InboundRequest& request, const json::object& body,
                                     net::ResponseWriter& writer) {
  if (route == api::Route::user_new) {
    co_await create(tenants, body, writer);
    co_return;
  }
  if (route == api::Route::user_delete) {
    co_await answer_delete<UserEntity>(tenants, body, writer);
    co_return;
  }
  auto user_id = string_field(body, "user_id");
  if (!user_id) user_id = query_param(request, "user_id");
  if (!user_id || user_id->empty()) {
    co_await send_missing(writer, "user_id");
    co_return;
  }
  if (route == api::Route::user_info) {
    co_await answer_info<UserEntity>(tenants, *user_id, writer);
    co_return;
  }
  auto job = [id = *user_id, patch = user_patch(body, now_millis())](store::Store& store) {
    return store.update_user(id, patch);
  };
  auto result = co_await on_store<UserResult>(tenants.store_thread, std::move(job));
  co_await answer_row(tenants, writer, result);
}

}  // namespace llmux::gateway::admin
