#pragma once

// A Responses API event stream passed through from a deployment that speaks it, event by event as
// the bytes arrive. It takes usage from the terminal event (response.completed or
// response.incomplete), keeps the final Response (the gateway stores it), and tells a failed
// stream (response.failed, an `error` event, an end before the terminal event) from one that
// finished. The lifecycle events before any output (response.created, response.in_progress) are
// held back with the first piece, so an upstream that fails right after them is still failed
// over without the client seeing anything (as LiteLLM does since v1.105).

#include <memory>
#include <optional>
#include <string>

#include "net/sse_parser.hpp"
#include "providers/provider.hpp"
#include "providers/secret_redaction.hpp"

namespace llmux::net {
class UpstreamExchange;
}

namespace llmux::providers {

// The sans-I/O half: feed upstream bytes, get client bytes.
class ResponsesStreamFilter {
 public:
  void feed(std::string_view upstream_bytes, std::string& client_bytes);

  // response.completed / response.incomplete / response.failed was seen; later events are dropped.
  bool saw_terminal() const { return saw_terminal_; }
  // An event past the lifecycle ones (created, in_progress, queued) was seen.
  bool saw_output() const { return saw_output_; }
  // response.failed or an `error` event; it was forwarded to the client bytes as it came.
  const std::optional<AttemptFailure>& failure() const { return failure_; }
  bool overflowed() const { return parser_.failed(); }
  const Usage& usage() const { return usage_; }
  // The terminal event's `response` object (empty before it, or when it had none).
  const std::string& final_response() const { return final_response_; }

 private:
  void on_event(const net::SseEventView& event, std::string& client_bytes);

  bool saw_terminal_ = false;
  bool saw_output_ = false;
  std::optional<AttemptFailure> failure_;
  Usage usage_;
  std::string final_response_;
  net::SseParser parser_;
};

class ResponsesStream final : public StreamSource {
 public:
  ResponsesStream(std::unique_ptr<net::UpstreamExchange> exchange, std::chrono::milliseconds idle_limit,
                  net::HeaderList upstream_headers, Secrets secrets);
  ~ResponsesStream() override;

  boost::asio::awaitable<StreamPiece> next() override;
  void cancel() override;
  Usage usage() const override { return filter_.usage(); }
  net::HeaderList upstream_headers() const override { return upstream_headers_; }
  bool responses_wire() const override { return true; }
  std::string_view final_response_json() const override { return filter_.final_response(); }

 private:
  std::unique_ptr<net::UpstreamExchange> exchange_;
  ResponsesStreamFilter filter_;
  std::chrono::milliseconds idle_limit_;
  net::HeaderList upstream_headers_;
  Secrets secrets_;
  bool finished_ = false;
  bool first_piece_ = true;
};

}  // namespace llmux::providers
