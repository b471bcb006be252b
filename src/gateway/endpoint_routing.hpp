#pragma once

// Routing rules that depend on the endpoint rather than on the model: a group none of whose
// deployments can serve the endpoint is refused before any call (naming the endpoint and the
// deployments' family); the deployments that cannot serve it are passed over otherwise; and a
// moderation request without `model` gets the gateway's moderation model.

#include <optional>
#include <string>

#include "gateway/call_engine.hpp"

namespace llmux::gateway {

// Why no deployment of `group` can serve `endpoint` (the first one's family named), or nullopt.
std::optional<std::string> unservable_group(const SharedState& shared, std::string_view group, api::Endpoint endpoint);

// Narrows call.deployment_filter (tag routing's, when set) to deployments that serve the call's
// endpoint; fallback groups included. Chat is served by every family: nothing to narrow.
void restrict_to_capable(CallRequest& call);

// OpenAI's moderations API picks its own model when none is given; a gateway has to pick one of
// its groups: the first configured deployment that serves /moderations and whose model names a
// moderation model ("…moderation…", e.g. omni-moderation-latest). nullopt when there is none.
std::optional<std::string> default_moderation_model(const SharedState& shared);

}  // namespace llmux::gateway
