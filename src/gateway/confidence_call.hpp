#pragma once

// Confidence-based escalation (llmux_settings.confidence_routing; docs/confidence-routing.md):
// a chat completion to a group with a rule is answered by that group with token log-probabilities
// asked for; when the answer scores below the rule's threshold, the rule's frontier group is asked
// the same request (a full routed call of its own: plan, retries, fallbacks, accounting) and its
// answer is the client's. Both calls are priced, charged and logged; a failed escalation returns
// the first answer. Streams are not scored (x-llmux-confidence: not-scored(stream)).

#include <boost/asio/awaitable.hpp>

#include "gateway/call_engine.hpp"

namespace llmux::gateway {

struct TenantCaller;

// The rule the call's group has, for the endpoints that are scored (chat completions); else null.
const config::ConfidenceRule* confidence_rule_for(const SharedState& shared, const CallRequest& call);

// In place of execute_call for a call confidence_rule_for gave `rule` for. `call` is ready for the
// engine (accounting attached); `request` and `caller` serve the escalation's own admission.
boost::asio::awaitable<void> execute_confidence_call(const SharedState& shared, WorkerResources& worker,
                                                     const config::ConfidenceRule& rule,
                                                     const net::InboundRequest& request, const TenantCaller* caller,
                                                     CallRequest& call, net::ResponseWriter& writer);

}  // namespace llmux::gateway
