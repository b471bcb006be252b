#pragma once

// Which endpoints a deployment can serve, decided by its adapter family and provider. The gateway
// refuses a call that no deployment of its group can serve (naming the endpoint and the families),
// and the router passes over the deployments that cannot serve it, so a group that mixes
// OpenAI-compatible and Anthropic deployments sends each call where it can go.
//   openai_compatible: every endpoint, except `cohere/` (rerank only) and `jina_ai/` (rerank and
//     embeddings), whose servers have no chat API in OpenAI's shape.
//   anthropic: chat completions, and legacy completions bridged to Messages.
//   mock (in-process): chat completions, completions, embeddings.

#include <string>
#include <string_view>

#include "api/request_view.hpp"
#include "config/config.hpp"

namespace llmux::providers {

bool serves_endpoint(const config::Deployment& deployment, api::Endpoint endpoint);

// "anthropic" / "mock" / the provider prefix ("cohere") for messages naming who cannot serve a call.
std::string_view family_name(const config::Deployment& deployment);

// The endpoint's path in messages: "/audio/speech".
std::string_view endpoint_name(api::Endpoint endpoint);

// "<endpoint> is not supported by <family> deployments (<group>: <litellm model>, …)".
std::string unsupported_endpoint_message(api::Endpoint endpoint, const config::Deployment& deployment);

}  // namespace llmux::providers
