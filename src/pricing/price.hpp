#pragma once

// What one model costs, and what one call cost. Prices are USD per token, as in LiteLLM's
// model_prices_and_context_window.json (`input_cost_per_token: 2.5e-06`).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace llmux::pricing {

// A long-context surcharge: LiteLLM's `*_above_<N>k_tokens` fields (Gemini above 128k/200k,
// Claude Sonnet 4 above 200k). A missing field falls back to the base price.
struct PriceTier {
  std::int64_t above_prompt_tokens = 0;  // applies when prompt_tokens > this
  std::optional<double> input_per_token;
  std::optional<double> output_per_token;
  std::optional<double> cache_read_per_token;
  std::optional<double> cache_write_per_token;
};

struct Price {
  double input_per_token = 0;
  double output_per_token = 0;
  std::optional<double> cache_read_per_token;   // LiteLLM `cache_read_input_token_cost`
  std::optional<double> cache_write_per_token;  // LiteLLM `cache_creation_input_token_cost`
  std::vector<PriceTier> tiers;                 // ascending by above_prompt_tokens
  std::optional<std::int64_t> max_input_tokens;
  std::optional<std::int64_t> max_output_tokens;
  std::string provider;  // LiteLLM `litellm_provider`: "openai", "anthropic", "gemini", …
  std::string mode;      // LiteLLM `mode`: "chat", "embedding", "completion", …

  // The media endpoints' prices, in LiteLLM's fields (pricing/media_prices.hpp reads the
  // size/quality-keyed image entries). Absent: that unit is not priced by this entry.
  std::optional<double> per_image;               // `output_cost_per_image`, else `input_cost_per_image`
  std::optional<double> per_pixel;               // `input_cost_per_pixel` + `output_cost_per_pixel`
  std::optional<double> per_second;              // `input_cost_per_second`, else `output_cost_per_second`
  std::optional<double> per_character;           // `input_cost_per_character`
  std::optional<double> per_query;               // `input_cost_per_query` (rerank search units)
  std::optional<double> input_per_image_token;   // `input_cost_per_image_token` (gpt-image-1)
  std::optional<double> output_per_image_token;  // `output_cost_per_image_token`
  std::optional<double> output_per_second;       // `output_cost_per_second` (generated speech)

  bool prices_media() const {
    return per_image || per_pixel || per_second || per_character || per_query || input_per_image_token ||
           output_per_image_token || output_per_second;
  }
};

// One call's token counts, in the gateway's (OpenAI's) convention: `prompt_tokens` INCLUDES the
// cached reads and the cache writes. OpenAI reports cached reads as a subset of prompt_tokens
// (`prompt_tokens_details.cached_tokens`); for Anthropic the adapter must report
// prompt_tokens = input_tokens + cache_read_input_tokens + cache_creation_input_tokens.
struct Usage {
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::int64_t cached_read_tokens = 0;  // billed at the cache-read price
  std::int64_t cache_write_tokens = 0;  // billed at the cache-write price
  // The media endpoints' units. An image call reporting tokens (gpt-image-1) bills its output
  // tokens at the image-token price; `image_input_tokens` are the input's image tokens, NOT part
  // of prompt_tokens (which are then its text tokens).
  std::int64_t images = 0;
  double audio_seconds = 0;            // audio in (transcription) at per_second
  double speech_seconds = 0;           // audio out (speech) at output_per_second
  std::int64_t characters = 0;         // speech input at per_character
  std::int64_t queries = 0;            // rerank search units at per_query
  std::int64_t image_input_tokens = 0;  // at input_per_image_token
};

// USD for one call (LiteLLM `generic_cost_per_token`, not rounded):
//   (prompt − cached_read − cache_write)·input + cached_read·cache_read + cache_write·cache_write
//   + completion·output
// at the highest tier whose threshold prompt_tokens exceeds. Negative or inconsistent counts
// are clamped to 0, never billed negative.
// Divergence from LiteLLM: a model without a cache-read (or cache-write) price bills those tokens
// at the input price; LiteLLM bills them at 0, which under-charges self-hosted deployments that
// report prefix-cache hits.
double cost(const Price& price, const Usage& usage);

// Completion tokens assumed by estimate_cost when the request sets no max_tokens.
inline constexpr std::int64_t kDefaultCompletionEstimate = 1024;

// The likely cost of a call before it runs, for budget reservations: every prompt token at the
// full input price (no cache discount: an upper bound), plus max_tokens completion tokens, or
// kDefaultCompletionEstimate when the client set none — capped by the model's max_output_tokens.
// An estimate, not a bound: a call without max_tokens may cost more (settled afterwards).
double estimate_cost(const Price& price, std::int64_t prompt_tokens_estimate,
                     std::optional<std::int64_t> max_tokens);

}  // namespace llmux::pricing
