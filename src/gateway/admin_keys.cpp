#include "gateway/admin_keys.hpp"

#include <charconv>

#include "gateway/admin_entity.hpp"
#include "gateway/admin_key_rows.hpp"
#include "gateway/admin_support.hpp"
#include "tenancy/key_material.hpp"
#include "tenancy/store_mapping.hpp"
#include "text/checked_number.hpp"

namespace llmux::gateway::admin {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

using KeyResult = store::Result<store::KeyRow>;

// The key a request names (`key` in the body or query), as its hash; raw keys are hashed.
std::optional<std::string> named_key(const net::InboundRequest& request, const json::object& body) {
  auto key = string_field(body, "key");
  if (!key) key = query_param(request, "key");
  if (!key || key->empty()) return std::nullopt;
  return tenancy::to_token_hash(*key);
}

asio::awaitable<void> generate(TenantServices& tenants, const json::object& body,
                               net::ResponseWriter& writer) {
  const std::string raw_key = tenancy::generate_key();
  store::KeyRow row = new_key_row(body, raw_key, now_millis());
  auto result_job = [row = std::move(row)](store::Store& store) { return store.insert_key(row); };
  auto result = co_await on_store<KeyResult>(tenants.store_thread, std::move(result_job));
  json::object extra;
  extra["key"] = raw_key;  // shown once: only its hash is kept
  co_await answer_row(tenants, writer, result, std::move(extra));
}

// LiteLLM's regenerate issues a new secret for the same key settings: the row moves to the new hash.
asio::awaitable<void> regenerate(TenantServices& tenants, const std::string& old_hash,
                                 net::ResponseWriter& writer) {
  const std::string raw_key = tenancy::generate_key();
  auto result_job = [old_hash, raw_key](store::Store& store) -> KeyResult {
    auto old = store.get_key(old_hash);
    if (!old) return old.error();
    if (!old.value()) return store::make_error(store::StoreErrorKind::not_found, "Key not found");
    store::KeyRow row = *old.value();
    const store::KeyRow fresh = key_row_for(raw_key);
    row.token_hash = fresh.token_hash;
    row.key_name = fresh.key_name;
    if (auto deleted = store.delete_key(old_hash); !deleted) return deleted.error();
    return store.insert_key(row);
  };
  auto result = co_await on_store<KeyResult>(tenants.store_thread, std::move(result_job));
  if (result) tenants.directory.erase_key(old_hash);
  json::object extra;
  extra["key"] = raw_key;
  co_await answer_row(tenants, writer, result, std::move(extra));
}

asio::awaitable<void> info(TenantServices& tenants, const std::string& hash, net::ResponseWriter& writer) {
  using Found = store::Result<std::optional<store::KeyRow>>;
  auto found_job = [hash](store::Store& store) { return store.get_key(hash); };
  auto found = co_await on_store<Found>(tenants.store_thread, std::move(found_job));
  if (!found) {
    co_await send_store_error(writer, found.error());
    co_return;
  }
  if (!found.value()) {
    co_await send_error(writer, 404, "Key not found in database", "not_found_error", "key");
    co_return;
  }
  json::object body;
  body["key"] = hash;
  body["info"] = row_json(*found.value());
  co_await send_json(writer, 200, body);
}

// A query parameter that must be a whole int64 ("12", not "12abc" nor 2^63).
std::int64_t query_integer(std::string_view text, std::string_view name) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty())
    throw FieldError{"page and size must be integers", std::string(name)};
  return value;
}

asio::awaitable<void> list(TenantServices& tenants, const net::InboundRequest& request,
                           net::ResponseWriter& writer) {
  store::KeyFilter filter;
  filter.team_id = query_param(request, "team_id");
  filter.user_id = query_param(request, "user_id");
  filter.key_alias = query_param(request, "key_alias");
  // As before: a page below 1 is page 1 and a size is held within [1, 10000]. A page so far out
  // that its offset does not fit is refused rather than wrapped into some other page.
  std::int64_t page = 1, size = 10;
  if (auto text = query_param(request, "page")) page = std::max<std::int64_t>(1, query_integer(*text, "page"));
  if (auto text = query_param(request, "size"))
    size = std::clamp<std::int64_t>(query_integer(*text, "size"), 1, 10000);
  const auto offset = text::checked_mul<std::int64_t>(page - 1, size);
  if (!offset) throw FieldError{"page is out of range for this size", "page"};
  filter.offset = *offset;
  filter.limit = size;
  using Listed = store::Result<store::Page<store::KeyRow>>;
  auto listed_job = [filter](store::Store& store) { return store.list_keys(filter); };
  auto listed = co_await on_store<Listed>(tenants.store_thread, std::move(listed_job));
  if (!listed) {
    co_await send_store_error(writer, listed.error());
    co_return;
  }
  json::array keys;
  for (const auto& row : listed.value().rows) keys.emplace_back(row.token_hash);
  json::object body;
  body["keys"] = std::move(keys);
  body["total_count"] = listed.value().total;
  body["current_page"] = page;
  body["total_pages"] = (listed.value().total + size - 1) / size;
  co_await send_json(writer, 200, body);
}

