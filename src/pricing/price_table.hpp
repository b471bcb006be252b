#pragma once

// Model name → Price tables: the one built into llmux, and LiteLLM's JSON price map read from
// text (the caller reads the file; pricing does no I/O).

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <variant>

#include "pricing/price.hpp"

namespace llmux::pricing {

// Keyed as LiteLLM keys its map: OpenAI and Anthropic models bare ("gpt-4o",
// "claude-3-5-sonnet-20241022"), the other APIs with their provider prefix ("gemini/gemini-2.5-pro",
// "groq/llama-3.3-70b-versatile", "deepseek/deepseek-chat", "xai/grok-3", "mistral/…").
using PriceTable = std::map<std::string, Price, std::less<>>;

// Public list prices (USD, standard tier, no batch or regional discounts) as of 2025-11 for the
// hosted models people route to most: OpenAI, Anthropic, Gemini, Mistral, Groq, DeepSeek, xAI.
// Prices change: operators override them with a LiteLLM price file (load_litellm_prices) or per
// deployment (`model_info.input_cost_per_token` / `output_cost_per_token`). Built on first use.
const PriceTable& builtin_prices();

struct PriceLoadError {
  std::string message;  // "model price map: <what is wrong>"
};

// Reads LiteLLM's model_prices_and_context_window.json. Per entry: input_cost_per_token,
// output_cost_per_token, cache_read_input_token_cost, cache_creation_input_token_cost, the
// `*_above_<N>k_tokens` variants of those four, max_input_tokens, max_output_tokens (else the
// legacy max_tokens), litellm_provider, mode, and the media prices (input_/output_cost_per_image,
// input_/output_cost_per_pixel, input_/output_cost_per_second, input_cost_per_character,
// input_cost_per_query, input_/output_cost_per_image_token); other fields are ignored.
// `sample_spec` is skipped, and so are entries priced by none of these: they stay unknown rather
// than cost 0. Numbers may be written as numeric strings; null means absent.
// Refused, with the model and field named: invalid JSON (with line:column), a non-object
// top level or entry, a non-numeric or negative price, and a map with no priced model.
// Never throws.
std::variant<PriceTable, PriceLoadError> load_litellm_prices(std::string_view json_text);

}  // namespace llmux::pricing
