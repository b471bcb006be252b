#include "net/upstream_connection.hpp"

#include <sys/socket.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>
#include <cerrno>
#include <cstring>
#include <variant>

#include "net/chunked_decoder.hpp"
#include "net/upstream_origin.hpp"
#include "net/upstream_request_head.hpp"
#include "net/upstream_tls.hpp"

namespace llmux::net::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using boost::system::error_code;
using Tcp = asio::ip::tcp;
using TlsStream = ssl::stream<Tcp::socket>;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
// How much one read asks for. A stream's chunks are a few hundred bytes, and a held stream
// keeps its buffer for its whole life, so start small; a read that fills the space doubles it
// for the next (a large answer then moves in large reads), up to the largest TLS record.
constexpr std::size_t kMinReadSize = 2 * 1024;
constexpr std::size_t kMaxReadSize = 16 * 1024;

enum class Phase { connect, tls_handshake, send, head, body };

// The peer went away: what a server closing an idle keep-alive connection looks like.
bool is_disconnect(const error_code& ec) {
  return ec == asio::error::eof || ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == asio::error::connection_aborted || ec == ssl::error::stream_truncated;
}

}  // namespace

// A sans-I/O response parser that keeps the head in UpstreamResponseHead's reusable storage
// (beast::http::response_parser would allocate every field) and hands out body pieces as
// views into the connection's read buffer (no copy). A chunked body is left to ChunkedDecoder.
class ResponseParser final : public http::basic_parser<false> {
 public:
  ResponseParser(UpstreamResponseHead& head, std::string_view& piece) : head_(head), piece_(piece) {}

 private:
  // Beast 1.81 passes boost::core::string_view whatever BOOST_BEAST_USE_STD_STRING_VIEW says.
  using sv = beast::string_view;

  void on_request_impl(http::verb, sv, sv, int, error_code& ec) override {
    ec = http::error::bad_method;  // unreachable for a response parser
  }
  void on_response_impl(int code, sv, int, error_code&) override {
    head_.reset(code);
    in_trailer_ = false;
  }
  void on_field_impl(http::field, sv name, sv value, error_code&) override {
    if (!in_trailer_) head_.add(name, value);  // trailers are not part of the head
  }
  void on_header_impl(error_code&) override {
    head_.finish();
    in_trailer_ = true;
  }
  void on_body_init_impl(const boost::optional<std::uint64_t>&, error_code&) override {}
  std::size_t on_body_impl(sv body, error_code&) override {
    piece_ = body;
    return body.size();
  }
  void on_chunk_header_impl(std::uint64_t, sv, error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, sv body, error_code&) override {
    piece_ = body;
    return body.size();
  }
  void on_finish_impl(error_code&) override {}

  UpstreamResponseHead& head_;
  std::string_view& piece_;
  bool in_trailer_ = false;
};

struct UpstreamConnection::Impl {
  Impl(asio::io_context& io, UpstreamOrigin& o, ssl::context* tls) : origin(o), timer(io) {
    if (origin.tls) {
      stream.emplace<TlsStream>(io, *tls);
    } else {
      stream.emplace<Tcp::socket>(io);
    }
  }

  Tcp::socket& tcp() {
    if (auto* tls = std::get_if<TlsStream>(&stream)) return tls->next_layer();
    return std::get<Tcp::socket>(stream);
  }
  void close() {
    error_code ignored;
    tcp().close(ignored);  // a pending operation completes with operation_aborted
  }

  // Runs f on whichever stream this is; both instantiations yield the same awaitable type.
  template <class F>
  auto with_stream(F&& f) {
    if (auto* tls = std::get_if<TlsStream>(&stream)) return f(*tls);
    return f(std::get<Tcp::socket>(stream));
  }

  void watch(Deadline deadline);
  void unwatch() { op_deadline = Deadline::max(); }
  void disarm();
  bool body_complete() const { return chunked_body ? chunks.done() : parser->is_done(); }
  void response_complete() {
    ++responses_done;
    disarm();
  }
  void arm(Deadline deadline);
  void on_timer();