asio::awaitable<void> remove(TenantServices& tenants, const json::object& body, net::ResponseWriter& writer) {
  // LiteLLM deletes by `keys` (raw keys or their hashes) and/or by `key_aliases`.
  std::vector<std::string> named;
  for (const auto& key : string_list_field(body, "keys").value_or(std::vector<std::string>{}))
    named.push_back(tenancy::to_token_hash(key));
  const auto aliases = string_list_field(body, "key_aliases").value_or(std::vector<std::string>{});
  if (named.empty() && aliases.empty()) throw FieldError{"keys or key_aliases must list at least one key"};
  auto deleted_job = [named, aliases](store::Store& store) -> store::Result<std::vector<std::string>> {
    std::vector<std::string> hashes = named;
    for (const auto& alias : aliases) {
      store::KeyFilter filter;
      filter.key_alias = alias;
      filter.limit = 10000;
      auto page = store.list_keys(filter);
      if (!page) return page.error();
      if (page.value().rows.empty()) return store::make_error(store::StoreErrorKind::not_found, "no key has this alias");
      for (const auto& row : page.value().rows) hashes.push_back(row.token_hash);
    }
    for (const auto& hash : hashes) {
      if (auto status = store.delete_key(hash); !status) return status.error();
    }
    return hashes;
  };
  auto deleted = co_await on_store<store::Result<std::vector<std::string>>>(tenants.store_thread,
                                                                           std::move(deleted_job));
  if (!deleted && deleted.error().kind == store::StoreErrorKind::not_found) {
    for (const auto& hash : named) tenants.directory.erase_key(hash);  // whatever was deleted before
    co_await send_error(writer, 404, "Key not found in database", "not_found_error",
                        aliases.empty() ? "keys" : "key_aliases");
    co_return;
  }
  if (!deleted) {
    for (const auto& hash : named) tenants.directory.erase_key(hash);
    co_await send_store_error(writer, deleted.error());
    co_return;
  }
  for (const auto& hash : deleted.value()) tenants.directory.erase_key(hash);
  json::object answer;
  answer["deleted_keys"] = string_array(deleted.value());  // hashes: a raw key is never echoed
  co_await send_json(writer, 200, answer);
}

}  // namespace

asio::awaitable<void> run_key_route(TenantServices& tenants, api::Route route,
                                    const net::InboundRequest& request, const json::object& body,
                                    net::ResponseWriter& writer) {
  switch (route) {
    case api::Route::key_generate:
      co_await generate(tenants, body, writer);
      co_return;
    case api::Route::key_list:
      co_await list(tenants, request, writer);
      co_return;
    case api::Route::key_delete:
      co_await remove(tenants, body, writer);
      co_return;
    default:
      break;
  }
  const auto hash = named_key(request, body);
  if (!hash) {
    co_await send_missing(writer, "key");
    co_return;
  }
  switch (route) {
    case api::Route::key_info:
      co_await info(tenants, *hash, writer);
      co_return;
    case api::Route::key_regenerate:
      co_await regenerate(tenants, *hash, writer);
      co_return;
    case api::Route::key_block:
    case api::Route::key_unblock: {
      const bool block = route == api::Route::key_block;
      auto result_job = [hash = *hash, block](store::Store& store) {
        return store.set_key_blocked(hash, block);
      };
      auto result = co_await on_store<KeyResult>(tenants.store_thread, std::move(result_job));
      co_await answer_row(tenants, writer, result);
      co_return;
    }
    case api::Route::key_update: {
      store::KeyPatch patch = key_patch(body, now_millis());
      auto result_job = [hash = *hash, patch](store::Store& store) { return store.update_key(hash, patch); };
      auto result = co_await on_store<KeyResult>(tenants.store_thread, std::move(result_job));
      if (result && body.contains("spend")) {
        // An admin overwrote the spend: the budget ledger's own running figure gives way to it.
        const auto& row = result.value();
        tenants.budget_ledger.refresh(
            {tenancy::EntityKind::key, row.token_hash}, row.spend,
            row.budget_reset_at ? std::optional(tenancy::from_millis(*row.budget_reset_at)) : std::nullopt);
      }
      co_await answer_row(tenants, writer, result);
      co_return;
    }
    default:
      co_await send_missing(writer, "key");
      co_return;
  }
}

}  // namespace llmux::gateway::admin
