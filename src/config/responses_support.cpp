#include "config/responses_support.hpp"

#include <algorithm>
#include <string_view>

namespace llmux::config::detail {
namespace {

bool is_hosted_openai(const Deployment& deployment) {
  if (deployment.family != ProviderFamily::openai_compatible || deployment.provider != "openai") return false;
  return deployment.upstream_target && deployment.upstream_target->host == "api.openai.com";
}

std::string_view family_name(ProviderFamily family) {
  switch (family) {
    case ProviderFamily::anthropic: return "anthropic";
    case ProviderFamily::mock: return "mock";
    case ProviderFamily::openai_compatible: return "openai-compatible";
  }
  return "openai-compatible";
}

}  // namespace

bool names_responses_endpoint(const std::vector<std::string>& endpoints) {
  return std::any_of(endpoints.begin(), endpoints.end(), [](const std::string& endpoint) {
    std::string_view path = endpoint;
    while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
    return path == "/v1/responses" || path == "/responses" || path == "v1/responses";
  });
}

void decide_responses_support(ParseContext& ctx, const std::optional<std::vector<std::string>>& supported_endpoints,
                              const std::optional<Field>& field, const std::string& owner, Deployment& deployment) {
  if (!supported_endpoints) {
    deployment.speaks_responses_api = is_hosted_openai(deployment);
    return;
  }
  const bool native = names_responses_endpoint(*supported_endpoints);
  if (native && deployment.family != ProviderFamily::openai_compatible) {
    // A bridged call is what such a deployment can serve; the mark would send Responses bodies to
    // an upstream that cannot read them, so it is refused rather than ignored.
    ctx.fail(*field, owner + ": " + field->path + " names /v1/responses, but a " +
                         std::string(family_name(deployment.family)) +
                         " deployment has no native Responses API (llmux bridges /v1/responses to it); "
                         "remove /v1/responses from the list");
  }
  deployment.speaks_responses_api = native;
}

}  // namespace llmux::config::detail