  asio::awaitable<error_code> read_more(Deadline deadline);
  std::optional<UpstreamError> decode_chunks(std::string_view& out);
  std::optional<UpstreamError> parse_plain(std::string_view& out);
  UpstreamError malformed_body(std::string_view why);
  UpstreamError fail(const error_code& ec, const asio::cancellation_state& cs);
  UpstreamError describe(const error_code& ec) const;
  UpstreamError describe_timeout() const;

  UpstreamOrigin& origin;
  std::variant<std::monostate, Tcp::socket, TlsStream> stream;
  beast::flat_buffer buffer;
  std::string request_head;
  UpstreamResponseHead head;
  std::string_view piece;
  std::optional<ResponseParser> parser;
  // Set when the response's body is chunked: then `chunks` reads it, not `parser`.
  bool chunked_body = false;
  ChunkedDecoder chunks;
  std::size_t read_size = kMinReadSize;
  Phase phase = Phase::connect;
  std::chrono::steady_clock::time_point idle_since{};
  unsigned responses_done = 0;
  bool reused = false;
  bool sent_bytes = false;
  bool got_response_bytes = false;
  bool broken = false;
  bool cancelled = false;
  bool stale = false;

  // One timer per exchange, not one per socket operation. It is armed lazily: a wait already
  // pending for an earlier time is left alone when a later deadline comes (its handler re-arms
  // for the deadline then current), so an exchange arms it once, and a stream about once per idle
  // period, instead of twice per read and write. The complete response disarms it: no timer
  // outlives the exchange's I/O (a pooled connection holds none).
  asio::steady_timer timer;
  Deadline op_deadline = Deadline::max();  // of the operation in flight; max: none is
  Deadline armed_for = Deadline::max();
  bool timer_pending = false;
  bool timed_out = false;  // the timer closed the socket: sticky, the connection is done
  std::shared_ptr<int> alive = std::make_shared<int>(0);  // lets a late timer handler see we are gone
};

// Before each socket operation: that operation fails (the socket is closed) once `deadline` passes.
void UpstreamConnection::Impl::watch(Deadline deadline) {
  op_deadline = deadline;
  if (deadline == Deadline::max() || (timer_pending && armed_for <= deadline)) return;
  arm(deadline);
}

void UpstreamConnection::Impl::arm(Deadline deadline) {
  armed_for = deadline;
  timer_pending = true;
  timer.expires_at(deadline);  // cancels a wait for a later time: its handler sees operation_aborted
  timer.async_wait([this, alive = std::weak_ptr<int>(alive)](error_code ec) {
    if (ec == asio::error::operation_aborted || alive.expired()) return;
    on_timer();
  });
}

void UpstreamConnection::Impl::disarm() {
  op_deadline = Deadline::max();
  if (!timer_pending) return;
  timer_pending = false;
  timer.cancel();
}

void UpstreamConnection::Impl::on_timer() {
  timer_pending = false;
  if (op_deadline == Deadline::max()) return;  // nothing in flight: the next operation re-arms
  if (std::chrono::steady_clock::now() < op_deadline) {
    arm(op_deadline);  // the deadline moved on since this wait was armed
    return;
  }
  timed_out = true;
  close();
}

asio::awaitable<error_code> UpstreamConnection::Impl::read_more(Deadline deadline) {
  // Unparsed bytes (a partial chunk header) count against the read, so the buffer does not
  // creep past read_size a few bytes at a time; a long head still grows it.
  const std::size_t pending = buffer.size();
  const std::size_t want = pending < read_size / 2 ? read_size - pending : read_size;
  const auto space = buffer.prepare(want);
  watch(deadline);
  auto [ec, n] = co_await with_stream([&](auto& s) { return s.async_read_some(space, kTuple); });
  unwatch();
  buffer.commit(n);
  if (n > 0) got_response_bytes = true;
  if (n == want && read_size < kMaxReadSize) read_size *= 2;
  co_return ec;
}

