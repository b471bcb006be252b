// Replays every case under tests/golden/responses/ (layout: that folder's README.md): a Responses
// API request -> the chat request sent upstream, and the upstream's chat answer (whole or streamed)
// -> what the client receives. One test per case directory, so a failure names its case.
//
// LLMUX_GOLDEN_RECORD=1 writes an expected file that does not exist yet from what the translation
// produced (and fails the case, so a recorded file is always read and checked by a person first).

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "../anthropic/golden_support.hpp"
#include "providers/responses/request_to_chat.hpp"
#include "providers/responses/response_from_chat.hpp"
#include "providers/responses/stream_from_chat.hpp"

namespace llmux::providers::responses {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
namespace golden = anthropic::golden;

constexpr std::int64_t kCreatedAt = 1700000000;

fs::path golden_root() { return fs::path(LLMUX_SOURCE_DIR) / "tests" / "golden" / "responses"; }

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

std::string error_body(const TranslationError& e) {
  return json::serialize(json::object{{"error", json::object{{"message", e.message},
                                                             {"type", "invalid_request_error"},
                                                             {"param", e.param.empty() ? json::value(nullptr) : json::value(e.param)},
                                                             {"code", std::to_string(e.status)}}}});
}

class ResponsesGolden : public ::testing::TestWithParam<std::string> {
 protected:
  fs::path dir() const { return golden_root() / GetParam(); }
  std::optional<std::string> file(const std::string& name) const { return golden::read_file((dir() / name).string()); }

  void expect_file(const std::string& name, const std::string& actual, bool sse) {
    ++comparisons_;
    auto expected = file(name);
    if (!expected) {
      if (std::getenv("LLMUX_GOLDEN_RECORD")) {
        std::ofstream(dir() / name, std::ios::binary) << (sse ? actual : pretty(actual));
        ADD_FAILURE() << GetParam() << ": recorded " << name << "; read it, then run again";
      } else {
        ADD_FAILURE() << GetParam() << ": missing " << name << "; actual was:\n" << actual;
      }
      return;
    }
    auto diffs = sse ? golden::compare_sse(*expected, actual) : golden::compare_json_text(*expected, actual);
    EXPECT_TRUE(diffs.empty()) << GetParam() << "/" << name << " differs:\n"
                               << golden::join_lines(diffs) << "actual:\n"
                               << actual;
  }

  static std::string pretty(const std::string& text) {
    // Two-space indentation, one member per line: diffs of golden files stay readable.
    std::string out;
    int depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
      const char c = text[i];
      if (in_string) {
        out += c;
        if (c == '\\') out += text[++i];
        else if (c == '"') in_string = false;
        continue;
      }
      if (c == '"') in_string = true;
      const auto newline = [&] { out += '\n'; out.append(2 * depth, ' '); };
      if ((c == '}' || c == ']') && !out.empty() && out.back() != '{' && out.back() != '[') {
        --depth;
        newline();
        out += c;
        continue;
      }
      if (c == '}' || c == ']') { --depth; out += c; continue; }
      out += c;
      if ((c == '{' || c == '[') && i + 1 < text.size() && text[i + 1] != '}' && text[i + 1] != ']') { ++depth; newline(); }
      else if (c == '{' || c == '[') ++depth;
      else if (c == ',') newline();
      else if (c == ':') out += ' ';
    }
    return out + "\n";
  }

  int comparisons_ = 0;
};

TEST_P(ResponsesGolden, Replays) {
  auto text = file("client_request.json");
  ASSERT_TRUE(text);
  json::error_code ec;
  json::value request = json::parse(*text, ec);
  ASSERT_FALSE(ec) << GetParam() << ": client_request.json is not JSON";
  ASSERT_TRUE(request.is_object());
  json::object settings;
  if (auto c = file("case.json")) settings = json::parse(*c).as_object();
  json::array history;
  if (const json::value* h = settings.if_contains("history")) history = h->as_array();

  auto translated = to_chat_request(request.as_object(), history);
  if (auto* error = std::get_if<TranslationError>(&translated)) {
    EXPECT_FALSE(file("upstream_request.json")) << GetParam() << ": refused: " << error->message;
    expect_file("client_response.json", error_body(*error), false);
    return;
  }
  BridgedRequest& bridged = std::get<BridgedRequest>(translated);
  expect_file("upstream_request.json", bridged.chat_body, false);
  json::array blockers;
  for (const Blocker& b : bridged.blockers) blockers.push_back(json::value(b.param));
  const json::value* expected_blockers = settings.if_contains("blockers");
  EXPECT_EQ(json::serialize(blockers), json::serialize(expected_blockers ? *expected_blockers : json::array{}))
      << GetParam() << ": blockers";
  if (const json::value* items = settings.if_contains("input_items")) {
    EXPECT_TRUE(golden::compare_json_text(json::serialize(*items), json::serialize(bridged.input_items)).empty())
        << GetParam() << ": input_items were " << json::serialize(bridged.input_items);
  }

  ResponseContext context{"resp_test", bridged.echo, std::string(request.as_object().at("model").as_string()),
                          kCreatedAt};
  if (auto body = file("upstream_response.json")) {
    auto response = response_from_chat(*body, context);
    expect_file("client_response.json",
                std::holds_alternative<json::object>(response) ? json::serialize(std::get<json::object>(response))
                                                               : error_body(std::get<TranslationError>(response)),
                false);
  }
  if (auto sse = file("upstream_stream.sse")) {
    EXPECT_TRUE(bridged.stream) << GetParam() << ": a stream case whose request does not stream";
    StreamFromChat stream(context);
    std::string out;
    bool ended = false;
    // `data: [DONE]` ends cleanly; `event: transport_error` stands for the connection failing
    // (its data is the message); a stream with neither ends as a clean end without [DONE].
    for (const auto& frame : golden::parse_sse(*sse)) {
      if (frame.event == "transport_error") {
        stream.on_error(frame.data, out);
        ended = true;
      } else if (frame.data == "[DONE]") {
        stream.on_done(out);
        ended = true;
      } else {
        stream.on_chat_chunk(frame.data, out);
      }
    }
    if (!ended) stream.on_done(out);
    expect_file("client_stream.sse", out, true);
    // Whatever the case: every frame names its event as its data's type, and sequence numbers
    // count 0, 1, 2… with no gap (clients resume streams by them).
    std::int64_t next = 0;
    for (const auto& frame : golden::parse_sse(out)) {
      json::value data = json::parse(frame.data);
      EXPECT_EQ(frame.event, data.at("type").as_string()) << GetParam();
      EXPECT_EQ(data.at("sequence_number").as_int64(), next++) << GetParam() << ": " << frame.data;
    }
    EXPECT_TRUE(stream.finished() || stream.failed()) << GetParam();
  }
  EXPECT_GT(comparisons_, 0) << GetParam() << ": nothing was compared";
}

INSTANTIATE_TEST_SUITE_P(Cases, ResponsesGolden, ::testing::ValuesIn(discover_cases()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

// Guards against a wrong LLMUX_SOURCE_DIR silently yielding zero cases.
TEST(ResponsesGoldenDiscovery, FindsTheCases) { EXPECT_GE(discover_cases().size(), 20u) << golden_root(); }

}  // namespace
}  // namespace llmux::providers::responses
