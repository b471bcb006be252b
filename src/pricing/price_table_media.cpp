// The built-in prices of the media models (images, audio, moderation, rerank), in LiteLLM's
// fields and with LiteLLM's model_prices_and_context_window.json values (2026-07): what it
// charges is what llmux charges. Per image, pixel, second, character or query, as the map says.

#include "pricing/price_table_media.hpp"

namespace llmux::pricing {
namespace {

constexpr double kNone = -1;

struct MediaRow {
  const char* key;
  const char* provider;
  const char* mode;
  double per_image = kNone;
  double per_pixel = kNone;
  double per_second = kNone;
  double output_per_second = kNone;
  double per_character = kNone;
  double per_query = kNone;
  double input_per_token = kNone;
  double output_per_token = kNone;
  double input_per_image_token = kNone;
  double output_per_image_token = kNone;
  double cache_read_per_token = kNone;
};

MediaRow image(const char* key, double per_image) { return {key, "openai", "image_generation", per_image}; }
MediaRow pixel(const char* key, double per_pixel) { return {key, "openai", "image_generation", kNone, per_pixel}; }

const MediaRow* rows(std::size_t& count) {
  static const MediaRow table[] = {
      image("dall-e-2", 0.02),
      pixel("256-x-256/dall-e-2", 2.4414e-07),
      pixel("512-x-512/dall-e-2", 6.86e-08),
      pixel("1024-x-1024/dall-e-2", 1.9e-08),
      image("dall-e-3", 0.04),
      pixel("standard/1024-x-1024/dall-e-3", 3.81469e-08),
      pixel("standard/1024-x-1792/dall-e-3", 4.359e-08),
      pixel("standard/1792-x-1024/dall-e-3", 4.359e-08),
      pixel("hd/1024-x-1024/dall-e-3", 7.629e-08),
      pixel("hd/1024-x-1792/dall-e-3", 6.539e-08),
      pixel("hd/1792-x-1024/dall-e-3", 6.539e-08),
      {"gpt-image-1", "openai", "image_generation", kNone, kNone, kNone, kNone, kNone, kNone, 5e-06, kNone, 1e-05,
       4e-05, 1.25e-06},
      image("low/1024-x-1024/gpt-image-1", 0.011),
      image("low/1024-x-1536/gpt-image-1", 0.016),
      image("low/1536-x-1024/gpt-image-1", 0.016),
      image("medium/1024-x-1024/gpt-image-1", 0.042),
      image("medium/1024-x-1536/gpt-image-1", 0.063),
      image("medium/1536-x-1024/gpt-image-1", 0.063),
      image("high/1024-x-1024/gpt-image-1", 0.167),
      image("high/1024-x-1536/gpt-image-1", 0.25),
      image("high/1536-x-1024/gpt-image-1", 0.25),
      {"gpt-image-1-mini", "openai", "image_generation", kNone, kNone, kNone, kNone, kNone, kNone, 2e-06, kNone,
       2.5e-06, 8e-06, 2e-07},
      image("low/1024-x-1024/gpt-image-1-mini", 0.005),
      image("low/1024-x-1536/gpt-image-1-mini", 0.006),
      image("low/1536-x-1024/gpt-image-1-mini", 0.006),
      image("medium/1024-x-1024/gpt-image-1-mini", 0.011),
      image("medium/1024-x-1536/gpt-image-1-mini", 0.015),
      image("medium/1536-x-1024/gpt-image-1-mini", 0.015),

      {"whisper-1", "openai", "audio_transcription", kNone, kNone, 0.0001, 0.0001},
      {"gpt-4o-transcribe", "openai", "audio_transcription", kNone, kNone, kNone, kNone, kNone, kNone, 2.5e-06,
       1e-05},
      {"gpt-4o-mini-transcribe", "openai", "audio_transcription", kNone, kNone, kNone, kNone, kNone, kNone, 1.25e-06,
       5e-06},
      {"tts-1", "openai", "audio_speech", kNone, kNone, kNone, kNone, 1.5e-05},
      {"tts-1-hd", "openai", "audio_speech", kNone, kNone, kNone, kNone, 3e-05},
      {"gpt-4o-mini-tts", "openai", "audio_speech", kNone, kNone, kNone, 0.00025, kNone, kNone, 2.5e-06, 1e-05},

      {"omni-moderation-latest", "openai", "moderation", kNone, kNone, kNone, kNone, kNone, kNone, 0, 0},
      {"omni-moderation-2024-09-26", "openai", "moderation", kNone, kNone, kNone, kNone, kNone, kNone, 0, 0},
      {"text-moderation-latest", "openai", "moderation", kNone, kNone, kNone, kNone, kNone, kNone, 0, 0},
      {"text-moderation-stable", "openai", "moderation", kNone, kNone, kNone, kNone, kNone, kNone, 0, 0},
      {"text-moderation-007", "openai", "moderation", kNone, kNone, kNone, kNone, kNone, kNone, 0, 0},

      {"rerank-v3.5", "cohere", "rerank", kNone, kNone, kNone, kNone, kNone, 0.002, 0, 0},
      {"rerank-english-v3.0", "cohere", "rerank", kNone, kNone, kNone, kNone, kNone, 0.002, 0, 0},
      {"rerank-multilingual-v3.0", "cohere", "rerank", kNone, kNone, kNone, kNone, kNone, 0.002, 0, 0},
      {"rerank-english-v2.0", "cohere", "rerank", kNone, kNone, kNone, kNone, kNone, 0.002, 0, 0},
      {"rerank-multilingual-v2.0", "cohere", "rerank", kNone, kNone, kNone, kNone, kNone, 0.002, 0, 0},
      {"jina-reranker-v2-base-multilingual", "jina_ai", "rerank", kNone, kNone, kNone, kNone, kNone, kNone, 1.8e-08,
       1.8e-08},
  };
  count = std::size(table);
  return table;
}

std::optional<double> given(double value) {
  if (value < 0) return std::nullopt;
  return value;
}

}  // namespace

void add_media_prices(PriceTable& table) {
  std::size_t count = 0;
  const MediaRow* table_rows = rows(count);
  for (std::size_t i = 0; i < count; ++i) {
    const MediaRow& row = table_rows[i];
    Price price;
    price.provider = row.provider;
    price.mode = row.mode;
    price.input_per_token = given(row.input_per_token).value_or(0);
    price.output_per_token = given(row.output_per_token).value_or(0);
    price.cache_read_per_token = given(row.cache_read_per_token);
    price.per_image = given(row.per_image);
    price.per_pixel = given(row.per_pixel);
    price.per_second = given(row.per_second);
    price.output_per_second = given(row.output_per_second);
    price.per_character = given(row.per_character);
    price.per_query = given(row.per_query);
    price.input_per_image_token = given(row.input_per_image_token);
    price.output_per_image_token = given(row.output_per_image_token);
    table.insert_or_assign(row.key, std::move(price));
  }
}

}  // namespace llmux::pricing
