#pragma once

// router_settings.routing_strategy and routing_strategy_args, as LiteLLM names them, plus llmux's
// own `adaptive` (docs/routing.md).

#include <optional>
#include <string_view>

namespace llmux::config {

enum class RoutingStrategy {
  simple_shuffle,
  least_busy,
  usage_based,     // usage-based-routing
  usage_based_v2,  // usage-based-routing-v2
  latency_based,
  cost_based,
  adaptive,
};

constexpr std::string_view to_string(RoutingStrategy strategy) {
  switch (strategy) {
    case RoutingStrategy::simple_shuffle: return "simple-shuffle";
    case RoutingStrategy::least_busy: return "least-busy";
    case RoutingStrategy::usage_based: return "usage-based-routing";
    case RoutingStrategy::usage_based_v2: return "usage-based-routing-v2";
    case RoutingStrategy::latency_based: return "latency-based-routing";
    case RoutingStrategy::cost_based: return "cost-based-routing";
    case RoutingStrategy::adaptive: return "adaptive";
  }
  return "simple-shuffle";
}

constexpr std::optional<RoutingStrategy> routing_strategy_named(std::string_view name) {
  constexpr RoutingStrategy all[] = {RoutingStrategy::simple_shuffle, RoutingStrategy::least_busy,
                                     RoutingStrategy::usage_based,    RoutingStrategy::usage_based_v2,
                                     RoutingStrategy::latency_based,  RoutingStrategy::cost_based,
                                     RoutingStrategy::adaptive};
  for (RoutingStrategy s : all) {
    if (to_string(s) == name) return s;
  }
  return std::nullopt;
}

// LiteLLM's latency-based-routing arguments (its defaults). usage-based-routing-v2's own `ttl`
// (60 s) is the one-minute window itself, so it has nothing to set here.
struct RoutingStrategyArgs {
  double ttl_seconds = 3600;         // latency samples older than this are forgotten
  double lowest_latency_buffer = 0;  // pick at random among those within (1 + buffer) × the lowest
  int max_latency_list_size = 10;    // samples kept per deployment
};

}  // namespace llmux::config
