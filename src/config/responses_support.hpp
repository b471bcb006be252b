#pragma once

// Which deployments speak OpenAI's Responses API themselves (a /v1/responses call is then passed
// through to {api_base}/responses) and which are bridged to chat completions.
//
// The key is LiteLLM's: `model_info.supported_endpoints`. A list naming "/v1/responses" (or
// "/responses") marks the deployment native; a list without it marks it bridged. Without the key,
// only hosted OpenAI (an OpenAI-family deployment whose api_base is api.openai.com) is native —
// every other OpenAI-compatible server (vLLM, llama.cpp, Ollama, …) is bridged, since many of them
// have no /responses route. Anthropic and mock deployments can never be native: marking one so is
// a config error.

#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "config/parse_context.hpp"

namespace llmux::config::detail {

// `supported_endpoints` is model_info.supported_endpoints as written (nullopt: absent), and
// `field` where it is written (for errors). Sets deployment.speaks_responses_api; fails on a
// native mark the deployment's family cannot honour.
void decide_responses_support(ParseContext& ctx, const std::optional<std::vector<std::string>>& supported_endpoints,
                              const std::optional<Field>& field, const std::string& owner, Deployment& deployment);

// True when the list names the Responses endpoint ("/v1/responses", "/responses", "v1/responses").
bool names_responses_endpoint(const std::vector<std::string>& endpoints);

}  // namespace llmux::config::detail
