#pragma once

// Small, exception-free accessors over Boost.JSON used by every translator here,
// plus the two SSE frame shapes we write.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace llmux::providers::anthropic {

// nullopt when the text is not JSON, or holds a number beyond a double's range (see below).
std::optional<boost::json::value> parse_json(std::string_view text);
// Boost.JSON reads a number beyond a double's range (1e309) as infinity, and some (-0e999999) as
// NaN, then writes them back as `Infinity` / `NaN`, which is not JSON: a document holding one
// cannot be translated into JSON anyone can read.
bool has_non_finite_number(const boost::json::value& v);

const boost::json::object* object_member(const boost::json::object& o, std::string_view key);
const boost::json::array* array_member(const boost::json::object& o, std::string_view key);
std::optional<std::string_view> string_member(const boost::json::object& o, std::string_view key);
std::string_view string_member_or(const boost::json::object& o, std::string_view key,
                                  std::string_view fallback = {});

// Integral JSON numbers only (an integral double such as 1024.0 counts).
std::optional<std::int64_t> as_int(const boost::json::value& v);
std::optional<std::int64_t> int_member(const boost::json::object& o, std::string_view key);
std::int64_t int_member_or(const boost::json::object& o, std::string_view key, std::int64_t fallback);

// A key that is absent or JSON null: OpenAI clients send `"seed": null` for "unset".
bool is_absent(const boost::json::object& o, std::string_view key);

// `data: <json>\n\n`
void append_data_frame(std::string& out, const boost::json::value& payload);
// `event: <type>\ndata: <json>\n\n`
void append_event_frame(std::string& out, std::string_view event, const boost::json::value& payload);

// `created` as given, or the current unix time when the caller passed 0.
std::int64_t created_or_now(std::int64_t created);

}  // namespace llmux::providers::anthropic
