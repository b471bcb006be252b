#pragma once

// /team/new, /team/info, /team/update, /team/delete, /team/list, /team/block, /team/unblock
// (LiteLLM's team management). A blocked team's keys are refused at once (tenancy/key_checks).

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "api/routes.hpp"
#include "gateway/tenant_services.hpp"
#include "net/http_server.hpp"

namespace llmux::gateway::admin {

boost::asio::awaitable<void> run_team_route(TenantServices& tenants, api::Route route,
                                            const net::InboundRequest& request,
                                            const boost::json::object& body, net::ResponseWriter& writer);

}  // namespace llmux::gateway::admin
