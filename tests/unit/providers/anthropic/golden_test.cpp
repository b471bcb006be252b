// Replays every case under tests/golden/anthropic/ (layout: that folder's README.md).
// One test per case directory, so a failure names its case.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "golden_support.hpp"
#include "providers/anthropic/count_tokens.hpp"
#include "providers/anthropic/request_from_anthropic.hpp"
#include "providers/anthropic/request_to_anthropic.hpp"
#include "providers/anthropic/response_from_anthropic.hpp"
#include "providers/anthropic/response_to_anthropic.hpp"
#include "providers/anthropic/stream_from_anthropic.hpp"
#include "providers/anthropic/stream_to_anthropic.hpp"

namespace llmux::providers::anthropic {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using golden::compare_json_text;
using golden::compare_sse;
using golden::join_lines;

// Every golden expectation uses this `created`.
constexpr std::int64_t kCreated = 1700000000;

fs::path golden_root() { return fs::path(LLMUX_SOURCE_DIR) / "tests" / "golden" / "anthropic"; }

std::vector<std::string> discover_cases() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(golden_root(), ec)) {
    if (entry.is_directory() && fs::exists(entry.path() / "client_request.json")) {
      names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

struct CaseConfig {
  bool reverse = false;  // "direction": "anthropic_to_openai"
  std::string upstream_model;
  std::optional<std::int64_t> default_max_tokens;
  bool drop_params = false;
  std::optional<std::vector<std::string>> expect_dropped;
};

CaseConfig read_config(const fs::path& dir) {
  CaseConfig c;
  auto text = golden::read_file((dir / "case.json").string());
  json::object o;
  if (text) o = json::parse(*text).as_object();
  c.reverse = o.contains("direction") && o.at("direction").as_string() == "anthropic_to_openai";
  c.upstream_model = o.contains("upstream_model") ? std::string(o.at("upstream_model").as_string())
                     : c.reverse                  ? "gpt-4o-mini"
                                                  : "claude-3-5-sonnet-20241022";
  if (o.contains("default_max_tokens")) c.default_max_tokens = o.at("default_max_tokens").as_int64();
  if (o.contains("drop_params")) c.drop_params = o.at("drop_params").as_bool();
  if (o.contains("expect_dropped")) {
    c.expect_dropped.emplace();
    for (const auto& v : o.at("expect_dropped").as_array()) c.expect_dropped->emplace_back(v.as_string());
  }
  return c;
}

class AnthropicGolden : public ::testing::TestWithParam<std::string> {
 protected:
  fs::path dir() const { return golden_root() / GetParam(); }
  std::optional<std::string> file(const char* name) const {
    return golden::read_file((dir() / name).string());
  }

  // Compares `actual` with the expected file, which must exist.
  void expect_json_file(const char* name, const std::string& actual) {
    auto expected = file(name);
    ASSERT_TRUE(expected) << GetParam() << ": missing " << name << "; actual was:\n" << actual;
    auto diffs = compare_json_text(*expected, actual);
    EXPECT_TRUE(diffs.empty()) << GetParam() << "/" << name << " differs:\n"
                               << join_lines(diffs) << "actual:\n"
                               << actual;
    ++comparisons_;
  }
  void expect_sse_file(const char* name, const std::string& actual) {
    auto expected = file(name);
    ASSERT_TRUE(expected) << GetParam() << ": missing " << name << "; actual was:\n" << actual;
    auto diffs = compare_sse(*expected, actual);
    EXPECT_TRUE(diffs.empty()) << GetParam() << "/" << name << " differs:\n"
                               << join_lines(diffs) << "actual:\n"
                               << actual;
    ++comparisons_;
  }

  void run_openai_to_anthropic(const CaseConfig& config, const json::object& client_request);
  void run_anthropic_to_openai(const CaseConfig& config, const json::object& client_request);

  int comparisons_ = 0;
};

std::string openai_error_body(const TranslationError& e) {
  json::object error{{"message", e.message},
                     {"type", "invalid_request_error"},
                     {"param", e.param.empty() ? json::value(nullptr) : json::value(e.param)},
                     {"code", std::to_string(e.status)}};
  return json::serialize(json::object{{"error", std::move(error)}});
}

std::string anthropic_error_body(const TranslationError& e) {
  return json::serialize(json::object{
      {"type", "error"}, {"error", json::object{{"type", "invalid_request_error"}, {"message", e.message}}}});
}

void AnthropicGolden::run_openai_to_anthropic(const CaseConfig& config, const json::object& client_request) {
  TranslateOptions options{config.upstream_model, config.default_max_tokens, config.drop_params};
  auto translated = to_anthropic_request(client_request, options);
  if (auto* err = std::get_if<TranslationError>(&translated)) {
    EXPECT_FALSE(file("upstream_request.json"))
        << GetParam() << ": refused, but an upstream request is expected: " << err->message;
    expect_json_file("client_response.json", openai_error_body(*err));
    return;
  }
  const TranslatedRequest& request = std::get<TranslatedRequest>(translated);
  expect_json_file("upstream_request.json", request.body);
  if (config.expect_dropped) {
    EXPECT_EQ(request.dropped_params, *config.expect_dropped) << GetParam();
  }

  std::string model =
      client_request.contains("model") ? std::string(client_request.at("model").as_string()) : "";
  if (auto body = file("upstream_response.json")) {
    auto response = from_anthropic_response(*body, ResponseOptions{model, request.json_mode_tool, kCreated});
    std::string actual = std::holds_alternative<std::string>(response)
                             ? std::get<std::string>(response)
                             : openai_error_body(std::get<TranslationError>(response));
    expect_json_file("client_response.json", actual);
  }
  if (auto sse = file("upstream_stream.sse")) {
    EXPECT_TRUE(request.stream) << GetParam() << ": a stream case whose request does not stream";
    StreamFromAnthropic stream(StreamOptions{model, request.include_usage, request.json_mode_tool, kCreated});
    std::string out;
    for (const auto& frame : golden::parse_sse(*sse)) stream.on_event(frame.event, frame.data, out);
    stream.finish(out);
    expect_sse_file("client_stream.sse", out);
  }
}

void AnthropicGolden::run_anthropic_to_openai(const CaseConfig& config, const json::object& client_request) {
  auto translated = to_openai_request(client_request, config.upstream_model);
  // Refused outright, or refused by every OpenAI-compatible deployment (an Anthropic one would
  // take it as-is): the client's error is the same.
  const TranslationError* err = std::get_if<TranslationError>(&translated);
  if (!err) {
    const auto& needs = std::get<OpenAiTranslation>(translated).needs_anthropic;
    if (needs) err = &*needs;
  }
  if (err) {
    EXPECT_FALSE(file("upstream_request.json")) << GetParam() << ": refused: " << err->message;
    expect_json_file("client_response.json", anthropic_error_body(*err));
    return;
  }
  expect_json_file("upstream_request.json", std::get<OpenAiTranslation>(translated).body);

  std::string model =
      client_request.contains("model") ? std::string(client_request.at("model").as_string()) : "";
  if (auto body = file("upstream_response.json")) {
    auto response = from_openai_response(*body, model);
    std::string actual = std::holds_alternative<std::string>(response)
                             ? std::get<std::string>(response)
                             : anthropic_error_body(std::get<TranslationError>(response));
    expect_json_file("client_response.json", actual);
  }
  if (auto sse = file("upstream_stream.sse")) {
    // message_start reports the estimate the gateway gives it (gateway/messages_call.cpp).
    StreamToAnthropic stream(model, count_tokens_estimate(client_request));
    std::string out;
    // `data: [DONE]` ends the stream cleanly; a frame with `event: transport_error`
    // stands for the connection failing mid-stream (its data is the message).
    for (const auto& frame : golden::parse_sse(*sse)) {
      if (frame.event == "transport_error") {
        stream.on_error(frame.data, out);
      } else if (frame.data == "[DONE]") {
        stream.on_done(out);
      } else {
        stream.on_openai_chunk(frame.data, out);
      }
    }
    expect_sse_file("client_stream.sse", out);
  }
}

TEST_P(AnthropicGolden, Replays) {
  auto text = file("client_request.json");
  ASSERT_TRUE(text);
  json::error_code ec;
  json::value client_request = json::parse(*text, ec);
  ASSERT_FALSE(ec) << GetParam() << ": client_request.json is not JSON";
  ASSERT_TRUE(client_request.is_object());
  CaseConfig config = read_config(dir());
  if (config.reverse) {
    run_anthropic_to_openai(config, client_request.get_object());
  } else {
    run_openai_to_anthropic(config, client_request.get_object());
  }
  EXPECT_GT(comparisons_, 0) << GetParam() << ": nothing was compared";
}

INSTANTIATE_TEST_SUITE_P(Cases, AnthropicGolden, ::testing::ValuesIn(discover_cases()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

// Guards against a wrong LLMUX_SOURCE_DIR silently yielding zero cases.
TEST(AnthropicGoldenDiscovery, FindsTheCases) { EXPECT_GE(discover_cases().size(), 40u) << golden_root(); }

}  // namespace
}  // namespace llmux::providers::anthropic
