#include "providers/error_classification.hpp"

#include <gtest/gtest.h>

#include "text/checked_number.hpp"

#include "api/json_scan.hpp"

namespace llmux::providers {
namespace {

using config::ProviderFamily;
using router::ErrorKind;
using namespace std::chrono_literals;

struct Case {
  std::string_view name;
  ProviderFamily family;
  int status;
  std::string_view body;
  ErrorKind kind;
  std::string_view message;  // expected message ("" = don't check)
  std::string_view type;     // expected upstream_type
};

constexpr auto kOpenAI = ProviderFamily::openai_compatible;
constexpr auto kAnthropic = ProviderFamily::anthropic;

// The bodies below are what each server sends, byte for byte where we know it.
const Case
    kCases[] =
        {
            // ------------------------------------------------------------ context window
            {"vllm_classic", kOpenAI, 400,
             R"({"object":"error","message":"This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (4000 in the messages, 1000 in the completion). Please reduce the length of the messages or completion.","type":"BadRequestError","param":null,"code":400})",
             ErrorKind::context_window_exceeded,
             "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (4000 "
             "in the "
             "messages, 1000 in the completion). Please reduce the length of the messages or completion.",
             "BadRequestError"},
            {"vllm_error_envelope", kOpenAI, 400,
             R"({"error":{"message":"This model's maximum context length is 2048 tokens. However, your request has 3000 input tokens. Please reduce the length of the input messages. None","type":"BadRequestError","param":null,"code":400}})",
             ErrorKind::context_window_exceeded, "", "BadRequestError"},
            {"vllm_max_tokens_too_large", kOpenAI, 400,
             R"({"error":{"message":"'max_tokens' or 'max_completion_tokens' is too large: 4000. This model's maximum context length is 4096 tokens and your request has 100 input tokens (4000 > 4096 - 100). None","type":"BadRequestError","param":null,"code":400}})",
             ErrorKind::context_window_exceeded, "", "BadRequestError"},
            {"vllm_decoder_prompt", kOpenAI, 400,
             R"({"object":"error","message":"The decoder prompt (length 8825) is longer than the maximum model length of 8192. Make sure that `max_model_len` is no smaller than the number of text tokens.","type":"BadRequestError","param":null,"code":400})",
             ErrorKind::context_window_exceeded, "", "BadRequestError"},
            {"openai_classic", kOpenAI, 400,
             R"({"error":{"message":"This model's maximum context length is 8192 tokens. However, your messages resulted in 10000 tokens. Please reduce the length of the messages.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}})",
             ErrorKind::context_window_exceeded, "", "invalid_request_error"},
            {"openai_code_only", kOpenAI, 400,
             R"({"error":{"message":"Your input exceeds the context window of this model. Please adjust your input and try again.","type":"invalid_request_error","param":"input","code":"context_length_exceeded"}})",
             ErrorKind::context_window_exceeded,
             "Your input exceeds the context window of this model. Please adjust your input and try again.",
             "invalid_request_error"},
            {"sglang", kOpenAI, 400,
             R"({"object":"error","message":"The input (5000 tokens) is longer than the model's context length (4096 tokens).","type":"BadRequestError","param":null,"code":400})",
             ErrorKind::context_window_exceeded,
             "The input (5000 tokens) is longer than the model's context length (4096 tokens).",
             "BadRequestError"},
            {"sglang_requested_token_count", kOpenAI, 400,
             R"({"object":"error","message":"Requested token count exceeds the model's maximum context length of 4096 tokens. You requested a total of 5000 tokens: 4000 tokens from the input messages and 1000 tokens for the completion. Please reduce the number of tokens in the input messages or the completion to fit within the limit.","type":"BadRequestError","param":null,"code":400})",
             ErrorKind::context_window_exceeded, "", "BadRequestError"},
            {"tgi_total_tokens", kOpenAI, 422,
             R"({"error":"Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096. Given: 4000 `inputs` tokens and 200 `max_new_tokens`","error_type":"validation"})",
             ErrorKind::context_window_exceeded,
             "Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096. Given: 4000 "
             "`inputs` tokens and 200 "
             "`max_new_tokens`",
             "validation"},
            {"tgi_input_length", kOpenAI, 422,
             R"({"error":"Input validation error: `inputs` must have less than 4096 tokens. Given: 5000","error_type":"validation"})",
             ErrorKind::context_window_exceeded,
             "Input validation error: `inputs` must have less than 4096 tokens. Given: 5000", "validation"},
            {"llamacpp", kOpenAI, 400,
             R"({"error":{"code":400,"message":"the request exceeds the available context size, try increasing it","type":"exceed_context_size_error","n_prompt_tokens":5000,"n_ctx":4096}})",
             ErrorKind::context_window_exceeded,
             "the request exceeds the available context size, try increasing it",
             "exceed_context_size_error"},
            {"llamacpp_older", kOpenAI, 400,
             R"j({"error":{"code":400,"message":"request (4476 tokens) exceeds the available context size (4096 tokens)","type":"exceed_context_size_error","n_prompt_tokens":4476,"n_ctx":4096}})j",
             ErrorKind::context_window_exceeded, "", "exceed_context_size_error"},
            {"llamacpp_type_only", kOpenAI, 400,
             R"({"error":{"code":400,"message":"context full","type":"exceed_context_size_error"}})",
             ErrorKind::context_window_exceeded, "context full", "exceed_context_size_error"},
            {"ollama", kOpenAI, 400,
             R"({"error":"prompt too long; exceeded max context length by 17 tokens"})",
             ErrorKind::context_window_exceeded, "prompt too long; exceeded max context length by 17 tokens",
             ""},
            {"ollama_openai_route", kOpenAI, 400,
             R"({"error":{"message":"the input length exceeds the context length","type":"api_error","param":null,"code":null}})",
             ErrorKind::context_window_exceeded, "the input length exceeds the context length", "api_error"},
            {"ollama_embeddings_500", kOpenAI, 500,
             R"({"error":"the input length exceeds the context length"})", ErrorKind::context_window_exceeded,
             "the input length exceeds the context length", ""},
            {"anthropic_prompt_too_long", kAnthropic, 400,
             R"({"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 210000 tokens > 200000 maximum"}})",
             ErrorKind::context_window_exceeded, "prompt is too long: 210000 tokens > 200000 maximum",
             "invalid_request_error"},
            {"anthropic_prompt_length", kAnthropic, 400,
             R"({"type":"error","error":{"type":"invalid_request_error","message":"prompt: length must be at most 200000"}})",
             ErrorKind::context_window_exceeded, "", "invalid_request_error"},
            {"prompt_length_is_anthropic_wording_only", kOpenAI, 400,
             R"({"error":{"message":"prompt: length must be at most 200000","type":"invalid_request_error"}})",
             ErrorKind::bad_request, "", "invalid_request_error"},
            {"litellm_exceed_context_limit", kOpenAI, 400,
             R"({"error":{"message":"Input would exceed context limit"}})",
             ErrorKind::context_window_exceeded, "Input would exceed context limit", ""},
            {"litellm_maximum_context_limit", kOpenAI, 413,
             R"({"message":"The input exceeds the model's maximum context limit of 8192 tokens."})",
             ErrorKind::context_window_exceeded,
             "The input exceeds the model's maximum context limit of 8192 tokens.", ""},
            {"litellm_string_too_long", kOpenAI, 400,
             R"({"detail":"Validation Error: string too long. expected a string with maximum length 1000."})",
             ErrorKind::context_window_exceeded,
             "Validation Error: string too long. expected a string with maximum length 1000.", ""},
            {"litellm_configured_limit", kOpenAI, 400,
             R"({"error":{"message":"Input tokens exceed the configured limit of 272000 tokens. Your messages resulted in 509178 tokens. Please reduce the length of the messages.","type":"invalid_request_error"}})",
             ErrorKind::context_window_exceeded, "", "invalid_request_error"},
            {"cerebras_pair", kOpenAI, 400,
             R"({"message":"Please reduce the length of the messages or completion. Current length is 9000 while limit is 8192","type":"invalid_request_error","code":"wrong_api_format"})",
             ErrorKind::context_window_exceeded, "", "invalid_request_error"},
            {"openai_user_too_long_is_not_context", kOpenAI, 400,
             R"({"error":{"message":"Invalid 'user': string too long. Expected a string with maximum length 64, but got a string with length 100 instead.","type":"invalid_request_error","param":"user","code":"string_above_max_length"}})",
             ErrorKind::bad_request, "", "invalid_request_error"},

            // ------------------------------------------------------------ content policy
            {"openai_safety_system", kOpenAI, 400,
             R"({"error":{"code":"content_policy_violation","message":"Your request was rejected as a result of our safety system. Your prompt may contain text that is not allowed by our safety system.","param":null,"type":"invalid_request_error"}})",
             ErrorKind::content_policy, "", "invalid_request_error"},
            {"openai_usage_policy", kOpenAI, 400, R"({"error":{"message":"Invalid prompt: your prompt was flagged as potentially violating our usage policy. Please try again with a different prompt.","type":"invalid_request_error","param":null,"code":"invalid_prompt"}})",
             ErrorKind::content_policy, "", "invalid_request_error"},
            {"azure_content_filter", kOpenAI, 400,
             R"({"error":{"message":"The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry.","type":null,"param":"prompt","code":"content_filter","status":400}})",
             ErrorKind::content_policy, "", ""},
            {"anthropic_content_filtering", kAnthropic, 400,
             R"({"type":"error","error":{"type":"invalid_request_error","message":"Output blocked by content filtering policy"}})",
             ErrorKind::content_policy, "Output blocked by content filtering policy",
             "invalid_request_error"},

            // ------------------------------------------------------------ by status
            {"openai_401", kOpenAI, 401,
             R"({"error":{"message":"Incorrect API key provided: sk-abc. You can find your API key at https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}})",
             ErrorKind::authentication, "", "invalid_request_error"},
            {"anthropic_401", kAnthropic, 401,
             R"({"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}})",
             ErrorKind::authentication, "invalid x-api-key", "authentication_error"},
            {"anthropic_403", kAnthropic, 403,
             R"({"type":"error","error":{"type":"permission_error","message":"Your API key does not have permission to use the specified resource."}})",
             ErrorKind::permission_denied, "", "permission_error"},
            {"vllm_404", kOpenAI, 404,
             R"({"object":"error","message":"The model `gpt-x` does not exist.","type":"NotFoundError","param":null,"code":404})",
             ErrorKind::not_found, "The model `gpt-x` does not exist.", "NotFoundError"},
            {"fastapi_404", kOpenAI, 404, R"({"detail":"Not Found"})", ErrorKind::not_found, "Not Found", ""},
            {"openai_model_not_found_400", kOpenAI, 400,
             R"({"error":{"message":"The model `x` does not exist or you do not have access to it.","type":"invalid_request_error","param":null,"code":"model_not_found"}})",
             ErrorKind::not_found, "", "invalid_request_error"},
            {"timeout_408", kOpenAI, 408, "", ErrorKind::timeout,
             "upstream returned HTTP 408 with an empty body", ""},
            {"openai_429", kOpenAI, 429,
             R"({"error":{"message":"Rate limit reached for gpt-4o in organization org-x on requests per min (RPM): Limit 500, Used 500, Requested 1.","type":"requests","param":null,"code":"rate_limit_exceeded"}})",
             ErrorKind::rate_limited, "", "requests"},
            {"anthropic_429", kAnthropic, 429,
             R"({"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"}})",
             ErrorKind::rate_limited, "", "rate_limit_error"},
            {"plain_message_429", kOpenAI, 429, R"({"message":"Too many requests"})", ErrorKind::rate_limited,
             "Too many requests", ""},
            {"anthropic_rate_limit_type_on_400", kAnthropic, 400,
             R"({"type":"error","error":{"type":"rate_limit_error","message":"slow down"}})",
             ErrorKind::rate_limited, "", "rate_limit_error"},
            {"rate_limit_wording_on_400", kOpenAI, 400,
             R"({"error":{"message":"Upstream rate_limit exceeded"}})", ErrorKind::rate_limited, "", ""},
            {"rate_hyphen_limit_on_400", kOpenAI, 400, R"({"error":{"message":"Rate-Limit hit"}})",
             ErrorKind::rate_limited, "", ""},
            {"service_tier_capacity", kOpenAI, 400,
             R"({"error":{"message":"Service tier capacity exceeded for this model."}})",
             ErrorKind::rate_limited, "", ""},
            {"echoed_429_in_a_400_is_not_rate_limit", kOpenAI, 400,
             R"({"error":{"message":"Invalid value in messages[0].content: 'please call me at 429 now'","type":"invalid_request_error"}})",
             ErrorKind::bad_request, "", "invalid_request_error"},
            {"fastapi_422_detail_list", kOpenAI, 422,
             R"({"detail":[{"loc":["body","messages"],"msg":"field required","type":"value_error.missing"}]})",
             ErrorKind::bad_request,
             R"([{"loc":["body","messages"],"msg":"field required","type":"value_error.missing"}])", ""},
            {"anthropic_413", kAnthropic, 413,
             R"({"type":"error","error":{"type":"request_too_large","message":"Request exceeds the maximum allowed number of bytes."}})",
             ErrorKind::bad_request, "", "request_too_large"},
            {"conflict_409", kOpenAI, 409, R"({"error":{"message":"conflict"}})", ErrorKind::bad_request,
             "conflict", ""},
            {"openai_500", kOpenAI, 500,
             R"({"error":{"message":"The server had an error processing your request. Sorry about that!","type":"server_error","param":null,"code":null}})",
             ErrorKind::internal, "", "server_error"},
            {"timeout_wording_500", kOpenAI, 500, R"({"error":{"message":"Request timed out."}})",
             ErrorKind::timeout, "", ""},
            {"html_502", kOpenAI, 502, "<html><body><h1>502 Bad Gateway</h1></body></html>",
             ErrorKind::unavailable, "<html><body><h1>502 Bad Gateway</h1></body></html>", ""},
            {"empty_503", kOpenAI, 503, "", ErrorKind::unavailable,
             "upstream returned HTTP 503 with an empty body", ""},
            {"gateway_timeout_504", kOpenAI, 504, "upstream timed out", ErrorKind::timeout,
             "upstream timed out", ""},
            {"anthropic_529", kAnthropic, 529,
             R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})",
             ErrorKind::unavailable, "Overloaded", "overloaded_error"},
            {"anthropic_overloaded_on_500", kAnthropic, 500,
             R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})",
             ErrorKind::unavailable, "Overloaded", "overloaded_error"},
            {"anthropic_api_error", kAnthropic, 500,
             R"({"type":"error","error":{"type":"api_error","message":"Internal server error"}})",
             ErrorKind::internal, "Internal server error", "api_error"},
            {"not_implemented_501", kOpenAI, 501, "{}", ErrorKind::internal, "{}", ""},
            {"cloudflare_520", kOpenAI, 520, "", ErrorKind::internal, "", ""},

            // ------------------------------------------------------------ no error status (stream error
            // events)
            {"stream_event_code_429", kOpenAI, 200,
             R"({"error":{"message":"Too many requests","type":"rate_limit_exceeded","code":429}})",
             ErrorKind::rate_limited, "Too many requests", "rate_limit_exceeded"},
            {"stream_event_llamacpp_context", kOpenAI, 200,
             R"({"error":{"code":400,"message":"the request exceeds the available context size, try increasing it","type":"exceed_context_size_error"}})",
             ErrorKind::context_window_exceeded, "", "exceed_context_size_error"},
            {"stream_event_anthropic_overloaded", kAnthropic, 0,
             R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})",
             ErrorKind::unavailable, "Overloaded", "overloaded_error"},
            {"unknown_status_bare_429", kOpenAI, 0, R"({"error":{"message":"Error code: 429"}})",
             ErrorKind::rate_limited, "", ""},
            {"unknown_status_litellm_string_code", kOpenAI, 0,
             R"({"error":{"message":"litellm.RateLimitError: slow","type":null,"param":null,"code":"429"}})",
             ErrorKind::rate_limited, "", ""},
            {"unknown_status_nothing_known", kOpenAI, 0, R"({"error":{"message":"boom"}})",
             ErrorKind::internal, "boom", ""},
};

