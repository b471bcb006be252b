#include "providers/completion_stream.hpp"

#include "providers/text_completion_bridge.hpp"
#include "providers/upstream_call.hpp"

namespace llmux::providers {
namespace {

class CompletionFromChatStream final : public StreamSource {
 public:
  explicit CompletionFromChatStream(std::unique_ptr<StreamSource> inner) : inner_(std::move(inner)) {}

  boost::asio::awaitable<StreamPiece> next() override {
    StreamPiece piece = co_await inner_->next();
    std::string out;
    bridge_.feed(piece.bytes, out);
    piece.bytes = std::move(out);
    if (bridge_.overflowed() && !piece.failure) {
      piece.failure = oversized_event_failure();
      piece.finished = true;
      inner_->cancel();
    }
    co_return piece;
  }
  void cancel() override { inner_->cancel(); }
  Usage usage() const override { return inner_->usage(); }
  net::HeaderList upstream_headers() const override { return inner_->upstream_headers(); }

 private:
  std::unique_ptr<StreamSource> inner_;
  ChatChunksToCompletion bridge_;
};

}  // namespace

std::unique_ptr<StreamSource> as_completion_stream(std::unique_ptr<StreamSource> chat_stream) {
  return std::make_unique<CompletionFromChatStream>(std::move(chat_stream));
}

}  // namespace llmux::providers
