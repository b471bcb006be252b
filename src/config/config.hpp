#pragma once

// The immutable configuration snapshot: LiteLLM's config.yaml, resolved and validated.
// A request holds a shared_ptr<const Config> for its whole life (see DESIGN.md, decision 2).

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config/routing_strategy.hpp"
#include "net/url.hpp"  // a pure parser: the config checks each api_base with it once, at load

namespace llmux::config {

// Which adapter speaks to the upstream. Several LiteLLM prefixes map to one family
// (`openai/`, `hosted_vllm/`, … are all OpenAI wire-compatible).
enum class ProviderFamily { openai_compatible, anthropic, mock };

// LiteLLM's exception classes that `retry_policy` ("<Class>Retries") and `allowed_fails_policy`
// ("<Class>AllowedFails") are keyed by; the router maps its error kinds onto them.
enum class PolicyErrorClass {
  bad_request,               // BadRequestError
  authentication,            // AuthenticationError
  timeout,                   // Timeout
  rate_limit,                // RateLimitError
  content_policy_violation,  // ContentPolicyViolationError (a BadRequestError in LiteLLM)
  internal_server,           // InternalServerError
  not_found,                 // NotFoundError
  service_unavailable,       // ServiceUnavailableError
  bad_gateway,               // BadGatewayError
};
inline constexpr std::size_t kPolicyErrorClasses = 9;

// One count per error class; nullopt where the policy says nothing about the class.
struct ErrorClassCounts {
  std::array<std::optional<int>, kPolicyErrorClasses> counts{};
  std::optional<int> of(PolicyErrorClass c) const { return counts[static_cast<std::size_t>(c)]; }
  std::optional<int>& at(PolicyErrorClass c) { return counts[static_cast<std::size_t>(c)]; }
};

struct ModelInfo {
  std::string id;  // model_info.id, or the LiteLLM-compatible SHA-256 id when absent
  std::optional<std::int64_t> max_input_tokens;
  std::optional<std::int64_t> max_output_tokens;
  std::optional<double> input_cost_per_token;
  std::optional<double> output_cost_per_token;
  std::optional<std::int64_t> max_tokens;
  // Prices of prompt tokens read from / written to the provider's prompt cache (LiteLLM's
  // cache_read_input_token_cost / cache_creation_input_token_cost), per token.
  std::optional<double> cache_read_input_token_cost;
  std::optional<double> cache_creation_input_token_cost;
  // Model access groups this deployment's model belongs to: a key whose `models` names one of
  // them may call the model.
  std::vector<std::string> access_groups;
  // Per-deployment overrides of router_settings.allowed_fails_policy / allowed_fails.
  std::optional<ErrorClassCounts> allowed_fails_policy;
  std::optional<int> allowed_fails;
};

// What a deployment adds to every request sent to it: litellm_params presets, resolved at load so
// that a request pays only for the splice (LiteLLM: `{**deployment.litellm_params, **request}`,
// reference §2.1; router_settings.default_litellm_params fill what is still missing, §1.4).
struct RequestPresets {
  // Top-level body members a request gets when it lacks them: key and JSON text. OpenAI params,
  // provider-specific keys and extra_body's members (extra_body wins over the same key written
  // beside it), then default_litellm_params. Never a key the gateway reads itself (model, stream…).
  std::vector<std::pair<std::string, std::string>> body;
  // Upstream request headers: `headers`, then `extra_headers` (which wins on a name), then
  // OpenAI-Organization from `organization`. Names are tokens and values clean (checked at load).
  std::vector<std::pair<std::string, std::string>> headers;
  // Header values that may be credentials (a credential-like name, or os.environ/): redacted from
  // upstream failures like api_key.
  std::vector<std::string> secret_values;
  // additional_drop_params: request keys never sent to this deployment (presets included).
  std::vector<std::string> drop;
  // `headers` carries the credential (Authorization, x-api-key or api-key): the adapter then does
  // not send api_key's header. A config setting both is refused at load.
  bool sets_credential_header = false;