class ClassifyHttpError : public testing::TestWithParam<Case> {};

TEST_P(ClassifyHttpError, Table) {
  const Case& c = GetParam();
  const ClassifiedError got = classify_http_error(c.family, c.status, c.body);
  EXPECT_EQ(got.kind, c.kind) << router::to_string(got.kind) << " for " << c.body;
  if (!c.message.empty()) {
    EXPECT_EQ(got.message, c.message);
  }
  EXPECT_EQ(got.upstream_type, c.type);
}

INSTANTIATE_TEST_SUITE_P(UpstreamBodies, ClassifyHttpError, testing::ValuesIn(kCases),
                         [](const testing::TestParamInfo<Case>& info) {
                           return std::string(info.param.name);
                         });

TEST(ClassifyHttpErrorStatus, KeepsTheStatusOrTheBodysCode) {
  EXPECT_EQ(classify_http_error(kOpenAI, 503, "").status, 503);
  EXPECT_EQ(classify_http_error(kOpenAI, 200, R"({"error":{"message":"x","code":429}})").status, 429);
  EXPECT_EQ(classify_http_error(kOpenAI, 200, R"({"error":{"message":"x","code":"400"}})").status, 400);
  EXPECT_EQ(classify_http_error(kOpenAI, 200, R"({"error":{"message":"x","code":"oops"}})").status, 200);
  EXPECT_EQ(classify_http_error(kOpenAI, 0, R"({"error":{"message":"x"}})").status, 0);
}

