// llmux's built-in prices. Sources: the providers' public pricing pages (openai.com/api/pricing,
// docs.anthropic.com "Pricing", ai.google.dev "Gemini Developer API pricing", mistral.ai,
// groq.com/pricing, api-docs.deepseek.com "Models & Pricing", docs.x.ai), as of 2025-11, and
// LiteLLM's map for context windows. Written per million tokens because that is how providers
// publish them; stored per token like LiteLLM's map.

#include <cstdint>

#include "pricing/price_table.hpp"
#include "pricing/price_table_media.hpp"

namespace llmux::pricing {
namespace {

constexpr double kNone = -1;  // no such price (the provider has no cache pricing for the model)

struct Row {
  const char* key;
  const char* provider;
  double input_per_m;
  double output_per_m;
  double cache_read_per_m;
  double cache_write_per_m;
  std::int64_t max_input_tokens;
  std::int64_t max_output_tokens;  // 0 = not published
  const char* mode = "chat";
};

// Anthropic: cache writes (5-minute TTL) at 1.25× input, cache reads at 0.1×.
// OpenAI/Gemini/DeepSeek/xAI: caching is automatic, cache writes cost the input price (kNone).
constexpr Row kRows[] = {
    // OpenAI
    {"gpt-4o", "openai", 2.50, 10.00, 1.25, kNone, 128000, 16384},
    {"gpt-4o-2024-11-20", "openai", 2.50, 10.00, 1.25, kNone, 128000, 16384},
    {"gpt-4o-2024-08-06", "openai", 2.50, 10.00, 1.25, kNone, 128000, 16384},
    {"gpt-4o-2024-05-13", "openai", 5.00, 15.00, kNone, kNone, 128000, 4096},
    {"chatgpt-4o-latest", "openai", 5.00, 15.00, kNone, kNone, 128000, 4096},
    {"gpt-4o-mini", "openai", 0.15, 0.60, 0.075, kNone, 128000, 16384},
    {"gpt-4o-mini-2024-07-18", "openai", 0.15, 0.60, 0.075, kNone, 128000, 16384},
    {"gpt-4.1", "openai", 2.00, 8.00, 0.50, kNone, 1047576, 32768},
    {"gpt-4.1-2025-04-14", "openai", 2.00, 8.00, 0.50, kNone, 1047576, 32768},
    {"gpt-4.1-mini", "openai", 0.40, 1.60, 0.10, kNone, 1047576, 32768},
    {"gpt-4.1-mini-2025-04-14", "openai", 0.40, 1.60, 0.10, kNone, 1047576, 32768},
    {"gpt-4.1-nano", "openai", 0.10, 0.40, 0.025, kNone, 1047576, 32768},
    {"gpt-4.1-nano-2025-04-14", "openai", 0.10, 0.40, 0.025, kNone, 1047576, 32768},
    {"gpt-5", "openai", 1.25, 10.00, 0.125, kNone, 272000, 128000},
    {"gpt-5-2025-08-07", "openai", 1.25, 10.00, 0.125, kNone, 272000, 128000},
    {"gpt-5-mini", "openai", 0.25, 2.00, 0.025, kNone, 272000, 128000},
    {"gpt-5-mini-2025-08-07", "openai", 0.25, 2.00, 0.025, kNone, 272000, 128000},
    {"gpt-5-nano", "openai", 0.05, 0.40, 0.005, kNone, 272000, 128000},
    {"gpt-5-nano-2025-08-07", "openai", 0.05, 0.40, 0.005, kNone, 272000, 128000},
    {"o1", "openai", 15.00, 60.00, 7.50, kNone, 200000, 100000},
    {"o1-2024-12-17", "openai", 15.00, 60.00, 7.50, kNone, 200000, 100000},
    {"o1-mini", "openai", 1.10, 4.40, 0.55, kNone, 128000, 65536},
    {"o1-pro", "openai", 150.00, 600.00, kNone, kNone, 200000, 100000},
    {"o3", "openai", 2.00, 8.00, 0.50, kNone, 200000, 100000},
    {"o3-2025-04-16", "openai", 2.00, 8.00, 0.50, kNone, 200000, 100000},
    {"o3-mini", "openai", 1.10, 4.40, 0.55, kNone, 200000, 100000},
    {"o3-mini-2025-01-31", "openai", 1.10, 4.40, 0.55, kNone, 200000, 100000},
    {"o4-mini", "openai", 1.10, 4.40, 0.275, kNone, 200000, 100000},
    {"o4-mini-2025-04-16", "openai", 1.10, 4.40, 0.275, kNone, 200000, 100000},
    {"gpt-4-turbo", "openai", 10.00, 30.00, kNone, kNone, 128000, 4096},
    {"gpt-4-turbo-2024-04-09", "openai", 10.00, 30.00, kNone, kNone, 128000, 4096},
    {"gpt-4", "openai", 30.00, 60.00, kNone, kNone, 8192, 4096},
    {"gpt-3.5-turbo", "openai", 0.50, 1.50, kNone, kNone, 16385, 4096},
    {"gpt-3.5-turbo-0125", "openai", 0.50, 1.50, kNone, kNone, 16385, 4096},
    {"text-embedding-3-small", "openai", 0.02, 0, kNone, kNone, 8191, 0, "embedding"},
    {"text-embedding-3-large", "openai", 0.13, 0, kNone, kNone, 8191, 0, "embedding"},
    {"text-embedding-ada-002", "openai", 0.10, 0, kNone, kNone, 8191, 0, "embedding"},

    // Anthropic (dated ids and the API's aliases)
    {"claude-3-haiku-20240307", "anthropic", 0.25, 1.25, 0.03, 0.30, 200000, 4096},
    {"claude-3-sonnet-20240229", "anthropic", 3.00, 15.00, 0.30, 3.75, 200000, 4096},
    {"claude-3-opus-20240229", "anthropic", 15.00, 75.00, 1.50, 18.75, 200000, 4096},
    {"claude-3-opus-latest", "anthropic", 15.00, 75.00, 1.50, 18.75, 200000, 4096},
    {"claude-3-5-sonnet-20240620", "anthropic", 3.00, 15.00, 0.30, 3.75, 200000, 8192},
    {"claude-3-5-sonnet-20241022", "anthropic", 3.00, 15.00, 0.30, 3.75, 200000, 8192},
    {"claude-3-5-sonnet-latest", "anthropic", 3.00, 15.00, 0.30, 3.75, 200000, 8192},
    {"claude-3-5-haiku-20241022", "anthropic", 0.80, 4.00, 0.08, 1.00, 200000, 8192},
    {"claude-3-5-haiku-latest", "anthropic", 0.80, 4.00, 0.08, 1.00, 200000, 8192},
    {"claude-3-7-sonnet-20250219", "anthropic", 3.00, 15.00, 0.30, 3.75, 200000, 128000},
    {"claude-3-7-sonnet-latest", "anthropic", 3.00, 15.00, 0.30, 3.75, 200000, 128000},
    {"claude-sonnet-4-20250514", "anthropic", 3.00, 15.00, 0.30, 3.75, 1000000, 64000},
    {"claude-sonnet-4-0", "anthropic", 3.00, 15.00, 0.30, 3.75, 1000000, 64000},
    {"claude-sonnet-4-5-20250929", "anthropic", 3.00, 15.00, 0.30, 3.75, 1000000, 64000},
    {"claude-sonnet-4-5", "anthropic", 3.00, 15.00, 0.30, 3.75, 1000000, 64000},
    {"claude-opus-4-20250514", "anthropic", 15.00, 75.00, 1.50, 18.75, 200000, 32000},
    {"claude-opus-4-0", "anthropic", 15.00, 75.00, 1.50, 18.75, 200000, 32000},
    {"claude-opus-4-1-20250805", "anthropic", 15.00, 75.00, 1.50, 18.75, 200000, 32000},
    {"claude-opus-4-1", "anthropic", 15.00, 75.00, 1.50, 18.75, 200000, 32000},
    {"claude-opus-4-5-20251101", "anthropic", 5.00, 25.00, 0.50, 6.25, 200000, 64000},
    {"claude-opus-4-5", "anthropic", 5.00, 25.00, 0.50, 6.25, 200000, 64000},
    {"claude-haiku-4-5-20251001", "anthropic", 1.00, 5.00, 0.10, 1.25, 200000, 64000},
    {"claude-haiku-4-5", "anthropic", 1.00, 5.00, 0.10, 1.25, 200000, 64000},

    // Google Gemini API (AI Studio), text prices up to the first long-context tier
    {"gemini/gemini-1.5-pro", "gemini", 1.25, 5.00, 0.3125, kNone, 2097152, 8192},
    {"gemini/gemini-1.5-flash", "gemini", 0.075, 0.30, 0.01875, kNone, 1048576, 8192},
    {"gemini/gemini-1.5-flash-8b", "gemini", 0.0375, 0.15, 0.01, kNone, 1048576, 8192},
    {"gemini/gemini-2.0-flash", "gemini", 0.10, 0.40, 0.025, kNone, 1048576, 8192},
    {"gemini/gemini-2.0-flash-001", "gemini", 0.10, 0.40, 0.025, kNone, 1048576, 8192},
    {"gemini/gemini-2.0-flash-lite", "gemini", 0.075, 0.30, kNone, kNone, 1048576, 8192},
    {"gemini/gemini-2.0-flash-lite-001", "gemini", 0.075, 0.30, kNone, kNone, 1048576, 8192},
    {"gemini/gemini-2.5-pro", "gemini", 1.25, 10.00, 0.125, kNone, 1048576, 65535},
    {"gemini/gemini-2.5-flash", "gemini", 0.30, 2.50, 0.03, kNone, 1048576, 65535},
    {"gemini/gemini-2.5-flash-lite", "gemini", 0.10, 0.40, 0.01, kNone, 1048576, 65535},
    {"gemini/gemini-3-pro-preview", "gemini", 2.00, 12.00, 0.20, kNone, 1048576, 65535},

    // Mistral
    {"mistral/mistral-large-latest", "mistral", 2.00, 6.00, kNone, kNone, 128000, 128000},
    {"mistral/mistral-large-2411", "mistral", 2.00, 6.00, kNone, kNone, 128000, 128000},
    {"mistral/mistral-medium-latest", "mistral", 0.40, 2.00, kNone, kNone, 131072, 8191},
    {"mistral/mistral-small-latest", "mistral", 0.10, 0.30, kNone, kNone, 131072, 8191},
    {"mistral/codestral-latest", "mistral", 0.30, 0.90, kNone, kNone, 256000, 8191},
    {"mistral/open-mistral-nemo", "mistral", 0.15, 0.15, kNone, kNone, 128000, 8191},
    {"mistral/mistral-embed", "mistral", 0.10, 0, kNone, kNone, 8192, 0, "embedding"},

    // Groq
    {"groq/llama-3.3-70b-versatile", "groq", 0.59, 0.79, kNone, kNone, 128000, 32768},
    {"groq/llama-3.1-8b-instant", "groq", 0.05, 0.08, kNone, kNone, 128000, 8192},
    {"groq/llama3-70b-8192", "groq", 0.59, 0.79, kNone, kNone, 8192, 8192},
    {"groq/llama3-8b-8192", "groq", 0.05, 0.08, kNone, kNone, 8192, 8192},
    {"groq/meta-llama/llama-4-scout-17b-16e-instruct", "groq", 0.11, 0.34, kNone, kNone, 131072, 8192},
    {"groq/meta-llama/llama-4-maverick-17b-128e-instruct", "groq", 0.20, 0.60, kNone, kNone, 131072, 8192},

    // DeepSeek (V3.2 prices from 2025-09-29; cache misses cost the input price)
    {"deepseek/deepseek-chat", "deepseek", 0.28, 0.42, 0.028, kNone, 128000, 8192},
    {"deepseek/deepseek-reasoner", "deepseek", 0.28, 0.42, 0.028, kNone, 128000, 64000},

    // xAI
    {"xai/grok-4", "xai", 3.00, 15.00, 0.75, kNone, 256000, 256000},
    {"xai/grok-4-0709", "xai", 3.00, 15.00, 0.75, kNone, 256000, 256000},
    {"xai/grok-4-fast-reasoning", "xai", 0.20, 0.50, 0.05, kNone, 2000000, 2000000},
    {"xai/grok-4-fast-non-reasoning", "xai", 0.20, 0.50, 0.05, kNone, 2000000, 2000000},
    {"xai/grok-3", "xai", 3.00, 15.00, 0.75, kNone, 131072, 131072},
    {"xai/grok-3-latest", "xai", 3.00, 15.00, 0.75, kNone, 131072, 131072},
    {"xai/grok-3-mini", "xai", 0.30, 0.50, 0.075, kNone, 131072, 131072},
    {"xai/grok-2-1212", "xai", 2.00, 10.00, kNone, kNone, 131072, 131072},
};

struct TierRow {
  const char* key;
  std::int64_t above_prompt_tokens;
  double input_per_m;
  double output_per_m;
  double cache_read_per_m;
  double cache_write_per_m;
};

constexpr TierRow kTiers[] = {
    {"gemini/gemini-1.5-pro", 128000, 2.50, 10.00, 0.625, kNone},
    {"gemini/gemini-1.5-flash", 128000, 0.15, 0.60, 0.0375, kNone},
    {"gemini/gemini-1.5-flash-8b", 128000, 0.075, 0.30, 0.02, kNone},
    {"gemini/gemini-2.5-pro", 200000, 2.50, 15.00, 0.25, kNone},
    {"gemini/gemini-3-pro-preview", 200000, 4.00, 18.00, 0.40, kNone},
    // Claude Sonnet 4 / 4.5 with the 1M-context beta
    {"claude-sonnet-4-20250514", 200000, 6.00, 22.50, 0.60, 7.50},
    {"claude-sonnet-4-0", 200000, 6.00, 22.50, 0.60, 7.50},
    {"claude-sonnet-4-5-20250929", 200000, 6.00, 22.50, 0.60, 7.50},
    {"claude-sonnet-4-5", 200000, 6.00, 22.50, 0.60, 7.50},
    {"xai/grok-4", 128000, 6.00, 30.00, kNone, kNone},
    {"xai/grok-4-0709", 128000, 6.00, 30.00, kNone, kNone},
    {"xai/grok-4-fast-reasoning", 128000, 0.40, 1.00, kNone, kNone},
    {"xai/grok-4-fast-non-reasoning", 128000, 0.40, 1.00, kNone, kNone},
};

constexpr double kPerMillion = 1e-6;

std::optional<double> per_token(double per_m) {
  if (per_m < 0) return std::nullopt;
  return per_m * kPerMillion;
}

PriceTable build() {
  PriceTable table;
  for (const Row& row : kRows) {
    Price p;
    p.input_per_token = row.input_per_m * kPerMillion;
    p.output_per_token = row.output_per_m * kPerMillion;
    p.cache_read_per_token = per_token(row.cache_read_per_m);
    p.cache_write_per_token = per_token(row.cache_write_per_m);
    p.max_input_tokens = row.max_input_tokens;
    if (row.max_output_tokens > 0) p.max_output_tokens = row.max_output_tokens;
    p.provider = row.provider;
    p.mode = row.mode;
    table.emplace(row.key, std::move(p));
  }
  for (const TierRow& tier : kTiers) {
    table.at(tier.key).tiers.push_back(
        PriceTier{tier.above_prompt_tokens, per_token(tier.input_per_m), per_token(tier.output_per_m),
                  per_token(tier.cache_read_per_m), per_token(tier.cache_write_per_m)});
  }
  add_media_prices(table);
  return table;
}

}  // namespace

const PriceTable& builtin_prices() {
  static const PriceTable table = build();
  return table;
}

}  // namespace llmux::pricing
