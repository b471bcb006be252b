#pragma once

// Turns an OpenAI-compatible upstream SSE body into the client's stream, event by event, as the
// bytes arrive. It takes usage from the stream (the gateway asks for it even when the client did
// not, and then hides that extra chunk), and tells a stream that broke from one that finished.

#include <memory>

#include "net/sse_parser.hpp"
#include "providers/provider.hpp"
#include "providers/secret_redaction.hpp"

namespace llmux::net {
class UpstreamExchange;
}

namespace llmux::providers {

// The sans-I/O half: feed upstream bytes, get client bytes.
class OpenAiStreamFilter {
 public:
  explicit OpenAiStreamFilter(bool client_wants_usage) : client_wants_usage_(client_wants_usage) {}

  // Appends what the client should get for these upstream bytes.
  void feed(std::string_view upstream_bytes, std::string& client_bytes);
  bool saw_done() const { return saw_done_; }
  // An event grew past the SSE parser's limit (a line that never ends): the stream cannot go on.
  bool overflowed() const { return parser_.failed(); }
  bool saw_finish_reason() const { return saw_finish_reason_; }
  // An in-band `data: {"error": …}` frame was seen (some servers report failures that way).
  const std::optional<std::string>& upstream_error() const { return upstream_error_; }
  const Usage& usage() const { return usage_; }

 private:
  void on_event(const net::SseEventView& event, std::string& client_bytes);
  // Client bytes that are upstream bytes unchanged are not appended one event at a time: while a
  // feed runs, they gather as one run of the fed bytes, appended when something else must follow
  // or the feed ends.
  void emit_fed(const char* begin, const char* end, std::string& client_bytes);
  void flush_run(std::string& client_bytes);
  bool frame_is_fed(std::string_view data) const;

  std::string_view fed_;  // the bytes being fed, while feed() runs
  const char* run_begin_ = nullptr;
  const char* run_end_ = nullptr;

  bool client_wants_usage_;
  bool saw_done_ = false;
  bool saw_finish_reason_ = false;
  std::optional<std::string> upstream_error_;
  Usage usage_;
  net::SseParser parser_;
};

class OpenAiStream final : public StreamSource {
 public:
  OpenAiStream(std::unique_ptr<net::UpstreamExchange> exchange, bool client_wants_usage,
               std::chrono::milliseconds idle_limit, net::HeaderList upstream_headers, Secrets secrets);
  ~OpenAiStream() override;

  boost::asio::awaitable<StreamPiece> next() override;
  void cancel() override;
  Usage usage() const override { return filter_.usage(); }
  net::HeaderList upstream_headers() const override { return upstream_headers_; }

 private:
  std::unique_ptr<net::UpstreamExchange> exchange_;
  OpenAiStreamFilter filter_;
  std::chrono::milliseconds idle_limit_;
  net::HeaderList upstream_headers_;
  Secrets secrets_;  // the deployment's key and secret headers, hidden in what a failure quotes
  bool finished_ = false;
};

}  // namespace llmux::providers
