// A hostile Anthropic stream fed to the translators: indexes the translators never use as vector
// indexes, blocks started twice or never, tool input that never closes. Nothing crashes, and the
// output stays proportional to the input (no state grows beyond what the events carried).

#include <gtest/gtest.h>

#include <string>

#include "providers/anthropic/stream_from_anthropic.hpp"
#include "providers/anthropic/stream_to_anthropic.hpp"

namespace llmux::providers::anthropic {
namespace {

TEST(HostileAnthropicStream, OddIndexesAndOrderNeitherCrashNorGrow) {
  StreamFromAnthropic s(StreamOptions{"m", true, false, 1});
  std::string out;
  std::size_t fed = 0;
  const auto feed = [&](std::string_view type, std::string_view data) {
    fed += data.size();
    s.on_event(type, data, out);
  };
  feed("message_start", R"({"type":"message_start","message":{"id":"msg_1","model":"x","usage":{"input_tokens":1}}})");
  // A delta for a block never started, with an index near 2^63 and one past it.
  feed("content_block_delta",
       R"({"type":"content_block_delta","index":9223372036854775807,"delta":{"type":"input_json_delta","partial_json":"{\"a\":"}})");
  feed("content_block_delta", R"({"type":"content_block_delta","index":1e300,"delta":{"type":"text_delta","text":"x"}})");
  // The same block started twice, then a tool whose input JSON never closes and is never stopped.
  for (int i = 0; i < 2; ++i) {
    feed("content_block_start",
         R"({"type":"content_block_start","index":-1,"content_block":{"type":"tool_use","id":"t","name":"f","input":{}}})");
  }
  for (int i = 0; i < 1000; ++i) {
    feed("content_block_delta",
         R"({"type":"content_block_delta","index":18446744073709551615,"delta":{"type":"input_json_delta","partial_json":"{\"a\":["}})");
  }
  feed("content_block_stop", R"({"type":"content_block_stop","index":42})");
  feed("content_block_stop", R"({"type":"content_block_stop","index":42})");
  feed("message_delta", R"({"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":3}})");
  feed("message_stop", R"({"type":"message_stop"})");
  s.finish(out);
  EXPECT_FALSE(s.failed());
  EXPECT_TRUE(s.complete());
  // Each event becomes at most one chunk of bounded envelope around what it carried.
  EXPECT_LT(out.size(), fed * 3) << out.size() << " bytes out for " << fed << " in";
}

TEST(HostileOpenAiStream, ToolCallIndexesAtTheEdgesOfInt64) {
  StreamToAnthropic s("m");
  std::string out;
  for (std::string_view index : {"9223372036854775807", "-9223372036854775808", "1e300", "18446744073709551615"}) {
    s.on_openai_chunk(std::string(R"({"id":"c","choices":[{"index":0,"delta":{"tool_calls":[{"index":)") +
                          std::string(index) + R"(,"function":{"name":"f","arguments":"{"}}]}}]})",
                      out);
  }
  s.on_done(out);
  EXPECT_FALSE(s.failed());
  EXPECT_TRUE(s.finished());
  EXPECT_NE(out.find("message_stop"), std::string::npos);
}

}  // namespace
}  // namespace llmux::providers::anthropic
