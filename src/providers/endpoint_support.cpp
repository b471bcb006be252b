#include "providers/endpoint_support.hpp"

#include "api/media_request.hpp"

namespace llmux::providers {

bool serves_endpoint(const config::Deployment& deployment, api::Endpoint endpoint) {
  using api::Endpoint;
  switch (deployment.family) {
    case config::ProviderFamily::anthropic:
      return endpoint == Endpoint::chat_completions || endpoint == Endpoint::completions;
    case config::ProviderFamily::mock:
      return !api::is_media_endpoint(endpoint);
    case config::ProviderFamily::openai_compatible:
      if (deployment.provider == "cohere") return endpoint == Endpoint::rerank;
      if (deployment.provider == "jina_ai") return endpoint == Endpoint::rerank || endpoint == Endpoint::embeddings;
      return true;
  }
  return false;
}

std::string_view family_name(const config::Deployment& deployment) {
  switch (deployment.family) {
    case config::ProviderFamily::anthropic: return "anthropic";
    case config::ProviderFamily::mock: return "mock";
    case config::ProviderFamily::openai_compatible: return deployment.provider;
  }
  return deployment.provider;
}

std::string_view endpoint_name(api::Endpoint endpoint) {
  switch (endpoint) {
    case api::Endpoint::chat_completions: return "/chat/completions";
    case api::Endpoint::completions: return "/completions";
    case api::Endpoint::embeddings: return "/embeddings";
    default: return api::media_path(endpoint);
  }
}

std::string unsupported_endpoint_message(api::Endpoint endpoint, const config::Deployment& deployment) {
  return std::string(endpoint_name(endpoint)) + " is not supported by " + std::string(family_name(deployment)) +
         " deployments (" + deployment.model_name + ": " + deployment.litellm_model + ")";
}

}  // namespace llmux::providers
