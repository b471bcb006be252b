#include "providers/anthropic/json_helpers.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <cmath>

#include "text/checked_number.hpp"

namespace llmux::providers::anthropic {

namespace json = boost::json;

bool has_non_finite_number(const json::value& v) {
  switch (v.kind()) {
    case json::kind::double_: return !std::isfinite(v.get_double());
    case json::kind::array:
      for (const auto& item : v.get_array()) {
        if (has_non_finite_number(item)) return true;
      }
      return false;
    case json::kind::object:
      for (const auto& member : v.get_object()) {
        if (has_non_finite_number(member.value())) return true;
      }
      return false;
    default: return false;
  }
}

std::optional<json::value> parse_json(std::string_view text) {
  json::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || has_non_finite_number(v)) return std::nullopt;
  return v;
}

const json::object* object_member(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v ? v->if_object() : nullptr;
}

const json::array* array_member(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v ? v->if_array() : nullptr;
}

std::optional<std::string_view> string_member(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string_view(v->get_string());
}

std::string_view string_member_or(const json::object& o, std::string_view key, std::string_view fallback) {
  return string_member(o, key).value_or(fallback);
}

std::optional<std::int64_t> as_int(const json::value& v) {
  if (v.is_int64()) return v.get_int64();
  // Past INT64_MAX (a uint64, or a double like 1e300) is no integer we can hold: refused, not wrapped.
  if (v.is_uint64()) return text::fitting_integer<std::int64_t>(v.get_uint64());
  if (v.is_double()) return text::exact_integer<std::int64_t>(v.get_double());
  return std::nullopt;
}

std::optional<std::int64_t> int_member(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v ? as_int(*v) : std::nullopt;
}

std::int64_t int_member_or(const json::object& o, std::string_view key, std::int64_t fallback) {
  return int_member(o, key).value_or(fallback);
}

bool is_absent(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return !v || v->is_null();
}

void append_data_frame(std::string& out, const json::value& payload) {
  out += "data: ";
  out += json::serialize(payload);
  out += "\n\n";
}

void append_event_frame(std::string& out, std::string_view event, const json::value& payload) {
  out += "event: ";
  out += event;
  out += "\ndata: ";
  out += json::serialize(payload);
  out += "\n\n";
}

std::int64_t created_or_now(std::int64_t created) {
  if (created != 0) return created;
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace llmux::providers::anthropic
