#pragma once

// router_settings, litellm_settings, general_settings and llmux_settings → their structs.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "config/parse_context.hpp"

namespace llmux::config::detail {

// Keys that router_settings and litellm_settings may both set. LiteLLM's docs: "settings on
// router_settings will override those on litellm_settings".
struct SharedRouterKeys {
  std::optional<int> num_retries;
  std::optional<double> timeout_seconds;  // router: timeout; litellm: request_timeout
  std::optional<int> max_fallbacks;
  std::optional<int> allowed_fails;
  std::optional<std::vector<FallbackRule>> fallbacks;
  std::optional<std::vector<FallbackRule>> context_window_fallbacks;
  std::optional<std::vector<FallbackRule>> content_policy_fallbacks;
  std::optional<FallbackRule> default_fallbacks;  // group "*"
};

struct ParsedRouterSettings {
  RouterSettings settings;  // everything but the shared keys
  SharedRouterKeys shared;
  RequestPresets default_presets;  // default_litellm_params, merged into each deployment's presets
};

struct ParsedLitellmSettings {
  LitellmSettings settings;
  SharedRouterKeys shared;
};

// All accept an absent field (the section is missing) and return defaults.
ParsedRouterSettings parse_router_settings(ParseContext& ctx, const Field& section);
ParsedLitellmSettings parse_litellm_settings(ParseContext& ctx, const Field& section);
GeneralSettings parse_general_settings(ParseContext& ctx, const Field& section);
ServerSettings parse_llmux_settings(ParseContext& ctx, const Field& section);

// router_settings > litellm_settings > LiteLLM's defaults (num_retries 2, timeout 6000 s…);
// default_fallbacks are appended to fallbacks as group "*".
RouterSettings merge_router_settings(ParsedRouterSettings router, const SharedRouterKeys& litellm);

// Reading the shapes both sections share (fallback_rules.cpp).
std::vector<FallbackRule> read_fallback_rules(ParseContext& ctx, const Field& field);
FallbackRule read_default_fallbacks(ParseContext& ctx, const Field& field);
std::map<std::string, ModelGroupAlias> read_model_group_alias(ParseContext& ctx, const Field& field);

// retry_policy-shaped maps (error_policies.cpp): "<Class>Retries" or "<Class>AllowedFails" → a
// non-negative count; unknown keys warn, wrong types fail.
enum class PolicyKind { retries, allowed_fails };
std::optional<ErrorClassCounts> read_error_policy(ParseContext& ctx, const Field& field, PolicyKind kind);
std::map<std::string, ErrorClassCounts, std::less<>> read_model_group_retry_policy(ParseContext& ctx,
                                                                                 const Field& field);
// optional_pre_call_checks (a list) and model_group_affinity_config (group → list), in
// affinity_settings.cpp: the affinity checks they name; other checks are a warning each.
AffinityChecks read_affinity_checks(ParseContext& ctx, const Field& field);
std::map<std::string, AffinityChecks> read_group_affinity(ParseContext& ctx, const Field& field);

// llmux_settings.confidence_routing (confidence_rules.cpp), and its groups checked against the
// model list once the whole file is read (an unknown group is a start-up error).
std::map<std::string, ConfidenceRule> read_confidence_routing(ParseContext& ctx, const Field& field);
void check_confidence_routing(ParseContext& ctx, const Config& config);

// Warns for each fallback or alias target that names no model group (nor alias) in `config`.
void warn_unknown_targets(ParseContext& ctx, const Config& config);

}  // namespace llmux::config::detail
