#include "providers/mock_provider.hpp"

#include <chrono>
#include <string_view>

#include "api/json_scan.hpp"
#include "api/media_request.hpp"
#include "net/sse_parser.hpp"

namespace llmux::providers {
namespace {

// LiteLLM's DEFAULT_MOCK_RESPONSE_PROMPT_TOKEN_COUNT / _COMPLETION_TOKEN_COUNT.
constexpr std::int64_t kMockPromptTokens = 10;
constexpr std::int64_t kMockCompletionTokens = 20;

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string mock_id(std::string_view prefix) {
  static thread_local std::uint64_t counter = 0;
  return std::string(prefix) + "mock-" + std::to_string(++counter);
}

std::optional<AttemptFailure> magic_failure(std::string_view text) {
  using router::ErrorKind;
  if (text == "litellm.RateLimitError")
    return AttemptFailure{ErrorKind::rate_limited, 429, "This is a mock rate limit error", std::nullopt};
  if (text == "litellm.InternalServerError")
    return AttemptFailure{ErrorKind::internal, 500, "This is a mock internal server error", std::nullopt};
  if (text == "litellm.ContextWindowExceededError")
    return AttemptFailure{ErrorKind::context_window_exceeded, 400,
                          "This is a mock context window exceeded error", std::nullopt};
  if (text.starts_with("Exception: content_filter_policy"))
    return AttemptFailure{ErrorKind::content_policy, 400, "This is a mock content policy violation",
                          std::nullopt};
  return std::nullopt;
}

void append_usage(std::string& out) {
  out += R"("usage":{"prompt_tokens":)" + std::to_string(kMockPromptTokens) +
         R"(,"completion_tokens":)" + std::to_string(kMockCompletionTokens) +
         R"(,"total_tokens":)" + std::to_string(kMockPromptTokens + kMockCompletionTokens) + "}";
}

std::string chat_body(std::string_view model, std::string_view text) {
  std::string out = R"({"id":")" + mock_id("chatcmpl-") + R"(","object":"chat.completion","created":)" +
                    std::to_string(unix_now()) + R"(,"model":)";
  api::append_json_string(out, model);
  out += R"(,"choices":[{"index":0,"message":{"role":"assistant","content":)";
  api::append_json_string(out, text);
  out += R"(,"refusal":null},"finish_reason":"stop","logprobs":null}],)";
  append_usage(out);
  out += "}";
  return out;
}

std::string completion_body(std::string_view model, std::string_view text) {
  std::string out = R"({"id":")" + mock_id("cmpl-") + R"(","object":"text_completion","created":)" +
                    std::to_string(unix_now()) + R"(,"model":)";
  api::append_json_string(out, model);
  out += R"(,"choices":[{"index":0,"text":)";
  api::append_json_string(out, text);
  out += R"(,"finish_reason":"stop","logprobs":null}],)";
  append_usage(out);
  out += "}";
  return out;
}

std::string embeddings_body(std::string_view model, std::string_view input_json) {
  // One deterministic 8-dimensional vector per input: a string or one token array counts once.
  std::size_t items = 1;
  if (api::is_array(input_json)) {
    api::ElementCursor cursor(input_json);
    std::string_view element;
    std::size_t count = 0;
    bool token_ids = false;
    while (cursor.next(element)) {
      if (count == 0) token_ids = api::is_number(element);
      ++count;
    }
    items = token_ids ? 1 : std::max<std::size_t>(1, count);
  }
  std::string out = R"({"object":"list","data":[)";
  for (std::size_t i = 0; i < items; ++i) {
    if (i) out += ',';
    out += R"({"object":"embedding","index":)" + std::to_string(i) + R"(,"embedding":[)";
    for (int d = 0; d < 8; ++d) {
      if (d) out += ',';
      out += std::to_string(0.125 * static_cast<double>((i + 1) * (d + 1) % 8));
    }
    out += "]}";
  }
  out += R"(],"model":)";
  api::append_json_string(out, model);
  out += R"(,"usage":{"prompt_tokens":)" + std::to_string(kMockPromptTokens) +
         R"(,"total_tokens":)" + std::to_string(kMockPromptTokens) + "}}";
  return out;
}

// A whole mock stream, framed as SSE, delivered as one piece per chunk.
class MockStream final : public StreamSource {
 public:
  explicit MockStream(std::vector<std::string> pieces) : pieces_(std::move(pieces)) {}

