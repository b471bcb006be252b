#pragma once

// Why a deployment was left out of a request's candidates before any call was made to it: the
// pre-call checks and the strategies' limits say it here, and x-llmux-route shows it
// (`group[provider/model]:skipped(reason)`), so an operator can read why traffic went elsewhere.

#include <string>
#include <string_view>

namespace llmux::config {
struct Deployment;
}

namespace llmux::router {

enum class SkipReason {
  context_window,       // the prompt does not fit the deployment's max_input_tokens
  rpm_limit,            // the deployment's requests for this minute are used up
  tpm_limit,            // the deployment's tokens for this minute are used up
  upstream_rate_limit,  // the upstream's own x-ratelimit-remaining-* said it is out
};

constexpr std::string_view to_string(SkipReason reason) {
  switch (reason) {
    case SkipReason::context_window: return "context_window";
    case SkipReason::rpm_limit: return "rpm_limit";
    case SkipReason::tpm_limit: return "tpm_limit";
    case SkipReason::upstream_rate_limit: return "upstream_rate_limit";
  }
  return "unknown";
}

struct SkippedDeployment {
  const config::Deployment* deployment;
  std::string group;
  SkipReason reason;
};

}  // namespace llmux::router
