#pragma once

// /user/new, /user/info, /user/update, /user/delete (LiteLLM's internal users, who own keys).
// As LiteLLM's, /user/new also makes a key for the new user (unless auto_create_key is false) and
// answers its raw value once, as `key`, beside the user's fields.

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "api/routes.hpp"
#include "gateway/tenant_services.hpp"
#include "net/http_server.hpp"

namespace llmux::gateway::admin {

boost::asio::awaitable<void> run_user_route(TenantServices& tenants, api::Route route,
                                            const net::InboundRequest& request,
                                            const boost::json::object& body, net::ResponseWriter& writer);

}  // namespace llmux::gateway::admin
