#pragma once

// An upstream body relayed to the client as it arrives, byte for byte, with the upstream's own
// Content-Type: speech audio (audio/mpeg, …) and the event streams of the media endpoints, which
// the gateway does not re-frame. Its usage is what the request says (speech characters, images
// asked for): the bytes are not read.

#include <memory>
#include <string>

#include "providers/provider.hpp"
#include "providers/secret_redaction.hpp"

namespace llmux::net {
class UpstreamExchange;
}

namespace llmux::providers {

class ByteStream final : public StreamSource {
 public:
  ByteStream(std::unique_ptr<net::UpstreamExchange> exchange, std::string content_type,
             std::chrono::milliseconds idle_limit, net::HeaderList upstream_headers, Usage usage);
  ~ByteStream() override;

  boost::asio::awaitable<StreamPiece> next() override;
  void cancel() override;
  Usage usage() const override { return usage_; }
  net::HeaderList upstream_headers() const override { return upstream_headers_; }
  std::string_view content_type() const override { return content_type_; }

 private:
  std::unique_ptr<net::UpstreamExchange> exchange_;
  std::string content_type_;
  std::chrono::milliseconds idle_limit_;
  net::HeaderList upstream_headers_;
  Usage usage_;
  bool finished_ = false;
};

}  // namespace llmux::providers
