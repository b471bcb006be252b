#include "providers/anthropic_stream.hpp"

#include <algorithm>

#include "api/json_scan.hpp"
#include "net/upstream_client.hpp"
#include "providers/secret_redaction.hpp"
#include "providers/upstream_call.hpp"
#include "text/checked_number.hpp"

namespace llmux::providers {
namespace {

// A token count from an upstream; a negative one would be a refund, so it counts as none.
std::int64_t int_at(std::string_view object, std::string_view key) {
  const auto value = api::find_member(object, key);
  return value ? std::max<std::int64_t>(0, api::decode_int64(*value).value_or(0)) : 0;
}

// Usage as Anthropic reports it: input (and cache) tokens in message_start, output in message_delta.
void take_usage(std::string_view data, Usage& usage) {
  std::string_view usage_json;
  if (const auto message = api::find_member(data, "message")) {
    if (const auto u = api::find_member(*message, "usage")) usage_json = *u;
  } else if (const auto u = api::find_member(data, "usage")) {
    usage_json = *u;
  }
  if (usage_json.empty()) return;
  const std::int64_t input = int_at(usage_json, "input_tokens");
  const std::int64_t cache_read = int_at(usage_json, "cache_read_input_tokens");
  const std::int64_t cache_write = int_at(usage_json, "cache_creation_input_tokens");
  if (input || cache_read || cache_write) {
    usage.prompt_tokens = text::saturating_add(text::saturating_add(input, cache_read), cache_write);
    usage.cached_tokens = cache_read;
    usage.cache_write_tokens = cache_write;
  }
  if (const std::int64_t output = int_at(usage_json, "output_tokens")) usage.completion_tokens = output;
  usage.known = true;
}

std::string_view payload_type(std::string_view data) {
  const auto type = api::find_member(data, "type");
  if (!type) return {};
  // Event types are plain words: the raw JSON string without its quotes is the type.
  return type->size() >= 2 ? type->substr(1, type->size() - 2) : std::string_view();
}

}  // namespace

AnthropicStream::AnthropicStream(std::unique_ptr<net::UpstreamExchange> exchange,
                                 std::optional<anthropic::StreamOptions> to_openai,
                                 std::chrono::milliseconds idle_limit, net::HeaderList upstream_headers,
                                 Secrets secrets)
    : exchange_(std::move(exchange)),
      idle_limit_(idle_limit),
      upstream_headers_(std::move(upstream_headers)),
      secrets_(secrets) {
  if (to_openai) translator_.emplace(std::move(*to_openai));
}

AnthropicStream::~AnthropicStream() = default;

void AnthropicStream::cancel() {
  if (exchange_) exchange_->cancel();
}

Usage AnthropicStream::usage() const {
  if (!translator_) return passthrough_usage_;
  const auto u = translator_->usage();
  return Usage{u.prompt_tokens(), u.completion_tokens(), u.cache_read_input_tokens, true,
               u.cache_creation_input_tokens};
}

void AnthropicStream::on_event(const net::SseEventView& event, StreamPiece& piece) {
  const std::string_view type = event.event;
  if (type == "message_stop") saw_message_stop_ = true;
  // Anthropic names every event; one without a name is read by its payload's type, as the
  // translator does, so an unnamed error event still ends the stream as a failure.
  const bool is_error = type == "error" || (type.empty() && payload_type(event.data) == "error");
  if (is_error && !upstream_error_) upstream_error_ = std::string(event.data);
  if (translator_) {
    translator_->on_event(type, event.data, piece.bytes);
    // An event the translator could not read ended the client's stream with an error frame.
    if (translator_->failed() && !upstream_error_) upstream_error_ = std::string(event.data);
    return;
  }
  take_usage(event.data, passthrough_usage_);
  net::append_sse_event(piece.bytes, type.empty() ? std::string_view("message") : type, event.data);
}

boost::asio::awaitable<StreamPiece> AnthropicStream::next() {
  StreamPiece piece;
  while (!finished_) {
    auto read = co_await exchange_->read_some(std::chrono::steady_clock::now() + idle_limit_);
    if (auto* error = std::get_if<net::UpstreamError>(&read)) {
      finished_ = true;
      piece.failure = stream_read_failure(*error);
      break;
    }
    const std::string_view bytes = std::get<std::string_view>(read);
    parser_.feed(bytes, [this, &piece](const net::SseEventView& event) { on_event(event, piece); });
    if (upstream_error_) {
      // Anthropic reports overloads mid-stream as an `error` event. The translator (or the
      // pass-through) already framed it for the client.
      finished_ = true;
      piece.failure = AttemptFailure{router::ErrorKind::unavailable, 0,
                                     "Anthropic reported an error mid-stream: " + *upstream_error_, std::nullopt};
      piece.failure_framed = true;
      break;
    }
    if (parser_.failed()) {
      finished_ = true;
      piece.failure = oversized_event_failure();
      break;
    }
    if (saw_message_stop_ || exchange_->done()) {
      finished_ = true;
      if (!saw_message_stop_) {
        piece.failure = AttemptFailure{router::ErrorKind::connection_failed, 0,
                                       "upstream stream ended before message_stop", std::nullopt};
      } else if (translator_) {
        translator_->finish(piece.bytes);
      }
      break;
    }
    if (!piece.bytes.empty()) break;
  }
  piece.finished = finished_;
  redact_failed_piece(piece, secrets_);
  co_return piece;
}

}  // namespace llmux::providers
