#include "api/request_errors.hpp"

#include "api/json_scan.hpp"

namespace llmux::api {

std::string_view json_kind(std::string_view value) {
  if (is_string(value)) return "a string";
  if (is_bool(value)) return "a boolean";
  if (is_null(value)) return "null";
  if (is_array(value)) return "an array";
  if (is_object(value)) return "an object";
  if (is_integer(value)) return "an integer";
  return "a decimal number";
}

RequestError bad_param(std::string_view param, std::string message) {
  return RequestError{400, std::move(message), std::string(param), "invalid_request_error"};
}

RequestError type_error(std::string_view param, std::string_view expected, std::string_view value) {
  std::string message = "Invalid type for '";
  message.append(param).append("': expected ").append(expected).append(", but got ");
  message.append(json_kind(value)).append(" instead.");
  return bad_param(param, std::move(message));
}

RequestError missing_param(std::string_view param) {
  std::string message = "Missing required parameter: '";
  message.append(param).append("'.");
  return bad_param(param, std::move(message));
}

RequestError out_of_range(std::string_view param, std::string_view expected, std::string_view value) {
  std::string message = "Invalid '";
  message.append(param).append("': expected a value ").append(expected).append(", but got ");
  message.append(value).append(" instead.");
  return bad_param(param, std::move(message));
}

}  // namespace llmux::api