UpstreamError UpstreamConnection::Impl::describe_timeout() const {
  const std::string& where = origin.label;
  switch (phase) {
    case Phase::connect:
      return {UpstreamErrc::timeout, "connect to " + where + " timed out", false};
    case Phase::tls_handshake:
      return {UpstreamErrc::timeout, "TLS handshake with " + origin.host + " timed out", false};
    case Phase::send:
      return {UpstreamErrc::timeout, "sending the request to " + where + " timed out", sent_bytes};
    case Phase::head:
      return {UpstreamErrc::timeout, "timed out waiting for response headers from " + where, true};
    case Phase::body:
      return {UpstreamErrc::timeout,
              "timed out waiting for more of the response body from " + where + " (idle)", true};
  }
  return {UpstreamErrc::timeout, "request to " + where + " timed out", true};
}

UpstreamError UpstreamConnection::Impl::describe(const error_code& ec) const {
  const std::string& where = origin.label;
  switch (phase) {
    case Phase::connect:
      return {UpstreamErrc::connect_failed, "connect to " + where + " failed: " + ec.message(), false};
    case Phase::tls_handshake: {
      SSL* ssl = nullptr;
      if (auto* tls = std::get_if<TlsStream>(&stream)) ssl = const_cast<TlsStream*>(tls)->native_handle();
      return {UpstreamErrc::tls_failed,
              "TLS handshake with " + origin.host +
                  " failed: " + describe_tls_failure(ssl, ec, origin.verify_tls),
              false};
    }
    case Phase::send:
      return {UpstreamErrc::connection_reset, "sending the request to " + where + " failed: " + ec.message(),
              sent_bytes};
    case Phase::head:
      if (is_disconnect(ec) && !got_response_bytes) {
        return {UpstreamErrc::connection_reset,
                "connection to " + where + " closed before any response (" + ec.message() + ")", true};
      }
      return {UpstreamErrc::connection_reset,
              "connection to " + where + " failed while reading response headers: " + ec.message(), true};
    case Phase::body:
      return {UpstreamErrc::connection_reset, "connection to " + where + " failed mid-body: " + ec.message(),
              true};
  }
  return {UpstreamErrc::connection_reset, ec.message(), true};
}

// Every failure leaves the connection unusable: close it now so nothing can reuse it.
UpstreamError UpstreamConnection::Impl::fail(const error_code& ec, const asio::cancellation_state& cs) {
  broken = true;
  stale =
      reused && !got_response_bytes && (phase == Phase::send || phase == Phase::head) && is_disconnect(ec);
  const bool per_op_cancelled = cs.cancelled() != asio::cancellation_type::none;
  UpstreamError error;
  if (cancelled || per_op_cancelled) {
    error = {UpstreamErrc::cancelled, "request to " + origin.label + " cancelled",
             phase >= Phase::send && sent_bytes};
  } else {
    error = timed_out ? describe_timeout() : describe(ec);
  }
  close();
  return error;
}

UpstreamConnection::UpstreamConnection(asio::io_context& io, UpstreamOrigin& origin, ssl::context* tls)
    : impl_(std::make_unique<Impl>(io, origin, tls)) {}

UpstreamConnection::~UpstreamConnection() = default;

UpstreamOrigin& UpstreamConnection::origin() const { return impl_->origin; }

asio::awaitable<std::optional<UpstreamError>> UpstreamConnection::connect(Deadline deadline) {
  Impl& c = *impl_;
  const auto cs = co_await asio::this_coro::cancellation_state;
  c.phase = Phase::connect;
  std::vector<Tcp::endpoint> endpoints;
  endpoints.reserve(c.origin.addresses.size());
  for (const auto& address : c.origin.addresses) endpoints.emplace_back(address, c.origin.port);
  c.watch(deadline);
  auto [ec, endpoint] = co_await asio::async_connect(c.tcp(), endpoints, kTuple);
  c.unwatch();
  if (ec) co_return c.fail(ec, cs);
  error_code ignored;
  c.tcp().set_option(Tcp::no_delay(true), ignored);  // requests are one write: never wait for an ACK

  if (auto* tls = std::get_if<TlsStream>(&c.stream)) {
    c.phase = Phase::tls_handshake;
    if (!configure_tls_client(tls->native_handle(), c.origin.host, c.origin.host_is_literal,
                              c.origin.verify_tls)) {
      c.broken = true;
      co_return UpstreamError{UpstreamErrc::tls_failed,
                              "TLS setup for " + c.origin.host + " failed: invalid host name for SNI", false};
    }
    c.watch(deadline);
    auto [hs_ec] = co_await tls->async_handshake(ssl::stream_base::client, kTuple);
    c.unwatch();
    if (hs_ec) co_return c.fail(hs_ec, cs);
  }
  co_return std::nullopt;
}

