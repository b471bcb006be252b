#include "net/http_request_reader.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/read_size.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>

#include "net/http_connection_state.hpp"
#include "net/http_request_parser.hpp"

namespace llmux::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

std::string plain_error_body(std::string_view message, std::string_view type, int code) {
  std::string body = R"({"error":{"message":")";
  body += message;  // callers pass fixed ASCII text without quotes
  body += R"(","type":")";
  body += type;
  body += R"(","param":null,"code":")";
  body += std::to_string(code);
  body += R"("}})";
  return body;
}

// After an early error answer (sent with Connection: close) the client may still be sending its
// body. Closing with unread bytes makes the kernel reset the connection, and the client loses the
// answer it was sent; so read and discard the rest of the body — exactly the declared length when
// there is one, else until the client closes — for a little while and up to a cap, then close
// (nginx's "lingering close"). Half-closing first would look like a failure to clients still
// writing the body.
asio::awaitable<void> linger_close(ConnectionState& st, std::optional<std::uint64_t> declared_body,
                                   std::chrono::milliseconds at_most, std::uint64_t max_discard) {
  std::uint64_t left = declared_body ? std::min<std::uint64_t>(*declared_body, max_discard) : max_discard;
  const std::uint64_t buffered = std::min<std::uint64_t>(st.buffer.size(), left);
  st.buffer.consume(static_cast<std::size_t>(buffered));
  left -= buffered;
  st.timer.expect_within(at_most);
  std::array<char, 16384> sink;
  while (left > 0) {
    st.timer.start();
    auto [ec, n] = co_await st.socket.async_read_some(asio::buffer(sink), use_tuple);
    if (ec) break;
    left -= std::min<std::uint64_t>(n, left);
  }
}

namespace {

asio::awaitable<void> write_simple_error(const std::shared_ptr<ConnectionState>& state, int status,
                                         std::string_view message, std::string_view type) {
  state->keep_alive = false;
  ResponseWriter writer(state);
  const std::string body = plain_error_body(message, type, status);
  co_await writer.send(status, {}, "application/json", body);
}

// How reading a request's body ended, when it did not end with the whole body.
enum class BodyRead {
  complete,
  connection_lost,
  too_large,
  malformed_chunked,
  chunk_line_too_long,
  trailer_too_large
};

// The rest of the body (its first bytes may be in the buffer), through the parser. Beast's
// http::async_read would do the same, but keeps reading while a chunk line or the trailer section
// has not ended, with no bound on the bytes it buffers meanwhile; between reads here, what the
// parser left unparsed is held to the parser's framing limits.
asio::awaitable<BodyRead> read_body(ConnectionState& st, RequestParser& parser, TimedReader& reader) {
  parser.eager(true);  // take every element the buffer holds, not one per put()
  for (;;) {
    beast::error_code ec;
    while (st.buffer.size() > 0 && !parser.is_done()) {
      const std::size_t used = parser.put(st.buffer.data(), ec);
      st.buffer.consume(used);
      if (ec || used == 0) break;
    }
    if (parser.is_done()) co_return BodyRead::complete;
    if (ec == http::error::body_limit) co_return BodyRead::too_large;
    if (ec && ec != http::error::need_more) {
      switch (parser.refusal()) {
        case RequestParser::Refusal::chunk_line_too_long:
          co_return BodyRead::chunk_line_too_long;
        case RequestParser::Refusal::trailer_too_large:
          co_return BodyRead::trailer_too_large;
        default:
          co_return BodyRead::malformed_chunked;  // only a chunked body can be malformed
      }
    }
    if (parser.chunked()) {
      const auto unparsed = st.buffer.data();
      if (!parser.unparsed_within_limits({static_cast<const char*>(unparsed.data()), unparsed.size()})) {
        co_return parser.refusal() == RequestParser::Refusal::trailer_too_large
            ? BodyRead::trailer_too_large
            : BodyRead::chunk_line_too_long;
      }
    }
    auto [read_ec, n] =
        co_await reader.async_read_some(st.buffer.prepare(beast::read_size(st.buffer, 65536)), use_tuple);
    st.buffer.commit(n);
    // A client that closes mid-body, or went quiet past the body timeout: nobody to answer.
    if (read_ec) co_return BodyRead::connection_lost;
  }
}

}  // namespace

