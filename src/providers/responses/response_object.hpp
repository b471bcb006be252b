#pragma once

// The pieces of a Response object both answer shapes share (whole: response_from_chat, streamed:
// stream_from_chat): the skeleton with the request's echoed fields, item ids, usage, and what a
// chat finish_reason says about the response's status.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <cstdint>
#include <string>
#include <string_view>

#include "providers/responses/bridge_types.hpp"

namespace llmux::providers::responses {

// "<prefix>_<the response id's suffix><n>": unique per item, stable for one answer
// (item_id("msg", "resp_ab12", 1) == "msg_ab121").
std::string item_id(std::string_view prefix, std::string_view response_id, std::size_t n);

// {"id","object":"response","created_at","status","error":null,"incomplete_details":null,
//  "model","output":[], …echo}. No usage: the schema has no null for it; the caller adds it.
boost::json::object response_skeleton(const ResponseContext& context, std::string_view model,
                                      std::int64_t created_at, std::string_view status);

// A chat `usage` object (null: no usage reported) -> the Response `usage`. Negative or
// non-integral counts (a hostile upstream) count as 0; sums saturate.
boost::json::object usage_from_chat(const boost::json::object* usage);

// The `incomplete_details.reason` a chat finish_reason implies: "max_output_tokens" for
// `length`, "content_filter" for `content_filter`, empty for a complete answer.
std::string_view incomplete_reason(std::string_view finish_reason);

// Sets status ("completed" or "incomplete") and incomplete_details from the finish reason.
void set_final_status(boost::json::object& response, std::string_view finish_reason);

// An output_text part: {"type":"output_text","text","annotations":[],"logprobs":[]}.
boost::json::object output_text_part(std::string_view text);

// Anthropic's signed thinking blocks (LiteLLM's `thinking_blocks` on a chat answer) carried in a
// reasoning item's `encrypted_content`, so a client that sends the item back (previous_response_id
// history, or `include: ["reasoning.encrypted_content"]` clients) gets them to Anthropic again, which
// refuses a thinking + tool-use turn without them. "llmux.thinking.v1:" + the blocks' JSON; the
// signature inside is what Anthropic checks, so the text being readable costs nothing.
std::string thinking_as_encrypted_content(const boost::json::array& thinking_blocks);
// The blocks back, or nullopt for any other string (another provider's encrypted content, or a
// malformed one, which is then simply not sent); at most 64 blocks of type thinking/redacted_thinking.
std::optional<boost::json::array> thinking_from_encrypted_content(std::string_view encrypted);

}  // namespace llmux::providers::responses
