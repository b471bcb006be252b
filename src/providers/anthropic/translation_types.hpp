#pragma once

// Inputs and outputs shared by the Anthropic translators (both directions).
// The translators are pure: no sockets, no clocks unless `created` is left at 0.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "text/checked_number.hpp"

namespace llmux::providers::anthropic {

// A request we refuse to translate, or an upstream body we cannot read.
// `param` names the offending request field when there is one (empty otherwise).
struct TranslationError {
  int status = 400;
  std::string message;
  std::string param;
};

// OpenAI chat request -> Anthropic Messages request.
struct TranslateOptions {
  std::string upstream_model;                      // sent as "model"
  std::optional<std::int64_t> default_max_tokens;  // model_info.max_output_tokens / max_tokens
  bool drop_params = false;                        // resolved LiteLLM drop_params
};

struct TranslatedRequest {
  std::string body;                         // the Anthropic request JSON
  std::vector<std::string> dropped_params;  // removed instead of refused (drop_params, thinking rules)
  bool stream = false;
  bool include_usage = false;   // the client asked for stream_options.include_usage
  bool json_mode_tool = false;  // response_format became the forced `json_tool_call` tool
};

// Anthropic response -> OpenAI chat.completion.
struct ResponseOptions {
  std::string model_for_client;  // echoed as "model"; empty = the upstream's model
  bool json_mode_tool = false;   // from TranslatedRequest
  std::int64_t created = 0;      // unix seconds; 0 = now
};

// Anthropic SSE -> chat.completion.chunk stream.
struct StreamOptions {
  std::string model_for_client;
  bool include_usage = false;
  bool json_mode_tool = false;
  std::int64_t created = 0;  // unix seconds; 0 = now
};

// Token usage in Anthropic's terms: `input_tokens` excludes the cached parts.
struct Usage {
  std::int64_t input_tokens = 0;
  std::int64_t output_tokens = 0;
  std::int64_t cache_read_input_tokens = 0;
  std::int64_t cache_creation_input_tokens = 0;

  // OpenAI's prompt_tokens counts every input token, cached or not.
  // Upstream counts are hostile input: sums saturate instead of wrapping.
  std::int64_t prompt_tokens() const {
    return text::saturating_add(text::saturating_add(input_tokens, cache_read_input_tokens),
                                cache_creation_input_tokens);
  }
  std::int64_t completion_tokens() const { return output_tokens; }
  std::int64_t total_tokens() const { return text::saturating_add(prompt_tokens(), completion_tokens()); }
};

}  // namespace llmux::providers::anthropic
