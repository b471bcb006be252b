#include "config/known_keys.hpp"

#include <algorithm>
#include <iterator>

namespace llmux::config::detail {
namespace {

template <std::size_t N>
bool contains(const std::string_view (&keys)[N], std::string_view key) {
  return std::find(std::begin(keys), std::end(keys), key) != std::end(keys);
}

// Sources: LiteLLM docs proxy/config_settings.md and types/router.py (see
// /work/shared/reference/litellm-behavior.md §1).
constexpr std::string_view top_level_keys[] = {"callback_settings",
                                               "guardrails",
                                               "credential_list",
                                               "mcp_servers",
                                               "prompts",
                                               "search_tools",
                                               "vector_store_registry",
                                               "pass_through_endpoints",
                                               "assistant_settings",
                                               "files_settings"};

constexpr std::string_view litellm_params_keys[] = {"base_model",
                                                    "max_budget",
                                                    "budget_duration",
                                                    "max_parallel_requests",
                                                    "region_name",
                                                    "vertex_project",
                                                    "vertex_location",
                                                    "vertex_credentials",
                                                    "aws_access_key_id",
                                                    "aws_secret_access_key",
                                                    "aws_region_name",
                                                    "aws_session_token",
                                                    "aws_profile_name",
                                                    "use_in_pass_through",
                                                    "litellm_credential_name",
                                                    "configurable_clientside_auth_params",
                                                    "merge_reasoning_content_in_choices",
                                                    "input_cost_per_second",
                                                    "output_cost_per_second",
                                                    "input_cost_per_pixel",
                                                    "output_cost_per_pixel",
                                                    "tag_regex",
                                                    "azure_ad_token",
                                                    "azure_ad_token_provider",
                                                    "tenant_id",
                                                    "client_id",
                                                    "client_secret",
                                                    "azure_username",
                                                    "azure_password",
                                                    "use_litellm_proxy",
                                                    "auto_router_config",
                                                    "watsonx_region_name"};

constexpr std::string_view router_settings_keys[] = {"redis_host",
                                                     "redis_port",
                                                     "redis_password",
                                                     "redis_url",
                                                     "redis_db",
                                                     "cache_kwargs",
                                                     "startup_nodes",
                                                     "cache_responses",
                                                     "caching_groups",
                                                     "client_ttl",
                                                     "default_max_parallel_requests",
                                                     "default_priority",
                                                     "polling_interval",
                                                     "provider_budget_config",
                                                     "ignore_invalid_deployments",
                                                     "router_general_settings",
                                                     "set_verbose",
                                                     "debug_level",
                                                     "alerting_config",
                                                     "assistants_config",
                                                     "search_tools",
                                                     "deployment_affinity_ttl_seconds",
                                                     "enable_health_check_routing"};

constexpr std::string_view litellm_settings_keys[] = {"cache",
                                                      "cache_params",
                                                      "callbacks",
                                                      "success_callback",
                                                      "failure_callback",
                                                      "service_callback",
                                                      "service_callbacks",
                                                      "input_callback",
                                                      "json_logs",
                                                      "turn_off_message_logging",
                                                      "redact_user_api_key_info",
                                                      "redact_messages_in_exceptions",
                                                      "max_budget",
                                                      "budget_duration",
                                                      "default_team_settings",
                                                      "default_key_generate_params",
                                                      "upperbound_key_generate_params",
                                                      "modify_params",
                                                      "force_ipv4",
                                                      "key_generation_settings",
                                                      "disable_end_user_cost_tracking",
                                                      "max_end_user_budget",
                                                      "max_internal_user_budget",
                                                      "internal_user_budget_duration",
                                                      "default_internal_user_params",
                                                      "enable_json_schema_validation",
                                                      "content_policy_fallbacks_enabled",
                                                      "ssl_verify",
                                                      "telemetry",
                                                      "log_raw_request_response",
                                                      "return_response_headers",
                                                      "enable_preview_features",
                                                      "default_max_internal_user_budget",
                                                      "disable_add_transform_inline_image_block"};

constexpr std::string_view general_settings_keys[] = {"database_connection_pool_limit",
                                                      "database_connection_timeout",
                                                      "allow_requests_on_db_unavailable",
                                                      "disable_spend_logs",
                                                      "disable_spend_updates",
                                                      "proxy_batch_write_at",
                                                      "proxy_budget_rescheduler_min_time",
                                                      "proxy_budget_rescheduler_max_time",
                                                      "background_health_checks",
                                                      "health_check_interval",
                                                      "health_check_details",
                                                      "max_parallel_requests",
                                                      "global_max_parallel_requests",
                                                      "enforce_user_param",
                                                      "forward_client_headers_to_llm_api",
                                                      "litellm_key_header_name",
                                                      "allowed_routes",
                                                      "public_routes",
                                                      "admin_only_routes",
                                                      "max_response_size_mb",
                                                      "store_model_in_db",
                                                      "alerting",
                                                      "alerting_threshold",
                                                      "alert_types",
                                                      "alert_to_webhook_url",
                                                      "user_api_key_cache_ttl",
                                                      "completion_model",
                                                      "embedding_model",
                                                      "image_generation_model",
                                                      "token_rate_limit_type",
                                                      "always_include_stream_usage",
                                                      "use_redis_transaction_buffer",
                                                      "custom_auth",
                                                      "custom_sso",
                                                      "ui_access_mode",
                                                      "allowed_ips",
                                                      "disable_master_key_return",
                                                      "disable_reset_budget",
                                                      "disable_retry_on_max_parallel_request_limit_error",
                                                      "enable_jwt_auth",
                                                      "litellm_jwtauth",
                                                      "pass_through_endpoints",
                                                      "key_management_system"};

constexpr std::string_view request_params[] = {"temperature",
                                               "top_p",
                                               "max_tokens",
                                               "max_completion_tokens",
                                               "stop",
                                               "seed",
                                               "presence_penalty",
                                               "frequency_penalty",
                                               "logit_bias",
                                               "n",
                                               "response_format",
                                               "reasoning_effort",
                                               "user",
                                               "parallel_tool_calls",
                                               "logprobs",
                                               "top_logprobs"};

// LiteLLM's request-level controls and internal call arguments (its `all_litellm_params`, reference
// §2.10, §3.6), as they may be written in litellm_params or default_litellm_params: the gateway's
// business, never a provider parameter. api::is_gateway_control_param strips the same names from
// requests (a unit test keeps the two in step).
constexpr std::string_view gateway_only_params[] = {
    "metadata", "litellm_metadata", "caching", "cache", "ttl", "no-log", "cache_key", "preset_cache_key",
    "caching_groups", "fallbacks", "context_window_fallbacks", "content_policy_fallbacks", "disable_fallbacks",
    "max_fallbacks", "guardrails", "proxy_server_request", "allowed_openai_params", "model_info", "id",
    "litellm_trace_id", "litellm_call_id", "litellm_session_id", "prompt_id", "prompt_variables", "prompt_label",
    "mock_timeout", "mock_response", "timeout", "stream_timeout", "request_timeout", "num_retries",
    "max_retries", "drop_params", "tags", "api_key", "api_base", "base_url", "rpm", "tpm", "weight", "order",
    "cooldown_time"};

constexpr std::string_view gateway_only_prefixes[] = {"litellm_", "user_api_key", "mock_testing_"};

// Keys a user may rely on for money or security: llmux cannot honour them yet, so the warning
// says what is NOT happening instead of a quiet "not implemented".
struct Consequence {
  Section section;
  std::string_view key;
  std::string_view what;
};
constexpr Consequence consequences[] = {
    {Section::litellm_params, "max_budget", "this deployment's spend is NOT capped"},
    {Section::litellm_params, "budget_duration", "this deployment's spend is NOT capped"},
    {Section::litellm_settings, "max_budget", "the proxy-wide budget is NOT enforced; spend is not capped"},
    {Section::litellm_settings, "budget_duration", "the proxy-wide budget is NOT enforced; spend is not capped"},
    {Section::litellm_settings, "max_end_user_budget", "end-user (`user`) budgets are NOT enforced"},
    {Section::litellm_settings, "max_internal_user_budget", "internal users' budgets are NOT enforced"},
    {Section::litellm_settings, "default_max_internal_user_budget", "internal users' budgets are NOT enforced"},
    {Section::litellm_settings, "upperbound_key_generate_params", "/key/generate is NOT held to these upper bounds"},
    {Section::router_settings, "provider_budget_config", "provider budgets are NOT enforced"},
    {Section::general_settings, "allowed_ips", "requests are NOT restricted by client IP"},
    {Section::general_settings, "custom_auth", "this authentication is NOT used: only the master key and virtual keys are checked"},
    {Section::general_settings, "enable_jwt_auth", "JWTs are NOT accepted or checked: only the master key and virtual keys are"},
    {Section::general_settings, "litellm_jwtauth", "JWTs are NOT accepted or checked: only the master key and virtual keys are"},
    {Section::general_settings, "allowed_routes", "route restrictions are NOT applied"},
    {Section::general_settings, "admin_only_routes", "route restrictions are NOT applied"},
    {Section::general_settings, "enforce_user_param", "requests without `user` are NOT refused"},
    {Section::general_settings, "global_max_parallel_requests", "concurrency is NOT capped by it"},
    {Section::top_level, "guardrails", "NO guardrail runs on requests or answers"},
};

}  // namespace

std::string_view unhonoured_consequence(Section section, std::string_view key) {
  for (const Consequence& c : consequences) {
    if (c.section == section && c.key == key) return c.what;
  }
  return {};
}

bool is_gateway_only_param(std::string_view key) {
  if (contains(gateway_only_params, key)) return true;
  return std::any_of(std::begin(gateway_only_prefixes), std::end(gateway_only_prefixes),
                     [&](std::string_view prefix) { return key.starts_with(prefix); });
}

bool is_known_not_implemented(Section section, std::string_view key) {
  switch (section) {
    case Section::top_level:
      return contains(top_level_keys, key);
    case Section::litellm_params:
      return contains(litellm_params_keys, key);
    case Section::router_settings:
      return contains(router_settings_keys, key);
    case Section::litellm_settings:
      return contains(litellm_settings_keys, key);
    case Section::general_settings:
      return contains(general_settings_keys, key);
    case Section::deployment:
    case Section::llmux_settings:
      return false;
  }
  return false;
}

bool is_request_param(std::string_view key) { return contains(request_params, key); }

}  // namespace llmux::config::detail
