#include "router/pre_call_checks.hpp"

#include "router/router.hpp"

namespace llmux::router {

std::optional<ContextWindowMiss> context_window_miss(const Router& router, const config::Deployment& deployment,
                                                     std::optional<std::int64_t> prompt_tokens) {
  if (!prompt_tokens) return std::nullopt;
  const auto limit = router.max_input_tokens(deployment);
  // LiteLLM: `input_tokens > max_input_tokens` excludes; equal still fits.
  if (!limit || *prompt_tokens <= *limit) return std::nullopt;
  return ContextWindowMiss{&deployment, *limit, *prompt_tokens};
}

std::string context_window_exceeded_message(const ContextWindowMiss& miss) {
  // LiteLLM names the deployment's litellm_params.model, as written in the config.
  return "litellm.ContextWindowExceededError: litellm._pre_call_checks: Context Window exceeded for given call. "
         "No models have context window large enough for this call.\nModel=" +
         (miss.deployment ? miss.deployment->litellm_model : std::string()) +
         ", Max Input Tokens=" + std::to_string(miss.max_input_tokens) + ", Got=" + std::to_string(miss.prompt_tokens);
}

}  // namespace llmux::router
