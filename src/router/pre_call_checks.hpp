#pragma once

// LiteLLM's pre-call context check (`enable_pre_call_checks`, reference §2.8): a deployment whose
// max_input_tokens is below the prompt's token count is left out before any call is made to it,
// and when a whole group is left out the request moves on as if it had failed with
// context_window_exceeded — to context_window_fallbacks, with no upstream call wasted.

#include <cstdint>
#include <optional>
#include <string>

#include "config/config.hpp"

namespace llmux::router {

class Router;

// A deployment the prompt did not fit: what LiteLLM's ContextWindowExceededError names.
struct ContextWindowMiss {
  const config::Deployment* deployment = nullptr;
  std::int64_t max_input_tokens = 0;
  std::int64_t prompt_tokens = 0;
};

// The miss when `prompt_tokens` is known and passes the deployment's known limit; nullopt when it
// fits, or when either number is unknown (a deployment without a known limit is never skipped).
std::optional<ContextWindowMiss> context_window_miss(const Router& router, const config::Deployment& deployment,
                                                     std::optional<std::int64_t> prompt_tokens);

// LiteLLM's wording for a request no deployment could take, which clients match on:
// "litellm.ContextWindowExceededError: litellm._pre_call_checks: Context Window exceeded for given
// call. No models have context window large enough for this call.\nModel=…, Max Input Tokens=…, Got=…".
std::string context_window_exceeded_message(const ContextWindowMiss& miss);

}  // namespace llmux::router
