#pragma once

// Inputs and outputs shared by the Responses API bridge (a /v1/responses client in front of a
// deployment that speaks chat completions). Pure: no sockets, no clocks unless `created_at` is 0.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "providers/anthropic/translation_types.hpp"

namespace llmux::providers::responses {

// A request refused (400 and the field it names), or an upstream answer that cannot be read.
using TranslationError = anthropic::TranslationError;

// Something in a request that a chat deployment cannot honour (a built-in tool, `background`,
// an `item_reference`…). It is not an error by itself: a deployment that speaks the Responses API
// natively receives the client's body as-is and can. The gateway filters bridged deployments out
// and answers 400 with the first blocker when no native one is left.
struct Blocker {
  std::string param;    // the field, e.g. "tools[1].type", "background"
  std::string message;  // says what cannot be bridged, naming the tool or field
};

// The request translated once: the chat body every bridged deployment receives, and what the
// answer needs from the request.
struct BridgedRequest {
  std::string chat_body;  // OpenAI chat completions request JSON
  // Request fields the Response object repeats (instructions, tools, tool_choice, temperature,
  // top_p, parallel_tool_calls, text, reasoning, metadata, max_output_tokens, store, user, …),
  // already with OpenAI's defaults for what the request left out.
  boost::json::object echo;
  // The input as items ({"type":"message",…}, function_call, function_call_output, reasoning),
  // a string input made into one user message: what a response store keeps as `input_items`.
  boost::json::array input_items;
  std::vector<Blocker> blockers;
  bool stream = false;
};

// What one answer's Response object is built from besides the chat answer itself.
struct ResponseContext {
  std::string response_id;    // "resp_<hex>"; item ids derive from it (msg_…, fc_…, rs_…)
  boost::json::object echo;   // BridgedRequest::echo
  std::string model;          // echoed as "model" when the chat answer names none
  std::int64_t created_at = 0;  // unix seconds; 0 = now
};

}  // namespace llmux::providers::responses
