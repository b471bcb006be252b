#include <gtest/gtest.h>

#include "pricing/price_book.hpp"
#include "pricing/price_table.hpp"

namespace llmux::pricing {
namespace {

PriceTable loaded(std::string_view json) {
  auto result = load_litellm_prices(json);
  if (auto* e = std::get_if<PriceLoadError>(&result)) ADD_FAILURE() << e->message;
  return std::get_if<PriceTable>(&result) ? std::get<PriceTable>(result) : PriceTable{};
}

std::string error_of(std::string_view json) {
  auto result = load_litellm_prices(json);
  if (auto* e = std::get_if<PriceLoadError>(&result)) return e->message;
  ADD_FAILURE() << "loaded, expected an error";
  return {};
}

// The shape of LiteLLM's model_prices_and_context_window.json, entries abridged from it.
constexpr std::string_view kSample = R"({
  "sample_spec": {
    "input_cost_per_token": 0.0,
    "litellm_provider": "one of https://docs.litellm.ai/docs/providers",
    "max_input_tokens": "max input tokens, if the provider specifies it. if not default to max_tokens",
    "max_tokens": "LEGACY parameter."
  },
  "gpt-4o": {
    "cache_read_input_token_cost": 1.25e-06,
    "input_cost_per_token": 2.5e-06,
    "litellm_provider": "openai",
    "max_input_tokens": 128000,
    "max_output_tokens": 16384,
    "max_tokens": 16384,
    "mode": "chat",
    "output_cost_per_token": 1e-05,
    "supports_vision": true
  },
  "claude-sonnet-4-20250514": {
    "cache_creation_input_token_cost": 3.75e-06,
    "cache_creation_input_token_cost_above_200k_tokens": 7.5e-06,
    "cache_read_input_token_cost": 3e-07,
    "cache_read_input_token_cost_above_200k_tokens": 6e-07,
    "input_cost_per_token": 3e-06,
    "input_cost_per_token_above_200k_tokens": 6e-06,
    "output_cost_per_token_above_200k_tokens": 2.25e-05,
    "litellm_provider": "anthropic",
    "max_input_tokens": 1000000,
    "max_output_tokens": 64000,
    "mode": "chat",
    "output_cost_per_token": 1.5e-05
  },
  "text-embedding-3-small": {
    "input_cost_per_token": 2e-08,
    "litellm_provider": "openai",
    "max_input_tokens": 8191,
    "max_tokens": 8191,
    "mode": "embedding",
    "output_cost_per_token": 0.0,
    "output_vector_size": 1536
  },
  "groq/llama-3.1-8b-instant": {
    "input_cost_per_token": "5e-08",
    "litellm_provider": "groq",
    "max_tokens": 8192,
    "mode": "chat",
    "output_cost_per_token": 8e-08,
    "max_input_tokens": null
  },
  "256-x-256/dall-e-2": {
    "input_cost_per_pixel": 2.4414e-07,
    "litellm_provider": "openai",
    "mode": "image_generation",
    "output_cost_per_pixel": 0.0
  }
})";

TEST(LoadLitellmPrices, ReadsTheFieldsLlmuxUses) {
  const PriceTable t = loaded(kSample);
  ASSERT_EQ(t.size(), 5u);  // sample_spec skipped; the per-pixel image model is priced now
  const Price& p = t.at("gpt-4o");
  EXPECT_DOUBLE_EQ(p.input_per_token, 2.5e-06);
  EXPECT_DOUBLE_EQ(p.output_per_token, 1e-05);
  EXPECT_DOUBLE_EQ(*p.cache_read_per_token, 1.25e-06);
  EXPECT_FALSE(p.cache_write_per_token.has_value());
  EXPECT_EQ(p.max_input_tokens, 128000);
  EXPECT_EQ(p.max_output_tokens, 16384);
  EXPECT_EQ(p.provider, "openai");
  EXPECT_EQ(p.mode, "chat");
  EXPECT_EQ(t.at("text-embedding-3-small").mode, "embedding");
  EXPECT_FALSE(t.count("sample_spec"));
  ASSERT_TRUE(t.count("256-x-256/dall-e-2"));
  EXPECT_DOUBLE_EQ(*t.at("256-x-256/dall-e-2").per_pixel, 2.4414e-07);
}

