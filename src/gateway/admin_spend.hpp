#pragma once

// GET /spend/logs: LiteLLM_SpendLogs rows, newest first, filtered by api_key (raw or hash),
// team_id, user_id, model, start_date and end_date (YYYY-MM-DD, end inclusive).

#include <boost/asio/awaitable.hpp>

#include "gateway/tenant_services.hpp"
#include "net/http_server.hpp"

namespace llmux::gateway::admin {

boost::asio::awaitable<void> run_spend_logs(TenantServices& tenants, const net::InboundRequest& request,
                                            net::ResponseWriter& writer);

// GET /global/spend/report?group_by=team|api_key|model&start_date=&end_date= (also api_key=,
// internal_user_id=, team_id=): LiteLLM's report shapes (admin_spend_report.hpp); without dates,
// over everything logged.
boost::asio::awaitable<void> run_spend_report(TenantServices& tenants, const net::InboundRequest& request,
                                              net::ResponseWriter& writer);

}  // namespace llmux::gateway::admin
