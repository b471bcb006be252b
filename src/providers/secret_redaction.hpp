#pragma once

// The one step every piece of upstream text passes before a client or a log can see it: an
// upstream (or a proxy in front of one) may echo the request it was sent, and that request carried
// the deployment's key (`Authorization: Bearer …`, Anthropic's `x-api-key`). Only failures are
// redacted: a whole answer or a stream's content is the model's text, forwarded unread
// (DESIGN.md decision 3), so redaction costs nothing on the happy path.

#include <string>
#include <string_view>

#include "providers/provider.hpp"

namespace llmux::providers {

// Every occurrence of `secret` in `text` replaced by a mask (its first 3 characters and "****"),
// whether it appears as is or JSON-escaped, once or more (`\/`, `\\\/`, `\u002f` for '/'), and a
// prefix of it longer than the mask's that ends the text (a message cut to its maximum length).
// Secrets shorter than 8 characters ("dummy", "none") are not worth mangling messages for.
std::string redact_secret(std::string text, std::string_view secret);

// The secret an attempt at this deployment sends upstream (its api_key), or "" when it has none.
inline std::string_view deployment_secret(const config::Deployment& deployment) {
  return deployment.api_key ? std::string_view(*deployment.api_key) : std::string_view();
}

// The failure's message redacted in place.
void redact_failure(AttemptFailure& failure, std::string_view secret);

// An attempt's outcome as it may leave its adapter: a failure's message redacted. A stream redacts
// its own pieces (redact_failed_piece), as only it knows where its events end.
AttemptOutcome redacted_outcome(AttemptOutcome outcome, std::string_view secret);

// A stream piece that ends in a failure: the failure's message and, when the piece already frames
// the error for the client, its bytes. A piece without a failure costs one test.
void redact_failed_piece(StreamPiece& piece, std::string_view secret);

}  // namespace llmux::providers
