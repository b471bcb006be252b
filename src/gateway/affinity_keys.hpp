#pragma once

// Who is calling, as sticky picks see it (router/affinity.hpp): the session header, the body's
// `user`, the virtual key. Read only when some group has an affinity check, so a config without
// one pays nothing per request.

#include "api/request_view.hpp"
#include "config/config.hpp"
#include "net/http_request.hpp"
#include "router/affinity.hpp"

namespace llmux::gateway {

struct TenantCaller;

router::AffinityKeys affinity_keys(const config::Config& config, const net::InboundRequest& request,
                                   const api::RequestView& view, const TenantCaller* caller);

}  // namespace llmux::gateway