TEST(ClassifyHttpErrorMessage, TruncatedTo1KiBOnACharacterBoundary) {
  std::string body;
  while (body.size() < 3000) body += "\xE4\xB8\xAD";  // a 3-byte character, repeated
  const ClassifiedError got = classify_http_error(kOpenAI, 500, body);
  EXPECT_LE(got.message.size(), 1024u);
  EXPECT_GE(got.message.size(), 1021u);
  EXPECT_TRUE(api::validate_json("\"" + got.message + "\""));

  const std::string long_message = R"({"error":{"message":")" + std::string(5000, 'a') + R"("}})";
  EXPECT_EQ(classify_http_error(kOpenAI, 400, long_message).message, std::string(1024, 'a'));
}

// ---------------------------------------------------------------- Retry-After

const auto kNow = std::chrono::sys_days{std::chrono::year{1994} / 11 / 6} + 8h + 49min + 27s;

TEST(ParseRetryAfter, DeltaSeconds) {
  EXPECT_EQ(parse_retry_after("5", kNow), 5000ms);
  EXPECT_EQ(parse_retry_after(" 5 ", kNow), 5000ms);
  EXPECT_EQ(parse_retry_after("0", kNow), 0ms);
  EXPECT_EQ(parse_retry_after("1.5", kNow), 1500ms);
  EXPECT_EQ(parse_retry_after("120", kNow), 120000ms);
  for (std::string_view bad : {"", "  ", "-1", "-0.5", "+5", ".5", "1e3", "5s", "abc", "5 6", "NaN", "inf"}) {
    EXPECT_FALSE(parse_retry_after(bad, kNow)) << bad;
  }
}

