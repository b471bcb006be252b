#include "providers/text_completion_bridge.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace llmux::providers {
namespace {

namespace bj = boost::json;

bj::object chat_of(std::string_view completion, bool drop = false) {
  auto result = chat_request_from_completion(bj::parse(completion).as_object(), drop);
  if (auto* error = std::get_if<BridgeError>(&result)) {
    ADD_FAILURE() << error->message;
    return {};
  }
  return std::get<bj::object>(result);
}

std::string error_of(std::string_view completion, bool drop = false) {
  auto result = chat_request_from_completion(bj::parse(completion).as_object(), drop);
  auto* error = std::get_if<BridgeError>(&result);
  return error ? error->message : "no error";
}

TEST(TextCompletionBridge, PromptBecomesOneUserMessage) {
  const bj::object chat = chat_of(R"({"model":"m","prompt":"Hi there","max_tokens":7,"stop":["\n"],"stream":true})");
  EXPECT_EQ(bj::serialize(chat.at("messages")), R"([{"role":"user","content":"Hi there"}])");
  EXPECT_FALSE(chat.contains("prompt"));
  EXPECT_EQ(chat.at("max_tokens").as_int64(), 7);
  EXPECT_TRUE(chat.at("stream").as_bool());
  EXPECT_EQ(bj::serialize(chat_of(R"({"prompt":["only one"]})").at("messages")),
            R"([{"role":"user","content":"only one"}])");
  // Completion-only parameters that ask for nothing are dropped silently.
  const bj::object quiet = chat_of(R"({"prompt":"x","echo":false,"suffix":null,"best_of":1})");
  EXPECT_FALSE(quiet.contains("echo") || quiet.contains("suffix") || quiet.contains("best_of"));
}

TEST(TextCompletionBridge, RefusesWhatAChatModelCannotDo) {
  EXPECT_NE(error_of(R"({"prompt":["a","b"]})").find("one text prompt"), std::string::npos);
  EXPECT_NE(error_of(R"({"prompt":[1,2,3]})").find("token ids"), std::string::npos);
  EXPECT_NE(error_of(R"({"prompt":7})").find("one text prompt"), std::string::npos);
  EXPECT_NE(error_of(R"({"prompt":"x","echo":true})").find("UnsupportedParamsError"), std::string::npos);
  EXPECT_NE(error_of(R"({"prompt":"x","suffix":"end"})").find("'suffix'"), std::string::npos);
  EXPECT_NE(error_of(R"({"prompt":"x","best_of":3})").find("'best_of'"), std::string::npos);
  EXPECT_EQ(error_of(R"({"prompt":"x","best_of":3,"echo":true})", /*drop=*/true), "no error");
}

TEST(TextCompletionBridge, ChatAnswerBecomesATextCompletion) {
  auto result = completion_from_chat(
      R"({"id":"chatcmpl-1","object":"chat.completion","created":5,"model":"claude","choices":[)"
      R"({"index":0,"message":{"role":"assistant","content":"Hello"},"finish_reason":"tool_calls"}],)"
      R"("usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}})");
  ASSERT_TRUE(std::holds_alternative<std::string>(result));
  EXPECT_EQ(std::get<std::string>(result),
            R"({"id":"chatcmpl-1","object":"text_completion","created":5,"model":"claude","choices":[)"
            R"({"text":"Hello","index":0,"logprobs":null,"finish_reason":"stop"}],)"
            R"("usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}})");
  EXPECT_TRUE(std::holds_alternative<BridgeError>(completion_from_chat("not json")));
}

TEST(TextCompletionBridge, StreamChunksBecomeTextChunks) {
  ChatChunksToCompletion bridge;
  std::string out;
  const std::string head = R"({"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[)";
  bridge.feed("data: " + head + R"({"index":0,"delta":{"role":"assistant"},"finish_reason":null}]})" + "\n\n", out);
  EXPECT_EQ(out, "");  // a role-only delta says nothing a completion client reads
  // Split across feeds, mid-frame.
  const std::string frame = "data: " + head + R"({"index":0,"delta":{"content":"Hi"},"finish_reason":null}]})" + "\n\n";
  bridge.feed(frame.substr(0, 20), out);
  bridge.feed(frame.substr(20), out);
  bridge.feed("data: " + head + R"({"index":0,"delta":{},"finish_reason":"length"}]})" + "\n\n", out);
  bridge.feed("data: " + head + R"(],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}})" + "\n\n", out);
  bridge.feed("data: {\"error\":{\"message\":\"boom\"}}\n\ndata: [DONE]\n\n", out);
  EXPECT_EQ(out,
            "data: {\"id\":\"c\",\"object\":\"text_completion\",\"created\":1,\"model\":\"m\",\"choices\":[{\"text\":\"Hi\","
            "\"index\":0,\"logprobs\":null,\"finish_reason\":null}]}\n\n"
            "data: {\"id\":\"c\",\"object\":\"text_completion\",\"created\":1,\"model\":\"m\",\"choices\":[{\"text\":\"\","
            "\"index\":0,\"logprobs\":null,\"finish_reason\":\"length\"}]}\n\n"
            "data: {\"id\":\"c\",\"object\":\"text_completion\",\"created\":1,\"model\":\"m\",\"choices\":[],"
            "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}\n\n"
            "data: {\"error\":{\"message\":\"boom\"}}\n\n"
            "data: [DONE]\n\n");
}

}  // namespace
}  // namespace llmux::providers
