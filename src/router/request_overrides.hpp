#pragma once

// Per-request routing fields of the request body (LiteLLM accepts these next to the model params).

#include <cstdint>
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
  // What the strategies, the tpm limit and the pre-call context check read. prompt_tokens is the
  // prompt counted once by the gateway when router_settings.enable_pre_call_checks is on (nullopt
  // otherwise): deployments whose max_input_tokens is below it are skipped. Without it the tpm
  // estimate is the body's bytes / 4 (cheap, and about what a BPE tokenizer gives for English and JSON).
  bool stream = false;
  std::optional<std::int64_t> prompt_tokens{};
  std::int64_t body_bytes = 0;
  // Who is calling, for sticky picks (router/affinity.hpp) in the groups whose config asks for them.
  AffinityKeys affinity{};
};

}  // namespace llmux::router
