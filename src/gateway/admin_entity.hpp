#pragma once

// The handler steps keys, teams and users share: answer a changed row (after telling the
// directory, so the next request sees the change at once), show one entity with the keys it owns,
// delete a list of them. Entity is TeamEntity or UserEntity (admin_rows.hpp).

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "gateway/admin_rows.hpp"
#include "gateway/admin_support.hpp"
#include "gateway/tenant_services.hpp"

namespace llmux::gateway::admin {

template <class Row>
boost::asio::awaitable<void> answer_row(TenantServices& tenants, net::ResponseWriter& writer,
                                        const store::Result<Row>& result, boost::json::object extra = {}) {
  if (!result && result.error().kind == store::StoreErrorKind::not_found) {
    constexpr Missing what = missing(std::type_identity<Row>{});
    co_await send_error(writer, 404, what.message, "not_found_error", what.param);
    co_return;
  }
  if (!result) {
    co_await send_store_error(writer, result.error());
    co_return;
  }
  remember(tenants.directory, result.value());
  boost::json::object body = row_json(result.value());
  for (auto& [name, value] : extra) body[name] = std::move(value);
  co_await send_json(writer, 200, body);
}

// LiteLLM's /team/info and /user/info: {"<id_field>": id, "<info_field>": {...}, "keys": [hashes]}.
template <class Entity>
boost::asio::awaitable<void> answer_info(TenantServices& tenants, const std::string& id,
                                         net::ResponseWriter& writer) {
  using Row = typename Entity::Row;
  struct Found {
    store::Result<std::optional<Row>> row;
    store::Result<store::Page<store::KeyRow>> keys;
  };
  auto job = [id](store::Store& store) {
    store::KeyFilter filter;
    Entity::own_keys(filter, id);
    filter.limit = 10000;
    return Found{Entity::get(store, id), store.list_keys(filter)};
  };
  auto found = co_await on_store<Found>(tenants.store_thread, std::move(job));
  if (!found.row) {
    co_await send_store_error(writer, found.row.error());
    co_return;
  }
  if (!found.row.value()) {
    const std::string message = std::string(Entity::not_found) + id;
    co_await send_error(writer, 404, message, "not_found_error", Entity::id_field);
    co_return;
  }
  boost::json::array keys;
  if (found.keys) {
    for (const auto& key : found.keys.value().rows) keys.emplace_back(key.token_hash);
  }
  boost::json::object body;
  body[Entity::id_field] = id;
  body[Entity::info_field] = row_json(*found.row.value());
  body["keys"] = std::move(keys);
  co_await send_json(writer, 200, body);
}

// LiteLLM's /team/delete and /user/delete: {"<ids_field>": [...]} → {"<deleted_field>": [...]}.
template <class Entity>
boost::asio::awaitable<void> answer_delete(TenantServices& tenants, const boost::json::object& body,
                                           net::ResponseWriter& writer) {
  const auto ids = string_list_field(body, Entity::ids_field).value_or(std::vector<std::string>{});
  if (ids.empty()) {
    co_await send_missing(writer, Entity::ids_field);
    co_return;
  }
  auto job = [ids](store::Store& store) -> store::Status {
    for (const auto& id : ids) {
      if (auto status = Entity::remove(store, id); !status) return status;
    }
    return store::Done{};
  };
  auto deleted = co_await on_store<store::Status>(tenants.store_thread, std::move(job));
  // Forget all of them even after a failure part way: a row the store still has comes back on
  // the directory's next refresh, while one it lost must not keep serving.
  for (const auto& id : ids) Entity::forget(tenants.directory, id);
  if (!deleted && deleted.error().kind == store::StoreErrorKind::not_found) {
    constexpr Missing what = missing(std::type_identity<typename Entity::Row>{});
    co_await send_error(writer, 404, what.message, "not_found_error", Entity::ids_field);
    co_return;
  }
  if (!deleted) {
    co_await send_store_error(writer, deleted.error());
    co_return;
  }
  boost::json::object answer;
  answer[Entity::deleted_field] = string_array(ids);
  co_await send_json(writer, 200, answer);
}

}  // namespace llmux::gateway::admin
