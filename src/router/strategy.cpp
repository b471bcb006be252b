#include "router/strategy.hpp"

namespace llmux::router {

std::unique_ptr<Strategy> make_strategy(const config::Config& config, DeploymentCosts costs) {
  using config::RoutingStrategy;
  switch (config.router.routing_strategy) {
    case RoutingStrategy::simple_shuffle: return nullptr;
    case RoutingStrategy::least_busy: return make_least_busy();
    case RoutingStrategy::usage_based:
    case RoutingStrategy::usage_based_v2: return make_usage_based();
    case RoutingStrategy::latency_based: return make_latency_based(config.router.routing_strategy_args);
    case RoutingStrategy::cost_based: return make_cost_based(config, std::move(costs));
    case RoutingStrategy::adaptive: return make_adaptive();
  }
  return nullptr;
}

std::size_t random_minimum(std::span<const double> scores, Rng& rng) {
  std::size_t chosen = 0;
  std::size_t ties = 0;
  for (std::size_t i = 0; i < scores.size(); ++i) {
    if (i == 0 || scores[i] < scores[chosen]) {
      chosen = i;
      ties = 1;
    } else if (scores[i] == scores[chosen]) {
      ++ties;
      if (rng.unit() * static_cast<double>(ties) < 1.0) chosen = i;  // keeps each tie with p = 1/ties
    }
  }
  return chosen;
}

}  // namespace llmux::router
