#pragma once

// Tenancy on the request path (DESIGN phases 1 and 3): who the virtual key belongs to, then what
// this call may do — the key's model aliases, model access, rate limits and budget — with no
// database round trip (everything comes from the in-memory Directory). The admission it returns
// holds the call's rate-limit slot and budget reservation until settle_call() at the end.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "gateway/tenant_services.hpp"
#include "net/http_server.hpp"
#include "providers/provider.hpp"
#include "router/router.hpp"
#include "tenancy/access.hpp"
#include "tenancy/denial.hpp"
#include "tenancy/records.hpp"

namespace llmux::gateway {

// A virtual key and what it belongs to (team, user), as the Directory had them at auth time.
struct TenantCaller {
  std::shared_ptr<const tenancy::KeyRecord> key;
  std::shared_ptr<const tenancy::TeamRecord> team;
  std::shared_ptr<const tenancy::UserRecord> user;
};

// Finds a presented `sk-` key in the directory and checks its state (blocked, expired, team blocked).
std::variant<TenantCaller, tenancy::Denial> identify_key(TenantServices& tenants, std::string_view raw_key,
                                                         tenancy::Timestamp now);

struct TenantAdmission {
  std::string model;  // what routing should use, after the key's (and team's) aliases
  tenancy::RateLimitAdmission limits;
  tenancy::BudgetReservation budget;
  net::HeaderList headers;  // x-ratelimit-* for keys with limits: sent on every answer
};

// The likely cost (USD) of the call once the key's aliases have named the model to route to.
using CostEstimator = std::function<double(std::string_view routed_model)>;

// Aliases, model access, rate limits, budget, in LiteLLM's order. The budget reserves
// `estimate(model after aliases)` (none given: 0, LiteLLM's check) until settle_call. A Denial's
// headers (Retry-After, x-ratelimit-*) are returned through `denial_headers`.
std::variant<TenantAdmission, tenancy::Denial> admit_call(TenantServices& tenants, const TenantCaller& caller,
                                                          std::string_view requested_model,
                                                          tenancy::Timestamp now,
                                                          net::HeaderList& denial_headers,
                                                          const CostEstimator& estimate = {},
                                                          const tenancy::AccessLookups& access = {});

// Model access as the router knows it: the access groups (model_info.access_groups) of a model.
// The lookups hold `router` by reference.
tenancy::AccessLookups access_lookups(const router::Router& router);

// GET /v1/models for a virtual key: the names it may call that lead to a model group — the proxy's
// listed models (groups and visible model_group_alias entries) its model access admits, then its
// own and its team's `aliases` whose target it may use. LiteLLM filters /v1/models by the key's
// and team's `models` the same way; listing a key's private aliases as well tells a client every
// name that works for it. Each name once, in that order.
std::vector<std::string> models_for_key(const TenantCaller& caller, const router::Router& router);

// Whether `name` is one models_for_key lists (GET /v1/models/{name}).
bool key_may_use_model(const TenantCaller& caller, const router::Router& router, std::string_view name);

using DeploymentFilter = std::function<bool(const config::Deployment&)>;

// Tag routing (tenancy/tag_routing.hpp): which deployments the request's tags (key ∪ team ∪ the
// request's, gateway/request_tags.hpp) admit, under router_settings.tag_filtering_match_any, decided per model group as LiteLLM decides it per group
// it routes to — the requested group now, each fallback group when the plan first looks at it.
// An empty filter when no deployment of any group is tagged; a Denial when the tags rule out every
// deployment of the requested group (a fallback group they rule out is simply skipped).
// `caller` is null for the master key (or no auth): the request's own tags only.
std::variant<DeploymentFilter, tenancy::Denial> tag_filter(const TenantCaller* caller,
                                                           const router::Router& router,
                                                           const std::string& group, std::string_view model,
                                                           const std::vector<std::string>& request_tags = {});

// The call is over: frees or charges its rate-limit slot, settles its budget, adds the cost to the
// directory's cached spend. Runs once per admitted call, success or failure.
void settle_call(TenantServices& tenants, const TenantCaller& caller, TenantAdmission& admission,
                 const providers::Usage& usage, double cost, bool success, tenancy::Timestamp now);

}  // namespace llmux::gateway
