#pragma once

// Sticky picks: the same caller lands on the same deployment of a group for as long as the group's
// set of deployments is unchanged, so an A/B split holds still per caller and a session keeps
// hitting the upstream that holds its prompt cache. LiteLLM's deployment_affinity /
// session_affinity keep a pin per caller in a cache; llmux computes it instead, by weighted
// rendezvous hashing: every deployment scores -ln(u) / w, u a hash of (caller, deployment id) in
// (0, 1) and w its split weight, and the lowest score wins. A caller's share follows the weights,
// and adding or removing one deployment moves only the callers that it wins or won.

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "config/config.hpp"

namespace llmux::router {

// Which identity made a pick sticky (x-llmux-affinity).
enum class AffinitySource { session, user, key };
std::string_view to_string(AffinitySource source);

// The identities a request carries; the plan uses the ones each group's config enables. All empty
// (and never allocated) when no group has an affinity check.
struct AffinityKeys {
  std::string session;  // the session header's value (llmux_settings.session_header)
  std::string user;     // the body's `user`
  std::string key;      // the virtual key's hash
  bool empty() const { return session.empty() && user.empty() && key.empty(); }
};

struct AppliedAffinity {
  std::string_view key;
  AffinitySource source;
};

// The identity that applies to `group`: model_group_affinity_config's entry for the group, else
// optional_pre_call_checks; session (session_affinity) before user, then key (deployment_affinity).
std::optional<AppliedAffinity> affinity_for(const config::RouterSettings& settings, std::string_view group,
                                            const AffinityKeys& keys);

// The candidate with the lowest weighted rendezvous score for `key`. Weights as simple-shuffle
// takes them (`weight`, else `rpm`, else `tpm`, the first any candidate sets; none: equal), so
// a deployment with no weight in a weighted group is never picked. nullptr when empty.
const config::Deployment* rendezvous_pick(std::span<const config::Deployment* const> candidates,
                                          std::string_view key);

// The sticky rule for one attempt, in place of choose_deployment's random pick: the lowest order
// tier, then the deployments not failed in this request (when any), then rendezvous_pick — so a
// failed or cooling deployment hands its callers to their next deployment by hash order.
const config::Deployment* choose_sticky(std::span<const config::Deployment* const> healthy,
                                        std::span<const config::Deployment* const> failed_in_request,
                                        std::string_view key);

}  // namespace llmux::router
