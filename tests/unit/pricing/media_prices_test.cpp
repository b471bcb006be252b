// The media endpoints' prices: LiteLLM's per-image (by size and quality), per-second,
// per-character and per-query fields, from the built-in table as a call is priced.

#include <gtest/gtest.h>

#include "pricing/image_prices.hpp"
#include "pricing/price_book.hpp"

namespace llmux::pricing {
namespace {

config::Deployment openai(std::string model, std::string provider = "openai") {
  config::Deployment d;
  d.provider = std::move(provider);
  d.upstream_model = std::move(model);
  return d;
}

double image_cost(const PriceBook& book, const std::string& model, std::string_view size, std::string_view quality,
                  std::int64_t n) {
  const PriceLookup found = image_price(book, openai(model), {}, {size, quality});
  EXPECT_TRUE(found.known) << model;
  return cost(found.price, Usage{.images = n});
}

TEST(MediaPrices, ImagesBySizeAndQualityPerPixelOrPerImage) {
  const PriceBook book;
  // hd/1024-x-1792/dall-e-3: 6.539e-08 per pixel.
  EXPECT_NEAR(image_cost(book, "dall-e-3", "1024x1792", "hd", 2), 2 * 6.539e-08 * 1024 * 1792, 1e-12);
  // No size or quality: standard 1024x1024, $0.04.
  EXPECT_NEAR(image_cost(book, "dall-e-3", "", "", 1), 0.04, 1e-6);
  EXPECT_NEAR(image_cost(book, "dall-e-3", "auto", "auto", 3), 0.12, 1e-6);
  // gpt-image-1 is priced per image by its quality entries; unspecified quality is medium.
  EXPECT_DOUBLE_EQ(image_cost(book, "gpt-image-1", "1536x1024", "high", 1), 0.25);
  EXPECT_DOUBLE_EQ(image_cost(book, "gpt-image-1", "1024x1024", "", 2), 0.084);
  // dall-e-2 has no quality entries: by size, then per image.
  EXPECT_NEAR(image_cost(book, "dall-e-2", "256x256", "", 1), 2.4414e-07 * 256 * 256, 1e-12);
  EXPECT_DOUBLE_EQ(image_cost(book, "dall-e-2", "640x480", "", 1), 0.02);
  // A junk size is the default square, never a huge pixel count.
  EXPECT_NEAR(image_cost(book, "dall-e-3", "99999999x99999999", "hd", 1), 7.629e-08 * 1024 * 1024, 1e-12);
}

TEST(MediaPrices, ImageTokensAtTheImageTokenPrices) {
  const PriceBook book;
  const PriceLookup base = book.for_deployment(openai("gpt-image-1"));
  ASSERT_TRUE(base.known);
  const Usage usage{.prompt_tokens = 10, .completion_tokens = 272, .images = 1, .image_input_tokens = 65};
  EXPECT_NEAR(cost(base.price, usage), 10 * 5e-06 + 65 * 1e-05 + 272 * 4e-05, 1e-12);
}

TEST(MediaPrices, SecondsCharactersAndQueries) {
  const PriceBook book;
  EXPECT_NEAR(book.cost(openai("whisper-1"), Usage{.audio_seconds = 90}).usd, 0.009, 1e-12);
  EXPECT_NEAR(book.cost(openai("tts-1"), Usage{.characters = 1000}).usd, 0.015, 1e-12);
  EXPECT_NEAR(book.cost(openai("tts-1-hd"), Usage{.characters = 1000}).usd, 0.03, 1e-12);
  EXPECT_NEAR(book.cost(openai("gpt-4o-mini-tts"), Usage{.prompt_tokens = 250, .speech_seconds = 60}).usd,
              250 * 2.5e-06 + 60 * 0.00025, 1e-12);
  EXPECT_NEAR(book.cost(openai("rerank-v3.5", "cohere"), Usage{.queries = 3}).usd, 0.006, 1e-12);
  const Cost moderation = book.cost(openai("omni-moderation-latest"), Usage{.prompt_tokens = 100});
  EXPECT_TRUE(moderation.known);
  EXPECT_EQ(moderation.usd, 0);
  // Junk units bill nothing rather than something absurd.
  EXPECT_EQ(book.cost(openai("whisper-1"), Usage{.audio_seconds = -5}).usd, 0);
  EXPECT_EQ(book.cost(openai("whisper-1"), Usage{.audio_seconds = std::numeric_limits<double>::quiet_NaN()}).usd, 0);
  EXPECT_EQ(book.cost(openai("tts-1"), Usage{.characters = -1000}).usd, 0);
}

}  // namespace
}  // namespace llmux::pricing