  bool empty() const { return body.empty() && headers.empty() && drop.empty(); }
};

struct Deployment {
  std::string model_name;      // the public group name clients send as "model"
  std::string litellm_model;   // litellm_params.model as written, e.g. "openai/Meta-Llama-3.1-8B"
  std::string provider;        // the prefix: "openai", "hosted_vllm", "anthropic", "mock", …
  ProviderFamily family = ProviderFamily::openai_compatible;
  std::string upstream_model;  // what is sent upstream: the part after the prefix
  std::string api_base;        // resolved; the provider's default when the config has none
  // api_base parsed, for the families that call out over HTTP (not `mock`): a bad URL is a
  // config error at load, and no request parses it again. nullopt for mock deployments.
  std::optional<net::UpstreamTarget> upstream_target;

  // Resolved credential. When the config names `os.environ/NAME` and NAME is unset,
  // api_key is empty (std::nullopt) and missing_api_key_env holds NAME: the deployment loads,
  // and fails as an authentication error when tried. When litellm_params has no api_key at
  // all, the provider's conventional variable (OPENAI_API_KEY, ANTHROPIC_API_KEY, …) is used
  // if set, as LiteLLM does.
  std::optional<std::string> api_key;
  std::string missing_api_key_env;

  std::optional<double> timeout_seconds;
  std::optional<double> stream_timeout_seconds;
  std::optional<int> max_retries;
  std::optional<int> num_retries;  // litellm_params.num_retries: router retries, over max_retries
  std::optional<std::int64_t> rpm;
  std::optional<std::int64_t> tpm;
  std::optional<double> weight;
  std::optional<int> order;
  std::vector<std::string> tags;
  std::optional<double> cooldown_time_seconds;
  std::optional<bool> drop_params;
  std::optional<std::string> mock_response;  // litellm_params.mock_response
  RequestPresets presets;
  ModelInfo model_info;
  // The upstream serves OpenAI's Responses API itself (POST {api_base}/responses): a /v1/responses
  // call is passed through to it; otherwise it is bridged to chat completions (src/responses/).
  bool speaks_responses_api = false;

  int source_line = 0;  // where this entry starts in the config file (for messages)

