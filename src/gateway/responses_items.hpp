#pragma once

// Pure helpers of the response store's HTTP side: the items a stored turn holds, the ids input
// items get, OpenAI's input_items page (limit / order / after), and OpenAI's error bodies with a
// string `code` (previous_response_not_found). No I/O: unit-tested in tests/unit/gateway.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "store/response_rows.hpp"

namespace llmux::gateway {

// {"error":{"message","type","param","code"}} with OpenAI's own string code (or null).
std::string responses_error_body(std::string_view message, std::string_view type, std::optional<std::string_view> param,
                                 std::optional<std::string_view> code);

// A response id a client may name in a path: 1-256 of [A-Za-z0-9_-] (anything else is no id,
// and must never reach an upstream's request line).
bool is_response_id(std::string_view id);

// Input items as OpenAI lists them: each with an `id` (a message without one gets
// "msg_<response id suffix>_<i>", any other item "item_<…>_<i>"), a message's string content as
// one input_text part (output_text for the assistant's).
boost::json::array as_stored_items(boost::json::array items, std::string_view response_id);

// What a follow-up to a stored turn continues from: its input items (earlier turns included), then
// its output. nullopt when the stored text cannot be read back.
std::optional<boost::json::array> history_of(const store::ResponseRow& row);

// The ids of the reasoning items a Response's output holds.
std::vector<std::string> reasoning_item_ids(const boost::json::object& response);

// Reasoning input items that carry encrypted_content and an id: whose deployment must see them.
std::vector<std::string> encrypted_reasoning_ids(const boost::json::object& request_body, std::size_t limit);

// item_reference ids in the request's input (at most `limit`), in order, without duplicates.
std::vector<std::string> item_reference_ids(const boost::json::object& request_body, std::size_t limit);

// The response a bridged item id was made in: items are "<prefix>_<the response id's 32 hex
// digits><n>" (providers/responses/response_object.hpp) or "<prefix>_<32 hex>_<n>" (stored input
// items, as_stored_items), the response "resp_<32 hex>". nullopt for any other id (an upstream's).
std::optional<std::string> response_id_of_item(std::string_view item_id);

// Replaces each item_reference in the input whose id `find` knows by that item; returns how many.
std::size_t replace_item_references(boost::json::object& request_body,
                                    const std::function<const boost::json::value*(std::string_view)>& find);

struct ItemsQuery {
  std::size_t limit = 20;
  bool ascending = false;  // OpenAI's default order is desc
  std::string after;
};
struct QueryError {
  std::string message;
  std::string param;
};
// limit (1-100), order (asc|desc), after (an item id); each absent means the default.
std::variant<ItemsQuery, QueryError> read_items_query(const std::optional<std::string>& limit,
                                                      const std::optional<std::string>& order,
                                                      const std::optional<std::string>& after);
// The same query as a request target's query string ("?limit=20&order=desc…"), to forward.
std::string items_query_string(const ItemsQuery& query);

// {"object":"list","data":[…],"first_id","last_id","has_more"} over the stored input items.
std::string input_items_page(const boost::json::array& items, const ItemsQuery& query);

}  // namespace llmux::gateway
