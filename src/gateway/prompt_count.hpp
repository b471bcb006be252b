#pragma once

// The prompt's tokens for the pre-call context check, and LiteLLM's POST /utils/token_counter,
// which shows a caller the same count.

#include <boost/asio/awaitable.hpp>
#include <cstdint>

#include "api/request_view.hpp"
#include "gateway/shared_state.hpp"
#include "net/http_server.hpp"

namespace llmux::gateway {

// tokens::prompt_tokens over the view's messages, tools, functions, tool_choice, prompt and input.
std::int64_t request_prompt_tokens(const api::RequestView& view);

// {"model", "messages"} or {"model", "prompt"} → {"total_tokens", "request_model", "model_used",
// "tokenizer_type"} (LiteLLM's shape; model_used is the first deployment's upstream model).
boost::asio::awaitable<void> run_token_counter(const SharedState& shared, net::InboundRequest& request,
                                               net::ResponseWriter& writer);

}  // namespace llmux::gateway
