#include "providers/byte_stream.hpp"

#include "net/upstream_client.hpp"
#include "providers/upstream_call.hpp"

namespace llmux::providers {

ByteStream::ByteStream(std::unique_ptr<net::UpstreamExchange> exchange, std::string content_type,
                       std::chrono::milliseconds idle_limit, net::HeaderList upstream_headers, Usage usage)
    : exchange_(std::move(exchange)),
      content_type_(std::move(content_type)),
      idle_limit_(idle_limit),
      upstream_headers_(std::move(upstream_headers)),
      usage_(usage) {}

ByteStream::~ByteStream() = default;

void ByteStream::cancel() {
  if (exchange_) exchange_->cancel();
}

boost::asio::awaitable<StreamPiece> ByteStream::next() {
  StreamPiece piece;
  if (!finished_) {
    auto read = co_await exchange_->read_some(std::chrono::steady_clock::now() + idle_limit_);
    if (auto* error = std::get_if<net::UpstreamError>(&read)) {
      finished_ = true;
      piece.failure = stream_read_failure(*error);
    } else {
      piece.bytes = std::string(std::get<std::string_view>(read));
      finished_ = exchange_->done();
    }
  }
  piece.finished = finished_;
  co_return piece;
}

}  // namespace llmux::providers
