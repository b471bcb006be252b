#pragma once

// Turning what an upstream did wrong into an AttemptFailure: shared by every HTTP adapter.
// Messages quote the upstream as it answered: they reach a client or a log only through
// redacted_outcome / redact_failed_piece (secret_redaction.hpp), which hide the deployment's key.

#include <string_view>

#include "net/upstream_client.hpp"
#include "providers/provider.hpp"

namespace llmux::providers {

AttemptFailure missing_key_failure(const config::Deployment& deployment);
AttemptFailure transport_failure(const net::UpstreamError& error);
AttemptFailure http_failure(const config::Deployment& deployment, const net::UpstreamResponseHead& head,
                            std::string_view body);

// Upstream response headers worth showing the client, LiteLLM-style as `llm_provider-<name>`.
net::HeaderList forwarded_upstream_headers(const net::UpstreamResponseHead& head);

// usage.prompt_tokens / completion_tokens / prompt_tokens_details.cached_tokens /
// cache_creation_input_tokens of a JSON answer. Not known (known == false) when the answer has no
// usage object, or its structure or the usage object itself is malformed.
Usage usage_from_body(std::string_view body);

}  // namespace llmux::providers
