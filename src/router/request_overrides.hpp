#pragma once

// Per-request routing fields of the request body (LiteLLM accepts these next to the model params).

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "router/affinity.hpp"

namespace llmux::router {

struct RequestOverrides {
  std::optional<int> num_retries{};  // held to llmux_settings.max_request_retries (RequestPlan)
  // Plain lists of group names; a present list replaces the config rule for every group of the request.
  std::optional<std::vector<std::string>> fallbacks{}, context_window_fallbacks{}, content_policy_fallbacks{};
  bool disable_fallbacks = false;
  std::optional<int> max_fallbacks{};
  // Deployments this request may use (tenancy's tag routing); empty = all. A deployment it refuses
  // is never a candidate, not even as the last-resort cooldown bypass.
  std::function<bool(const config::Deployment&)> deployment_filter{};
  // Who is calling, for sticky picks (router/affinity.hpp) in the groups whose config asks for them.
  AffinityKeys affinity{};
};

}  // namespace llmux::router
