// The Responses API pass-through's pure parts: the spliced body, usage, failed Responses.

#include <gtest/gtest.h>

#include "providers/responses_wire.hpp"

namespace llmux::providers {
namespace {

std::string body_of(std::string_view client, const config::RequestPresets& presets = {}) {
  auto built = responses_upstream_body(client, "gpt-4o-2024-08-06", presets);
  if (auto* failure = std::get_if<AttemptFailure>(&built)) {
    ADD_FAILURE() << failure->message;
    return {};
  }
  return std::get<std::string>(built);
}

TEST(ResponsesUpstreamBody, ReplacesTheModelAndDropsGatewayFields) {
  EXPECT_EQ(body_of(R"({"model":"group","input":"hi","num_retries":3,"litellm_metadata":{"a":1},"stream":true})"),
            R"({"model":"gpt-4o-2024-08-06","input":"hi","stream":true})");
  // metadata is OpenAI's own field on the Responses API: it stays.
  EXPECT_EQ(body_of(R"({"model":"group","metadata":{"purpose":"demo"},"input":"hi","fallbacks":["x"]})"),
            R"({"model":"gpt-4o-2024-08-06","input":"hi","metadata":{"purpose":"demo"}})");
  // Responses' own fields and unknown ones pass byte for byte; no include_usage is added.
  EXPECT_EQ(body_of(R"({"input":[{"role":"user","content":"x"}],"store":false,"previous_response_id":"resp_1"})"),
            R"({"input":[{"role":"user","content":"x"}],"store":false,"previous_response_id":"resp_1","model":"gpt-4o-2024-08-06"})");
}

TEST(ResponsesUpstreamBody, PresetsUnderTheirResponsesNames) {
  config::RequestPresets presets;
  presets.body = {{"temperature", "0.2"}, {"max_tokens", "64"}, {"max_completion_tokens", "32"},
                  {"reasoning_effort", "\"low\""}, {"stop", "[\"x\"]"}, {"response_format", "{}"},
                  {"top_k", "5"}};
  EXPECT_EQ(body_of(R"({"model":"g","input":"hi"})", presets),
            R"({"model":"gpt-4o-2024-08-06","input":"hi","temperature":0.2,"max_output_tokens":64,"reasoning":{"effort":"low"},"top_k":5})");
  // The request's own value wins, max_output_tokens included.
  EXPECT_EQ(body_of(R"({"model":"g","input":"hi","temperature":1,"max_output_tokens":9})", presets),
            R"({"model":"gpt-4o-2024-08-06","input":"hi","temperature":1,"max_output_tokens":9,"reasoning":{"effort":"low"},"top_k":5})");
  presets.drop = {"top_k", "truncation"};
  EXPECT_EQ(body_of(R"({"model":"g","input":"hi","truncation":"auto"})", presets),
            R"({"model":"gpt-4o-2024-08-06","input":"hi","temperature":0.2,"max_output_tokens":64,"reasoning":{"effort":"low"}})");
}

TEST(ResponsesUpstreamBody, RefusesWhatIsNotAnObject) {
  for (std::string_view bad : {"", "[]", "{\"model\":", "nope"}) {
    auto built = responses_upstream_body(bad, "m", {});
    ASSERT_TRUE(std::holds_alternative<AttemptFailure>(built)) << bad;
    EXPECT_EQ(std::get<AttemptFailure>(built).kind, router::ErrorKind::bad_request);
  }
}

TEST(ResponsesUsage, ReadsInputOutputAndCachedTokens) {
  const Usage usage = responses_usage_of(
      R"({"input_tokens":120,"input_tokens_details":{"cached_tokens":100,"cache_write_tokens":7},"output_tokens":30,"output_tokens_details":{"reasoning_tokens":20},"total_tokens":150})");
  EXPECT_TRUE(usage.known);
  EXPECT_EQ(usage.prompt_tokens, 120);
  EXPECT_EQ(usage.completion_tokens, 30);  // reasoning tokens are part of it, not added again
  EXPECT_EQ(usage.cached_tokens, 100);
  EXPECT_EQ(usage.cache_write_tokens, 7);
}

TEST(ResponsesUsage, HostileCountsAreHeldDown) {
  const Usage negative = responses_usage_of(R"({"input_tokens":-5,"output_tokens":-1})");
  EXPECT_EQ(negative.prompt_tokens, 0);
  EXPECT_EQ(negative.completion_tokens, 0);
  const Usage inflated =
      responses_usage_of(R"({"input_tokens":10,"input_tokens_details":{"cached_tokens":999,"cache_write_tokens":5}})");
  EXPECT_EQ(inflated.cached_tokens, 10);
  EXPECT_EQ(inflated.cache_write_tokens, 0);
  EXPECT_FALSE(responses_usage_of(R"({"input_tokens":1,)").known);
}

TEST(SkimResponse, AFailedResponseIsAFailure) {
  const SkimmedResponse ok = skim_response(R"({"id":"r","status":"completed","usage":{"input_tokens":3,"output_tokens":4}})");
  EXPECT_TRUE(ok.is_json_object);
  EXPECT_FALSE(ok.failure);
  EXPECT_EQ(ok.usage.prompt_tokens, 3);
  const SkimmedResponse failed = skim_response(
      R"({"id":"r","status":"failed","error":{"code":"rate_limit_exceeded","message":"Rate limit reached"}})");
  ASSERT_TRUE(failed.failure);
  EXPECT_EQ(failed.failure->kind, router::ErrorKind::rate_limited);
  EXPECT_NE(failed.failure->message.find("Rate limit reached"), std::string::npos);
  const SkimmedResponse server = skim_response(R"({"status":"failed","error":{"code":"server_error","message":"boom"}})");
  ASSERT_TRUE(server.failure);
  EXPECT_EQ(server.failure->kind, router::ErrorKind::internal);
  EXPECT_FALSE(skim_response("<html>").is_json_object);
  EXPECT_FALSE(skim_response(R"({"status":"completed")").is_json_object);
}

}  // namespace
}  // namespace llmux::providers
