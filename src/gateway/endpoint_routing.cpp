#include "gateway/endpoint_routing.hpp"

#include "providers/endpoint_support.hpp"

namespace llmux::gateway {

std::optional<std::string> unservable_group(const SharedState& shared, std::string_view group, api::Endpoint endpoint) {
  const auto deployments = shared.router->group(group);
  for (const config::Deployment* deployment : deployments) {
    if (providers::serves_endpoint(*deployment, endpoint)) return std::nullopt;
  }
  if (deployments.empty()) return std::nullopt;  // the router says what an empty group means
  return providers::unsupported_endpoint_message(endpoint, *deployments.front());
}

void restrict_to_capable(CallRequest& call) {
  if (call.endpoint == api::Endpoint::chat_completions) return;
  auto tags = std::move(call.deployment_filter);
  const api::Endpoint endpoint = call.endpoint;
  call.deployment_filter = [endpoint, tags = std::move(tags)](const config::Deployment& deployment) {
    return providers::serves_endpoint(deployment, endpoint) && (!tags || tags(deployment));
  };
}

std::optional<std::string> default_moderation_model(const SharedState& shared) {
  for (const config::Deployment& deployment : shared.config->deployments) {
    if (!providers::serves_endpoint(deployment, api::Endpoint::moderations)) continue;
    if (deployment.upstream_model.find("moderation") != std::string::npos ||
        deployment.model_name.find("moderation") != std::string::npos) {
      return deployment.model_name;
    }
  }
  return std::nullopt;
}

}  // namespace llmux::gateway
