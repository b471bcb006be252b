#pragma once

// The one step every piece of upstream text passes before a client or a log can see it: an
// upstream (or a proxy in front of one) may echo the request it was sent, and that request carried
// the deployment's key (`Authorization: Bearer …`, Anthropic's `x-api-key`). Only failures are
// redacted: a whole answer or a stream's content is the model's text, forwarded unread
// (DESIGN.md decision 3), so redaction costs nothing on the happy path.

#include <span>
#include <string>
#include <string_view>

#include "providers/provider.hpp"

namespace llmux::providers {

// Every occurrence of `secret` in `text` replaced by a mask (its first 3 characters and "****"),
// whether it appears as is or JSON-escaped, once or more (`\/`, `\\\/`, `\u002f` for '/'), and a
// prefix of it longer than the mask's that ends the text (a message cut to its maximum length).
// Secrets shorter than 8 characters ("dummy", "none") are not worth mangling messages for.
std::string redact_secret(std::string text, std::string_view secret);

// Everything secret an attempt at a deployment sends upstream: its api_key, and the configured
// header values that may be credentials (config::RequestPresets::secret_values). Borrowed from the
// config snapshot, which outlives every attempt and stream made under it (DESIGN.md decision 2).
struct Secrets {
  std::string_view api_key;
  std::span<const std::string> header_values;
};

// The secret an attempt at this deployment sends upstream (its api_key), or "" when it has none.
inline std::string_view deployment_secret(const config::Deployment& deployment) {
  return deployment.api_key ? std::string_view(*deployment.api_key) : std::string_view();
}

inline Secrets deployment_secrets(const config::Deployment& deployment) {
  return {deployment_secret(deployment), deployment.presets.secret_values};
}

// `text` with every one of the secrets redacted (redact_secret).
std::string redact_secrets(std::string text, const Secrets& secrets);

// The failure's message redacted in place.
void redact_failure(AttemptFailure& failure, const Secrets& secrets);

// An attempt's outcome as it may leave its adapter: a failure's message redacted. A stream redacts
// its own pieces (redact_failed_piece), as only it knows where its events end.
AttemptOutcome redacted_outcome(AttemptOutcome outcome, const Secrets& secrets);

// A stream piece that ends in a failure: the failure's message and, when the piece already frames
// the error for the client, its bytes. A piece without a failure costs one test.
void redact_failed_piece(StreamPiece& piece, const Secrets& secrets);

}  // namespace llmux::providers
