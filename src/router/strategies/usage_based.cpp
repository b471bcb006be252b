// usage-based-routing (v1 and v2): the candidate that has used the fewest tokens this UTC minute,
// ties at random. The rpm/tpm limits themselves are applied before any strategy (usage_limits), and
// v2's "count the request first, refuse when that passes rpm" happens when the attempt starts
// (Router::rpm_exceeded_at_start).

#include <boost/container/small_vector.hpp>

#include "router/strategy.hpp"

namespace llmux::router {
namespace {

class UsageBased final : public Strategy {
 public:
  const config::Deployment* pick(std::span<const config::Deployment* const> candidates,
                                 PickContext& context) const override {
    boost::container::small_vector<double, 8> tokens;
    for (const auto* d : candidates) {
      tokens.push_back(static_cast<double>(context.stats.minute_usage(*d, context.now).tokens));
    }
    return candidates[random_minimum(tokens, context.rng)];
  }
};

}  // namespace

std::unique_ptr<Strategy> make_usage_based() { return std::make_unique<UsageBased>(); }

}  // namespace llmux::router
