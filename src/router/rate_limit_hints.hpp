#pragma once

// An upstream's rate-limit headers as numbers the adaptive strategy can act on before a 429:
// OpenAI's x-ratelimit-remaining-requests / -tokens and x-ratelimit-reset-requests / -tokens (a Go
// duration: "6m0s", "1.5s", "20ms", "1h2m3.5s"), and retry-after-ms / retry-after (seconds).
// Pure text in, numbers out; a value that does not parse is left unknown, never guessed.

#include <chrono>
#include <optional>
#include <string_view>

#include "router/live_stats.hpp"

namespace llmux::router {

// The header values as received; empty = absent.
struct RateLimitHeaderValues {
  std::string_view remaining_requests, reset_requests;
  std::string_view remaining_tokens, reset_tokens;
  std::string_view retry_after_ms, retry_after;
};

RateLimitHints parse_rate_limit_hints(const RateLimitHeaderValues& values);

// "6m0s", "1.5s", "20ms", "300us", "1h", or a bare number of seconds ("2", "0.5"). Held to 24 h.
std::optional<std::chrono::milliseconds> parse_reset_duration(std::string_view text);

}  // namespace llmux::router