  boost::asio::awaitable<StreamPiece> next() override {
    StreamPiece piece;
    if (next_ < pieces_.size()) piece.bytes = std::move(pieces_[next_++]);
    piece.finished = next_ >= pieces_.size();
    co_return piece;
  }
  void cancel() override { next_ = pieces_.size(); }
  Usage usage() const override { return Usage{kMockPromptTokens, kMockCompletionTokens, 0, true}; }

 private:
  std::vector<std::string> pieces_;
  std::size_t next_ = 0;
};

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> words;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(' ', start);
    end = end == std::string_view::npos ? text.size() : end + 1;
    words.emplace_back(text.substr(start, end - start));
    start = end;
  }
  if (words.empty()) words.emplace_back();
  return words;
}

std::unique_ptr<StreamSource> chat_stream(std::string_view model, std::string_view text, bool include_usage,
                                          bool legacy_completion) {
  const std::string id = mock_id(legacy_completion ? "cmpl-" : "chatcmpl-");
  std::string prefix = R"({"id":")" + id + R"(","object":")" +
                       (legacy_completion ? "text_completion" : "chat.completion.chunk") +
                       R"(","created":)" + std::to_string(unix_now()) + R"(,"model":)";
  api::append_json_string(prefix, model);
  std::vector<std::string> pieces;
  auto frame = [&](const std::string& rest) {
    std::string out;
    net::append_sse_data(out, prefix + rest);
    pieces.push_back(std::move(out));
  };
  if (!legacy_completion) {
    frame(R"(,"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]})");
  }
  for (const auto& word : split_words(text)) {
    std::string rest = legacy_completion ? R"(,"choices":[{"index":0,"text":)"
                                         : R"(,"choices":[{"index":0,"delta":{"content":)";
    api::append_json_string(rest, word);
    rest += legacy_completion ? R"(,"logprobs":null,"finish_reason":null}]})" : R"(},"finish_reason":null}]})";
    frame(rest);
  }
  frame(legacy_completion ? R"(,"choices":[{"index":0,"text":"","logprobs":null,"finish_reason":"stop"}]})"
                          : R"(,"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})");
  if (include_usage) {
    std::string rest = R"(,"choices":[],)";
    append_usage(rest);
    rest += "}";
    frame(rest);
  }
  pieces.back() += "data: [DONE]\n\n";
  return std::make_unique<MockStream>(std::move(pieces));
}

}  // namespace

AttemptOutcome mock_answer(const config::Deployment& deployment, api::Endpoint endpoint,
                           const api::RequestView& request, std::string_view upstream_model) {
  std::string text;
  if (request.mock_response) {
    text = *request.mock_response;
  } else if (deployment.mock_response) {
    text = *deployment.mock_response;
  } else {
    text = "This is a mock response from llmux for model " + deployment.model_name + ".";
  }
  if (auto failure = magic_failure(text)) return *failure;
  if (api::is_media_endpoint(endpoint)) {
    // A mock answer in each media shape is not worth inventing: say so rather than fake one.
    return AttemptFailure{router::ErrorKind::bad_request, 400,
                          "mock_response is not supported on " + std::string(api::media_path(endpoint)), std::nullopt};
  }

  const std::string model(!upstream_model.empty()            ? upstream_model
                          : deployment.upstream_model.empty() ? std::string_view(deployment.model_name)
                                                              : std::string_view(deployment.upstream_model));
  if (endpoint == api::Endpoint::embeddings) {
    std::string_view input;
    for (const auto& member : request.members) {
      if (api::key_equals(member.key_raw, "input")) input = member.value(request.body);
    }
    return FullResponse{200, "application/json", embeddings_body(model, input), {}, {kMockPromptTokens, 0, 0, true}};
  }
  const bool legacy = endpoint == api::Endpoint::completions;
  if (request.stream) return chat_stream(model, text, request.include_usage, legacy);
  return FullResponse{200, "application/json", legacy ? completion_body(model, text) : chat_body(model, text),
                      {}, {kMockPromptTokens, kMockCompletionTokens, 0, true}};
}

boost::asio::awaitable<AttemptOutcome> MockProvider::attempt(AttemptContext& context) {
  co_return mock_answer(context.deployment, context.endpoint, context.request, context.upstream_model);
}

}  // namespace llmux::providers
