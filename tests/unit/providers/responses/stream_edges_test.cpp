// What the golden cases do not show: a hostile or sloppy upstream stream never makes the Responses
// stream translator emit a second terminal event, events after the end, or invalid JSON.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "../anthropic/golden_support.hpp"
#include "providers/responses/stream_from_chat.hpp"

namespace llmux::providers::responses {
namespace {

namespace json = boost::json;

ResponseContext context() { return ResponseContext{"resp_x", json::object{}, "m", 1700000000}; }

std::vector<std::string> event_types(const std::string& out) {
  std::vector<std::string> types;
  for (const auto& frame : anthropic::golden::parse_sse(out)) {
    types.push_back(std::string(json::parse(frame.data).at("type").as_string()));
  }
  return types;
}

TEST(ResponsesStreamEdges, NothingAfterTheEnd) {
  StreamFromChat stream(context());
  std::string out;
  stream.on_chat_chunk(R"({"choices":[{"delta":{"content":"a"}}]})", out);
  stream.on_done(out);
  const std::size_t size = out.size();
  stream.on_chat_chunk(R"({"choices":[{"delta":{"content":"b"}}]})", out);
  stream.on_done(out);
  stream.on_error("late", out);
  EXPECT_EQ(out.size(), size);
  EXPECT_EQ(event_types(out).back(), "response.completed");
}

TEST(ResponsesStreamEdges, OneFailureOnly) {
  StreamFromChat stream(context());
  std::string out;
  stream.on_error("first", out);
  stream.on_error("second", out);
  stream.on_done(out);
  const auto types = event_types(out);
  ASSERT_EQ(types.size(), 3u);  // created, in_progress, failed
  EXPECT_EQ(types.back(), "response.failed");
  EXPECT_TRUE(stream.failed());
  EXPECT_FALSE(stream.finished());
  EXPECT_EQ(stream.final_response().at("status").as_string(), "failed");
}

TEST(ResponsesStreamEdges, WrongTypesAreIgnoredNotTrusted) {
  StreamFromChat stream(context());
  std::string out;
  // choices not objects, delta of the wrong type, content a number, tool_calls a string,
  // an index past any array, usage counts negative or huge.
  for (const char* chunk : {R"({"choices":[1]})", R"({"choices":[{"delta":"x"}]})",
                            R"({"choices":[{"delta":{"content":7,"tool_calls":"no"}}]})",
                            R"({"choices":[{"delta":{"tool_calls":[{"index":99999999999,"function":{"arguments":"{}"}}]}}]})",
                            R"({"choices":[],"usage":{"prompt_tokens":-5,"completion_tokens":1e300}})"}) {
    stream.on_chat_chunk(chunk, out);
  }
  stream.on_done(out);
  ASSERT_TRUE(stream.finished());
  const json::object& response = stream.final_response();
  EXPECT_EQ(response.at("usage").at("input_tokens").as_int64(), 0);
  EXPECT_EQ(response.at("usage").at("output_tokens").as_int64(), 0);
  for (const auto& frame : anthropic::golden::parse_sse(out)) EXPECT_NO_THROW((void)json::parse(frame.data));
}

}  // namespace
}  // namespace llmux::providers::responses
