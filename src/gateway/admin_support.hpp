#pragma once

// What every admin handler needs: the JSON body as an object, query parameters, answers in JSON,
// store errors in OpenAI's error shape, and times in LiteLLM's ISO form.

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net/http_server.hpp"
#include "store/rows.hpp"
#include "store/store_result.hpp"

namespace llmux::gateway::admin {

// A bad request field: 400 with this message; `param` names the field in the error body's
// "param" (empty when the fault is not one field's).
struct FieldError {
  std::string message;
  std::string param;
};

// The body as a JSON object ({} for an empty body); nullopt + 400 sent when it is not one.
std::optional<boost::json::object> parse_object(std::string_view body);

std::optional<std::string> query_param(const net::InboundRequest& request, std::string_view name);

// Typed reads of optional fields; absent or null → nullopt; the wrong type → FieldError thrown
// inside the handler and answered by run_admin as a 400.
std::optional<std::string> string_field(const boost::json::object& body, std::string_view name);
std::optional<std::vector<std::string>> string_list_field(const boost::json::object& body,
                                                          std::string_view name);
std::optional<std::map<std::string, std::string>> string_map_field(const boost::json::object& body,
                                                                   std::string_view name);
// Finite numbers only: 1e400 parses as infinity, which no budget or answer can hold.
std::optional<double> number_field(const boost::json::object& body, std::string_view name);
// Whole numbers that fit an int64 exactly (18446744073709551615 is refused, not wrapped to -1).
std::optional<std::int64_t> integer_field(const boost::json::object& body, std::string_view name);
// A USD amount (a budget, a spend): a finite number, not negative.
std::optional<double> amount_field(const boost::json::object& body, std::string_view name);
// A limit on requests or tokens: an integer, not negative.
std::optional<std::int64_t> count_field(const boost::json::object& body, std::string_view name);
std::optional<bool> bool_field(const boost::json::object& body, std::string_view name);
bool has_field(const boost::json::object& body, std::string_view name);

boost::json::value optional_json(const std::optional<std::string>& text);
boost::json::value optional_json(const std::optional<double>& number);
boost::json::value optional_json(const std::optional<std::int64_t>& number);
boost::json::array string_array(const std::vector<std::string>& items);
boost::json::object string_map_json(const std::map<std::string, std::string>& items);
// Metadata stays the JSON text the admin gave; parse it back for answers ({} if unreadable, which
// only a row written by hand or by an older llmux can be: logged, never silent).
boost::json::value metadata_json(const std::string& text);

store::Millis now_millis();
// "2025-01-31T12:00:00.000000+00:00" (what LiteLLM's Pydantic datetimes print); null when absent.
boost::json::value iso_time(const std::optional<store::Millis>& ms);
std::optional<store::Millis> parse_iso_date(std::string_view text);  // "YYYY-MM-DD[...]" → UTC midnight

// LiteLLM duration text ("30d") → seconds, or a FieldError naming `field`.
std::optional<std::int64_t> seconds_of(const std::string& text, store::Millis now, std::string_view field);
// `now` plus `seconds`, in milliseconds, or a FieldError naming `field` when it does not fit.
store::Millis millis_after(store::Millis now, std::int64_t seconds, std::string_view field);
// max_budget, budget_duration, rpm_limit, tpm_limit, max_parallel_requests: those present.
using LimitsPatch = store::LimitsPatch;
LimitsPatch limits_patch(const boost::json::object& body, store::Millis now);
store::Limits limits_from(const LimitsPatch& patch);
void limits_json(const store::Limits& limits, boost::json::object& out);
// When a budget with this duration next resets (a new row's budget_reset_at).
std::optional<store::Millis> budget_reset_at(const store::Limits& limits, store::Millis now);
// The budget_reset_at change a patch implies: none unless budget_duration changes; cleared with it.
store::Change<std::optional<store::Millis>> budget_reset_change(const LimitsPatch& patch, store::Millis now);
// A random uuid4 text: LiteLLM's id for a team or user created without one.
std::string new_uuid4();
// `metadata` as JSON text ("{}" when absent); FieldError unless an object of finite numbers.
std::string metadata_text(const boost::json::object& body);

// The text of an admin answer. A non-finite number (a row stored before inputs were checked)
// would serialise as a bare Infinity or NaN, which is not JSON: it is written as null, and logged.
std::string answer_text(const boost::json::value& body);

boost::asio::awaitable<void> send_json(net::ResponseWriter& writer, int status,
                                       const boost::json::value& body);
boost::asio::awaitable<void> send_store_error(net::ResponseWriter& writer, const store::StoreError& error);
int status_for(const store::StoreError& error);
// An OpenAI error body; `param` names the offending field (null when none).
// Called as `co_await send_error(...)`, so views of the caller's temporaries stay valid throughout.
boost::asio::awaitable<void> send_error(net::ResponseWriter& writer, int status, std::string_view message,
                                        std::string_view type,
                                        std::optional<std::string_view> param = std::nullopt);
// 400 "Missing required field: <field>".
boost::asio::awaitable<void> send_missing(net::ResponseWriter& writer, std::string_view field);

}  // namespace llmux::gateway::admin
