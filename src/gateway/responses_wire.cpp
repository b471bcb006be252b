#include "gateway/responses_wire.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/error_body.hpp"
#include "gateway/chat_stream_retelling.hpp"
#include "net/sse_parser.hpp"
#include "providers/anthropic/json_helpers.hpp"
#include "providers/responses/response_from_chat.hpp"
#include "providers/responses/stream_from_chat.hpp"

namespace llmux::gateway {
namespace {

namespace json = boost::json;
using providers::AttemptFailure;
using providers::FullResponse;
using providers::StreamPiece;
using providers::StreamSource;

// A chat.completion.chunk stream (any bridged deployment) re-told as Responses events.
class ChatToResponsesStream final : public StreamSource {
 public:
  ChatToResponsesStream(std::unique_ptr<StreamSource> inner, const ResponsesWire& wire,
                        const config::Deployment& deployment)
      : inner_(std::move(inner)), wire_(wire), deployment_(deployment), translator_(wire.context()) {}

  boost::asio::awaitable<StreamPiece> next() override {
    StreamPiece piece = co_await inner_->next();
    retell_chat_piece(piece, parser_, events_, translator_,
                      [this](std::string_view chunk, std::string& out) { translator_.on_chat_chunk(chunk, out); });
    if (translator_.finished() && !reported_) {
      reported_ = true;
      wire_.finished(translator_.final_response(), deployment_);
    }
    co_return piece;
  }
  void cancel() override { inner_->cancel(); }
  providers::Usage usage() const override { return inner_->usage(); }
  net::HeaderList upstream_headers() const override { return inner_->upstream_headers(); }
  bool responses_wire() const override { return true; }

 private:
  std::unique_ptr<StreamSource> inner_;
  const ResponsesWire& wire_;
  const config::Deployment& deployment_;
  providers::responses::StreamFromChat translator_;
  net::SseParser parser_;
  std::vector<net::SseEvent> events_;
  bool reported_ = false;
};

// A passed-through Responses stream, forwarded untouched; once its terminal event has been read,
// the final Response is reported, before the piece carrying that event goes to the client (so a
// follow-up the client sends at once finds the turn stored).
class PassThroughResponsesStream final : public StreamSource {
 public:
  PassThroughResponsesStream(std::unique_ptr<StreamSource> inner, const ResponsesWire& wire,
                             const config::Deployment& deployment)
      : inner_(std::move(inner)), wire_(wire), deployment_(deployment) {}

  boost::asio::awaitable<StreamPiece> next() override {
    StreamPiece piece = co_await inner_->next();
    // A failed stream is not a turn (before its first byte it is even failed over).
    if (!reported_ && !piece.failure && !inner_->final_response_json().empty()) {
      reported_ = true;
      wire_.passed_through_finished(inner_->final_response_json(), deployment_);
    }
    co_return piece;
  }
  void cancel() override { inner_->cancel(); }
  providers::Usage usage() const override { return inner_->usage(); }
  net::HeaderList upstream_headers() const override { return inner_->upstream_headers(); }
  bool responses_wire() const override { return true; }
  std::string_view final_response_json() const override { return inner_->final_response_json(); }

 private:
  std::unique_ptr<StreamSource> inner_;
  const ResponsesWire& wire_;
  const config::Deployment& deployment_;
  bool reported_ = false;
};

}  // namespace

ResponsesWire::ResponsesWire(providers::responses::ResponseContext context, json::array input_items)
    : context_(std::move(context)), input_items_(std::move(input_items)) {}

std::string ResponsesWire::error_body(int status, router::ErrorKind kind, std::string_view message) const {
  return api::openai_error_body(message, api::openai_error_type(kind), std::nullopt, status);
}

void ResponsesWire::append_stream_error(std::string& out, std::string_view message) const {
  // The Responses API's own `error` event.
  providers::anthropic::append_event_frame(
      out, "error",
      json::object{{"type", "error"}, {"code", "server_error"}, {"message", message}, {"param", nullptr}});
}

std::variant<FullResponse, AttemptFailure> ResponsesWire::adapt(FullResponse response,
                                                                const config::Deployment& deployment) const {
  if (response.responses_wire) {
    passed_through_finished(response.body, deployment);
    return response;
  }
  auto translated = providers::responses::response_from_chat(response.body, context_);
  if (auto* error = std::get_if<providers::responses::TranslationError>(&translated)) {
    return AttemptFailure{router::ErrorKind::internal, 502,
                          "the answer of " + deployment.model_name + " could not be translated: " + error->message,
                          std::nullopt};
  }
  const json::object& object = std::get<json::object>(translated);
  response.body = json::serialize(object);
  response.responses_wire = true;
  finished(object, deployment);
  return response;
}

std::unique_ptr<StreamSource> ResponsesWire::adapt(std::unique_ptr<StreamSource> stream,
                                                   const config::Deployment& deployment) const {
  if (stream->responses_wire()) {
    if (!on_response_finished) return stream;
    return std::make_unique<PassThroughResponsesStream>(std::move(stream), *this, deployment);
  }
  return std::make_unique<ChatToResponsesStream>(std::move(stream), *this, deployment);
}

void ResponsesWire::finished(const json::object& response, const config::Deployment& deployment,
                             bool passed_through) const {
  final_response_ = response;
  if (on_response_finished) {
    on_response_finished(FinishedResponse{*final_response_, input_items_, deployment, passed_through});
  }
}

void ResponsesWire::passed_through_finished(std::string_view response_json, const config::Deployment& deployment) const {
  // Parsed only for a listener (the store): passing through costs nothing otherwise.
  if (!on_response_finished) return;
  boost::system::error_code ec;
  json::value parsed = json::parse(response_json, ec);
  if (ec || !parsed.is_object()) return;
  finished(parsed.as_object(), deployment, true);
}

}  // namespace llmux::gateway
