// least-busy: the candidate with the fewest requests in flight. LiteLLM takes the first minimum in
// its dict's order; ties here are broken at random, so equal deployments share a burst evenly
// instead of the first in config order taking every tie.

#include <boost/container/small_vector.hpp>

#include "router/strategy.hpp"

namespace llmux::router {
namespace {

class LeastBusy final : public Strategy {
 public:
  const config::Deployment* pick(std::span<const config::Deployment* const> candidates,
                                 PickContext& context) const override {
    boost::container::small_vector<double, 8> in_flight;
    for (const auto* d : candidates) in_flight.push_back(context.stats.in_flight(*d));
    return candidates[random_minimum(in_flight, context.rng)];
  }
};

}  // namespace

std::unique_ptr<Strategy> make_least_busy() { return std::make_unique<LeastBusy>(); }

}  // namespace llmux::router
