#pragma once

// OpenAI's Responses API in front of every deployment: POST /v1/responses (and /responses),
// whole and streamed, routed by model name with the same retries, fallbacks, tenancy and
// accounting as chat. The request is translated once into a chat completions request (the
// router, accounting and bridged deployments use it); a deployment that speaks the Responses API
// natively receives the client's own body.

#include <boost/asio/awaitable.hpp>

#include "gateway/call_engine.hpp"

namespace llmux::gateway {

struct TenantCaller;

// `caller`: the virtual key, when one was presented (null for the master key or auth off).
boost::asio::awaitable<void> run_responses(const SharedState& shared, WorkerResources& worker,
                                           net::InboundRequest& request, net::ResponseWriter& writer,
                                           const TenantCaller* caller = nullptr);

}  // namespace llmux::gateway
