// The JSON media bodies as read_request reads them: the required member of each endpoint, the
// facts pricing needs (n, size, quality, speech characters, rerank documents), wrong types.

#include <gtest/gtest.h>

#include "api/media_request.hpp"

namespace llmux::api {
namespace {

std::variant<RequestView, RequestError> read(Endpoint endpoint, std::string_view body) {
  return read_request(endpoint, body);
}

std::string error_of(Endpoint endpoint, std::string_view body) {
  auto result = read(endpoint, body);
  return std::holds_alternative<RequestError>(result) ? std::get<RequestError>(result).message : "no error";
}

TEST(MediaRequest, ImagesReadNSizeAndQuality) {
  auto result = read(Endpoint::image_generations, R"({"model":"dall-e-3","prompt":"a","n":3,"size":"1024x1792","quality":"hd"})");
  ASSERT_TRUE(std::holds_alternative<RequestView>(result));
  const MediaFacts& facts = std::get<RequestView>(result).media;
  EXPECT_EQ(facts.images, 3);
  EXPECT_EQ(facts.image_size, "1024x1792");
  EXPECT_EQ(facts.image_quality, "hd");
  EXPECT_EQ(std::get<RequestView>(read(Endpoint::image_generations, R"({"model":"m","prompt":"a"})")).media.images, 1);
  EXPECT_EQ(error_of(Endpoint::image_generations, R"({"model":"m"})"), "Missing required parameter: 'prompt'.");
  EXPECT_EQ(error_of(Endpoint::image_generations, R"({"model":"m","prompt":"a","n":0})"),
            "Invalid 'n': expected a value >= 1, but got 0 instead.");
  EXPECT_EQ(error_of(Endpoint::image_generations, R"({"model":"m","prompt":"a","n":129})"),
            "Invalid 'n': expected a value <= 128, but got 129 instead.");
  EXPECT_EQ(error_of(Endpoint::image_generations, R"({"model":"m","prompt":"a","n":1e3})"),
            "Invalid type for 'n': expected an integer, but got a decimal number instead.");
  EXPECT_EQ(error_of(Endpoint::image_generations, R"({"model":"m","prompt":"a","n":99999999999999999999})"),
            "Invalid 'n': expected a value <= 128, but got 99999999999999999999 instead.");
  EXPECT_EQ(error_of(Endpoint::image_generations, R"({"model":"m","prompt":"a","size":5})"),
            "Invalid type for 'size': expected a string, but got an integer instead.");
}

TEST(MediaRequest, SpeechModerationsRerank) {
  auto speech = read(Endpoint::audio_speech, R"({"model":"tts-1","input":"h\u00e9llo \ud83d\ude00","voice":"alloy"})");
  ASSERT_TRUE(std::holds_alternative<RequestView>(speech));
  EXPECT_EQ(std::get<RequestView>(speech).media.characters, 7);  // code points, not bytes
  EXPECT_EQ(error_of(Endpoint::audio_speech, R"({"model":"tts-1"})"), "Missing required parameter: 'input'.");
  EXPECT_EQ(error_of(Endpoint::audio_speech, R"({"model":"tts-1","input":["x"]})"),
            "Invalid type for 'input': expected a string, but got an array instead.");

  // The model is optional for moderations (the gateway picks one), required elsewhere.
  EXPECT_EQ(error_of(Endpoint::moderations, R"({"input":"x"})"), "no error");
  EXPECT_EQ(error_of(Endpoint::moderations, R"({"input":[]})").substr(0, 30), "Invalid 'input': empty array. ");
  EXPECT_EQ(error_of(Endpoint::audio_speech, R"({"input":"x"})"), "Missing required parameter: 'model'.");

  auto rerank = read(Endpoint::rerank, R"({"model":"r","query":"q","documents":["a",{"text":"b"}],"top_n":1})");
  ASSERT_TRUE(std::holds_alternative<RequestView>(rerank));
  EXPECT_EQ(std::get<RequestView>(rerank).media.documents, 2);
  EXPECT_EQ(error_of(Endpoint::rerank, R"({"model":"r","documents":["a"]})"), "Missing required parameter: 'query'.");
  EXPECT_EQ(error_of(Endpoint::rerank, R"({"model":"r","query":"q"})"), "Missing required parameter: 'documents'.");
  EXPECT_EQ(error_of(Endpoint::rerank, R"({"model":"r","query":"q","documents":[]})"),
            "Invalid 'documents': expected at least one document.");
  EXPECT_EQ(error_of(Endpoint::rerank, R"({"model":"r","query":"q","documents":["a"],"top_n":-1})"),
            "Invalid 'top_n': expected a value >= 1, but got -1 instead.");
  // An empty key is no required member of a media body.
  EXPECT_EQ(error_of(Endpoint::rerank, R"({"model":"r","":1})"), "Missing required parameter: 'query'.");
}

}  // namespace
}  // namespace llmux::api
