#pragma once

// Tag routing for one call (router_settings.enable_tag_filtering, reference §4.6): the request's
// tags — the virtual key's and its team's, the body's `tags` / `metadata.tags`, and the
// `x-litellm-tags` header — against the deployments' `litellm_params.tags`, for every caller
// (master key, no auth, virtual key), as LiteLLM does.

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "gateway/call_engine.hpp"
#include "tenancy/denial.hpp"

namespace llmux::gateway {

struct TenantCaller;

// `x-litellm-tags: a, b,c` → {"a", "b", "c"}: comma-separated, spaces around each trimmed, empty
// entries dropped, repeats dropped (LiteLLM's parsing). More than `max_tags` entries: nullopt.
std::optional<std::vector<std::string>> header_tags(std::string_view value, std::size_t max_tags);

// Sets call.deployment_filter (call.group and call.view set), or says why the call is refused:
//   400 (param `metadata.tags` / `x-litellm-tags`) when general_settings.reject_clientside_metadata_tags
//       forbids the tags the client sent, or the header holds more than max_routing_list_items tags;
//   401 (LiteLLM's wording) when the tags rule out every deployment of the requested group.
// Does nothing, at no cost, unless enable_tag_filtering is on and some deployment is tagged.
std::optional<tenancy::Denial> restrict_by_tags(const SharedState& shared, const TenantCaller* caller,
                                                CallRequest& call, std::string_view model,
                                                std::string_view tags_header);

}  // namespace llmux::gateway
