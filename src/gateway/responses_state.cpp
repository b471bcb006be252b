#include "gateway/responses_state.hpp"

#include <boost/json/serialize.hpp>
#include <algorithm>
#include <chrono>

#include "gateway/responses_items.hpp"
#include "gateway/responses_wire.hpp"
#include "gateway/tenant_admission.hpp"
#include "gateway/tenant_services.hpp"
#include "observe/log.hpp"
#include "text/checked_number.hpp"

namespace llmux::gateway {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

// A stored turn holds the whole conversation so far; past this it is not kept (a warning says so).
constexpr std::size_t kMaxStoredTurnBytes = 32u << 20;

store::Millis now_millis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

StateRefusal previous_not_found(std::string_view id, std::string_view why = {}) {
  // OpenAI's wording and code, which clients (Codex, the Agents SDK) recognise.
  return StateRefusal{404, "Previous response with id '" + std::string(id) + "' not found." + std::string(why),
                      "previous_response_id", "previous_response_not_found"};
}

std::string key_hash_of(const TenantCaller* caller) { return caller && caller->key ? caller->key->token_hash : ""; }

using RowResult = store::Result<std::optional<store::ResponseRow>>;
using OwnersResult = store::Result<std::vector<store::ReasoningOwner>>;

// The client's body with the history in its input and no previous_response_id: what a deployment
// that did not make the previous response (or a bridged one, whose id no upstream knows) receives.
std::string expanded_body(const json::object& body, const json::array& history) {
  json::object copy = body;
  copy.erase("previous_response_id");
  json::array input = history;
  if (const json::value* given = body.if_contains("input")) {
    if (given->is_string()) {
      input.push_back(json::object{{"type", "message"}, {"role", "user"}, {"content", given->get_string()}});
    } else if (given->is_array()) {
      for (const json::value& item : given->get_array()) input.push_back(item);
    }
  }
  copy["input"] = std::move(input);
  return json::serialize(copy);
}

}  // namespace

bool visible_to(const store::ResponseRow& row, const TenantCaller* caller) {
  return caller == nullptr || row.key_hash == key_hash_of(caller);
}

asio::awaitable<std::variant<InheritedState, StateRefusal>> inherit_state(const SharedState& shared,
                                                                         const TenantCaller* caller,
                                                                         const json::object& body) {
  InheritedState state;
  std::string previous_id;
  if (const json::value* previous = body.if_contains("previous_response_id"); previous && !previous->is_null()) {
    if (!previous->is_string()) {
      co_return StateRefusal{400, "Invalid type for 'previous_response_id': expected a string.", "previous_response_id",
                             std::nullopt};
    }
    previous_id = std::string(previous->get_string());
    if (!is_response_id(previous_id)) co_return previous_not_found(previous_id);
  }
  std::vector<std::string> reasoning = encrypted_reasoning_ids(body, store::Store::kMaxReasoningLookup);
  if (previous_id.empty() && reasoning.empty()) co_return state;
  if (!shared.tenants) {
    if (!previous_id.empty()) co_return previous_not_found(previous_id, " (llmux runs without a response store)");
    co_return state;
  }
  const store::Millis now = now_millis();
  if (!previous_id.empty()) {
    auto job = [id = previous_id, now](store::Store& store) { return store.get_response(id, now); };
    RowResult row = co_await on_store<RowResult>(shared.tenants->store_thread, std::move(job));
    if (!row) {
      co_return StateRefusal{503,
                             "The response store cannot be read (" + row.error().message +
                                 "), so previous_response_id cannot be resolved; retry, or send the whole "
                                 "conversation in `input`",
                             "previous_response_id", std::nullopt};
    }
    if (!row.value() || !visible_to(*row.value(), caller)) co_return previous_not_found(previous_id);
    auto history = history_of(*row.value());
    if (!history) {
      co_return StateRefusal{500, "The stored response " + previous_id + " cannot be read back", "previous_response_id",
                             std::nullopt};
    }
    state.history = std::move(*history);
    state.previous = std::move(*row.value());
  }
  if (!reasoning.empty()) {
    auto job = [ids = std::move(reasoning), now](store::Store& store) { return store.reasoning_owners(ids, now); };
    OwnersResult owners = co_await on_store<OwnersResult>(shared.tenants->store_thread, std::move(job));
    // A store that cannot be read only loses the affinity: the turn is still served.
    if (owners) {
      for (store::ReasoningOwner& owner : owners.value()) {
        if (caller == nullptr || owner.key_hash == key_hash_of(caller)) state.reasoning_owners.push_back(std::move(owner));
      }
    }
  }
  co_return state;
}

asio::awaitable<std::size_t> resolve_item_references(const SharedState& shared, const TenantCaller* caller,
                                                     json::object& body) {
  // Bounds the store reads one request can cause.
  constexpr std::size_t kMaxReferences = 1000, kMaxResponses = 32;
  if (!shared.tenants) co_return 0;
  std::vector<std::string> response_ids;
  for (const std::string& item : item_reference_ids(body, kMaxReferences)) {
    auto response = response_id_of_item(item);
    if (!response || response_ids.size() >= kMaxResponses) continue;
    if (std::find(response_ids.begin(), response_ids.end(), *response) == response_ids.end()) {
      response_ids.push_back(std::move(*response));
    }
  }
  if (response_ids.empty()) co_return 0;
  using RowsResult = store::Result<std::vector<store::ResponseRow>>;
  auto job = [ids = response_ids, now = now_millis()](store::Store& store) -> RowsResult {
    std::vector<store::ResponseRow> rows;
    for (const std::string& id : ids) {
      auto row = store.get_response(id, now);
      if (!row) return row.error();
      if (row.value()) rows.push_back(std::move(*row.value()));
    }
    return rows;
  };
  RowsResult rows = co_await on_store<RowsResult>(shared.tenants->store_thread, std::move(job));
  if (!rows) {
    LLMUX_WARN("response store: item references not resolved: " + rows.error().message);
    co_return 0;
  }
  json::array items;  // every item of the caller's turns named, earlier turns' included
  for (const store::ResponseRow& row : rows.value()) {
    if (!visible_to(row, caller)) continue;  // another key's items stay unknown to this one
    if (auto history = history_of(row)) {
      for (json::value& item : *history) items.push_back(std::move(item));
    }
  }
  co_return replace_item_references(body, [&items](std::string_view id) -> const json::value* {
    for (const json::value& item : items) {
      const json::object* object = item.if_object();
      if (!object) continue;
      const json::value* item_id = object->if_contains("id");
      if (item_id && item_id->is_string() && item_id->get_string() == id) return &item;
    }
    return nullptr;
  });
}

