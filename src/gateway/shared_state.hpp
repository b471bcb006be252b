#pragma once

// What every worker shares: the config snapshot and the router built from it (its live health
// state is lock-free). Per-worker state (upstream pools, providers) lives in Pipeline.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "router/router.hpp"

namespace llmux::pricing {
class PriceBook;
}

namespace llmux::gateway {

struct TenantServices;

// GET /v1/models bodies: one model object, and the list of them (LiteLLM's shape).
std::string model_json(std::string_view name);
std::string models_list_json(const std::vector<std::string>& names);

struct SharedState {
  // `prices` (may be null) gives cost-based-routing its price per deployment and the deployments
  // their max_input_tokens where model_info has none; only read here.
  explicit SharedState(config::ConfigPtr snapshot, const pricing::PriceBook* prices = nullptr);

  config::ConfigPtr config;
  std::unique_ptr<router::Router> router;
  std::string models_json;  // GET /v1/models, built once per snapshot
  // Virtual keys, admin API and spend; null when the process runs without a store (unit tests).
  std::shared_ptr<TenantServices> tenants;
};

}  // namespace llmux::gateway
