#pragma once

// The state of a /v1/responses conversation, around one POST: before the call, what the turn
// inherits (previous_response_id's stored history, which deployment must see it, which made the
// encrypted reasoning it carries); after it, the turn saved in the response store (store thread,
// never on a worker) unless the request says `store: false`.
//
// Affinity: a turn following a passed-through response is pinned to the deployment that made it,
// which alone can read that id; when that deployment is gone from the group or cooling down, the
// turn is bridged from the stored history instead (previous_response_id removed, the history put
// into the input). Encrypted reasoning items go back to the deployment that made them when it is
// available. A turn following a bridged response gets the stored history, on any deployment.

#include <boost/asio/awaitable.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <variant>

#include "gateway/call_engine.hpp"
#include "store/response_rows.hpp"

namespace llmux::gateway {

struct TenantCaller;
class ResponsesWire;

// What an earlier turn leaves this one, read from the store before the call.
struct InheritedState {
  std::optional<store::ResponseRow> previous;  // previous_response_id's stored turn
  boost::json::array history;                  // its input items, then its output
  std::vector<store::ReasoningOwner> reasoning_owners;  // this caller's, for the input's reasoning items
};

struct StateRefusal {
  int status = 404;
  std::string message;
  std::optional<std::string> param;
  std::optional<std::string> code;
};

// Whether the caller may see a stored turn: the master key (or no auth) sees every one, a virtual
// key only its own. Another key's turn is answered exactly as an unknown one.
bool visible_to(const store::ResponseRow& row, const TenantCaller* caller);

// Reads previous_response_id's turn and the input's encrypted reasoning owners. An unknown,
// expired or another key's id is OpenAI's 404 previous_response_not_found; a store that cannot
// be read is a 503 (nothing would tell the history the turn needs).
boost::asio::awaitable<std::variant<InheritedState, StateRefusal>> inherit_state(const SharedState& shared,
                                                                                 const TenantCaller* caller,
                                                                                 const boost::json::object& body);

// Replaces the input's item_references to items of this caller's stored turns (bridged ones: what
// clients such as the Vercel AI SDK send under `store: true`) by the items themselves, so any
// deployment can take them; returns how many. An id not found (or an upstream's own) is left as
// it is: a deployment that speaks the Responses API resolves its own, the bridge refuses it by name.
boost::asio::awaitable<std::size_t> resolve_item_references(const SharedState& shared, const TenantCaller* caller,
                                                            boost::json::object& body);

// Once the group is known: pins the call (joined with tag routing's filter in
// `call.deployment_filter`) and says whether the client's body must carry the history itself
// (`expanded_body` set, for the deployments that get the client's body). A refusal when no
// deployment can take the turn.
struct TurnRouting {
  std::optional<std::string> expanded_body;
};
std::variant<TurnRouting, StateRefusal> route_turn(const SharedState& shared, const InheritedState& inherited,
                                                   const boost::json::object& body, CallRequest& call);

// Saves each finished turn through the store thread (wire.on_response_finished), unless the body
// says store: false or there is no store. `inherited` and `body` must outlive the call.
void save_turns(const SharedState& shared, const TenantCaller* caller, const InheritedState& inherited,
                const boost::json::object& body, const std::string& group, ResponsesWire& wire);

}  // namespace llmux::gateway