TEST(ParseRetryAfter, HttpDates) {
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", kNow), 10000ms);   // IMF-fixdate
  EXPECT_EQ(parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", kNow), 10000ms);  // RFC 850
  EXPECT_EQ(parse_retry_after("Sun Nov  6 08:49:37 1994", kNow), 10000ms);        // asctime
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:27 GMT", kNow), 0ms);
  EXPECT_EQ(parse_retry_after("Mon, 07 Nov 1994 08:49:27 GMT", kNow), std::chrono::milliseconds(24h));
  EXPECT_FALSE(parse_retry_after("Sun, 06 Nov 1994 08:49:26 GMT", kNow));  // in the past
  for (std::string_view bad : {"Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:49:37 GMT",
                               "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 PST",
                               "Sun, 06 Nov 1994 08:49 GMT", "Sun Nov  6 08:49:37 1994 extra", "Sunday"}) {
    EXPECT_FALSE(parse_retry_after(bad, kNow)) << bad;
  }
}

TEST(ParseRetryAfter, HostileValuesAreHeldWithinTheLongestWait) {
  // Dates past 2262 overflow system_clock's nanoseconds; huge numbers must not become UB.
  EXPECT_EQ(parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", kNow), text::kLongestWait);
  EXPECT_EQ(parse_retry_after("Fri, 31 Dec 2400 23:59:59 GMT", kNow), text::kLongestWait);
  EXPECT_FALSE(parse_retry_after("Mon, 01 Jan 1000 00:00:00 GMT", kNow));  // long past
  const std::string huge = "1" + std::string(300, '0');
  EXPECT_EQ(parse_retry_after(huge, kNow), text::kLongestWait);
  EXPECT_EQ(parse_retry_after("99999999999999999", kNow), text::kLongestWait);
  EXPECT_EQ(parse_retry_after_ms("99999999999999999999"), text::kLongestWait);
  EXPECT_FALSE(parse_retry_after("1e300", kNow));
  EXPECT_FALSE(parse_retry_after_ms("-5"));
}

TEST(ParseRetryAfterMs, Milliseconds) {
  EXPECT_EQ(parse_retry_after_ms("1500"), 1500ms);
  EXPECT_EQ(parse_retry_after_ms(" 20.4 "), 20ms);
  EXPECT_EQ(parse_retry_after_ms("0"), 0ms);
  for (std::string_view bad : {"", "-5", "x", "1e3", "+1"}) {
    EXPECT_FALSE(parse_retry_after_ms(bad)) << bad;
  }
}

}  // namespace
}  // namespace llmux::providers
