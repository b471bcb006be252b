// cost-based-routing: the candidate with the lowest input + output price per token. The prices are
// computed once per snapshot by the gateway (the deployment's own prices, else the price table,
// else LiteLLM's 5.0 each, so an unpriced deployment looks expensive). Ties go to the first in
// config order, as LiteLLM's stable sort does.

#include "router/strategy.hpp"

namespace llmux::router {
namespace {

class CostBased final : public Strategy {
 public:
  CostBased(const config::Config& config, DeploymentCosts costs) : config_(config), costs_(std::move(costs)) {}

  const config::Deployment* pick(std::span<const config::Deployment* const> candidates,
                                 PickContext&) const override {
    const config::Deployment* cheapest = candidates.front();
    double lowest = cost_of(*cheapest);
    for (const auto* d : candidates.subspan(1)) {
      if (const double cost = cost_of(*d); cost < lowest) {
        cheapest = d;
        lowest = cost;
      }
    }
    return cheapest;
  }

 private:
  double cost_of(const config::Deployment& d) const {
    const auto& all = config_.deployments;
    if (!all.empty() && &d >= all.data() && &d < all.data() + all.size()) {
      const auto index = static_cast<std::size_t>(&d - all.data());
      if (index < costs_.size()) return costs_[index];
    }
    return kUnpriced;
  }

  static constexpr double kUnpriced = 10.0;  // LiteLLM's 5.0 input + 5.0 output
  const config::Config& config_;
  DeploymentCosts costs_;
};

}  // namespace

std::unique_ptr<Strategy> make_cost_based(const config::Config& config, DeploymentCosts costs) {
  return std::make_unique<CostBased>(config, std::move(costs));
}

}  // namespace llmux::router
