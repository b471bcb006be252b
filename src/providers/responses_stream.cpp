#include "providers/responses_stream.hpp"

#include "api/json_scan.hpp"
#include "api/json_skim.hpp"
#include "net/upstream_client.hpp"
#include "providers/responses_wire.hpp"
#include "providers/upstream_call.hpp"

namespace llmux::providers {
namespace {

bool is_lifecycle(std::string_view type) {
  return type == "response.created" || type == "response.in_progress" || type == "response.queued";
}

void append_frame(std::string& out, std::string_view event_name, std::string_view data, bool one_line) {
  if (!event_name.empty()) out.append("event: ").append(event_name).append("\n");
  if (one_line) {
    out.append("data: ").append(data).append("\n\n");
    return;
  }
  net::append_sse_data(out, data);
}

}  // namespace

void ResponsesStreamFilter::feed(std::string_view upstream_bytes, std::string& client_bytes) {
  parser_.feed(upstream_bytes, [&](const net::SseEventView& event) { on_event(event, client_bytes); });
}

void ResponsesStreamFilter::on_event(const net::SseEventView& event, std::string& client_bytes) {
  if (saw_terminal_ || failure_ || event.data.empty()) return;
  const std::string_view data = event.data;
  if (data == "[DONE]") {
    // Some proxies end Responses streams with it; before the terminal event it ends nothing.
    return;
  }
  // The payload's own `type` names the event (OpenAI sends the same in the `event:` field).
  std::string type;
  if (const auto value = api::skim_member(data, "type")) type = api::decode_string(*value).value_or("");
  if (type.empty()) type = std::string(event.event);
  append_frame(client_bytes, event.event, data, event.one_line);
  if (is_lifecycle(type)) return;
  saw_output_ = true;
  if (type == "response.completed" || type == "response.incomplete") {
    saw_terminal_ = true;
    if (const auto response = api::skim_member(data, "response"); response && api::is_object(*response)) {
      final_response_ = std::string(*response);
      if (const auto usage = api::find_member(*response, "usage"); usage && api::is_object(*usage)) {
        usage_ = responses_usage_of(*usage);
      }
    }
  } else if (type == "response.failed") {
    saw_terminal_ = true;
    std::string_view error = "{}";
    if (const auto response = api::skim_member(data, "response"); response && api::is_object(*response)) {
      final_response_ = std::string(*response);
      if (const auto found = api::find_member(*response, "error")) error = *found;
      if (const auto usage = api::find_member(*response, "usage"); usage && api::is_object(*usage)) {
        usage_ = responses_usage_of(*usage);
      }
    }
    failure_ = failure_from_response_error(error, "the upstream Response failed mid-stream");
  } else if (type == "error") {
    failure_ = failure_from_response_error(api::is_object(data) ? data : std::string_view("{}"),
                                           "upstream reported an error mid-stream");
  }
}

ResponsesStream::ResponsesStream(std::unique_ptr<net::UpstreamExchange> exchange, std::chrono::milliseconds idle_limit,
                                 net::HeaderList upstream_headers, Secrets secrets)
    : exchange_(std::move(exchange)),
      idle_limit_(idle_limit),
      upstream_headers_(std::move(upstream_headers)),
      secrets_(secrets) {}

ResponsesStream::~ResponsesStream() = default;

void ResponsesStream::cancel() {
  if (exchange_) exchange_->cancel();
}

boost::asio::awaitable<StreamPiece> ResponsesStream::next() {
  StreamPiece piece;
  while (!finished_) {
    auto read = co_await exchange_->read_some(std::chrono::steady_clock::now() + idle_limit_);
    if (auto* error = std::get_if<net::UpstreamError>(&read)) {
      finished_ = true;
      piece.failure = stream_read_failure(*error);
      break;
    }
    const std::string_view bytes = std::get<std::string_view>(read);
    piece.bytes.reserve(piece.bytes.size() + bytes.size() + 16);
    filter_.feed(bytes, piece.bytes);
    if (filter_.failure()) {
      finished_ = true;
      piece.failure = filter_.failure();
      piece.failure_framed = true;  // the upstream's own failure event is in the bytes
      break;
    }
    if (filter_.overflowed()) {
      finished_ = true;
      piece.failure = oversized_event_failure();
      break;
    }
    if (filter_.saw_terminal()) {
      finished_ = true;
      // Whatever follows the terminal event is not the client's; an upstream that keeps the
      // connection open after it must not turn a finished stream into a timed-out one.
      if (!exchange_->done()) exchange_->cancel();
      break;
    }
    if (exchange_->done()) {
      finished_ = true;
      piece.failure = AttemptFailure{router::ErrorKind::connection_failed, 0,
                                     "upstream Responses stream ended before response.completed", std::nullopt};
      break;
    }
    // The first piece waits for the first output event (see the header); later ones go at once.
    if (!piece.bytes.empty() && (!first_piece_ || filter_.saw_output())) break;
  }
  first_piece_ = false;
  piece.finished = finished_;
  redact_failed_piece(piece, secrets_);
  co_return piece;
}

}  // namespace llmux::providers
