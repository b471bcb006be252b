// What a successful-looking answer must be before it is passed on: a whole JSON object (whole
// answers) or an event stream (streams). Anything else is an unusable upstream, failed over.

#include <gtest/gtest.h>

#include <string>

#include "providers/upstream_failures.hpp"

namespace llmux::providers {
namespace {

struct BodyCase {
  std::string_view name;
  std::string_view body;
  bool is_json_object;
};

TEST(SkimAnswer, TellsAWholeObjectFromGarbage) {
  const BodyCase cases[] = {
      {"an answer with usage", R"({"id":"c","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2}})", true},
      {"an answer without usage", R"({"id":"c","choices":[{"message":{"content":"hi"}}]})", true},
      {"an empty object", "{}", true},
      {"trailing whitespace", "{\"usage\":{\"prompt_tokens\":1}}\n", true},
      {"an HTML page", "<html><body>502 Bad Gateway</body></html>", false},
      {"nothing", "", false},
      {"whitespace only", " \n", false},
      {"truncated after usage", R"({"usage":{"prompt_tokens":1},"choices":[{"message":)", false},
      {"truncated inside usage", R"({"id":"c","usage":{"prompt_tokens":1)", false},
      {"truncated without usage", R"({"id":"c","choices":[{"message":{"content":"h)", false},
      {"an array", "[1,2]", false},
      {"a string", "\"ok\"", false},
      {"an object followed by HTML", R"({"id":"c"}<html>)", false},
      {"usage followed by HTML", R"({"usage":{"prompt_tokens":1}}<html>)", false},
  };
  for (const BodyCase& c : cases) EXPECT_EQ(skim_answer(c.body).is_json_object, c.is_json_object) << c.name;
}

TEST(SkimAnswer, ReadsUsageAsUsageFromBodyDoes) {
  const std::string_view body =
      R"({"usage":{"prompt_tokens":12,"completion_tokens":5,"prompt_tokens_details":{"cached_tokens":4}}})";
  const SkimmedAnswer answer = skim_answer(body);
  const Usage expected = usage_from_body(body);
  EXPECT_TRUE(answer.usage.known);
  EXPECT_EQ(answer.usage.prompt_tokens, expected.prompt_tokens);
  EXPECT_EQ(answer.usage.completion_tokens, expected.completion_tokens);
  EXPECT_EQ(answer.usage.cached_tokens, expected.cached_tokens);
}

net::UpstreamResponseHead head_with(std::string_view content_type) {
  net::UpstreamResponseHead head;
  head.status = 200;
  if (!content_type.empty()) head.headers.emplace_back("content-type", std::string(content_type));
  return head;
}

TEST(AnnouncesEventStream, OnlySseOrNothing) {
  EXPECT_TRUE(announces_event_stream(head_with("text/event-stream")));
  EXPECT_TRUE(announces_event_stream(head_with("text/event-stream; charset=utf-8")));
  EXPECT_TRUE(announces_event_stream(head_with("Text/Event-Stream")));
  EXPECT_TRUE(announces_event_stream(head_with("")));  // omitted: read as a stream
  EXPECT_FALSE(announces_event_stream(head_with("application/json")));
  EXPECT_FALSE(announces_event_stream(head_with("text/html")));
  EXPECT_FALSE(announces_event_stream(head_with("text/event")));
}

TEST(NonStreamAnswerFailure, AJsonErrorIsClassifiedAndAnythingElseIsUnavailable) {
  config::Deployment deployment;
  const auto rate_limited = non_stream_answer_failure(
      deployment, head_with("application/json"),
      R"({"error":{"message":"Rate limit reached for requests","type":"rate_limit_error"}})");
  EXPECT_EQ(rate_limited.kind, router::ErrorKind::rate_limited);
  EXPECT_NE(rate_limited.message.find("Rate limit reached"), std::string::npos);

  const auto vague = non_stream_answer_failure(deployment, head_with("application/json"),
                                               R"({"error":{"message":"something went wrong"}})");
  EXPECT_EQ(vague.kind, router::ErrorKind::unavailable);
  EXPECT_EQ(vague.status, 502);

  const auto html = non_stream_answer_failure(deployment, head_with("text/html"), "<html>oops</html>");
  EXPECT_EQ(html.kind, router::ErrorKind::unavailable);
  EXPECT_EQ(html.status, 502);
  EXPECT_EQ(html.message.find("oops"), std::string::npos) << "the body is not quoted";
  EXPECT_NE(html.message.find("text/html"), std::string::npos);
}

}  // namespace
}  // namespace llmux::providers
