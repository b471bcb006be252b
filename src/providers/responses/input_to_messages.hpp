#pragma once

// Responses `instructions` + `input` -> chat completions `messages`.
//
//   instructions                  -> a leading system message
//   input "text"                  -> one user message
//   message (user/system/developer/assistant — developer sent as system; content a string or parts: input_text, input_image,
//   input_file with file_data, output_text and refusal in assistant turns)
//                                 -> a message of that role
//   function_call                 -> a tool call on the assistant turn it follows (or a new one)
//   function_call_output          -> a `tool` message
//   reasoning                     -> checked, then left out: chat completions has no portable field to
//                                    send earlier reasoning back (encrypted_content no backend can read),
//                                    except the bridge's own signed Anthropic thinking: thinking_blocks on
//                                    the assistant turn that follows
//   item_reference, image file_ids, file_url/file_id files, other item types -> blockers
//
// `history` (items of earlier turns, for previous_response_id) goes before `input`; its items are
// checked and converted as the request's own, named "history[i]" in errors.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <vector>

#include "providers/responses/bridge_types.hpp"

namespace llmux::providers::responses {

// Fills `messages` (chat) and `input_items` (the request's input as items, a string made into a
// user message item; history not included).
std::optional<TranslationError> translate_input(const boost::json::object& request, const boost::json::array& history,
                                                boost::json::array& messages, boost::json::array& input_items,
                                                std::vector<Blocker>& blockers);

}  // namespace llmux::providers::responses
