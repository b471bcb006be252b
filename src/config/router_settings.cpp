#include <algorithm>
#include <iterator>

#include "config/request_presets.hpp"
#include "config/scalar_values.hpp"
#include "config/settings_parser.hpp"

namespace llmux::config::detail {
namespace {

std::string strategy_names() {
  std::string known;
  for (auto s : {RoutingStrategy::simple_shuffle, RoutingStrategy::least_busy, RoutingStrategy::usage_based,
                 RoutingStrategy::usage_based_v2, RoutingStrategy::latency_based, RoutingStrategy::cost_based,
                 RoutingStrategy::adaptive}) {
    if (!known.empty()) known += ", ";
    known += to_string(s);
  }
  return known;
}

RoutingStrategy read_routing_strategy(ParseContext& ctx, const Field& field) {
  const std::string name = read_text(ctx, field).value_or("simple-shuffle");
  if (auto strategy = routing_strategy_named(name)) return *strategy;
  if (name == "provider-budget-routing") {
    // Refused rather than shuffled: a config that asks for spend caps per provider must not run
    // without them.
    ctx.fail(field, field.path + " provider-budget-routing is not supported by llmux (it needs "
                                 "provider_budget_config spend tracking per provider); use one of " +
                        strategy_names());
  }
  ctx.fail(field, field.path + " must be one of " + strategy_names() + ", got \"" + name + "\"");
}

// LiteLLM passes routing_strategy_args to the strategy's constructor; the latency strategy reads
// these three. Others (usage v2's `ttl`) are accepted without effect, with a warning.
RoutingStrategyArgs read_routing_strategy_args(ParseContext& ctx, const Field& section) {
  RoutingStrategyArgs args;
  if (is_absent(section.value)) return args;
  for (const Field& field : fields_of(ctx, section)) {
    const std::string& key = field.key.Scalar();
    if (key == "ttl") {
      assign_if(non_negative(ctx, field, read_number(ctx, field)), args.ttl_seconds);
    } else if (key == "lowest_latency_buffer") {
      assign_if(non_negative(ctx, field, read_number(ctx, field)), args.lowest_latency_buffer);
    } else if (key == "max_latency_list_size") {
      const auto size = read_int(ctx, field);
      if (size && (*size < 1 || *size > 1000)) ctx.fail(field, field.path + " must be between 1 and 1000");
      assign_if(size, args.max_latency_list_size);
    } else {
      ctx.warn(field, field.path + " is not a routing_strategy_args key llmux knows (ttl, "
                                   "lowest_latency_buffer, max_latency_list_size); ignored");
    }
  }
  return args;
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

// Reference §1.4: merged into every call, filling only what the request and the deployment leave
// unset. The gateway's own controls (timeout, num_retries, metadata…) are not presets: reported.
RequestPresets read_default_litellm_params(ParseContext& ctx, const Field& field) {
  if (is_absent(field.value)) return {};
  PresetReader reader(/*defaults=*/true);
  for (const Field& param : fields_of(ctx, field)) {
    if (!reader.read(ctx, param)) {
      ctx.warn(param, param.path +
                          " is a LiteLLM request control, not a provider parameter; in default_litellm_params it "
                          "is accepted and not acted on");
    }
  }
  return reader.finish(ctx, ProviderFamily::openai_compatible, /*has_api_key=*/false, field.path);
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
    } else if (key == "routing_strategy_args") {
      out.routing_strategy_args = read_routing_strategy_args(ctx, field);
    } else if (key == "retry_after") {
      assign_if(non_negative(ctx, field, read_number(ctx, field)), out.retry_after_seconds);
    } else if (key == "stream_timeout") {
      out.stream_timeout_seconds = non_negative(ctx, field, read_number(ctx, field));
    } else if (key == "cooldown_time") {
      assign_if(non_negative(ctx, field, read_number(ctx, field)), out.cooldown_time_seconds);
    } else if (key == "disable_cooldowns") {
      assign_if(read_bool(ctx, field), out.disable_cooldowns);
    } else if (key == "enable_pre_call_checks") {
      assign_if(read_bool(ctx, field), out.enable_pre_call_checks);
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
    } else if (key == "default_litellm_params") {
      parsed.default_presets = read_default_litellm_params(ctx, field);
    } else if (key == "retry_policy") {
      out.retry_policy = read_error_policy(ctx, field, PolicyKind::retries);
    } else if (key == "model_group_retry_policy") {
      out.model_group_retry_policy = read_model_group_retry_policy(ctx, field);
    } else if (key == "allowed_fails_policy") {
      out.allowed_fails_policy = read_error_policy(ctx, field, PolicyKind::allowed_fails);
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
