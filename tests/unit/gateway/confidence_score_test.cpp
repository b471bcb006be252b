// The confidence score on the shapes real servers send, its verdicts, and the request/answer
// rewrites that keep logprobs away from a client that did not ask.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "gateway/confidence_score.hpp"

namespace llmux::gateway {
namespace {

// OpenAI's chat completion with logprobs: true (trimmed to the fields that matter).
constexpr std::string_view kOpenAi = R"({"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,
"message":{"role":"assistant","content":"Hello!"},"logprobs":{"content":[
{"token":"Hello","logprob":-0.31725305,"bytes":[72,101,108,108,111],"top_logprobs":[]},
{"token":"!","logprob":-0.02380986,"bytes":[33],"top_logprobs":[]}],"refusal":null},"finish_reason":"stop"}],
"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11}})";

// vLLM's: -inf written as -9999.0, top_logprobs filled, a second choice (n: 2).
constexpr std::string_view kVllm = R"({"id":"cmpl-2","choices":[
{"index":0,"message":{"role":"assistant","content":"Paris"},"logprobs":{"content":[
{"token":"Paris","logprob":-1.5,"bytes":[80],"top_logprobs":[{"token":"Paris","logprob":-1.5}]}]},"finish_reason":"stop"},
{"index":1,"message":{"role":"assistant","content":"Lyon"},"logprobs":{"content":[
{"token":"Ly","logprob":-3.5},{"token":"on","logprob":-9999.0},{"token":"x","logprob":-1}]},"finish_reason":"stop"}]})";

config::ConfidenceRule rule(std::optional<double> mean, std::optional<double> min) {
  config::ConfidenceRule r;
  r.escalate_to = "frontier";
  r.min_mean_logprob = mean;
  r.min_token_logprob = min;
  return r;
}

TEST(ConfidenceScore, SummarisesOpenAiLogprobs) {
  const auto s = summarize_logprobs(kOpenAi);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->tokens, 2u);
  EXPECT_NEAR(s->mean, (-0.31725305 - 0.02380986) / 2, 1e-12);
  EXPECT_DOUBLE_EQ(s->min, -0.31725305);
}

TEST(ConfidenceScore, SummarisesEveryChoiceOfAVllmAnswer) {
  const auto s = summarize_logprobs(kVllm);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->tokens, 4u);  // -9999 is a log-probability too: the least likely token there is
  EXPECT_DOUBLE_EQ(s->min, -9999.0);
  EXPECT_NEAR(s->mean, (-1.5 - 3.5 - 9999.0 - 1) / 4, 1e-9);
}

TEST(ConfidenceScore, AnAnswerWithoutLogprobsIsUnscored) {
  EXPECT_FALSE(summarize_logprobs(R"({"choices":[{"message":{"content":"x"},"logprobs":null}]})"));
  EXPECT_FALSE(summarize_logprobs(R"({"choices":[{"logprobs":{"content":[]}}]})"));
  EXPECT_FALSE(summarize_logprobs("not json"));
  EXPECT_FALSE(summarize_logprobs(R"([1,2])"));
  EXPECT_EQ(judge_logprobs(std::nullopt, rule(-1, std::nullopt)).kind, ConfidenceVerdict::Kind::unscored);
  EXPECT_EQ(describe(judge_logprobs(std::nullopt, rule(-1, std::nullopt))), "unscored");
}

TEST(ConfidenceScore, VerdictsAtTheThresholds) {
  const LogprobSummary s{3, -0.5, -2.0};
  EXPECT_EQ(judge_logprobs(s, rule(-0.5, std::nullopt)).kind, ConfidenceVerdict::Kind::confident);  // not below
  const auto low_mean = judge_logprobs(s, rule(-0.4, std::nullopt));
  EXPECT_EQ(low_mean.kind, ConfidenceVerdict::Kind::low);
  EXPECT_EQ(low_mean.rule, "mean_logprob");
  EXPECT_EQ(describe(low_mean), "mean_logprob=-0.5; threshold=-0.4; low");

  const auto low_min = judge_logprobs(s, rule(-1, -1.5));
  EXPECT_EQ(low_min.kind, ConfidenceVerdict::Kind::low);
  EXPECT_EQ(low_min.rule, "min_logprob");
  EXPECT_EQ(describe(low_min), "min_logprob=-2; threshold=-1.5; low");

  const auto fine = judge_logprobs(s, rule(-1, -3));
  EXPECT_EQ(fine.kind, ConfidenceVerdict::Kind::confident);
  EXPECT_EQ(describe(fine), "mean_logprob=-0.5; threshold=-1; confident");
  EXPECT_EQ(judge_logprobs(s, rule(std::nullopt, -3)).rule, "min_logprob");
}

TEST(ConfidenceScore, HeaderScores) {
  config::ConfidenceRule r;
  r.confidence_header = "x-confidence";
  r.min_header_confidence = 0.6;
  EXPECT_EQ(judge_header("0.9", r).kind, ConfidenceVerdict::Kind::confident);
  EXPECT_EQ(judge_header(" 0.59 ", r).kind, ConfidenceVerdict::Kind::low);
  EXPECT_EQ(describe(judge_header("0.25", r)), "header=0.25; threshold=0.6; low");
  for (std::string_view bad : {"", "high", "0.7x", "nan", "inf"}) {
    EXPECT_EQ(judge_header(bad, r).kind, ConfidenceVerdict::Kind::unscored) << bad;
  }
}

TEST(ConfidenceScore, AskingAddsLogprobsAsTheLastMember) {
  const std::string body = with_logprobs(R"({"model":"local","messages":[],"logprobs":false}  )");
  const auto v = boost::json::parse(body);
  EXPECT_EQ(body, R"({"model":"local","messages":[],"logprobs":false,"logprobs":true}  )");
  EXPECT_TRUE(v.is_object());
}

TEST(ConfidenceScore, TheClientGetsNullLogprobsBack) {
  const auto clean = without_logprobs(kOpenAi);
  ASSERT_TRUE(clean);
  const auto v = boost::json::parse(*clean);
  EXPECT_TRUE(v.at("choices").at(0).at("logprobs").is_null());
  EXPECT_EQ(v.at("choices").at(0).at("message").at("content").as_string(), "Hello!");
  EXPECT_EQ(v.at("usage").at("total_tokens").as_int64(), 11);
  EXPECT_FALSE(without_logprobs("{oops"));
}

}  // namespace
}  // namespace llmux::gateway
