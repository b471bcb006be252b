#include "providers/responses/field_errors.hpp"

#include <boost/json/serialize.hpp>
#include <charconv>
#include <cmath>

namespace llmux::providers::responses {

namespace json = boost::json;

std::string_view json_kind(const json::value& v) {
  if (v.is_string()) return "a string";
  if (v.is_bool()) return "a boolean";
  if (v.is_array()) return "an array";
  if (v.is_object()) return "an object";
  if (v.is_null()) return "null";
  if (v.is_int64() || v.is_uint64()) return "an integer";
  return "a decimal number";
}

TranslationError missing_parameter(std::string_view param) {
  return {400, "Missing required parameter: '" + std::string(param) + "'.", std::string(param)};
}

TranslationError unknown_parameter(std::string_view param) {
  return {400, "Unknown parameter: '" + std::string(param) + "'.", std::string(param)};
}

TranslationError invalid_type(std::string_view param, std::string_view expected, const json::value& got) {
  std::string message = "Invalid type for '" + std::string(param) + "': expected " + std::string(expected) +
                        ", but got " + std::string(json_kind(got)) + " instead.";
  return {400, std::move(message), std::string(param)};
}

TranslationError invalid_value(std::string_view param, std::string_view got,
                               std::initializer_list<std::string_view> supported) {
  // The client's text is quoted back, cut short: it may be long, and it is only a reminder.
  std::string message = "Invalid value: '";
  message.append(got.substr(0, 64)).append("'. Supported values are: ");
  std::size_t i = 0;
  for (std::string_view value : supported) {
    if (i > 0) message += supported.size() == 2 ? " and " : (i + 1 == supported.size() ? ", and " : ", ");
    message.append("'").append(value).append("'");
    ++i;
  }
  message += ".";
  return {400, std::move(message), std::string(param)};
}

namespace {

// A number as a person writes it (2.5, not Boost.JSON's 2.5E0): the shortest text that reads back.
std::string number_text(const json::value& v) {
  if (!v.is_double()) return json::serialize(v);
  char buffer[64];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v.get_double());
  return ec == std::errc() ? std::string(buffer, end) : json::serialize(v);
}

}  // namespace

TranslationError out_of_range(std::string_view param, const json::value& got, bool integer, bool above,
                              double bound) {
  const std::string bound_text = number_text(json::value(bound));
  std::string message = "Invalid '" + std::string(param) + "': " + (integer ? "integer " : "decimal ") +
                        (above ? "above maximum" : "below minimum") + " value. Expected a value " +
                        (above ? "<= " : ">= ") + bound_text + ", but got " + number_text(got) + " instead.";
  return {400, std::move(message), std::string(param)};
}

bool one_of(std::string_view value, std::initializer_list<std::string_view> supported) {
  for (std::string_view s : supported) {
    if (s == value) return true;
  }
  return false;
}

}  // namespace llmux::providers::responses
