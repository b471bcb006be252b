#pragma once

// A Responses API request (POST /v1/responses) -> one chat completions request, translated once:
// the router, accounting and every bridged deployment (OpenAI-compatible, or Anthropic through
// its own chat translation) use it. What maps:
//   model, instructions + input (input_to_messages), tools / tool_choice / parallel_tool_calls /
//   text (tools_to_chat), max_output_tokens -> max_tokens, temperature, top_p, user,
//   reasoning.effort -> reasoning_effort, service_tier, safety_identifier, prompt_cache_key,
//   prompt_cache_retention, stream (with stream_options.include_usage, so usage always comes back),
//   and LiteLLM's gateway controls (num_retries, fallbacks, mock_response, tags…) as they are.
// Not sent: `metadata` (echoed in the Response, not LiteLLM metadata), `store`, `include`,
// `previous_response_id` (the caller resolves it into `history`).

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <variant>

#include "providers/responses/bridge_types.hpp"

namespace llmux::providers::responses {

std::variant<BridgedRequest, TranslationError> to_chat_request(const boost::json::object& request,
                                                               const boost::json::array& history = {});

}  // namespace llmux::providers::responses
