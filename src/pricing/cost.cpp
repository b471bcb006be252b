#include <algorithm>

#include "pricing/price.hpp"

namespace llmux::pricing {
namespace {

struct Rates {
  double input;
  double output;
  double cache_read;
  double cache_write;
};

Rates rates_for(const Price& price, std::int64_t prompt_tokens) {
  Rates r{price.input_per_token, price.output_per_token,
          price.cache_read_per_token.value_or(price.input_per_token),
          price.cache_write_per_token.value_or(price.input_per_token)};
  const PriceTier* tier = nullptr;
  for (const auto& t : price.tiers) {
    if (prompt_tokens > t.above_prompt_tokens && (!tier || t.above_prompt_tokens > tier->above_prompt_tokens))
      tier = &t;
  }
  if (!tier) return r;
  // A tier that names only an input price still moves the cache prices with it when they were
  // defaulted to the input price.
  const double input = tier->input_per_token.value_or(r.input);
  r.cache_read = tier->cache_read_per_token.value_or(price.cache_read_per_token ? r.cache_read : input);
  r.cache_write = tier->cache_write_per_token.value_or(price.cache_write_per_token ? r.cache_write : input);
  r.input = input;
  r.output = tier->output_per_token.value_or(r.output);
  return r;
}

std::int64_t non_negative(std::int64_t v) { return std::max<std::int64_t>(v, 0); }

}  // namespace

double cost(const Price& price, const Usage& usage) {
  const std::int64_t prompt = non_negative(usage.prompt_tokens);
  const std::int64_t cached = std::min(non_negative(usage.cached_read_tokens), prompt);
  const std::int64_t written = std::min(non_negative(usage.cache_write_tokens), prompt - cached);
  const std::int64_t text = prompt - cached - written;
  const Rates r = rates_for(price, prompt);
  const bool image_call = usage.images > 0 || usage.image_input_tokens > 0;
  const double output = image_call ? price.output_per_image_token.value_or(r.output) : r.output;
  const auto positive = [](double v) { return v > 0 && v < 1e12 ? v : 0.0; };  // NaN and junk bill nothing
  return static_cast<double>(text) * r.input + static_cast<double>(cached) * r.cache_read +
         static_cast<double>(written) * r.cache_write +
         static_cast<double>(non_negative(usage.completion_tokens)) * output +
         static_cast<double>(non_negative(usage.image_input_tokens)) * price.input_per_image_token.value_or(r.input) +
         static_cast<double>(non_negative(usage.images)) * price.per_image.value_or(0) +
         positive(usage.audio_seconds) * price.per_second.value_or(0) +
         positive(usage.speech_seconds) * price.output_per_second.value_or(0) +
         static_cast<double>(non_negative(usage.characters)) * price.per_character.value_or(0) +
         static_cast<double>(non_negative(usage.queries)) * price.per_query.value_or(0);
}

double estimate_cost(const Price& price, std::int64_t prompt_tokens_estimate,
                     std::optional<std::int64_t> max_tokens) {
  std::int64_t completion = max_tokens.value_or(kDefaultCompletionEstimate);
  if (price.max_output_tokens && *price.max_output_tokens > 0)
    completion = std::min(completion, *price.max_output_tokens);
  return cost(price, Usage{.prompt_tokens = prompt_tokens_estimate, .completion_tokens = completion});
}

}  // namespace llmux::pricing
