#pragma once

// GET /v1/responses/{id}, DELETE /v1/responses/{id}, GET /v1/responses/{id}/input_items and
// POST /v1/responses/{id}/cancel (also without /v1). The response store says who made the
// response and where: a virtual key sees only its own (another key's id is a 404 exactly as an
// unknown one; the master key sees all). A passed-through response is read, deleted and
// cancelled at the deployment that made it (its answer relayed; a read falls back to the stored
// copy when that deployment cannot be reached); a bridged one is served from the store, and its
// cancel is OpenAI's 400 (a bridged response is never a background one).

#include <boost/asio/awaitable.hpp>

#include "api/routes.hpp"
#include "gateway/call_engine.hpp"

namespace llmux::gateway {

struct TenantCaller;

boost::asio::awaitable<void> run_response_route(const SharedState& shared, WorkerResources& worker,
                                                const api::RouteMatch& route, net::InboundRequest& request,
                                                net::ResponseWriter& writer, const TenantCaller* caller);

}  // namespace llmux::gateway
