#include "gateway/request_tags.hpp"

#include <algorithm>

#include "gateway/tenant_admission.hpp"

namespace llmux::gateway {
namespace {

std::string_view trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

tenancy::Denial bad_tags(std::string message, std::string param) {
  return tenancy::Denial{400, "bad_request_error", std::move(message), std::move(param), std::nullopt};
}

}  // namespace

std::optional<std::vector<std::string>> header_tags(std::string_view value, std::size_t max_tags) {
  std::vector<std::string> tags;
  std::size_t entries = 0;
  while (!value.empty()) {
    const auto comma = value.find(',');
    const std::string_view entry = trimmed(value.substr(0, comma));
    value = comma == std::string_view::npos ? std::string_view{} : value.substr(comma + 1);
    if (entry.empty()) continue;
    // Counted before the repeat check, so the check below stays bounded by max_tags squared.
    if (++entries > max_tags) return std::nullopt;
    if (std::find(tags.begin(), tags.end(), entry) == tags.end()) tags.emplace_back(entry);
  }
  return tags;
}

std::optional<tenancy::Denial> restrict_by_tags(const SharedState& shared, const TenantCaller* caller,
                                                CallRequest& call, std::string_view model,
                                                std::string_view tags_header) {
  const config::Config& config = *shared.config;
  // LiteLLM's wording; the header is refused the same way, since it is the same client-side choice.
  if (config.general.reject_clientside_metadata_tags) {
    if (!call.view->tags.empty()) {
      return bad_tags(
          "Client-side 'metadata.tags' not allowed in request. 'reject_clientside_metadata_tags'=True. Tags can "
          "only be set via API key metadata.",
          "metadata.tags");
    }
    if (!trimmed(tags_header).empty()) {
      return bad_tags(
          "Client-side 'x-litellm-tags' not allowed in request. 'reject_clientside_metadata_tags'=True. Tags can "
          "only be set via API key metadata.",
          "x-litellm-tags");
    }
  }
  if (!config.router.enable_tag_filtering || !shared.router->has_tagged_deployments()) return std::nullopt;

  std::vector<std::string> request_tags = call.view->tags;
  if (!tags_header.empty()) {
    const std::size_t max_tags = config.server.max_routing_list_items;
    auto from_header = header_tags(tags_header, max_tags);
    if (!from_header) {
      return bad_tags("x-litellm-tags has more than " + std::to_string(max_tags) +
                          " tags (llmux_settings.max_routing_list_items)",
                      "x-litellm-tags");
    }
    for (auto& tag : *from_header) {
      if (std::find(request_tags.begin(), request_tags.end(), tag) == request_tags.end())
        request_tags.push_back(std::move(tag));
    }
  }
  auto filter = tag_filter(caller, *shared.router, call.group, model, request_tags);
  if (auto* denial = std::get_if<tenancy::Denial>(&filter)) {
    denial->param.reset();  // LiteLLM's "None" param is sent as null, as before
    return std::move(*denial);
  }
  call.deployment_filter = std::move(std::get<DeploymentFilter>(filter));
  return std::nullopt;
}

}  // namespace llmux::gateway
