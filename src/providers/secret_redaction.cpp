#include "providers/secret_redaction.hpp"

namespace llmux::providers {
namespace {

constexpr std::size_t kShortestSecret = 8;
constexpr std::size_t kMaskedPrefix = 3;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// How many bytes of `text` from `at` spell the character `wanted`: 1 for the character itself, more
// for a JSON escape of it, at any depth of re-escaping (a JSON body quoted inside a JSON string
// doubles its backslashes); 0 when they do not spell it.
std::size_t spelled_at(std::string_view text, std::size_t at, char wanted) {
  if (at >= text.size()) return 0;
  if (text[at] == wanted) return 1;
  if (text[at] != '\\') return 0;
  std::size_t p = at;
  while (p < text.size() && text[p] == '\\') ++p;
  if (p >= text.size()) return 0;
  if (text[p] == wanted && (wanted == '/' || wanted == '"')) return p + 1 - at;
  if (text[p] != 'u' || p + 4 >= text.size()) return 0;
  int code = 0;
  for (std::size_t i = p + 1; i <= p + 4; ++i) {
    const int digit = hex_value(text[i]);
    if (digit < 0) return 0;
    code = code * 16 + digit;
  }
  return code == static_cast<unsigned char>(wanted) ? p + 5 - at : 0;
}

struct Match {
  std::size_t length = 0;   // bytes of text that spell the secret, or the part of it the text holds
  std::size_t spelled = 0;  // characters of the secret they spell
};

Match match_at(std::string_view text, std::size_t at, std::string_view secret) {
  Match match;
  std::size_t p = at;
  while (match.spelled < secret.size() && p < text.size()) {  // text ending first: a cut prefix
    const std::size_t used = spelled_at(text, p, secret[match.spelled]);
    if (used == 0) return {};
    p += used;
    ++match.spelled;
  }
  match.length = p - at;
  return match;
}

}  // namespace

std::string redact_secret(std::string text, std::string_view secret) {
  if (secret.size() < kShortestSecret || text.empty()) return text;
  const std::string mask = std::string(secret.substr(0, kMaskedPrefix)) + "****";
  std::string out;
  std::size_t copied = 0;
  // Only failures get here: a 1 MiB error body is the worst case, and most positions fail on
  // their first byte.
  for (std::size_t at = 0; at < text.size(); ++at) {
    if (text[at] != secret.front() && text[at] != '\\') continue;
    const Match match = match_at(text, at, secret);
    const bool whole = match.spelled == secret.size();
    // A prefix cut by the end of the text counts when it gives away more than the mask does.
    const bool cut = at + match.length == text.size() && match.spelled > kMaskedPrefix;
    if (!whole && !cut) continue;
    out.append(text, copied, at - copied);
    out += mask;
    copied = at + match.length;
    at = copied - 1;
  }
  if (copied == 0 && out.empty()) return text;
  out.append(text, copied, std::string::npos);
  return out;
}

std::string redact_secrets(std::string text, const Secrets& secrets) {
  text = redact_secret(std::move(text), secrets.api_key);
  for (const std::string& value : secrets.header_values) text = redact_secret(std::move(text), value);
  return text;
}

void redact_failure(AttemptFailure& failure, const Secrets& secrets) {
  failure.message = redact_secrets(std::move(failure.message), secrets);
}

AttemptOutcome redacted_outcome(AttemptOutcome outcome, const Secrets& secrets) {
  if (auto* failure = std::get_if<AttemptFailure>(&outcome)) redact_failure(*failure, secrets);
  return outcome;
}

void redact_failed_piece(StreamPiece& piece, const Secrets& secrets) {
  if (!piece.failure) return;
  redact_failure(*piece.failure, secrets);
  // A piece's bytes are whole events (the adapters frame only what the SSE parser completed), so
  // the key cannot straddle two pieces.
  if (piece.failure_framed) piece.bytes = redact_secrets(std::move(piece.bytes), secrets);
}

}  // namespace llmux::providers
