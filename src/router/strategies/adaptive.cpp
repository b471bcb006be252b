// adaptive (llmux's own; docs/routing.md): power of two choices on
//   score = max(latency, 1 ms) × (1 + in_flight) × (1 + 9 × error_rate)
// where latency and error_rate are moving averages (LocalLiveStats::kEwmaWeight) and a deployment
// never measured takes the lowest latency among the candidates, so it is tried at once. The
// upstream's own rate-limit hints are applied before this, with the limits (usage_limits).
// A deployment that lost its traffic is probed again: with probability kProbeShare a pick goes to a
// candidate that has had no attempt for kProbeAfter, so a recovered deployment is noticed.

#include <algorithm>

#include <boost/container/small_vector.hpp>

#include "router/strategy.hpp"

namespace llmux::router {
namespace {

constexpr double kLatencyFloorSeconds = 0.001;  // in-flight load still counts between two fast ones
constexpr double kErrorWeight = 9.0;            // all errors: ten times the score of a clean one
constexpr double kProbeShare = 0.05;
constexpr auto kProbeAfter = std::chrono::seconds(10);

class Adaptive final : public Strategy {
 public:
  const config::Deployment* pick(std::span<const config::Deployment* const> candidates,
                                 PickContext& context) const override {
    if (candidates.size() == 1) return candidates.front();
    boost::container::small_vector<AdaptiveSignals, 8> signals;
    std::optional<double> lowest_seen;
    for (const auto* d : candidates) {
      signals.push_back(context.stats.adaptive_signals(*d));
      if (const auto& l = signals.back().latency_seconds; l && (!lowest_seen || *l < *lowest_seen)) lowest_seen = l;
    }
    if (const auto* probe = probe_pick(candidates, signals, context)) return probe;

    const auto score = [&](std::size_t i) {
      const double latency = std::max(kLatencyFloorSeconds, signals[i].latency_seconds.value_or(lowest_seen.value_or(0)));
      return latency * (1.0 + context.stats.in_flight(*candidates[i])) * (1.0 + kErrorWeight * signals[i].error_rate);
    };
    // Two distinct candidates at random; the lower score wins (a tie: the first drawn).
    const std::size_t n = candidates.size();
    const std::size_t a = std::min(n - 1, static_cast<std::size_t>(context.rng.unit() * static_cast<double>(n)));
    std::size_t b = std::min(n - 2, static_cast<std::size_t>(context.rng.unit() * static_cast<double>(n - 1)));
    if (b >= a) ++b;
    return score(b) < score(a) ? candidates[b] : candidates[a];
  }

 private:
  static const config::Deployment* probe_pick(std::span<const config::Deployment* const> candidates,
                                              std::span<const AdaptiveSignals> signals, PickContext& context) {
    if (context.rng.unit() >= kProbeShare) return nullptr;
    const config::Deployment* chosen = nullptr;
    std::size_t stale = 0;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      const auto& last = signals[i].last_started;
      if (!last || context.now - *last < kProbeAfter) continue;
      ++stale;
      if (context.rng.unit() * static_cast<double>(stale) < 1.0) chosen = candidates[i];
    }
    return chosen;
  }
};

}  // namespace

std::unique_ptr<Strategy> make_adaptive() { return std::make_unique<Adaptive>(); }

}  // namespace llmux::router