asio::awaitable<std::optional<UpstreamError>> UpstreamConnection::send(const UpstreamRequest& request,
                                                                       Deadline deadline) {
  Impl& c = *impl_;
  const auto cs = co_await asio::this_coro::cancellation_state;
  c.phase = Phase::send;
  c.reused = c.responses_done > 0;
  c.sent_bytes = c.got_response_bytes = c.stale = false;
  if (c.cancelled) co_return c.fail(asio::error::operation_aborted, cs);
  if (auto invalid = build_request_head(c.request_head, c.origin.authority, request)) {
    c.broken = true;
    co_return UpstreamError{UpstreamErrc::protocol_error, std::move(*invalid), false};
  }

  const std::array<asio::const_buffer, 2> buffers{asio::buffer(c.request_head), asio::buffer(request.body)};
  c.watch(deadline);
  auto [ec, written] = co_await c.with_stream([&](auto& s) { return asio::async_write(s, buffers, kTuple); });
  c.unwatch();
  c.sent_bytes = written > 0;
  if (ec) co_return c.fail(ec, cs);

  c.phase = Phase::head;
  c.parser.emplace(c.head, c.piece);
  c.parser->header_limit(static_cast<std::uint32_t>(c.origin.max_header_bytes));
  c.parser->body_limit(boost::none);  // streams are unbounded; read_all applies its own cap
  if (request.method == "HEAD") c.parser->skip(true);
  for (;;) {
    if (c.buffer.size() > 0) {
      error_code parse_ec;
      c.buffer.consume(c.parser->put(c.buffer.data(), parse_ec));
      if (parse_ec && parse_ec != http::error::need_more) {
        c.broken = true;
        error_code ignored;
        c.tcp().close(ignored);
        co_return UpstreamError{
            UpstreamErrc::protocol_error,
            parse_ec == http::error::header_limit
                ? "response headers from " + c.origin.label + " exceed " +
                      std::to_string(c.origin.max_header_bytes) + " bytes"
                : "malformed response headers from " + c.origin.label + ": " + parse_ec.message(),
            true};
      }
      if (!parse_ec && c.parser->is_header_done()) {
        // An interim response (100 Continue, 103 Early Hints) precedes the real one.
        if (c.head.status >= 100 && c.head.status < 200 && c.head.status != 101) {
          c.parser.emplace(c.head, c.piece);
          c.parser->header_limit(static_cast<std::uint32_t>(c.origin.max_header_bytes));
          c.parser->body_limit(boost::none);
          continue;
        }
        break;
      }
    }
    if (error_code read_ec = co_await c.read_more(deadline)) co_return c.fail(read_ec, cs);
  }
  // Beast's put() stops at the end of the head (it is not eager), so the body is all still in
  // the buffer for whichever decoder reads it.
  c.chunked_body = !c.parser->is_done() && c.parser->chunked();
  if (c.chunked_body) c.chunks.reset();
  if (c.body_complete()) c.response_complete();
  co_return std::nullopt;
}

bool UpstreamConnection::failed_stale() const { return impl_->stale; }
bool UpstreamConnection::reused() const { return impl_->reused; }
const UpstreamResponseHead& UpstreamConnection::head() const { return impl_->head; }

std::optional<std::uint64_t> UpstreamConnection::content_length() const {
  if (!impl_->parser) return std::nullopt;
  const auto length = impl_->parser->content_length();
  return length ? std::optional<std::uint64_t>(*length) : std::nullopt;
}

namespace {

// Appends `next` to `gathered`, moving its bytes down so the two are contiguous. Both are views
// into the same read buffer, `next` after `gathered` with only chunk framing between them, and
// every byte up to the end of `next` is already parsed: nothing live is overwritten.
void gather(std::string_view& gathered, std::string_view next) {
  if (gathered.empty()) {
    gathered = next;
    return;
  }
  char* end = const_cast<char*>(gathered.data() + gathered.size());
  if (next.data() != end) std::memmove(end, next.data(), next.size());
  gathered = std::string_view(gathered.data(), gathered.size() + next.size());
}

}  // namespace

