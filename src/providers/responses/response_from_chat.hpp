#pragma once

// A chat.completion -> a Response object, for a whole (non-streamed) bridged answer. Output
// items, in order: a `reasoning` item (reasoning_content, as a summary_text part), a `message`
// (output_text, refusal), one `function_call` per tool call. finish_reason `length` /
// `content_filter` -> status `incomplete` with incomplete_details.reason.

#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <variant>

#include "providers/responses/bridge_types.hpp"

namespace llmux::providers::responses {

// The Response object as a DOM (a store keeps it), or why the chat answer cannot be read.
std::variant<boost::json::object, TranslationError> response_from_chat(std::string_view chat_body,
                                                                       const ResponseContext& context);

}  // namespace llmux::providers::responses
