#pragma once

// The 400s a request body earns, in OpenAI's wording ("Invalid type for 'x': expected a string,
// but got an integer instead.", "Missing required parameter: 'x'."), shared by every body reader.

#include <cstddef>
#include <string>
#include <string_view>

#include "api/request_view.hpp"

namespace llmux::api {

// How OpenAI names a JSON value's type in its "Invalid type for 'x'" messages.
std::string_view json_kind(std::string_view value);

RequestError bad_param(std::string_view param, std::string message);
RequestError type_error(std::string_view param, std::string_view expected, std::string_view value);
RequestError missing_param(std::string_view param);
// "Invalid 'x': expected a value <expected>, but got <value> instead."
RequestError out_of_range(std::string_view param, std::string_view expected, std::string_view value);

}  // namespace llmux::api
