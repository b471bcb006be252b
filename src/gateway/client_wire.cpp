#include "gateway/client_wire.hpp"

#include "api/error_body.hpp"
#include "gateway/chat_stream_retelling.hpp"
#include "net/sse_parser.hpp"
#include "providers/anthropic/response_to_anthropic.hpp"
#include "providers/anthropic/stream_to_anthropic.hpp"

namespace llmux::gateway {
namespace {

using providers::AttemptFailure;
using providers::FullResponse;
using providers::StreamPiece;
using providers::StreamSource;

class OpenAiWire final : public ClientWire {
 public:
  providers::ClientFormat format() const override { return providers::ClientFormat::openai; }
  std::string error_body(int status, router::ErrorKind kind, std::string_view message) const override {
    return api::openai_error_body(message, api::openai_error_type(kind), std::nullopt, status);
  }
  void append_stream_error(std::string& out, std::string_view message) const override {
    net::append_sse_data(out, api::openai_error_body(message, "upstream_stream_error", std::nullopt, 502));
  }
  std::variant<FullResponse, AttemptFailure> adapt(FullResponse response, const config::Deployment&) const override {
    return response;
  }
  std::unique_ptr<StreamSource> adapt(std::unique_ptr<StreamSource> stream, const config::Deployment&) const override {
    return stream;
  }
};

// An OpenAI-format stream (any non-Anthropic deployment) re-told as Anthropic events.
class OpenAiToAnthropicStream final : public StreamSource {
 public:
  OpenAiToAnthropicStream(std::unique_ptr<StreamSource> inner, std::string model, std::int64_t input_tokens_estimate)
      : inner_(std::move(inner)), translator_(std::move(model), input_tokens_estimate) {}

  boost::asio::awaitable<StreamPiece> next() override {
    StreamPiece piece = co_await inner_->next();
    retell_chat_piece(piece, parser_, events_, translator_,
                      [this](std::string_view chunk, std::string& out) { translator_.on_openai_chunk(chunk, out); });
    co_return piece;
  }
  void cancel() override { inner_->cancel(); }
  providers::Usage usage() const override { return inner_->usage(); }
  net::HeaderList upstream_headers() const override { return inner_->upstream_headers(); }
  bool anthropic_wire() const override { return true; }

 private:
  std::unique_ptr<StreamSource> inner_;
  providers::anthropic::StreamToAnthropic translator_;
  net::SseParser parser_;
  std::vector<net::SseEvent> events_;
};

class AnthropicWire final : public ClientWire {
 public:
  explicit AnthropicWire(std::int64_t input_tokens_estimate) : input_tokens_estimate_(input_tokens_estimate) {}
  providers::ClientFormat format() const override { return providers::ClientFormat::anthropic; }
  std::string error_body(int, router::ErrorKind kind, std::string_view message) const override {
    return api::anthropic_error_body(api::anthropic_error_type(kind), message);
  }
  void append_stream_error(std::string& out, std::string_view message) const override {
    net::append_sse_event(out, "error", api::anthropic_error_body("api_error", message));
  }
  std::variant<FullResponse, AttemptFailure> adapt(FullResponse response,
                                                   const config::Deployment& deployment) const override {
    if (response.anthropic_wire) return response;
    auto translated = providers::anthropic::from_openai_response(response.body, deployment.upstream_model);
    if (auto* error = std::get_if<providers::anthropic::TranslationError>(&translated)) {
      return AttemptFailure{router::ErrorKind::internal, 502,
                            "the answer of " + deployment.model_name + " could not be translated: " + error->message,
                            std::nullopt};
    }
    response.body = std::move(std::get<std::string>(translated));
    response.anthropic_wire = true;
    return response;
  }
  std::unique_ptr<StreamSource> adapt(std::unique_ptr<StreamSource> stream,
                                      const config::Deployment& deployment) const override {
    if (stream->anthropic_wire()) return stream;
    return std::make_unique<OpenAiToAnthropicStream>(std::move(stream), deployment.upstream_model,
                                                     input_tokens_estimate_);
  }

 private:
  std::int64_t input_tokens_estimate_;
};

}  // namespace

const ClientWire& openai_wire() {
  static const OpenAiWire wire;
  return wire;
}

std::unique_ptr<const ClientWire> anthropic_wire_for(std::int64_t input_tokens_estimate) {
  return std::make_unique<AnthropicWire>(input_tokens_estimate);
}

}  // namespace llmux::gateway
