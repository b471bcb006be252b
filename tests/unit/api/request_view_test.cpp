#include "api/request_view.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <climits>
#include <cmath>

namespace llmux::api {
namespace {

namespace bj = boost::json;

RequestView read_ok(std::string_view body, Endpoint endpoint = Endpoint::chat_completions) {
  auto result = read_request(endpoint, body);
  if (auto* error = std::get_if<RequestError>(&result)) {
    ADD_FAILURE() << "unexpected error: " << error->message << " for " << body;
    return {};
  }
  return std::get<RequestView>(std::move(result));
}

RequestError read_error(std::string_view body, Endpoint endpoint = Endpoint::chat_completions) {
  auto result = read_request(endpoint, body);
  if (auto* error = std::get_if<RequestError>(&result)) return *error;
  ADD_FAILURE() << "expected an error for " << body;
  return {};
}

constexpr std::string_view kMessages = R"("messages":[{"role":"user","content":"hi"}])";

std::string chat(std::string_view extra) {
  std::string body = R"({"model":"gpt-4o",)";
  body.append(kMessages);
  if (!extra.empty()) body.append(",").append(extra);
  return body + "}";
}

// ---------------------------------------------------------------- reading

TEST(ReadRequest, MinimalChat) {
  const std::string body = chat("");
  const RequestView view = read_ok(body);
  EXPECT_EQ(view.model, "gpt-4o");
  EXPECT_FALSE(view.stream);
  EXPECT_FALSE(view.include_usage);
  EXPECT_EQ(view.body, body);
  EXPECT_EQ(view.members.size(), 2u);
  EXPECT_EQ(view.present_params, std::vector<std::string>{"messages"});
  EXPECT_FALSE(view.num_retries);
  EXPECT_FALSE(view.fallbacks);
}

TEST(ReadRequest, StreamingAndUsage) {
  const std::string body = chat(R"("stream":true,"stream_options":{"include_usage":true},"temperature":0.2)");
  const RequestView view = read_ok(body);
  EXPECT_TRUE(view.stream);
  EXPECT_TRUE(view.include_usage);
  EXPECT_EQ(view.present_params,
            (std::vector<std::string>{"messages", "stream", "stream_options", "temperature"}));
  EXPECT_FALSE(read_ok(chat(R"("stream":true,"stream_options":{})")).include_usage);
  EXPECT_FALSE(read_ok(chat(R"("stream":false,"stream_options":null)")).include_usage);
}

TEST(ReadRequest, ControlFields) {
  const std::string body =
      chat(R"("num_retries":3,"timeout":12.5,"stream_timeout":4,"fallbacks":["a",{"model":"b"}],)"
           R"("context_window_fallbacks":["big"],"content_policy_fallbacks":[],"disable_fallbacks":true,)"
           R"("max_fallbacks":2,"mock_response":"hello","mock_testing_fallbacks":"true",)"
           R"("mock_testing_context_fallbacks":true,"mock_testing_content_policy_fallbacks":"False",)"
           R"("mock_testing_rate_limit_error":false,"mock_timeout":true,"user":"u-1","tags":["t1","t2"],)"
           R"("metadata":{"tags":["t2","t3"],"trace_id":"x"},"top_k":40)");
  const RequestView view = read_ok(body);
  EXPECT_EQ(view.num_retries, 3);
  EXPECT_DOUBLE_EQ(*view.timeout_seconds, 12.5);
  EXPECT_DOUBLE_EQ(*view.stream_timeout_seconds, 4.0);
  EXPECT_EQ(view.fallbacks, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(view.context_window_fallbacks, std::vector<std::string>{"big"});
  ASSERT_TRUE(view.content_policy_fallbacks);
  EXPECT_TRUE(view.content_policy_fallbacks->empty());
  EXPECT_TRUE(view.disable_fallbacks);
  EXPECT_EQ(view.max_fallbacks, 2);
  EXPECT_EQ(view.mock_response, "hello");
  EXPECT_TRUE(view.mock_testing_fallbacks);
  EXPECT_TRUE(view.mock_testing_context_fallbacks);
  EXPECT_FALSE(view.mock_testing_content_policy_fallbacks);
  EXPECT_FALSE(view.mock_testing_rate_limit_error);
  EXPECT_TRUE(view.mock_timeout);
  EXPECT_EQ(view.user, "u-1");
  EXPECT_EQ(view.tags, (std::vector<std::string>{"t1", "t2", "t3"}));
  EXPECT_EQ(view.present_params, (std::vector<std::string>{"messages", "user", "top_k"}));
}

TEST(ReadRequest, AliasesAndNulls) {
  EXPECT_EQ(read_ok(chat(R"("max_retries":4)")).num_retries, 4);
  EXPECT_EQ(read_ok(chat(R"("max_retries":4,"num_retries":1)")).num_retries, 1);
  EXPECT_TRUE(
      read_ok(chat(R"("mock_testing_context_window_fallbacks":"TRUE")")).mock_testing_context_fallbacks);
  const RequestView nulls = read_ok(chat(R"("stream":null,"user":null,"num_retries":null,"fallbacks":null)"));
  EXPECT_FALSE(nulls.stream);
  EXPECT_FALSE(nulls.user);
  EXPECT_FALSE(nulls.num_retries);
  EXPECT_FALSE(nulls.fallbacks);
}

TEST(ReadRequest, DuplicateKeysLastWinsLikePython) {
  const RequestView view =
      read_ok(R"({"model":"first","messages":[1],"model":"second","stream":true,"stream":false})");
  EXPECT_EQ(view.model, "second");
  EXPECT_FALSE(view.stream);
  EXPECT_EQ(view.present_params, (std::vector<std::string>{"messages", "stream"}));
}

TEST(ReadRequest, EscapedKeysMeanTheirDecodedName) {
  const RequestView view = read_ok(R"({"mo\u0064el":"m\u00e9","messages":[{}],"n\u0075m_retries":2})");
  EXPECT_EQ(view.model, "m\xC3\xA9");
  EXPECT_EQ(view.num_retries, 2);
  EXPECT_EQ(view.present_params, std::vector<std::string>{"messages"});
}

TEST(ReadRequest, ModelFromPath) {
  const std::string body = std::string("{") + std::string(kMessages) + "}";
  auto result = read_request(Endpoint::chat_completions, body, "azure-deployment");
  ASSERT_TRUE(std::holds_alternative<RequestView>(result));
  const RequestView& view = std::get<RequestView>(result);
  EXPECT_EQ(view.model, "azure-deployment");
  EXPECT_EQ(build_upstream_body(view, "gpt-4o", {}, false),
            std::string("{") + std::string(kMessages) + R"(,"model":"gpt-4o"})");
  // The path wins over the body.
  const std::string with_model = chat("");
  auto both = read_request(Endpoint::chat_completions, with_model, "from-path");
  ASSERT_TRUE(std::holds_alternative<RequestView>(both));
  EXPECT_EQ(std::get<RequestView>(both).model, "from-path");
}

TEST(ReadRequest, OtherEndpoints) {
  EXPECT_EQ(read_ok(R"({"model":"m","prompt":"once upon"})", Endpoint::completions).model, "m");
  EXPECT_EQ(read_ok(R"({"model":"m","prompt":["a","b"]})", Endpoint::completions).model, "m");
  for (std::string_view input : {R"("text")", R"(["a","b"])", "[1,2,3]", "[[1,2],[3]]"}) {
    const std::string body = std::string(R"({"model":"e","input":)") + std::string(input) + "}";
    EXPECT_EQ(read_ok(body, Endpoint::embeddings).model, "e") << body;
  }
  // messages are only required on chat.
  EXPECT_EQ(read_ok(R"({"model":"e","input":"x"})", Endpoint::embeddings).present_params,
            std::vector<std::string>{"input"});
}

// ---------------------------------------------------------------- errors

TEST(ReadRequestErrors, InvalidJson) {
  for (std::string_view body :
       {"", "{", R"({"model":"a",})", "{'model':1}", R"({"model":"a"} extra)", "\"\\ud800\""}) {
    const RequestError e = read_error(body);
    EXPECT_EQ(e.status, 400);
    EXPECT_EQ(e.type, "invalid_request_error");
    EXPECT_TRUE(e.message.starts_with("Invalid JSON in request body: ")) << e.message;
    EXPECT_TRUE(e.param.empty());
  }
  EXPECT_EQ(read_error(R"({"model":"a",})").message,
            "Invalid JSON in request body: trailing comma at byte 13");
}

TEST(ReadRequestErrors, NotAnObject) {
  for (std::string_view body : {"[]", "\"model\"", "42", "null"}) {
    const RequestError e = read_error(body);
    EXPECT_EQ(e.status, 400);
    EXPECT_EQ(e.message, "Invalid request body: expected a JSON object.");
  }
}

TEST(ReadRequestErrors, MissingRequiredUsesLiteLLMWording) {
  RequestError e = read_error(R"({"messages":[{"role":"user","content":"x"}]})");
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.param, "model");
  EXPECT_EQ(e.message, "Missing required parameter: 'model'.");
  EXPECT_EQ(read_error(R"({"model":"","messages":[{}]})").param, "model");
  EXPECT_EQ(read_error(R"({"model":null,"messages":[{}]})").param, "model");

  e = read_error(R"({"model":"m"})");
  EXPECT_EQ(e.param, "messages");
  EXPECT_EQ(e.message, "Missing required parameter: 'messages'.");
  EXPECT_EQ(read_error(R"({"model":"m","messages":null})").param, "messages");

  e = read_error(R"({"model":"m"})", Endpoint::completions);
  EXPECT_EQ(e.message, "Missing required parameter: 'prompt'.");
  e = read_error(R"({"model":"m"})", Endpoint::embeddings);
  EXPECT_EQ(e.message, "Missing required parameter: 'input'.");
  EXPECT_EQ(e.param, "input");
}

TEST(ReadRequestErrors, WrongTypesNameTheParam) {
  struct Case {
    std::string body;
    std::string param;
    std::string message;
  };
  const Case cases[] = {
      {R"({"model":7,"messages":[{}]})", "model",
       "Invalid type for 'model': expected a string, but got an integer instead."},
      {chat(R"("stream":"yes")"), "stream",
       "Invalid type for 'stream': expected a boolean, but got a string instead."},
      {R"({"model":"m","messages":"hi"})", "messages",
       "Invalid type for 'messages': expected an array, but got a string instead."},
      {R"({"model":"m","messages":[ ]})", "messages",
       "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array "
       "instead."},
      {chat(R"("num_retries":2.5)"), "num_retries",
       "Invalid type for 'num_retries': expected an integer, but got a decimal number instead."},
      {chat(R"("num_retries":-1)"), "num_retries",
       "Invalid 'num_retries': expected a value >= 0, but got -1 instead."},
      {chat(R"("max_fallbacks":"2")"), "max_fallbacks",
       "Invalid type for 'max_fallbacks': expected an integer, but got a string instead."},
      {chat(R"("timeout":"30")"), "timeout",
       "Invalid type for 'timeout': expected a number, but got a string instead."},
      {chat(R"("timeout":0)"), "timeout", "Invalid 'timeout': expected a value > 0, but got 0 instead."},
      {chat(R"("timeout":-1e400)"), "timeout", "Invalid 'timeout': expected a value > 0, but got -1e400 instead."},
      {chat(R"("timeout":1e-400)"), "timeout", "Invalid 'timeout': expected a value > 0, but got 1e-400 instead."},
      {chat(R"("stream_timeout":-5)"), "stream_timeout",
       "Invalid 'stream_timeout': expected a value > 0, but got -5 instead."},
      {chat(R"("num_retries":-99999999999999999999)"), "num_retries",
       "Invalid 'num_retries': expected a value >= 0, but got -99999999999999999999 instead."},
      {chat(R"("num_retries":1e3)"), "num_retries",
       "Invalid type for 'num_retries': expected an integer, but got a decimal number instead."},
      {chat(R"("max_retries":true)"), "max_retries",
       "Invalid type for 'max_retries': expected an integer, but got a boolean instead."},
      {chat(R"("fallbacks":"gpt-4o")"), "fallbacks",
       "Invalid type for 'fallbacks': expected an array of model names, but got a string instead."},
      {chat(R"("fallbacks":[{"model":"a","messages":[]}])"), "fallbacks",
       "Invalid type for 'fallbacks[0]': expected a model name or {\"model\": <name>}, but got an object "
       "instead."},
      {chat(R"("context_window_fallbacks":[1])"), "context_window_fallbacks",
       "Invalid type for 'context_window_fallbacks[0]': expected a model name or {\"model\": <name>}, but "
       "got an integer instead."},
      {chat(R"("mock_testing_fallbacks":"maybe")"), "mock_testing_fallbacks",
       "Invalid type for 'mock_testing_fallbacks': expected a boolean, but got a string instead."},
      {chat(R"("disable_fallbacks":1)"), "disable_fallbacks",
       "Invalid type for 'disable_fallbacks': expected a boolean, but got an integer instead."},
      {chat(R"("mock_response":{"x":1})"), "mock_response",
       "Invalid type for 'mock_response': expected a string, but got an object instead."},
      {chat(R"("user":1)"), "user",
       "Invalid type for 'user': expected a string, but got an integer instead."},
      {chat(R"("tags":"a")"), "tags",
       "Invalid type for 'tags': expected an array of strings, but got a string instead."},
      {chat(R"("metadata":[])"), "metadata",
       "Invalid type for 'metadata': expected an object, but got an array instead."},
      {chat(R"("metadata":{"tags":[1]})"), "metadata.tags",
       "Invalid type for 'metadata.tags[0]': expected a string, but got an integer instead."},
      {chat(R"("stream_options":true)"), "stream_options",
       "Invalid type for 'stream_options': expected an object, but got a boolean instead."},
      {chat(R"("stream_options":{"include_usage":"yes"})"), "stream_options.include_usage",
       "Invalid type for 'stream_options.include_usage': expected a boolean, but got a string instead."},
  };
  for (const auto& c : cases) {
    const RequestError e = read_error(c.body);
    EXPECT_EQ(e.status, 400) << c.body;
    EXPECT_EQ(e.param, c.param) << c.body;
    EXPECT_EQ(e.message, c.message) << c.body;
    EXPECT_EQ(e.type, "invalid_request_error");
  }
}

TEST(ReadRequestErrors, PromptAndEmbeddingShapes) {
  EXPECT_EQ(read_error(R"({"model":"m","prompt":5})", Endpoint::completions).param, "prompt");
  for (std::string_view input :
       {"5", "{}", "[]", R"(["a",1])", "[[1],[]]", R"([["a"]])", "[1.5]", "[true]", "[[1],2]"}) {
    const std::string body = std::string(R"({"model":"e","input":)") + std::string(input) + "}";
    const RequestError e = read_error(body, Endpoint::embeddings);
    EXPECT_EQ(e.status, 400) << body;
    EXPECT_EQ(e.param, "input") << body;
  }
}

// ---------------------------------------------------------------- upstream body

bj::object upstream(std::string_view body, std::string_view model, std::vector<std::string> drop = {},
                    bool add_usage = false) {
  const RequestView view = read_ok(body);
  const std::string out = build_upstream_body(view, model, drop, add_usage);
  EXPECT_TRUE(validate_json(out)) << out;
  return bj::parse(out).as_object();
}

TEST(BuildUpstreamBody, ReplacesModelAndStripsControls) {
  const std::string body = chat(
      R"("num_retries":3,"max_retries":1,"timeout":5,"stream_timeout":3,"fallbacks":["x"],)"
      R"("context_window_fallbacks":["y"],"content_policy_fallbacks":["z"],"disable_fallbacks":false,)"
      R"("max_fallbacks":1,"mock_response":"hi","mock_testing_fallbacks":true,)"
      R"("mock_testing_context_fallbacks":true,"mock_testing_context_window_fallbacks":true,)"
      R"("mock_testing_content_policy_fallbacks":true,"mock_testing_rate_limit_error":true,"mock_timeout":false,)"
      R"("tags":["t"],"metadata":{"tags":["u"]},"user":"me","mock_fault":"500","temperature":0.5,"top_k":20)");
  const bj::object got = upstream(body, "meta-llama/Llama-3.1-8B");
  const bj::object expected =
      bj::parse(R"({"model":"meta-llama/Llama-3.1-8B","messages":[{"role":"user","content":"hi"}],)"
                R"("user":"me","mock_fault":"500","temperature":0.5,"top_k":20})")
          .as_object();
  EXPECT_EQ(got, expected);
}

TEST(BuildUpstreamBody, KeepsUntouchedBytes) {
  const std::string body =
      R"({ "model" : "group", "messages" : [ {"role":"user","content":"x"} ], "temperature" : 0.70 })";
  const RequestView view = read_ok(body);
  EXPECT_EQ(
      build_upstream_body(view, "real\"model", {}, false),
      R"({ "model" : "real\"model", "messages" : [ {"role":"user","content":"x"} ], "temperature" : 0.70 })");
}

TEST(BuildUpstreamBody, DropsRequestedParamsEverywhere) {
  const bj::object got = upstream(chat(R"("service_tier":"auto","store":true,"seed":1,"store":false)"), "m",
                                  {"service_tier", "store", "model"});
  EXPECT_EQ(got,
            bj::parse(R"({"model":"m","messages":[{"role":"user","content":"hi"}],"seed":1})").as_object());
}

TEST(BuildUpstreamBody, DuplicateModelsCollapseToOne) {
  const RequestView view = read_ok(R"({"model":"a","messages":[{}],"model":"b"})");
  const std::string out = build_upstream_body(view, "up", {}, false);
  EXPECT_EQ(out, R"({"messages":[{}],"model":"up"})");
}

TEST(BuildUpstreamBody, IncludeUsageAddedOnlyWhenStreamingWithoutIt) {
  // Not streaming: untouched.
  EXPECT_FALSE(upstream(chat(""), "m", {}, true).contains("stream_options"));
  // Streaming, no stream_options: added.
  EXPECT_EQ(upstream(chat(R"("stream":true)"), "m", {}, true).at("stream_options"),
            bj::parse(R"({"include_usage":true})"));
  // Flag off: untouched.
  EXPECT_FALSE(upstream(chat(R"("stream":true)"), "m", {}, false).contains("stream_options"));
  // Client asked already: untouched bytes.
  const std::string asked_body = chat(R"("stream":true,"stream_options":{"include_usage":true})");
  const RequestView asked = read_ok(asked_body);
  EXPECT_EQ(build_upstream_body(asked, "gpt-4o", {}, true), asked.body);
  // include_usage false, other options kept: merged.
  EXPECT_EQ(
      upstream(
          chat(R"("stream":true,"stream_options":{"include_usage":false,"continuous_usage_stats":true})"),
          "m", {}, true)
          .at("stream_options"),
      bj::parse(R"({"continuous_usage_stats":true,"include_usage":true})"));
  // stream_options: null is replaced; duplicates collapse.
  EXPECT_EQ(upstream(chat(R"("stream":true,"stream_options":null)"), "m", {}, true).at("stream_options"),
            bj::parse(R"({"include_usage":true})"));
  const std::string dup_body = chat(R"("stream_options":{"a":1},"stream":true,"stream_options":{"b":2})");
  const RequestView dup = read_ok(dup_body);
  EXPECT_EQ(build_upstream_body(dup, "m", {}, true),
            std::string(R"({"model":"m",)") + std::string(kMessages) +
                R"(,"stream":true,"stream_options":{"b":2,"include_usage":true}})");
  // A provider that cannot take stream_options: dropped, not added.
  EXPECT_FALSE(upstream(chat(R"("stream":true,"stream_options":{})"), "m", {"stream_options"}, true)
                   .contains("stream_options"));
}

// ---------------------------------------------------------------- hostile sizes and numbers

// `count` members named k0, k1, … (each `repeat` times in a row) after model and messages.
std::string many_keys(std::size_t count, std::size_t repeat = 1) {
  std::string body = R"({"model":"m",)";
  body.append(kMessages);
  for (std::size_t i = 0; i < count; ++i) {
    for (std::size_t r = 0; r < repeat; ++r) body.append(",\"k").append(std::to_string(i)).append("\":1");
  }
  return body + "}";
}

TEST(ReadRequest, ObjectsPastTheKeyLimitAreRefused) {
  const RequestError error = read_error(many_keys(200000));
  EXPECT_EQ(error.status, 400);
  EXPECT_EQ(error.type, "invalid_request_error");
  EXPECT_EQ(error.param, "");
  EXPECT_NE(error.message.find("more than 10000 keys (llmux_settings.max_json_object_keys)"), std::string::npos)
      << error.message;

  // Duplicates count: they cost the same to walk.
  EXPECT_EQ(read_error(many_keys(3, 4000)).status, 400);
  // Nested objects too (a tool schema's properties, metadata).
  std::string nested = R"({"model":"m",)" + std::string(kMessages) + R"(,"metadata":{)";
  for (int i = 0; i < 10001; ++i) nested.append(i ? "," : "").append("\"k" + std::to_string(i) + "\":1");
  nested += "}}";
  EXPECT_NE(read_error(nested).message.find("an object at byte "), std::string::npos);

  // The limit is the caller's to set.
  const ReadLimits small{.max_object_keys = 3, .max_list_items = 1000};
  EXPECT_TRUE(std::holds_alternative<RequestView>(read_request(Endpoint::chat_completions, chat(""), {}, small)));
  const auto refused = read_request(Endpoint::chat_completions, chat(R"("a":1,"b":2)"), {}, small);
  ASSERT_TRUE(std::holds_alternative<RequestError>(refused));
  EXPECT_NE(std::get<RequestError>(refused).message.find("more than 3 keys"), std::string::npos);
}

// Below the limit, many distinct keys (and repeats of them) are read, each named once, in body
// order: duplicate detection does not depend on the keys being few.
TEST(ReadRequest, ManyDistinctKeysUnderTheLimit) {
  const RequestView view = read_ok(many_keys(4500, 2));
  ASSERT_EQ(view.present_params.size(), 4501u);
  EXPECT_EQ(view.present_params[0], "messages");
  for (std::size_t i = 0; i < 4500; ++i) ASSERT_EQ(view.present_params[i + 1], "k" + std::to_string(i));
  EXPECT_EQ(read_ok(many_keys(9000)).present_params.size(), 9001u);
}

TEST(ReadRequest, RoutingListsAreBounded) {
  const auto list = [](std::size_t n, std::string_view item) {
    std::string out = "[";
    for (std::size_t i = 0; i < n; ++i) out.append(i ? "," : "").append(item);
    return out + "]";
  };
  EXPECT_EQ(read_ok(chat(R"("tags":)" + list(1000, R"("t")"))).tags, std::vector<std::string>{"t"});
  for (const char* param : {"tags", "fallbacks", "context_window_fallbacks", "content_policy_fallbacks"}) {
    const RequestError error = read_error(chat("\"" + std::string(param) + "\":" + list(1001, R"("t")")));
    EXPECT_EQ(error.param, param);
    EXPECT_EQ(error.message, "Invalid '" + std::string(param) +
                                 "': expected an array with at most 1000 items "
                                 "(llmux_settings.max_routing_list_items), but got more.");
  }
  EXPECT_EQ(read_error(chat(R"("metadata":{"tags":)" + list(1001, R"("t")") + "}")).param, "metadata.tags");
  // Tags are unique across both lists, first occurrence first, past the short-list path too.
  std::string tags = "[";
  for (int i = 0; i < 40; ++i) tags.append(i ? "," : "").append("\"t" + std::to_string(i % 20) + "\"");
  const RequestView view = read_ok(chat(R"("tags":)" + tags + R"(],"metadata":{"tags":["t3","new"]})"));
  ASSERT_EQ(view.tags.size(), 21u);
  EXPECT_EQ(view.tags.front(), "t0");
  EXPECT_EQ(view.tags.back(), "new");
}

// Counts and durations are held, not wrapped: "more than any int" is the router's cap to apply,
// "longer than a double" is the gateway's timeout cap.
TEST(ReadRequest, HugeCountsAndDurations) {
  EXPECT_EQ(read_ok(chat(R"("num_retries":1000000)")).num_retries, 1000000);
  EXPECT_EQ(read_ok(chat(R"("num_retries":99999999999999999999)")).num_retries, INT_MAX);
  EXPECT_EQ(read_ok(chat(R"("max_retries":2147483648)")).num_retries, INT_MAX);
  EXPECT_EQ(read_ok(chat(R"("max_fallbacks":99999999999999999999)")).max_fallbacks, INT_MAX);
  EXPECT_EQ(read_ok(chat(R"("num_retries":-0)")).num_retries, 0);
  EXPECT_DOUBLE_EQ(*read_ok(chat(R"("timeout":1e10)")).timeout_seconds, 1e10);
  EXPECT_TRUE(std::isinf(*read_ok(chat(R"("timeout":1e400)")).timeout_seconds));
  EXPECT_TRUE(std::isinf(*read_ok(chat(R"("stream_timeout":1e400)")).stream_timeout_seconds));
}

TEST(IsGatewayControlParam, KnownNames) {
  // LiteLLM's own request fields (reference §2.10, §3.6; its all_litellm_params): a hosted API
  // would refuse any of them.
  for (std::string_view key :
       {"num_retries", "max_retries", "timeout", "stream_timeout", "request_timeout", "fallbacks",
        "context_window_fallbacks", "content_policy_fallbacks", "disable_fallbacks", "max_fallbacks",
        "mock_response", "mock_timeout", "mock_testing_fallbacks", "mock_testing_context_window_fallbacks",
        "mock_testing_rate_limit_error", "tags", "metadata", "litellm_metadata", "litellm_trace_id",
        "litellm_call_id", "litellm_session_id", "caching", "cache", "ttl", "no-log", "drop_params",
        "additional_drop_params", "allowed_openai_params", "api_key", "api_base", "base_url", "api_version",
        "organization", "custom_llm_provider", "extra_headers", "headers", "guardrails", "proxy_server_request",
        "user_api_key", "user_api_key_alias", "user_api_key_team_id", "model_info", "input_cost_per_token",
        "output_cost_per_token", "priority", "langfuse_public_key", "langsmith_project", "prompt_id",
        "prompt_variables", "secret_fields", "id"}) {
    EXPECT_TRUE(is_gateway_control_param(key)) << key;
  }
  // What upstreams take: OpenAI params and provider-specific ones.
  for (std::string_view key : {"model", "messages", "user", "temperature", "top_p", "top_k", "max_tokens",
                               "max_completion_tokens", "stop", "seed", "n", "stream", "stream_options", "tools",
                               "tool_choice", "response_format", "logit_bias", "presence_penalty",
                               "frequency_penalty", "logprobs", "top_logprobs", "reasoning_effort", "store",
                               "service_tier", "mock_fault", "guided_json", "chat_template_kwargs",
                               "repetition_penalty", "min_p", "extra_body", "", "litellm", "user_api"}) {
    EXPECT_FALSE(is_gateway_control_param(key)) << key;
  }
}

// ---------------------------------------------------------------- deployment presets

std::string with_presets(std::string_view body, const std::vector<std::pair<std::string, std::string>>& add,
                         const std::vector<std::string>& always_drop = {}, std::vector<std::string> drop = {}) {
  const RequestView view = read_ok(body);
  const std::string out = build_upstream_body(view, "up", drop, false, BodyPresets{add, always_drop});
  EXPECT_TRUE(validate_json(out)) << out;
  return out;
}

TEST(BuildUpstreamBody, PresetsTheRequestLacksAreAppended) {
  EXPECT_EQ(with_presets(chat(""), {{"temperature", "0.2"}, {"guided_json", R"({"type": "object"})"}}),
            R"({"model":"up",)" + std::string(kMessages) + R"(,"temperature":0.2,"guided_json":{"type": "object"}})");
}

TEST(BuildUpstreamBody, TheRequestsOwnValueWinsOverAPreset) {
  const std::string out = with_presets(chat(R"("temperature":0.9,"seed":null)"),
                                       {{"temperature", "0.2"}, {"seed", "7"}, {"top_p", "0.5"}});
  EXPECT_EQ(out, R"({"model":"up",)" + std::string(kMessages) + R"(,"temperature":0.9,"seed":null,"top_p":0.5})");
}

TEST(BuildUpstreamBody, MaxTokensAndMaxCompletionTokensAreOneLimit) {
  const bj::object got = bj::parse(with_presets(chat(R"("max_completion_tokens":10)"), {{"max_tokens", "64"}})).as_object();
  EXPECT_FALSE(got.contains("max_tokens"));
  EXPECT_EQ(got.at("max_completion_tokens"), 10);
  const bj::object other = bj::parse(with_presets(chat(R"("max_tokens":10)"), {{"max_completion_tokens", "64"}})).as_object();
  EXPECT_FALSE(other.contains("max_completion_tokens"));
}

TEST(BuildUpstreamBody, AdditionalDropParamsRemoveTheRequestsOwn) {
  const bj::object got =
      bj::parse(with_presets(chat(R"("seed":1,"user":"u","temperature":1)"), {}, {"seed", "user"})).as_object();
  EXPECT_FALSE(got.contains("seed"));
  EXPECT_FALSE(got.contains("user"));
  EXPECT_EQ(got.at("temperature"), 1);
}

TEST(BuildUpstreamBody, APresetTheProviderCannotTakeIsDroppedWithTheRequestsOwn) {
  const bj::object got = bj::parse(with_presets(chat(""), {{"service_tier", R"("flex")"}}, {}, {"service_tier"})).as_object();
  EXPECT_FALSE(got.contains("service_tier"));
}

TEST(BuildUpstreamBody, APresetDoesNotComeBackThroughAControlOrADuplicate) {
  // metadata is stripped and is not "set" by the request; a preset for a key the request sets
  // twice is not added a third time.
  const std::string out = with_presets(chat(R"("metadata":{"a":1},"top_k":1,"top_k":2)"), {{"top_k", "5"}});
  EXPECT_EQ(out, R"({"model":"up",)" + std::string(kMessages) + R"(,"top_k":1,"top_k":2})");
}

TEST(BuildUpstreamBody, NoPresetsIsTheSameBodyAsBefore) {
  const std::string body = chat(R"("temperature":0.5)");  // the view points into it
  const RequestView view = read_ok(body);
  EXPECT_EQ(build_upstream_body(view, "up", {}, true, BodyPresets{}), build_upstream_body(view, "up", {}, true));
}

}  // namespace
}  // namespace llmux::api
