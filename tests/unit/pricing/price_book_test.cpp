#include "pricing/price_book.hpp"

#include <gtest/gtest.h>

namespace llmux::pricing {
namespace {

constexpr double kM = 1e-6;

Price listed(double input, std::string provider, double output = 0) {
  Price p;
  p.input_per_token = input;
  p.output_per_token = output;
  p.provider = std::move(provider);
  return p;
}

config::Deployment deployment(std::string provider, std::string model) {
  config::Deployment d;
  d.provider = std::move(provider);
  d.upstream_model = std::move(model);
  d.litellm_model = d.provider + "/" + d.upstream_model;
  return d;
}

TEST(BuiltinPrices, CoverTheMajorHostedModels) {
  const PriceBook book;
  for (const auto& [provider, model] :
       std::vector<std::pair<std::string, std::string>>{{"openai", "gpt-4o"},
                                                        {"openai", "gpt-4o-mini"},
                                                        {"openai", "gpt-4.1"},
                                                        {"openai", "gpt-4.1-mini"},
                                                        {"openai", "o1"},
                                                        {"openai", "o3"},
                                                        {"openai", "o3-mini"},
                                                        {"openai", "o4-mini"},
                                                        {"openai", "gpt-3.5-turbo"},
                                                        {"openai", "text-embedding-3-small"},
                                                        {"openai", "text-embedding-3-large"},
                                                        {"anthropic", "claude-3-5-sonnet-20241022"},
                                                        {"anthropic", "claude-3-5-haiku-20241022"},
                                                        {"anthropic", "claude-3-opus-20240229"},
                                                        {"anthropic", "claude-3-haiku-20240307"},
                                                        {"anthropic", "claude-3-7-sonnet-20250219"},
                                                        {"anthropic", "claude-sonnet-4-20250514"},
                                                        {"anthropic", "claude-opus-4-20250514"},
                                                        {"gemini", "gemini-1.5-pro"},
                                                        {"gemini", "gemini-1.5-flash"},
                                                        {"gemini", "gemini-2.0-flash"},
                                                        {"gemini", "gemini-2.5-pro"},
                                                        {"gemini", "gemini-2.5-flash"},
                                                        {"mistral", "mistral-large-latest"},
                                                        {"mistral", "mistral-small-latest"},
                                                        {"groq", "llama-3.3-70b-versatile"},
                                                        {"deepseek", "deepseek-chat"},
                                                        {"deepseek", "deepseek-reasoner"},
                                                        {"xai", "grok-3"}}) {
    const auto found = book.find(provider, model);
    EXPECT_TRUE(found.known) << provider << "/" << model;
    EXPECT_GT(found.price.input_per_token, 0) << provider << "/" << model;
    EXPECT_TRUE(found.price.max_input_tokens.has_value()) << provider << "/" << model;
  }
}

TEST(BuiltinPrices, AnthropicModelsHaveCacheReadAndWritePrices) {
  const auto found = PriceBook().find("anthropic", "claude-3-5-sonnet-20241022");
  ASSERT_TRUE(found.known);
  EXPECT_DOUBLE_EQ(found.price.input_per_token, 3 * kM);
  EXPECT_DOUBLE_EQ(found.price.output_per_token, 15 * kM);
  EXPECT_DOUBLE_EQ(*found.price.cache_read_per_token, 0.30 * kM);
  EXPECT_DOUBLE_EQ(*found.price.cache_write_per_token, 3.75 * kM);
  EXPECT_EQ(found.price.max_output_tokens, 8192);
}

TEST(PriceBookFind, ProviderPrefixedKeyFirstThenBareName) {
  PriceTable t;
  t["gpt-4o"] = listed(1, "openai");
  t["azure/gpt-4o"] = listed(2, "azure");
  const PriceBook book(t);
  EXPECT_EQ(book.find("azure", "gpt-4o").matched_key, "azure/gpt-4o");
  EXPECT_EQ(book.find("openai", "gpt-4o").matched_key, "gpt-4o");
  EXPECT_EQ(book.find("", "gpt-4o").matched_key, "gpt-4o");
  EXPECT_EQ(book.find("", "azure/gpt-4o").matched_key, "azure/gpt-4o");
}

TEST(PriceBookFind, BareNameOfAnotherProviderIsNotUsed) {
  // A self-hosted model must not pick up OpenAI's list price because of its name.
  EXPECT_FALSE(PriceBook().find("hosted_vllm", "gpt-4o").known);
  EXPECT_FALSE(PriceBook().find("azure", "gpt-4o").known);
}

TEST(PriceBookFind, ProviderNamesThatAgreeMatch) {
  PriceTable t;
  t["text-bison"] = listed(1, "vertex_ai-text-models");
  t["gpt-3.5-turbo-instruct"] = listed(1, "text-completion-openai");
  const PriceBook book(t);
  EXPECT_TRUE(book.find("vertex_ai", "text-bison").known);
  EXPECT_TRUE(book.find("openai", "gpt-3.5-turbo-instruct").known);
  EXPECT_FALSE(book.find("vertex", "text-bison").known);
}

TEST(PriceBookFind, DatedSnapshotsFallBackToTheUndatedModel) {
  const PriceBook book;
  EXPECT_EQ(book.find("openai", "gpt-4.1-mini-2025-04-14").matched_key, "gpt-4.1-mini-2025-04-14");  // listed
  EXPECT_EQ(book.find("openai", "gpt-4o-mini-2099-01-01").matched_key, "gpt-4o-mini");
  EXPECT_EQ(book.find("anthropic", "claude-3-7-sonnet-20990101").matched_key, "");  // no undated entry
  EXPECT_EQ(book.find("openai", "gpt-4-0613").matched_key, "gpt-4");
  EXPECT_EQ(book.find("xai", "grok-3-mini-0101").matched_key, "xai/grok-3-mini");
}

TEST(StripDateSuffix, KnownShapesOnly) {
  EXPECT_EQ(strip_date_suffix("gpt-4o-2024-08-06"), "gpt-4o");
  EXPECT_EQ(strip_date_suffix("claude-3-5-sonnet-20241022"), "claude-3-5-sonnet");
  EXPECT_EQ(strip_date_suffix("claude-3-5-sonnet@20241022"), "claude-3-5-sonnet");
  EXPECT_EQ(strip_date_suffix("gpt-3.5-turbo-0125"), "gpt-3.5-turbo");
  EXPECT_EQ(strip_date_suffix("llama3-70b-8192"), std::nullopt);  // "8192" is no month-day
  EXPECT_EQ(strip_date_suffix("gpt-4o"), std::nullopt);
  EXPECT_EQ(strip_date_suffix("gemini-1.5-pro-002"), std::nullopt);
}

TEST(PriceBookFind, UnknownModelCostsZeroAndSaysSo) {
  const PriceBook book;
  const auto c =
      book.cost("openai", "no-such-model", Usage{.prompt_tokens = 1000, .completion_tokens = 1000});
  EXPECT_FALSE(c.known);
  EXPECT_EQ(c.usd, 0.0);
  EXPECT_FALSE(book.for_deployment(deployment("hosted_vllm", "meta-llama/Llama-3.1-8B")).known);
}

TEST(PriceBookDeployment, ModelInfoOverridesWin) {
  auto d = deployment("openai", "gpt-4o");
  d.model_info.input_cost_per_token = 1 * kM;
  const auto found = PriceBook().for_deployment(d);
  ASSERT_TRUE(found.known);
  EXPECT_DOUBLE_EQ(found.price.input_per_token, 1 * kM);
  EXPECT_DOUBLE_EQ(found.price.output_per_token, 10 * kM);         // still the table's
  EXPECT_DOUBLE_EQ(*found.price.cache_read_per_token, 1.25 * kM);  // still the table's
  const auto c = PriceBook().cost(d, Usage{.prompt_tokens = 1000, .completion_tokens = 100});
  EXPECT_TRUE(c.known);
  EXPECT_DOUBLE_EQ(c.usd, 1000 * 1 * kM + 100 * 10 * kM);
}

TEST(PriceBookDeployment, OverridesPriceAnUnknownSelfHostedModel) {
  auto d = deployment("hosted_vllm", "meta-llama/Llama-3.1-8B");
  d.model_info.input_cost_per_token = 0.0;
  d.model_info.output_cost_per_token = 0.0;
  d.model_info.max_input_tokens = 8192;
  const auto found = PriceBook().for_deployment(d);
  EXPECT_TRUE(found.known);
  EXPECT_EQ(found.matched_key, "");
  EXPECT_EQ(found.price.max_input_tokens, 8192);
  EXPECT_EQ(PriceBook().cost(d, Usage{.prompt_tokens = 5, .completion_tokens = 5}).usd, 0.0);
}

TEST(PriceBookDeployment, ConfiguredCachePricesOverrideTheTables) {
  auto d = deployment("openai", "gpt-4o");
  d.model_info.cache_read_input_token_cost = 0.5 * kM;
  d.model_info.cache_creation_input_token_cost = 4 * kM;
  const auto found = PriceBook().for_deployment(d);
  EXPECT_DOUBLE_EQ(*found.price.cache_read_per_token, 0.5 * kM);
  EXPECT_DOUBLE_EQ(*found.price.cache_write_per_token, 4 * kM);
  EXPECT_DOUBLE_EQ(found.price.input_per_token, 2.5 * kM);  // still the table's
}

TEST(PriceBookDeployment, OverriddenPriceDropsListTiers) {
  auto d = deployment("gemini", "gemini-2.5-pro");
  ASSERT_FALSE(PriceBook().for_deployment(d).price.tiers.empty());
  d.model_info.output_cost_per_token = 5 * kM;
  EXPECT_TRUE(PriceBook().for_deployment(d).price.tiers.empty());
}

TEST(PriceBookAdd, OverlayReplacesBuiltins) {
  PriceBook book;
  const std::size_t before = book.size();
  PriceTable overlay;
  overlay["gpt-4o"] = listed(9 * kM, "openai", 9 * kM);
  overlay["my-model"] = listed(1 * kM, "openai");
  book.add(overlay);
  EXPECT_EQ(book.size(), before + 1);
  EXPECT_DOUBLE_EQ(book.find("openai", "gpt-4o").price.input_per_token, 9 * kM);
  EXPECT_TRUE(book.find("openai", "my-model").known);
}

}  // namespace
}  // namespace llmux::pricing
