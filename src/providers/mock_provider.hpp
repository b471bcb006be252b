#pragma once

// `mock/<name>` deployments and per-request `mock_response`: answered in-process, like LiteLLM's
// mock_response, so demos and tests run with no network. LiteLLM's magic strings
// ("litellm.RateLimitError", …) raise the matching error and go through retries and fallbacks.

#include "providers/provider.hpp"

namespace llmux::providers {

class MockProvider final : public Provider {
 public:
  boost::asio::awaitable<AttemptOutcome> attempt(AttemptContext& context) override;
};

// The same answer, without the coroutine: used for a request-level mock_response on any deployment.
// `upstream_model`: a wildcard's model for this request (names the answer's model); empty = the deployment's.
AttemptOutcome mock_answer(const config::Deployment& deployment, api::Endpoint endpoint,
                           const api::RequestView& request, std::string_view upstream_model = {});

}  // namespace llmux::providers