// Decodes what is buffered of a chunked body. Several chunks that came in one read leave as one
// piece (one write to the client), but a complete chunk never waits for bytes not yet here.
std::optional<UpstreamError> UpstreamConnection::Impl::decode_chunks(std::string_view& out) {
  const auto bytes = buffer.data();
  const ChunkedDecoder::Step step = chunks.decode(static_cast<char*>(bytes.data()), bytes.size());
  buffer.consume(step.consumed);  // only advances a pointer: the bytes stay put until the next prepare()
  if (chunks.failed()) return malformed_body(chunks.error());
  out = step.data;
  if (chunks.done()) response_complete();
  return std::nullopt;
}

// Any other body: Beast's parser, which hands out views of its data (a piece per call).
std::optional<UpstreamError> UpstreamConnection::Impl::parse_plain(std::string_view& out) {
  while (buffer.size() > 0 && !parser->is_done()) {
    piece = {};
    error_code parse_ec;
    const std::size_t used = parser->put(buffer.data(), parse_ec);
    buffer.consume(used);
    if (parse_ec && parse_ec != http::error::need_more) return malformed_body(parse_ec.message());
    if (!piece.empty()) gather(out, piece);
    if (parser->is_done()) response_complete();
    if (parse_ec || used == 0) break;
  }
  return std::nullopt;
}

UpstreamError UpstreamConnection::Impl::malformed_body(std::string_view why) {
  broken = true;
  close();
  return UpstreamError{UpstreamErrc::protocol_error,
                       "malformed response body from " + origin.label + ": " + std::string(why), true};
}

asio::awaitable<std::optional<UpstreamError>> UpstreamConnection::read_piece(Deadline deadline,
                                                                             std::string_view& piece) {
  Impl& c = *impl_;
  const auto cs = co_await asio::this_coro::cancellation_state;
  c.phase = Phase::body;
  piece = {};
  if (c.cancelled || c.broken) co_return c.fail(asio::error::operation_aborted, cs);
  if (c.body_complete()) co_return std::nullopt;
  for (;;) {
    if (c.buffer.size() > 0) {
      if (auto error = c.chunked_body ? c.decode_chunks(piece) : c.parse_plain(piece)) co_return error;
    }
    if (!piece.empty() || c.body_complete()) co_return std::nullopt;
    error_code ec = co_await c.read_more(deadline);
    if (!ec) continue;
    if (!c.chunked_body && (ec == asio::error::eof || ec == ssl::error::stream_truncated)) {
      // A body without Content-Length or chunking ends at EOF; for the others EOF is truncation.
      error_code eof_ec;
      c.parser->put_eof(eof_ec);
      if (!eof_ec) {
        c.broken = true;  // closed by the peer: never reusable
        c.response_complete();
        co_return std::nullopt;
      }
    }
    co_return c.fail(ec, cs);
  }
}

bool UpstreamConnection::body_done() const { return impl_->parser && impl_->body_complete(); }

bool UpstreamConnection::reusable() const {
  const Impl& c = *impl_;
  return !c.broken && !c.cancelled && !c.timed_out && c.parser && c.body_complete() &&
         c.parser->keep_alive() && c.head.status != 101 && c.buffer.size() == 0;
}

bool UpstreamConnection::idle_peer_gone() const {
  auto& socket = impl_->tcp();
  if (!socket.is_open()) return true;
  // One non-blocking peek: 0 means the server sent FIN while the connection sat idle, bytes
  // mean it sent something nobody asked for; only "would block" means healthy.
  char byte;
  const ssize_t n = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return !(n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
}

std::chrono::steady_clock::time_point UpstreamConnection::idle_since() const { return impl_->idle_since; }
void UpstreamConnection::mark_idle(std::chrono::steady_clock::time_point now) { impl_->idle_since = now; }

void UpstreamConnection::cancel() {
  impl_->cancelled = true;
  impl_->close();
}

}  // namespace llmux::net::detail
