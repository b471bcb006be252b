#pragma once

// OpenAI's wording for a Responses request it refuses ("Missing required parameter: 'model'.",
// "Invalid type for 'input[0].content': expected …", "Invalid value: 'x'. Supported values are: …"),
// so clients written against OpenAI read the same text through the bridge.

#include <boost/json/value.hpp>
#include <initializer_list>
#include <string>
#include <string_view>

#include "providers/responses/bridge_types.hpp"

namespace llmux::providers::responses {

TranslationError missing_parameter(std::string_view param);
TranslationError unknown_parameter(std::string_view param);
// expected: "a string", "an object", "an array", "a boolean", "an integer", "a decimal number".
TranslationError invalid_type(std::string_view param, std::string_view expected, const boost::json::value& got);
TranslationError invalid_value(std::string_view param, std::string_view got,
                               std::initializer_list<std::string_view> supported);
// "Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 3 instead."
TranslationError out_of_range(std::string_view param, const boost::json::value& got, bool integer, bool above,
                              double bound);

// "a string", "an object", … as OpenAI names a JSON value's type.
std::string_view json_kind(const boost::json::value& v);

// Whether `value` is one of `supported`.
bool one_of(std::string_view value, std::initializer_list<std::string_view> supported);

}  // namespace llmux::providers::responses