TEST(LoadLitellmPrices, ReadsTheMediaPrices) {
  const PriceTable t = loaded(R"({
    "dall-e-3": {"input_cost_per_image": 0.04, "litellm_provider": "openai", "mode": "image_generation"},
    "vertex/img": {"output_cost_per_image": 0.03, "input_cost_per_image": 0.01},
    "whisper-1": {"input_cost_per_second": 0.0001, "output_cost_per_second": 0.0001, "mode": "audio_transcription"},
    "tts-1": {"input_cost_per_character": 1.5e-05, "mode": "audio_speech"},
    "rerank-v3.5": {"input_cost_per_query": "0.002", "input_cost_per_token": 0.0, "litellm_provider": "cohere"},
    "gpt-image-1": {"input_cost_per_token": 5e-06, "input_cost_per_image_token": 1e-05,
                    "output_cost_per_image_token": 4e-05},
    "nothing": {"mode": "chat"}
  })");
  EXPECT_DOUBLE_EQ(*t.at("dall-e-3").per_image, 0.04);
  EXPECT_DOUBLE_EQ(*t.at("vertex/img").per_image, 0.03);  // the output price, as LiteLLM bills it
  EXPECT_DOUBLE_EQ(*t.at("whisper-1").per_second, 0.0001);
  EXPECT_DOUBLE_EQ(*t.at("tts-1").per_character, 1.5e-05);
  EXPECT_DOUBLE_EQ(*t.at("rerank-v3.5").per_query, 0.002);
  EXPECT_DOUBLE_EQ(*t.at("gpt-image-1").output_per_image_token, 4e-05);
  EXPECT_FALSE(t.count("nothing"));
  EXPECT_NE(error_of(R"({"m": {"input_cost_per_second": -1}})").find("input_cost_per_second must not be negative"),
            std::string::npos);
}

TEST(LoadLitellmPrices, ReadsLongContextTiers) {
  const PriceTable t = loaded(kSample);
  const Price& p = t.at("claude-sonnet-4-20250514");
  ASSERT_EQ(p.tiers.size(), 1u);
  EXPECT_EQ(p.tiers[0].above_prompt_tokens, 200000);
  EXPECT_DOUBLE_EQ(*p.tiers[0].input_per_token, 6e-06);
  EXPECT_DOUBLE_EQ(*p.tiers[0].output_per_token, 2.25e-05);
  EXPECT_DOUBLE_EQ(*p.tiers[0].cache_read_per_token, 6e-07);
  EXPECT_DOUBLE_EQ(*p.tiers[0].cache_write_per_token, 7.5e-06);
}

TEST(LoadLitellmPrices, NumericStringsNullsAndLegacyMaxTokens) {
  const PriceTable t = loaded(kSample);
  const Price& p = t.at("groq/llama-3.1-8b-instant");
  EXPECT_DOUBLE_EQ(p.input_per_token, 5e-08);
  EXPECT_FALSE(p.max_input_tokens.has_value());
  EXPECT_EQ(p.max_output_tokens, 8192);  // from max_tokens
}

TEST(LoadLitellmPrices, LoadedTableServesLookups) {
  PriceBook book(PriceTable{});
  book.add(loaded(kSample));
  EXPECT_TRUE(book.find("groq", "llama-3.1-8b-instant").known);
  EXPECT_TRUE(book.find("openai", "gpt-4o").known);
  EXPECT_FALSE(book.find("openai", "dall-e-2").known);
}

TEST(LoadLitellmPrices, InvalidJsonNamesTheLineAndColumn) {
  const std::string e = error_of("{\n  \"gpt-4o\": {\"input_cost_per_token\": 1e-6,}\n}");
  EXPECT_NE(e.find("model price map: invalid JSON at 2:"), std::string::npos) << e;
}

TEST(LoadLitellmPrices, RefusesWrongShapes) {
  EXPECT_NE(error_of("[1, 2]").find("expected a JSON object of model name -> prices, got array"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"gpt-4o": 5})").find("\"gpt-4o\": expected an object, got 5"), std::string::npos);
  EXPECT_EQ(error_of(R"({"m": {"input_cost_per_token": "cheap"}})"),
            "model price map: \"m\": input_cost_per_token must be a number (got string \"cheap\")");
  EXPECT_EQ(error_of(R"({"m": {"output_cost_per_token": -1}})"),
            "model price map: \"m\": output_cost_per_token must not be negative (got -1)");
  EXPECT_EQ(error_of(R"({"m": {"input_cost_per_token": 1e-6, "litellm_provider": 3}})"),
            "model price map: \"m\": litellm_provider must be a string (got 3)");
  EXPECT_EQ(error_of(R"({"m": {"input_cost_per_token": 1e-6, "max_input_tokens": true}})"),
            "model price map: \"m\": max_input_tokens must be a number (got bool)");
  // Token counts become integers only when they are whole and in range (no truncating cast).
  EXPECT_NE(error_of(R"({"m": {"input_cost_per_token": 1e-6, "max_input_tokens": 1.5}})")
                .find("max_input_tokens must be a non-negative whole token count"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"m": {"input_cost_per_token": 1e-6, "max_output_tokens": 1e400}})")
                .find("max_output_tokens must be a non-negative whole token count"),
            std::string::npos);
}

TEST(LoadLitellmPrices, RefusesAMapWithNoTokenPricedModel) {
  EXPECT_EQ(error_of(R"({"sample_spec": {}})"),
            "model price map: no model priced (per token, image, second, character or query)");
  EXPECT_NE(error_of("").find("invalid JSON"), std::string::npos);
}

}  // namespace
}  // namespace llmux::pricing
