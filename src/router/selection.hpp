#pragma once

// simple-shuffle: which deployment of a group serves the next attempt.
// Pure: the caller filters out cooling-down deployments and passes the request's own PRNG.

#include <cstdint>
#include <span>
#include <vector>

#include <boost/container/small_vector.hpp>

#include "config/config.hpp"

namespace llmux::router {

// splitmix64: small, fast, and seeded per request, so a pick is reproducible from the seed
// and no global RNG is shared (or locked) between worker threads.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  double unit();  // uniform in [0, 1)

 private:
  std::uint64_t state_;
};

// LiteLLM's `order` filter: when any candidate has an `order`, only those with the lowest order stay
// (candidates without one are dropped); otherwise all stay. Lower order = higher priority.
std::vector<const config::Deployment*> lowest_order_tier(
    std::span<const config::Deployment* const> candidates);

// Weighted random pick, LiteLLM's simple_shuffle (newest): weights from `weight`, else `rpm`, else
// `tpm` — the first of these that any candidate sets to a positive value, missing ones counting 0 —
// else uniform. nullptr when `candidates` is empty.
const config::Deployment* pick_weighted(std::span<const config::Deployment* const> candidates, Rng& rng);

// Candidates of one pick: inline storage for the usual group of a few deployments, so choosing
// one allocates nothing per request.
using Candidates = boost::container::small_vector<const config::Deployment*, 8>;

// The rule in front of every strategy: the lowest order tier, then, within it, the deployments
// that have not failed in this request when there are any (else the whole tier).
Candidates eligible_candidates(std::span<const config::Deployment* const> healthy,
                               std::span<const config::Deployment* const> failed_in_request);

// simple-shuffle's whole rule for one attempt: eligible_candidates, then pick_weighted.
const config::Deployment* choose_deployment(std::span<const config::Deployment* const> healthy,
                                            std::span<const config::Deployment* const> failed_in_request,
                                            Rng& rng);

}  // namespace llmux::router
