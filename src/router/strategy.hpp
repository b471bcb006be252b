#pragma once

// A routing strategy: candidates in, one out. The plan applies the rules every strategy shares
// first (cooldowns, limits, the lowest `order` tier, "not yet failed in this request"), so a
// strategy only ranks what is left, and anything that picks before it (an affinity pick) can run
// in front of it with the same candidates. simple-shuffle has no Strategy object: its pick stays
// choose_deployment, reading no stats.

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "config/config.hpp"
#include "router/failure.hpp"
#include "router/live_stats.hpp"
#include "router/selection.hpp"

namespace llmux::router {

struct PickContext {
  const LiveStats& stats;
  TimePoint now;
  bool streaming = false;          // latency-based-routing ranks by time to first token then
  std::int64_t input_tokens = 0;   // the request's prompt tokens, or their estimate
  Rng& rng;
};

class Strategy {
 public:
  virtual ~Strategy() = default;
  // One of `candidates`, which is never empty.
  virtual const config::Deployment* pick(std::span<const config::Deployment* const> candidates,
                                         PickContext& context) const = 0;
};

// Input + output price per token of each deployment of a snapshot, in config order
// (cost-based-routing). The gateway computes it from the price table; the router knows no prices.
using DeploymentCosts = std::vector<double>;

std::unique_ptr<Strategy> make_least_busy();
std::unique_ptr<Strategy> make_usage_based();  // usage-based-routing and -v2 rank the same way
std::unique_ptr<Strategy> make_latency_based(const config::RoutingStrategyArgs& args);
// `config` must outlive the strategy; `costs` as above (a deployment without an entry: 10.0).
std::unique_ptr<Strategy> make_cost_based(const config::Config& config, DeploymentCosts costs);
std::unique_ptr<Strategy> make_adaptive();

// The strategy `config` names; nullptr for simple-shuffle.
std::unique_ptr<Strategy> make_strategy(const config::Config& config, DeploymentCosts costs);

// Ties broken at random: the index of one of the smallest `scores` (reservoir sampling over the
// minima, so no allocation).
std::size_t random_minimum(std::span<const double> scores, Rng& rng);

}  // namespace llmux::router