  const std::string& id() const { return model_info.id; }
};

// `{"group": ["fallback-a", "fallback-b"]}`; group "*" is the default_fallbacks entry.
struct FallbackRule {
  std::string group;
  std::vector<std::string> targets;
  int source_line = 0;  // where the rule is written (for messages)
};

struct ModelGroupAlias {
  std::string target;
  bool hidden = false;  // routable but not listed by /v1/models
  int source_line = 0;
};

// Which caller identity keeps a caller on one deployment of a group (router/affinity.hpp).
// LiteLLM's names, from router_settings.optional_pre_call_checks or model_group_affinity_config.
struct AffinityChecks {
  bool caller = false;   // "deployment_affinity": the request's `user`, else its virtual key
  bool session = false;  // "session_affinity": the session header (llmux_settings.session_header)
  bool any() const { return caller || session; }
};

// Confidence-based escalation for one group (llmux_settings.confidence_routing; ours, LiteLLM has
// none): the group's answer is scored (gateway/confidence_score.hpp) and, below a threshold,
// replaced by a call to `escalate_to`. See docs/confidence-routing.md.
struct ConfidenceRule {
  std::string escalate_to;
  std::optional<double> min_mean_logprob;   // mean token log-probability of the answer
  std::optional<double> min_token_logprob;  // its least likely token
  std::string confidence_header;            // read the score from this upstream header instead
  std::optional<double> min_header_confidence;
  int source_line = 0;
};

struct RouterSettings {
  RoutingStrategy routing_strategy = RoutingStrategy::simple_shuffle;
  RoutingStrategyArgs routing_strategy_args;
  // Tag routing (tenancy/tag_routing.hpp) runs only when enabled, as in LiteLLM.
  bool enable_tag_filtering = false;
  bool tag_filtering_match_any = true;
  AffinityChecks affinity;                              // optional_pre_call_checks
  std::map<std::string, AffinityChecks> group_affinity;  // model_group_affinity_config: replaces it per group
  std::vector<FallbackRule> fallbacks;  // default_fallbacks are appended here as group "*"
  std::vector<FallbackRule> context_window_fallbacks;
  std::vector<FallbackRule> content_policy_fallbacks;
  int num_retries = 2;                    // router_settings > litellm_settings > 2
  double retry_after_seconds = 0;         // floor for the backoff between retries
  double timeout_seconds = 6000;          // router_settings.timeout > litellm_settings.request_timeout
  std::optional<double> stream_timeout_seconds;
  int allowed_fails = 3;                  // failures within a minute before a cooldown
  double cooldown_time_seconds = 5;
  bool disable_cooldowns = false;
  // LiteLLM's _pre_call_checks: count each request's prompt and skip deployments whose
  // max_input_tokens it passes (off: nothing is counted), and treat deployment rpm/tpm as limits
  // (router/usage_limits).
  bool enable_pre_call_checks = false;
  int max_fallbacks = 5;
  std::map<std::string, ModelGroupAlias> model_group_alias;
  // Retries per error class, over num_retries; a group's own policy replaces the router's.
  std::optional<ErrorClassCounts> retry_policy;
  std::map<std::string, ErrorClassCounts, std::less<>> model_group_retry_policy;
  // Failures per error class allowed before a cooldown, over allowed_fails.
  std::optional<ErrorClassCounts> allowed_fails_policy;
};

struct LitellmSettings {
  bool drop_params = false;
  bool set_verbose = false;
};

struct GeneralSettings {
  std::optional<std::string> master_key;
  std::size_t max_request_body_bytes = 32u << 20;  // general_settings.max_request_size_mb
  std::string database_url;  // PostgreSQL for keys/spend; empty = $DATABASE_URL, else SQLite
  bool reject_clientside_metadata_tags = false;  // request tags (body or x-litellm-tags) are a 400
};

// llmux's own knobs (top-level `llmux_settings:`); LiteLLM has no equivalent.
struct ServerSettings {
  std::size_t max_header_bytes = 16u << 10;
  std::size_t max_chunk_line_bytes = 4u << 10;  // a chunked request's size line, extensions included
  std::size_t max_trailer_bytes = 16u << 10;    // a chunked request's trailer section
  // Client connections open at once. Above bench/hold_streams.mjs's 9,950 streams; each open
  // stream also holds an upstream connection, so twice this must fit the descriptor limit.
  std::size_t max_connections = 16'384;
  double header_read_timeout_seconds = 10;
  double keepalive_idle_timeout_seconds = 60;
  double shutdown_grace_seconds = 30;
  std::string anthropic_version = "2023-06-01";
  std::string database_path = "llmux.db";  // the SQLite store when no database_url is set
  std::string prices_file;                 // a LiteLLM model_prices JSON over the built-in prices
  // What one request may ask of the gateway (hostile input). The first two have the same
  // defaults as api::ReadLimits.
  std::size_t max_json_object_keys = 10000;   // members of any one object of a request body
  std::size_t max_routing_list_items = 1000;  // entries of a request's tags / fallbacks lists
  int max_request_retries = 10;               // a request's num_retries, never held below the config's own
  double max_request_timeout_seconds = 6000;  // a request's timeout / stream_timeout, likewise
  std::string session_header = "x-session-id";  // the session id session_affinity reads
  std::map<std::string, ConfidenceRule> confidence_routing;  // keyed by model group
  // How long a stored /v1/responses turn is kept (OpenAI keeps responses 30 days); expired rows
  // are no longer served and are swept off the request path by the store thread.
  double response_retention_seconds = 30.0 * 86400;
};

struct Config {
  std::string source_path;
  std::vector<Deployment> deployments;
  RouterSettings router;
  LitellmSettings litellm;
  GeneralSettings general;
  ServerSettings server;
  std::vector<std::string> warnings;  // unknown keys, unset env vars, …: logged once at start
};

using ConfigPtr = std::shared_ptr<const Config>;

}  // namespace llmux::config
