#include "router/selection.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

namespace llmux::router {
namespace {

using Metric = std::optional<double> (*)(const config::Deployment&);

std::optional<double> by_weight(const config::Deployment& d) { return d.weight; }
std::optional<double> by_rpm(const config::Deployment& d) {
  return d.rpm ? std::optional<double>(static_cast<double>(*d.rpm)) : std::nullopt;
}
std::optional<double> by_tpm(const config::Deployment& d) {
  return d.tpm ? std::optional<double>(static_cast<double>(*d.tpm)) : std::nullopt;
}

double positive_or_zero(std::optional<double> v) { return v && std::isfinite(*v) && *v > 0 ? *v : 0.0; }

// The lowest `order` any candidate sets, or nullopt when none sets one (then every candidate is in
// the tier).
std::optional<int> lowest_order(std::span<const config::Deployment* const> candidates) {
  std::optional<int> lowest;
  for (const auto* d : candidates) {
    if (d->order && (!lowest || *d->order < *lowest)) lowest = d->order;
  }
  return lowest;
}

bool in_tier(const config::Deployment& d, const std::optional<int>& lowest) {
  return !lowest || d.order == lowest;
}

}  // namespace

std::uint64_t Rng::next() {
  std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

double Rng::unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

std::vector<const config::Deployment*> lowest_order_tier(
    std::span<const config::Deployment* const> candidates) {
  const auto lowest = lowest_order(candidates);
  std::vector<const config::Deployment*> tier;
  for (const auto* d : candidates) {
    if (in_tier(*d, lowest)) tier.push_back(d);
  }
  return tier;
}

const config::Deployment* pick_weighted(std::span<const config::Deployment* const> candidates, Rng& rng) {
  if (candidates.empty()) return nullptr;
  // Diverges from LiteLLM's older rule, where only the FIRST candidate decided the mode: any candidate
  // with a weight makes the group weighted, so the pick does not depend on config order or on which
  // deployment happens to be cooling down (the newest simple_shuffle.py works the same way).
  constexpr Metric kMetrics[] = {by_weight, by_rpm, by_tpm};
  for (Metric metric : kMetrics) {
    double total = 0;
    for (const auto* d : candidates) total += positive_or_zero(metric(*d));
    if (total <= 0 || !std::isfinite(total)) continue;
    double point = rng.unit() * total;
    const config::Deployment* last_positive = nullptr;
    for (const auto* d : candidates) {
      const double w = positive_or_zero(metric(*d));
      if (w <= 0) continue;
      last_positive = d;
      if (point < w) return d;
      point -= w;
    }
    return last_positive;  // rounding left `point` a hair past the end
  }
  return candidates[static_cast<std::size_t>(rng.unit() * static_cast<double>(candidates.size()))];
}

Candidates eligible_candidates(std::span<const config::Deployment* const> healthy,
                               std::span<const config::Deployment* const> failed_in_request) {
  const auto lowest = lowest_order(healthy);
  Candidates tier, fresh;
  for (const auto* d : healthy) {
    if (!in_tier(*d, lowest)) continue;
    tier.push_back(d);
    if (std::find(failed_in_request.begin(), failed_in_request.end(), d) == failed_in_request.end()) {
      fresh.push_back(d);
    }
  }
  return fresh.empty() ? tier : fresh;
}

const config::Deployment* choose_deployment(std::span<const config::Deployment* const> healthy,
                                            std::span<const config::Deployment* const> failed_in_request,
                                            Rng& rng) {
  const Candidates eligible = eligible_candidates(healthy, failed_in_request);
  return pick_weighted({eligible.data(), eligible.size()}, rng);
}

}  // namespace llmux::router
