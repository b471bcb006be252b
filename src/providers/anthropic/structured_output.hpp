#pragma once

// Anthropic's structured output — `output_config.format` (GA) or the older beta top-level
// `output_format`, both `{"type":"json_schema","schema":{…}}` — as OpenAI's `response_format`
// for an OpenAI-compatible deployment:
//   {"type":"json_schema","json_schema":{"name":"structured_output","schema":…,"strict":true}}
// `strict` because Anthropic's format is a guarantee (constrained decoding), not a hint; the
// name is LiteLLM's. The schema is sent as written (LiteLLM rewrites it to force
// `additionalProperties: false` and every property required, which changes what it accepts).

#include <boost/json/object.hpp>
#include <optional>
#include <variant>

#include "providers/anthropic/translation_types.hpp"

namespace llmux::providers::anthropic {

struct NoStructuredOutput {};

// The response_format the request asks for, none, or a 400 in Anthropic's wording: a format that
// is not an object, a `type` other than "json_schema", a schema that is not an object, or both
// fields at once (the official SDK refuses that too, with the same message).
std::variant<NoStructuredOutput, boost::json::object, TranslationError> response_format_from_anthropic(
    const boost::json::object& request);

}  // namespace llmux::providers::anthropic
