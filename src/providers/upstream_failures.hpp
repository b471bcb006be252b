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
// `also_forward` (a lower-case name, may be empty) is forwarded too: the header a confidence-routed
// group reads its score from (config/confidence_lookup.hpp).
net::HeaderList forwarded_upstream_headers(const net::UpstreamResponseHead& head,
                                           std::string_view also_forward = {});

// usage.prompt_tokens / completion_tokens / prompt_tokens_details.cached_tokens /
// cache_creation_input_tokens of a JSON answer. Not known (known == false) when the answer has no
// usage object, or its structure or the usage object itself is malformed.
Usage usage_from_body(std::string_view body);

// A successful whole answer as the pass-through reads it: its usage, and whether the body is a
// JSON object at all. An upstream (or a proxy in front of it) that answers 200 with an HTML page,
// truncated JSON or nothing has failed, whatever its status says.
struct SkimmedAnswer {
  Usage usage;
  bool is_json_object = false;
};
SkimmedAnswer skim_answer(std::string_view body);

// A 2xx whose body is not what the API promises (not JSON, or not an event stream): the upstream
// is as good as unavailable, so the router retries and falls back as for a 502.
AttemptFailure unusable_answer_failure(const net::UpstreamResponseHead& head, std::string_view what,
                                       std::size_t body_bytes);

// Whether a streamed answer's head announces Server-Sent Events. No Content-Type at all is given
// the benefit of the doubt (some self-hosted servers omit it).
bool announces_event_stream(const net::UpstreamResponseHead& head);

// A streamed request answered with a whole body instead of events: a JSON error object is read
// like an error status (its message and kind), anything else is an unusable answer.
AttemptFailure non_stream_answer_failure(const config::Deployment& deployment, const net::UpstreamResponseHead& head,
                                         std::string_view body);

}  // namespace llmux::providers
