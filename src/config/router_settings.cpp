#include <algorithm>
#include <iterator>

#include "config/scalar_values.hpp"
#include "config/settings_parser.hpp"

namespace llmux::config::detail {
namespace {

// LiteLLM's other strategies. Configs naming them keep loading, with simple-shuffle.
constexpr std::string_view other_strategies[] = {
    "least-busy",         "usage-based-routing",    "usage-based-routing-v2", "latency-based-routing",
    "cost-based-routing", "provider-budget-routing"};

std::string read_routing_strategy(ParseContext& ctx, const Field& field) {
  const std::string strategy = read_text(ctx, field).value_or("simple-shuffle");
  if (strategy == "simple-shuffle") return strategy;
  if (std::find(std::begin(other_strategies), std::end(other_strategies), strategy) !=
      std::end(other_strategies)) {
    ctx.warn(field, field.path + " " + strategy + " is not implemented yet, using simple-shuffle");
    return "simple-shuffle";
  }
  std::string known = "simple-shuffle";
  for (std::string_view name : other_strategies) known += ", " + std::string(name);
  ctx.fail(field, field.path + " must be one of " + known + ", got \"" + strategy + "\"");
}

// The keys both sections understand; false when `field` is none of them.
bool read_shared_key(ParseContext& ctx, const Field& field, std::string_view timeout_key,
                     SharedRouterKeys& shared) {
  const std::string& key = field.key.Scalar();
  if (key == "num_retries") {
    shared.num_retries = non_negative(ctx, field, read_int(ctx, field));
  } else if (key == timeout_key) {
    shared.timeout_seconds = non_negative(ctx, field, read_number(ctx, field));
  } else if (key == "max_fallbacks") {
    shared.max_fallbacks = non_negative(ctx, field, read_int(ctx, field));
  } else if (key == "allowed_fails") {
    shared.allowed_fails = non_negative(ctx, field, read_int(ctx, field));
  } else if (key == "fallbacks") {
    if (!is_absent(field.value)) shared.fallbacks = read_fallback_rules(ctx, field);
  } else if (key == "context_window_fallbacks") {
    if (!is_absent(field.value)) shared.context_window_fallbacks = read_fallback_rules(ctx, field);
  } else if (key == "content_policy_fallbacks") {
    if (!is_absent(field.value)) shared.content_policy_fallbacks = read_fallback_rules(ctx, field);
  } else if (key == "default_fallbacks") {
    if (!is_absent(field.value)) shared.default_fallbacks = read_default_fallbacks(ctx, field);
  } else {
    return false;
  }
  return true;
}

}  // namespace

ParsedRouterSettings parse_router_settings(ParseContext& ctx, const Field& section) {
  ParsedRouterSettings parsed;
  if (is_absent(section.value)) return parsed;
  RouterSettings& out = parsed.settings;
  for (const Field& field : fields_of(ctx, section)) {
    const std::string& key = field.key.Scalar();
    if (read_shared_key(ctx, field, "timeout", parsed.shared)) continue;
    if (key == "routing_strategy") {
      out.routing_strategy = read_routing_strategy(ctx, field);
    } else if (key == "retry_after") {
      assign_if(non_negative(ctx, field, read_number(ctx, field)), out.retry_after_seconds);
    } else if (key == "stream_timeout") {
      out.stream_timeout_seconds = non_negative(ctx, field, read_number(ctx, field));
    } else if (key == "cooldown_time") {
      assign_if(non_negative(ctx, field, read_number(ctx, field)), out.cooldown_time_seconds);
    } else if (key == "disable_cooldowns") {
      assign_if(read_bool(ctx, field), out.disable_cooldowns);
    } else if (key == "enable_tag_filtering") {
      assign_if(read_bool(ctx, field), out.enable_tag_filtering);
    } else if (key == "tag_filtering_match_any") {
      assign_if(read_bool(ctx, field), out.tag_filtering_match_any);
    } else if (key == "optional_pre_call_checks") {
      out.affinity = read_affinity_checks(ctx, field);
    } else if (key == "model_group_affinity_config") {
      out.group_affinity = read_group_affinity(ctx, field);
    } else if (key == "model_group_alias") {
      out.model_group_alias = read_model_group_alias(ctx, field);
    } else {
      ctx.warn_unrecognised(field, Section::router_settings);
    }
  }
  return parsed;
}

ParsedLitellmSettings parse_litellm_settings(ParseContext& ctx, const Field& section) {
  ParsedLitellmSettings parsed;
  if (is_absent(section.value)) return parsed;
  for (const Field& field : fields_of(ctx, section)) {
    const std::string& key = field.key.Scalar();
    if (read_shared_key(ctx, field, "request_timeout", parsed.shared)) continue;
    if (key == "drop_params") {
      assign_if(read_bool(ctx, field), parsed.settings.drop_params);
    } else if (key == "set_verbose") {
      assign_if(read_bool(ctx, field), parsed.settings.set_verbose);
    } else {
      ctx.warn_unrecognised(field, Section::litellm_settings);
    }
  }
  return parsed;
}

RouterSettings merge_router_settings(ParsedRouterSettings router, const SharedRouterKeys& litellm) {
  const SharedRouterKeys& own = router.shared;
  RouterSettings out = std::move(router.settings);
  const auto pick = [](const auto& first, const auto& second) { return first ? first : second; };
  assign_if(pick(own.num_retries, litellm.num_retries), out.num_retries);
  assign_if(pick(own.timeout_seconds, litellm.timeout_seconds), out.timeout_seconds);
  assign_if(pick(own.max_fallbacks, litellm.max_fallbacks), out.max_fallbacks);
  assign_if(pick(own.allowed_fails, litellm.allowed_fails), out.allowed_fails);
  assign_if(pick(own.fallbacks, litellm.fallbacks), out.fallbacks);
  assign_if(pick(own.context_window_fallbacks, litellm.context_window_fallbacks),
            out.context_window_fallbacks);
  assign_if(pick(own.content_policy_fallbacks, litellm.content_policy_fallbacks),
            out.content_policy_fallbacks);
  if (const auto defaults = pick(own.default_fallbacks, litellm.default_fallbacks)) {
    out.fallbacks.push_back(*defaults);
  }
  return out;
}

}  // namespace llmux::config::detail
