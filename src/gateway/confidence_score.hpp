#pragma once

// How confident an answer is (pure; docs/confidence-routing.md): the token log-probabilities an
// OpenAI-compatible server returns with `logprobs: true` (OpenAI, vLLM, llama.cpp:
// `choices[].logprobs.content[].logprob`), or a score the server computed itself and sent in a
// header. And the two rewrites the gateway makes so a client never sees what it did not ask for.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "config/config.hpp"

namespace llmux::gateway {

// Over every token of every choice: how many, their mean log-probability, the least likely one's.
struct LogprobSummary {
  std::size_t tokens = 0;
  double mean = 0;
  double min = 0;
};

// nullopt when the answer carries no token log-probabilities (the server ignored the ask, or
// the answer is empty): it cannot be scored.
std::optional<LogprobSummary> summarize_logprobs(std::string_view answer_body);

struct ConfidenceVerdict {
  enum class Kind { confident, low, unscored } kind = Kind::unscored;
  std::string_view rule;  // "mean_logprob", "min_logprob", "header"; the one that decided
  double score = 0;
  double threshold = 0;
};

// Low when the mean is below min_mean_logprob, or the least likely token below
// min_token_logprob (the first rule that fails decides; both pass: confident, by the mean).
ConfidenceVerdict judge_logprobs(const std::optional<LogprobSummary>& summary, const config::ConfidenceRule& rule);
// Low when the header's number is below min_header_confidence; unscored when it is absent or
// not a finite number.
ConfidenceVerdict judge_header(std::string_view header_value, const config::ConfidenceRule& rule);

// x-llmux-confidence: "mean_logprob=-0.105; threshold=-0.7; confident", "…; low", "unscored".
std::string describe(const ConfidenceVerdict& verdict);

// The request body with `"logprobs":true` appended as its last member (the last duplicate
// counts, for the gateway's reader as for Python and Go servers), so a client's
// `"logprobs":false` is overridden without a DOM.
std::string with_logprobs(std::string_view request_body);

// The answer with every choice's `logprobs` set to null, what OpenAI sends a client that did not
// ask; nullopt when the body is not a JSON object (then it is sent as it came).
std::optional<std::string> without_logprobs(std::string_view answer_body);

}  // namespace llmux::gateway
