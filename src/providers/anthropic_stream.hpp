#pragma once

// An Anthropic upstream's SSE body, delivered to the client as it arrives: translated into
// chat.completion.chunks for an OpenAI client, or re-framed unchanged for an Anthropic client.

#include <memory>
#include <optional>

#include "net/sse_parser.hpp"
#include "providers/anthropic/stream_from_anthropic.hpp"
#include "providers/provider.hpp"
#include "providers/secret_redaction.hpp"

namespace llmux::net {
class UpstreamExchange;
}

namespace llmux::providers {

class AnthropicStream final : public StreamSource {
 public:
  // `to_openai` empty: pass the events through (Anthropic client).
  AnthropicStream(std::unique_ptr<net::UpstreamExchange> exchange,
                  std::optional<anthropic::StreamOptions> to_openai, std::chrono::milliseconds idle_limit,
                  net::HeaderList upstream_headers, Secrets secrets);
  ~AnthropicStream() override;

  boost::asio::awaitable<StreamPiece> next() override;
  void cancel() override;
  Usage usage() const override;
  net::HeaderList upstream_headers() const override { return upstream_headers_; }
  bool anthropic_wire() const override { return !translator_.has_value(); }

 private:
  void on_event(const net::SseEventView& event, StreamPiece& piece);

  std::unique_ptr<net::UpstreamExchange> exchange_;
  std::optional<anthropic::StreamFromAnthropic> translator_;
  std::chrono::milliseconds idle_limit_;
  net::HeaderList upstream_headers_;
  Secrets secrets_;  // the deployment's key and secret headers, hidden in what a failure quotes
  net::SseParser parser_;
  Usage passthrough_usage_;
  bool saw_message_stop_ = false;
  std::optional<std::string> upstream_error_;
  bool finished_ = false;
};

}  // namespace llmux::providers
