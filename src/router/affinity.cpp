#include "router/affinity.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "router/selection.hpp"

namespace llmux::router {
namespace {

// FNV-1a over the caller, a separator, then the deployment id; splitmix64's finaliser spreads
// FNV's weak low bits over the whole word. Stable across processes and restarts (no seed), which
// is the point: every instance of the gateway sends a caller to the same deployment.
std::uint64_t pair_hash(std::string_view key, std::string_view deployment_id) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  const auto mix_in = [&h](std::string_view text) {
    for (unsigned char c : text) {
      h ^= c;
      h *= 0x100000001b3ULL;
    }
  };
  mix_in(key);
  h ^= 0xff;  // no byte of UTF-8 text: ("ab", "c") and ("a", "bc") hash apart
  h *= 0x100000001b3ULL;
  mix_in(deployment_id);
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
  h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
  return h ^ (h >> 31);
}

double positive_or_zero(std::optional<double> v) { return v && std::isfinite(*v) && *v > 0 ? *v : 0.0; }

std::optional<double> as_double(const std::optional<std::int64_t>& v) {
  return v ? std::optional<double>(static_cast<double>(*v)) : std::nullopt;
}

// simple-shuffle's weight rule (selection.hpp pick_weighted), per deployment.
enum class Metric { weight, rpm, tpm, equal };

double weight_of(const config::Deployment& d, Metric metric) {
  switch (metric) {
    case Metric::weight: return positive_or_zero(d.weight);
    case Metric::rpm: return positive_or_zero(as_double(d.rpm));
    case Metric::tpm: return positive_or_zero(as_double(d.tpm));
    case Metric::equal: return 1.0;
  }
  return 0.0;
}

Metric metric_of(std::span<const config::Deployment* const> candidates) {
  for (Metric metric : {Metric::weight, Metric::rpm, Metric::tpm}) {
    double total = 0;
    for (const auto* d : candidates) total += weight_of(*d, metric);
    if (total > 0 && std::isfinite(total)) return metric;
  }
  return Metric::equal;
}

const config::AffinityChecks& checks_for(const config::RouterSettings& settings, std::string_view group) {
  const auto found = settings.group_affinity.find(std::string(group));
  return found != settings.group_affinity.end() ? found->second : settings.affinity;
}

}  // namespace

std::string_view to_string(AffinitySource source) {
  switch (source) {
    case AffinitySource::session: return "session";
    case AffinitySource::user: return "user";
    case AffinitySource::key: return "key";
  }
  return "unknown";
}

std::optional<AppliedAffinity> affinity_for(const config::RouterSettings& settings, std::string_view group,
                                            const AffinityKeys& keys) {
  if (keys.empty()) return std::nullopt;
  const config::AffinityChecks& checks =
      settings.group_affinity.empty() ? settings.affinity : checks_for(settings, group);
  if (checks.session && !keys.session.empty()) return AppliedAffinity{keys.session, AffinitySource::session};
  if (checks.caller && !keys.user.empty()) return AppliedAffinity{keys.user, AffinitySource::user};
  if (checks.caller && !keys.key.empty()) return AppliedAffinity{keys.key, AffinitySource::key};
  return std::nullopt;
}

const config::Deployment* rendezvous_pick(std::span<const config::Deployment* const> candidates,
                                          std::string_view key) {
  const Metric metric = metric_of(candidates);
  const config::Deployment* best = nullptr;
  double best_score = std::numeric_limits<double>::infinity();
  for (const auto* d : candidates) {
    const double w = weight_of(*d, metric);
    if (w <= 0) continue;
    // u in (0, 1): the +0.5 keeps it off 0, where -ln(u) would be infinite.
    const double u = (static_cast<double>(pair_hash(key, d->id()) >> 11) + 0.5) * 0x1.0p-53;
    const double score = -std::log(u) / w;
    if (best == nullptr || score < best_score) {
      best = d;
      best_score = score;
    }
  }
  return best;
}

const config::Deployment* choose_sticky(std::span<const config::Deployment* const> healthy,
                                        std::span<const config::Deployment* const> failed_in_request,
                                        std::string_view key) {
  const auto tier = lowest_order_tier(healthy);
  Candidates fresh;
  for (const auto* d : tier) {
    if (std::find(failed_in_request.begin(), failed_in_request.end(), d) == failed_in_request.end()) {
      fresh.push_back(d);
    }
  }
  if (!fresh.empty()) return rendezvous_pick({fresh.data(), fresh.size()}, key);
  return rendezvous_pick({tier.data(), tier.size()}, key);
}

}  // namespace llmux::router
