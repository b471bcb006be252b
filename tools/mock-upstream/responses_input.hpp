#pragma once
// The request half of the mock's Responses API: the conversation a POST /responses sees (the
// stored history of previous_response_id, then this request's input, normalised to items with
// ids), the text the answer replies to, the tool it calls, and the checks OpenAI makes first.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <variant>

#include "mock_request.hpp"
#include "reply.hpp"
#include "responses_memory.hpp"

namespace llmux::mock {

struct ResponsesTurn {
  boost::json::array history;  // earlier turns' input and output items, then this input
  std::size_t new_items = 0;   // how many of history's last items this request brought
  std::string user_text;       // what the answer replies to
  std::size_t prompt_bytes = 0;
  std::optional<std::string> previous_response_id;
};

struct ToolChoice {
  std::string name;
  std::string arguments;  // JSON text
};

// An error Reply when the request is one OpenAI refuses (no model, bad input, an unknown
// previous_response_id, encrypted reasoning from another organisation).
std::variant<ResponsesTurn, Reply> read_responses_turn(const MockRequest& request, const ResponsesMemory& memory);

// The function the answer calls: a forced tool_choice ("required" or {"type":"function","name"}),
// else the `tool_call` fault unless the turn ends with a function_call_output.
std::optional<ToolChoice> responses_tool_call(const MockRequest& request, const ResponsesTurn& turn);

// What a reasoning item's encrypted_content is on this instance.
std::string encrypted_reasoning(const ResponsesMemory& memory, std::string_view item_id);

}  // namespace llmux::mock
