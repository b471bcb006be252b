#include <algorithm>
#include <array>
#include <cstdint>

#include "api/request_view.hpp"

// Which top-level request keys are LiteLLM's own and never go upstream (is_gateway_control_param).

namespace llmux::api {
namespace {

// LiteLLM pops these from the request before calling the provider: its request-level controls
// (reference §2.10, §3.6; `max_retries` §3.6; `mock_testing_context_window_fallbacks` corrections
// B9; top-level `tags` is moved into metadata by newer LiteLLM and never sent) and the rest of its
// `all_litellm_params` (litellm/types/utils.py): logging metadata, caching, client-side credentials
// (`api_key`, `api_base`…: a client's key must never reach an upstream as a body field), pricing and
// routing knobs, prompt-template and callback settings. A hosted API refuses unknown fields, so a
// request written for LiteLLM must not carry them upstream. Sorted by length, then text.
constexpr auto kControlParams = [] {
  std::array<std::string_view, 104> names = {
      "num_retries", "max_retries", "timeout", "stream_timeout", "request_timeout", "fallbacks",
      "context_window_fallbacks", "content_policy_fallbacks", "disable_fallbacks", "max_fallbacks",
      "fallback_depth", "context_window_fallback_dict", "retry_policy", "retry_strategy", "mock_response",
      "mock_timeout", "tags", "metadata", "caching", "cache", "ttl", "no-log", "cache_key",
      "preset_cache_key", "caching_groups", "drop_params", "additional_drop_params", "allowed_openai_params",
      "api_key", "api_base", "base_url", "api_version", "organization", "custom_llm_provider", "headers",
      "extra_headers", "provider_specific_header", "configurable_clientside_auth_params", "guardrails",
      "proxy_server_request", "model_info", "model_list", "model_config", "id", "priority", "rpm", "tpm",
      "weight", "order", "cooldown_time", "max_parallel_requests", "max_budget", "budget_duration",
      "input_cost_per_token", "output_cost_per_token", "input_cost_per_second", "output_cost_per_second",
      "base_model", "hf_model_name", "region_name", "allowed_model_region", "supports_system_message",
      "fastest_response", "acompletion", "aimg_generation", "atext_completion", "text_completion",
      "force_timeout", "logger_fn", "verbose", "use_client", "client", "self", "azure", "roles",
      "final_prompt_value", "bos_token", "eos_token", "complete_response", "prompt_id", "prompt_variables",
      "prompt_label", "model_file_id_mapping", "disable_add_transform_inline_image_block",
      "azure_ad_token_provider", "azure_ad_token", "tenant_id", "client_id", "client_secret",
      "azure_username", "azure_password", "azure_scope", "user_continue_message",
      "assistant_continue_message", "ensure_alternating_roles", "use_in_pass_through",
      "merge_reasoning_content_in_choices", "use_litellm_proxy", "turn_off_message_logging",
      "mock_timeout_seconds", "secret_fields", "vector_store_ids", "knowledge_bases",
      "cache_control_injection_points"};
  std::sort(names.begin(), names.end(), [](std::string_view a, std::string_view b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
  });
  return names;
}();

// Whole families: every `litellm_*` argument (litellm_metadata, litellm_trace_id, litellm_call_id,
// litellm_session_id, litellm_logging_obj…), the proxy's `user_api_key_*` fields, the
// `mock_testing_*` switches and the logging callbacks' per-request credentials.
constexpr std::array<std::string_view, 8> kControlPrefixes = {
    "litellm_", "user_api_key", "mock_testing_", "langfuse_", "langsmith_", "gcs_", "humanloop_", "arize_"};

// One bit per length some control param has: most keys (messages, temperature…) are told apart by
// their length and first letter alone, without comparing against the lists.
constexpr std::uint64_t kControlParamLengths = [] {
  std::uint64_t bits = 0;
  for (std::string_view name : kControlParams) bits |= std::uint64_t{1} << name.size();
  return bits;
}();
static_assert(std::all_of(kControlParams.begin(), kControlParams.end(),
                          [](std::string_view name) { return name.size() < 64; }));

constexpr std::string_view kPrefixInitials = "lumgha";

}  // namespace

bool is_gateway_control_param(std::string_view key) {
  if (key.empty()) return false;
  if (kPrefixInitials.find(key.front()) != std::string_view::npos) {
    for (std::string_view prefix : kControlPrefixes) {
      if (key.starts_with(prefix)) return true;
    }
  }
  if (key.size() >= 64 || (kControlParamLengths >> key.size() & 1) == 0) return false;
  const auto by_length_then_text = [](std::string_view a, std::string_view b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
  };
  return std::binary_search(kControlParams.begin(), kControlParams.end(), key, by_length_then_text);
}

}  // namespace llmux::api
