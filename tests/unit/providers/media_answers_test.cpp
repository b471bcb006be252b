// What a media answer used (providers/media_answers.hpp) and how long an upload plays
// (providers/audio_duration.hpp): read from the answer or the request, hostile values held.

#include <gtest/gtest.h>

#include "api/media_request.hpp"
#include "providers/audio_duration.hpp"
#include "providers/endpoint_support.hpp"
#include "providers/media_answers.hpp"
#include "providers/openai_compatible.hpp"

namespace llmux::providers {
namespace {

std::string wav(std::uint32_t byte_rate, std::uint32_t data_bytes, std::uint32_t declared) {
  std::string out = "RIFF____WAVE";
  const auto le32 = [&](std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
  };
  out += "LIST";
  le32(3);
  out += "abc";
  out += '\0';  // an odd chunk is padded
  out += "fmt ";
  le32(16);
  out += std::string("\x01\x00\x01\x00", 4);
  le32(byte_rate / 2);
  le32(byte_rate);
  out += std::string("\x02\x00\x10\x00", 4);
  out += "data";
  le32(declared);
  out += std::string(data_bytes, '\x01');
  return out;
}

TEST(AudioDuration, WavHeaderOrSize) {
  EXPECT_DOUBLE_EQ(*wav_seconds(wav(16000, 48000, 48000)), 3.0);
  // A streamed WAV declares 0 or more than it holds: the bytes present count.
  EXPECT_DOUBLE_EQ(*wav_seconds(wav(16000, 16000, 0xFFFFFFFF)), 1.0);
  EXPECT_FALSE(wav_seconds(wav(0, 100, 100)));
  EXPECT_FALSE(wav_seconds("RIFF"));
  EXPECT_FALSE(wav_seconds(std::string("RIFF\xff\xff\xff\xffWAVE", 12) + std::string("junk\xff\xff\xff\xff", 8)));
  EXPECT_DOUBLE_EQ(likely_audio_seconds(std::string(32000, 'x')), 2.0);
  EXPECT_DOUBLE_EQ(reserved_audio_seconds(std::string(32000, 'x')), 8.0);
}

TEST(MediaAnswers, TranscriptDurationFromEachFormat) {
  api::RequestView request;
  EXPECT_DOUBLE_EQ(media_answer_usage(api::Endpoint::audio_transcriptions, request, R"({"text":"a","duration":12.5})")
                       .audio_seconds,
                   12.5);
  EXPECT_DOUBLE_EQ(media_answer_usage(api::Endpoint::audio_transcriptions, request,
                                      R"({"text":"a","usage":{"type":"duration","seconds":7}})")
                       .audio_seconds,
                   7);
  const Usage tokens = media_answer_usage(api::Endpoint::audio_transcriptions, request,
                                          R"({"text":"a","usage":{"type":"tokens","input_tokens":40,"output_tokens":5}})");
  EXPECT_EQ(tokens.prompt_tokens, 40);
  EXPECT_EQ(tokens.completion_tokens, 5);
  EXPECT_DOUBLE_EQ(media_answer_usage(api::Endpoint::audio_translations, request,
                                      "1\n00:00:00,000 --> 00:01:02,500\nhello\n\n")
                       .audio_seconds,
                   62.5);
  EXPECT_DOUBLE_EQ(*last_cue_end_seconds("WEBVTT\n\n00:00.000 --> 01:05.250\nhi\n"), 65.25);
  // Hostile: a negative or absurd duration, an arrow inside a JSON transcript.
  EXPECT_DOUBLE_EQ(media_answer_usage(api::Endpoint::audio_transcriptions, request, R"({"duration":1e300})").audio_seconds,
                   86400);
  EXPECT_DOUBLE_EQ(media_answer_usage(api::Endpoint::audio_transcriptions, request, R"({"duration":-4})").audio_seconds,
                   0);
  EXPECT_DOUBLE_EQ(
      media_answer_usage(api::Endpoint::audio_transcriptions, request, R"({"text":"--> 23:59:59,000"})").audio_seconds, 0);
  EXPECT_FALSE(last_cue_end_seconds("--> 99999999999:00:00"));
}

TEST(MediaAnswers, ImagesRerankAndSpeech) {
  api::RequestView request;
  const Usage images = media_answer_usage(
      api::Endpoint::image_generations, request,
      R"({"created":1,"data":[{"url":"a"},{"url":"b"}],"usage":{"input_tokens":50,"output_tokens":544,)"
      R"("input_tokens_details":{"text_tokens":40,"image_tokens":10}}})");
  EXPECT_EQ(images.images, 2);
  EXPECT_EQ(images.prompt_tokens, 40);
  EXPECT_EQ(images.image_input_tokens, 10);
  EXPECT_EQ(images.completion_tokens, 544);
  const Usage lying = media_answer_usage(api::Endpoint::image_generations, request,
                                         R"({"data":[],"usage":{"input_tokens":5,"input_tokens_details":{"image_tokens":900}}})");
  EXPECT_EQ(lying.image_input_tokens, 5);  // never more image tokens than input tokens
  EXPECT_EQ(lying.prompt_tokens, 0);

  EXPECT_EQ(media_answer_usage(api::Endpoint::rerank, request, R"({"results":[],"meta":{"billed_units":{"search_units":3}}})")
                .queries,
            3);
  const Usage vllm = media_answer_usage(api::Endpoint::rerank, request, R"({"results":[],"usage":{"total_tokens":120}})");
  EXPECT_EQ(vllm.queries, 1);
  EXPECT_EQ(vllm.prompt_tokens, 120);

  request.media.characters = 30;
  const Usage speech = media_answer_usage(api::Endpoint::audio_speech, request, "");
  EXPECT_EQ(speech.characters, 30);
  EXPECT_EQ(speech.prompt_tokens, 8);
  EXPECT_DOUBLE_EQ(speech.speech_seconds, 2);
}

TEST(EndpointSupport, FamiliesAndRerankPaths) {
  config::Deployment anthropic;
  anthropic.family = config::ProviderFamily::anthropic;
  anthropic.provider = "anthropic";
  EXPECT_TRUE(serves_endpoint(anthropic, api::Endpoint::completions));
  EXPECT_FALSE(serves_endpoint(anthropic, api::Endpoint::audio_speech));
  EXPECT_FALSE(serves_endpoint(anthropic, api::Endpoint::embeddings));
  config::Deployment cohere;
  cohere.provider = "cohere";
  EXPECT_TRUE(serves_endpoint(cohere, api::Endpoint::rerank));
  EXPECT_FALSE(serves_endpoint(cohere, api::Endpoint::chat_completions));
  EXPECT_EQ(rerank_path(cohere, ""), "/v1/rerank");
  EXPECT_EQ(rerank_path(cohere, "/v1"), "/rerank");
  EXPECT_EQ(rerank_path(cohere, "/v1/rerank"), "");
  config::Deployment vllm;
  vllm.provider = "hosted_vllm";
  EXPECT_EQ(rerank_path(vllm, "/v1"), "/rerank");
  EXPECT_TRUE(serves_endpoint(vllm, api::Endpoint::image_edits));
}

}  // namespace
}  // namespace llmux::providers