std::variant<TurnRouting, StateRefusal> route_turn(const SharedState& shared, const InheritedState& inherited,
                                                   const json::object& body, CallRequest& call) {
  TurnRouting routing;
  const auto now = std::chrono::steady_clock::now();
  const auto group = shared.router->group(call.group);
  const auto usable = [&](std::string_view id) {
    for (const config::Deployment* deployment : group) {
      if (deployment->id() != id) continue;
      return !shared.router->in_cooldown(*deployment, now) && (!call.deployment_filter || call.deployment_filter(*deployment));
    }
    return false;
  };
  std::string pin;
  bool expand = false;
  if (inherited.previous) {
    if (inherited.previous->passed_through && usable(inherited.previous->deployment_id)) {
      pin = inherited.previous->deployment_id;  // it alone can read that id
    } else {
      expand = true;  // a bridged turn's id, or its deployment is out: bridge from the stored history
    }
  }
  if (pin.empty()) {
    for (const store::ReasoningOwner& owner : inherited.reasoning_owners) {
      if (usable(owner.deployment_id)) {
        pin = owner.deployment_id;
        break;
      }
    }
  }
  if (expand) {
    bool any_native = false;
    for (const config::Deployment* deployment : group) any_native = any_native || deployment->speaks_responses_api;
    if (any_native) routing.expanded_body = expanded_body(body, inherited.history);
  }
  if (!pin.empty()) {
    auto others = std::move(call.deployment_filter);
    call.deployment_filter = [pin, others = std::move(others)](const config::Deployment& deployment) {
      return deployment.id() == pin && (!others || others(deployment));
    };
  }
  return routing;
}

void save_turns(const SharedState& shared, const TenantCaller* caller, const InheritedState& inherited,
                const json::object& body, const std::string& group, ResponsesWire& wire) {
  if (!shared.tenants) return;
  const json::value* store_flag = body.if_contains("store");
  // store: false keeps no content; only which deployment made the turn's reasoning items, so
  // encrypted reasoning sent back later (what store: false clients do) reaches one that can read it.
  const bool keep_content = !(store_flag && store_flag->is_bool() && !store_flag->get_bool());
  const json::value* background = body.if_contains("background");
  const double retention_ms = shared.config->server.response_retention_seconds * 1000.0;
  wire.on_response_finished = [tenants = shared.tenants, history = &inherited.history, key_hash = key_hash_of(caller),
                               team = caller && caller->key ? caller->key->team_id : std::optional<std::string>(),
                               group, retention_ms, keep_content,
                               background = background && background->is_bool() && background->get_bool()](
                                  const FinishedResponse& finished) {
    const json::value* id = finished.response.if_contains("id");
    if (!id || !id->is_string() || !is_response_id(id->get_string())) return;
    store::ResponseRow row;
    row.response_id = std::string(id->get_string());
    row.created_at = now_millis();
    row.expires_at = row.created_at + text::clamped_integer<store::Millis>(retention_ms).value_or(0);
    row.key_hash = key_hash;
    row.team_id = team;
    row.model_group = group;
    row.deployment_id = finished.deployment.id();
    row.passed_through = finished.passed_through;
    const json::value* status = finished.response.if_contains("status");
    row.status = status && status->is_string() ? std::string(status->get_string()) : "completed";
    row.background = background;
    row.reasoning_item_ids = reasoning_item_ids(finished.response);
    if (!keep_content) {
      if (row.reasoning_item_ids.empty()) return;
      tenants->store_thread.post([row = std::move(row)](store::Store& store) {
        if (auto kept = store.insert_reasoning_owners(row.reasoning_item_ids, row.response_id, row.deployment_id,
                                                      row.key_hash, row.created_at, row.expires_at);
            !kept) {
          LLMUX_WARN("response store: reasoning owners of " + row.response_id + " not saved: " + kept.error().message);
        }
      });
      return;
    }
    json::array items = *history;
    for (json::value& item : as_stored_items(finished.input_items, row.response_id)) items.push_back(std::move(item));
    row.input_items = json::serialize(items);
    row.response = json::serialize(finished.response);
    if (row.input_items.size() + row.response.size() > kMaxStoredTurnBytes) {
      LLMUX_WARN("response " + row.response_id + " is not stored: the conversation passed 32 MiB");
      return;
    }
    tenants->store_thread.post([row = std::move(row)](store::Store& store) {
      auto inserted = store.insert_response(row);
      if (!inserted) {
        LLMUX_WARN("response store: " + row.response_id + " could not be saved: " + inserted.error().message);
      } else if (!inserted.value()) {
        LLMUX_WARN("response store: " + row.response_id + " is already stored (an upstream repeated an id); not replaced");
      }
    });
  };
}

}  // namespace llmux::gateway