// A coroutine of its own, so the parser is not part of the frame of a connection whose answer (a
// stream) goes on for minutes.
asio::awaitable<bool> read_request(const std::shared_ptr<ConnectionState>& state,
                                   const ServerOptions& options, InboundRequest& request) {
  auto& st = *state;
  RequestParser parser(request);
  parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
  parser.body_limit(options.max_body_bytes);
  parser.framing_limits(options.max_chunk_line_bytes, options.max_trailer_bytes);
  // Reads through it arm the timer; a request already in the buffer is parsed without.
  TimedReader reader(st.socket, st.timer);
  // The whole header must arrive within the limit: a slow client cannot hold the connection.
  st.timer.expect_within(options.header_read_timeout);
  {
    auto [ec, n] = co_await http::async_read_header(reader, st.buffer, parser, use_tuple);
    if (ec == http::error::header_limit) {
      co_await write_simple_error(state, 431, "Request header fields too large", "invalid_request_error");
      co_await linger_close(st);
      co_return false;
    }
    // Beast checks a declared Content-Length against the body limit while reading the header.
    if (ec == http::error::body_limit) {
      co_await write_simple_error(state, 413, "Request body too large", "invalid_request_error");
      // Refused before the header is done: Beast's content_length() may not be asked yet.
      co_await linger_close(st, parser.declared_content_length());
      co_return false;
    }
    // Timed out: the timer closed the socket, and the read failed with operation_aborted.
    if (st.timer.timed_out() || ec == http::error::end_of_stream) co_return false;
    // RFC 9112 section 6.3: with a coding we do not implement, or chunked not alone and last,
    // the body's length is unknown; 400 (rather than 501 for an unknown coding: one answer for
    // every Transfer-Encoding we refuse), and the connection closes.
    if (ec && parser.refusal() == RequestParser::Refusal::transfer_coding) {
      co_await write_simple_error(state, 400, "Unsupported Transfer-Encoding: only chunked is accepted",
                                  "invalid_request_error");
      co_await linger_close(st);
      co_return false;
    }
    if (ec) {
      co_await write_simple_error(state, 400, "Malformed HTTP request", "invalid_request_error");
      co_await linger_close(st);
      co_return false;
    }
  }
  // An early answer to a HEAD request (413 below) has no body either.
  st.head_only = request.method == "HEAD";
  if (const auto length = parser.content_length(); length && *length > options.max_body_bytes) {
    co_await write_simple_error(state, 413, "Request body too large", "invalid_request_error");
    co_await linger_close(st, std::optional<std::uint64_t>(*length));
    co_return false;
  }
  if (parser.expects_continue()) {
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    if (!co_await st.write_all(asio::buffer(kContinue))) co_return false;
  }
  st.timer.expect_within(options.body_read_timeout);
  switch (co_await read_body(st, parser, reader)) {
    case BodyRead::complete:
      break;
    case BodyRead::connection_lost:
      co_return false;
    case BodyRead::too_large:
      co_await write_simple_error(state, 413, "Request body too large", "invalid_request_error");
      co_await linger_close(st);
      co_return false;
    case BodyRead::malformed_chunked:
      co_await write_simple_error(state, 400, "Malformed chunked request body", "invalid_request_error");
      co_await linger_close(st);
      co_return false;
    case BodyRead::chunk_line_too_long:
      co_await write_simple_error(state, 400,
                                  "Chunk size line too long (llmux_settings.max_chunk_line_bytes)",
                                  "invalid_request_error");
      co_await linger_close(st);
      co_return false;
    case BodyRead::trailer_too_large:
      co_await write_simple_error(state, 400,
                                  "Request trailer section too large (llmux_settings.max_trailer_bytes)",
                                  "invalid_request_error");
      co_await linger_close(st);
      co_return false;
  }
  // The handler may wait long on an upstream, with no deadline: no timer stays armed meanwhile.
  st.timer.disarm();

  st.keep_alive = parser.keep_alive();
  st.http10 = parser.version() < 11;
  request.remote_address = st.remote_address;
  co_return true;
}

}  // namespace llmux::net
