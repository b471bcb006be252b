// latency-based-routing (LiteLLM's lowest_latency): each candidate's mean of its recent samples
// (seconds per completion token, younger than `ttl`), or of its time-to-first-token samples when
// the request streams and it has some. A deployment with no samples counts as 0, so it gets tried.
// The pick is uniform among those within (1 + lowest_latency_buffer) × the lowest.

#include <boost/container/small_vector.hpp>

#include "router/strategy.hpp"

namespace llmux::router {
namespace {

class LatencyBased final : public Strategy {
 public:
  explicit LatencyBased(double buffer) : buffer_(buffer) {}

  const config::Deployment* pick(std::span<const config::Deployment* const> candidates,
                                 PickContext& context) const override {
    boost::container::small_vector<double, 8> latency;
    double lowest = 0;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      std::optional<double> mean;
      if (context.streaming) mean = context.stats.average_latency(*candidates[i], true, context.now);
      if (!mean) mean = context.stats.average_latency(*candidates[i], false, context.now);
      latency.push_back(mean.value_or(0.0));
      if (i == 0 || latency[i] < lowest) lowest = latency[i];
    }
    const double ceiling = lowest * (1.0 + buffer_);
    std::size_t within = 0;
    const config::Deployment* chosen = candidates.front();
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      if (latency[i] > ceiling) continue;
      ++within;
      if (context.rng.unit() * static_cast<double>(within) < 1.0) chosen = candidates[i];
    }
    return chosen;
  }

 private:
  double buffer_;
};

}  // namespace

std::unique_ptr<Strategy> make_latency_based(const config::RoutingStrategyArgs& args) {
  return std::make_unique<LatencyBased>(args.lowest_latency_buffer);
}

}  // namespace llmux::router
