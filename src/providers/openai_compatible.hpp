#pragma once

// OpenAI wire-compatible upstreams: hosted OpenAI, vLLM, llama.cpp server, Ollama, TGI's /v1,
// and the other `openai/`-style prefixes. The pass-through path: the request body is spliced,
// never parsed into a DOM, and the answer is forwarded as it arrives.

#include "providers/provider.hpp"

namespace llmux::providers {

class OpenAiCompatibleProvider final : public Provider {
 public:
  boost::asio::awaitable<AttemptOutcome> attempt(AttemptContext& context) override;
};

// The path after the deployment's base URL for an endpoint ("/chat/completions", …).
std::string_view openai_path_for(api::Endpoint endpoint);
// The rerank path under a deployment's base path: "/v1/rerank" for a `cohere/` or `jina_ai/` host,
// "/rerank" under an OpenAI-style "/v1" base (vLLM serves both).
std::string_view rerank_path(const config::Deployment& deployment, std::string_view base_path);

}  // namespace llmux::providers
