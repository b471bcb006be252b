#include "net/http_server.hpp"

#include <sys/socket.h>

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/status.hpp>
#include <charconv>
#include <thread>
#include <unordered_set>

#include "net/connection_timer.hpp"
#include "net/http_request_parser.hpp"
#include "observe/log.hpp"

namespace llmux::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// Everything one client connection owns. Shared with the disconnect watcher, whose callback can
// outlive the coroutine that serves the connection.
class ConnectionState {
 public:
  ConnectionState(tcp::socket client_socket, std::string peer_address)
      : socket(std::move(client_socket)), timer(socket), remote_address(std::move(peer_address)) {}

  tcp::socket socket;
  // Every read and write of the socket is bound by the deadline it holds (none while the handler
  // waits on an upstream); it closes the socket when one passes.
  ConnectionTimer timer;
  std::string remote_address;  // read once, when the connection is accepted
  beast::flat_buffer buffer;
  bool keep_alive = true;
  bool http10 = false;
  bool gone = false;
  bool response_started = false;
  bool response_finished = false;
  bool chunked = false;
  bool watching = false;
  char watch_probe = 0;  // where the disconnect watch's peek lands
  bool idle = false;
  bool draining = false;
  std::chrono::milliseconds write_timeout{60'000};
  std::function<void()> on_disconnect;
  std::string head_buffer;  // reused for response heads

  void mark_gone() {
    if (gone) return;
    gone = true;
    if (on_disconnect) {
      auto callback = std::move(on_disconnect);
      on_disconnect = nullptr;
      callback();
    }
  }

  // Watches for the client closing its side while the handler works: a one-byte peek that
  // completes when the socket turns readable. End of stream (or an error) means the client is
  // gone; a byte means a pipelined request, left in the socket to be read after this response.
  // Either this or async_wait(wait_read) costs one system call per request: Asio re-arms epoll
  // (epoll_ctl) for every wait, and tries a receive at once (here a recv returning EAGAIN) unless
  // its last read on the socket saw end of stream. The peek spares the extra recv a wait needed
  // to tell a close from pipelined bytes when it fired.
  void start_watch(const std::shared_ptr<ConnectionState>& self) {
    watching = true;
    socket.async_receive(asio::buffer(&watch_probe, 1), tcp::socket::message_peek,
                         [self](const boost::system::error_code& ec, std::size_t) {
                           if (ec == asio::error::operation_aborted || !self->watching) return;
                           self->watching = false;
                           if (ec) self->mark_gone();  // eof: the client closed its side
                         });
  }

  void stop_watch() {
    if (!watching) return;
    watching = false;
    boost::system::error_code ignored;
    socket.cancel(ignored);
  }

  // Up to three buffers in one gather write (head, body, trailer). Plain parameters rather than an
  // initializer_list: g++ 12 cannot keep one alive across a co_await.
  asio::awaitable<bool> write_all(asio::const_buffer first, asio::const_buffer second = {},
                                  asio::const_buffer third = {}) {
    if (gone) co_return false;
    timer.expect_within(write_timeout);
    timer.start();
    const std::array<asio::const_buffer, 3> buffers{first, second, third};
    auto [ec, n] = co_await asio::async_write(socket, buffers, use_tuple);
    timer.done();
    if (ec) {
      mark_gone();
      co_return false;
    }
    co_return true;
  }
};

namespace {

void append_decimal(std::string& out, std::size_t value) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, end);
}

void append_head(std::string& out, int status, const HeaderList& headers, std::string_view content_type,
                 bool keep_alive) {
  out.clear();
  // One allocation at most: a stream's head starts from an empty buffer (begin_stream frees it).
  out.reserve(256 + content_type.size() + headers.wire().size());
  out += "HTTP/1.1 ";
  append_decimal(out, static_cast<std::size_t>(status));
  out += ' ';
  out += http::obsolete_reason(static_cast<http::status>(status));
  out += "\r\n";
  if (!content_type.empty()) {
    out += "Content-Type: ";
    out += content_type;
    out += "\r\n";
  }
  out += keep_alive ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
  out += headers.wire();  // already "name: value\r\n" each, every byte safe
}

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

}  // namespace

ResponseWriter::ResponseWriter(std::shared_ptr<ConnectionState> state) : state_(std::move(state)) {}

asio::awaitable<bool> ResponseWriter::send(int status, const HeaderList& headers, std::string_view content_type,
                                           std::string_view body) {
  auto& st = *state_;
  if (st.response_started || st.gone) co_return false;
  st.response_started = true;
  const bool keep_alive = st.keep_alive && !st.draining;
  append_head(st.head_buffer, status, headers, content_type, keep_alive);
  st.head_buffer += "Content-Length: ";
  append_decimal(st.head_buffer, body.size());
  st.head_buffer += "\r\n\r\n";
  st.keep_alive = keep_alive;
  const bool ok = co_await st.write_all(asio::buffer(st.head_buffer), asio::buffer(body));
  st.response_finished = ok;
  co_return ok;
}

namespace {

// A stream's head into st.head_buffer, and the connection's framing: chunked, or for HTTP/1.0
// (no chunked encoding) a body that ends with the connection.
void append_stream_head(ConnectionState& st, int status, const HeaderList& headers,
                        std::string_view content_type) {
  st.response_started = true;
  st.chunked = !st.http10;
  st.keep_alive = st.chunked && st.keep_alive && !st.draining;
  append_head(st.head_buffer, status, headers, content_type, st.keep_alive);
  st.head_buffer += st.chunked ? "Transfer-Encoding: chunked\r\nCache-Control: no-cache\r\n\r\n"
                               : "Cache-Control: no-cache\r\n\r\n";
}

// "<hex size>\r\n": the framing before a chunk's data.
std::size_t chunk_size_line(char (&out)[24], std::size_t size) {
  auto [end, ec] = std::to_chars(out, out + 16, size, 16);
  *end++ = '\r';
  *end++ = '\n';
  return static_cast<std::size_t>(end - out);
}

}  // namespace

asio::awaitable<bool> ResponseWriter::begin_stream(int status, const HeaderList& headers,
                                                   std::string_view content_type, std::string_view first_data) {
  auto& st = *state_;
  if (st.response_started || st.gone) co_return false;
  append_stream_head(st, status, headers, content_type);
  bool ok = false;
  if (first_data.empty()) {
    ok = co_await st.write_all(asio::buffer(st.head_buffer));
  } else if (st.chunked) {
    char size_line[24];
    st.head_buffer.append(size_line, chunk_size_line(size_line, first_data.size()));
    ok = co_await st.write_all(asio::buffer(st.head_buffer), asio::buffer(first_data), asio::buffer("\r\n", 2));
  } else {
    ok = co_await st.write_all(asio::buffer(st.head_buffer), asio::buffer(first_data));
  }
  // A stream can stay open for minutes; the head it no longer needs should not stay with it, nor
  // the read buffer. A whole answer keeps both for the connection's next request.
  std::string().swap(st.head_buffer);
  expect_stream();
  co_return ok;
}

asio::awaitable<bool> ResponseWriter::send_stream(int status, const HeaderList& headers,
                                                  std::string_view content_type, std::string_view data) {
  auto& st = *state_;
  if (st.response_started || st.gone) co_return false;
  append_stream_head(st, status, headers, content_type);
  bool ok = false;
  if (!st.chunked) {
    ok = co_await st.write_all(asio::buffer(st.head_buffer), asio::buffer(data));
  } else if (data.empty()) {
    st.head_buffer += "0\r\n\r\n";
    ok = co_await st.write_all(asio::buffer(st.head_buffer));
  } else {
    char size_line[24];
    st.head_buffer.append(size_line, chunk_size_line(size_line, data.size()));
    ok = co_await st.write_all(asio::buffer(st.head_buffer), asio::buffer(data), asio::buffer("\r\n0\r\n\r\n", 7));
  }
  st.response_finished = ok;
  co_return ok;
}

void ResponseWriter::expect_stream() {
  // The read buffer (8 KiB or more), unless it holds a pipelined request: the next request's
  // first read takes a fresh one.
  auto& st = *state_;
  if (st.buffer.size() == 0) st.buffer.shrink_to_fit();
}

asio::awaitable<bool> ResponseWriter::write_chunk(std::string_view data) {
  auto& st = *state_;
  if (!st.response_started || st.response_finished || st.gone) co_return false;
  if (data.empty()) co_return true;  // an empty chunk would end a chunked body
  if (!st.chunked) co_return co_await st.write_all(asio::buffer(data));
  char size_line[24];
  const std::size_t size_length = chunk_size_line(size_line, data.size());
  co_return co_await st.write_all(asio::buffer(size_line, size_length), asio::buffer(data), asio::buffer("\r\n", 2));
}

asio::awaitable<bool> ResponseWriter::end_stream(std::string_view last_data) {
  auto& st = *state_;
  if (!st.response_started || st.response_finished || st.gone) co_return false;
  bool ok = true;
  if (!st.chunked) {
    if (!last_data.empty()) ok = co_await st.write_all(asio::buffer(last_data));
  } else if (last_data.empty()) {
    ok = co_await st.write_all(asio::buffer("0\r\n\r\n", 5));
  } else {
    char size_line[24];
    const std::size_t size_length = chunk_size_line(size_line, last_data.size());
    ok = co_await st.write_all(asio::buffer(size_line, size_length), asio::buffer(last_data),
                               asio::buffer("\r\n0\r\n\r\n", 7));
  }
  st.response_finished = ok;
  co_return ok;
}

void ResponseWriter::on_disconnect(std::function<void()> callback) {
  if (state_->gone) {
    callback();
    return;
  }
  state_->on_disconnect = std::move(callback);
}

bool ResponseWriter::client_gone() const { return state_->gone; }
bool ResponseWriter::response_started() const { return state_->response_started; }

// ---------------------------------------------------------------------------------------------

struct HttpServer::Worker {
  // One thread runs each io_context, so socket I/O needs no locks (UNSAFE_IO); the scheduler keeps
  // its lock because other threads post into it (store results, drain, the resolver's answers).
  explicit Worker(int index) : index(index), io(BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO), acceptor(io) {}

  int index;
  asio::io_context io;
  tcp::acceptor acceptor;
  std::thread thread;
  Handler handler;
  std::unordered_set<ConnectionState*> connections;
  std::atomic<std::size_t> open_connections{0};
  bool draining = false;
  std::chrono::steady_clock::time_point last_accept_warning{};
};

namespace {

asio::awaitable<void> write_simple_error(const std::shared_ptr<ConnectionState>& state, int status,
                                         std::string_view message, std::string_view type) {
  state->keep_alive = false;
  ResponseWriter writer(state);
  const std::string body = plain_error_body(message, type, status);
  co_await writer.send(status, {}, "application/json", body);
}

// After an early error answer (sent with Connection: close) the client may still be sending its
// body. Closing with unread bytes makes the kernel reset the connection, and the client loses the
// answer it was sent; so read and discard the rest of the body — exactly the declared length when
// there is one, else until the client closes — for a little while and up to a cap, then close
// (nginx's "lingering close"). Half-closing first would look like a failure to clients still
// writing the body.
asio::awaitable<void> linger_close(ConnectionState& st, std::optional<std::uint64_t> declared_body = std::nullopt) {
  constexpr std::uint64_t kMaxDiscard = 64u << 20;
  std::uint64_t left = declared_body ? std::min<std::uint64_t>(*declared_body, kMaxDiscard) : kMaxDiscard;
  const std::uint64_t buffered = std::min<std::uint64_t>(st.buffer.size(), left);
  st.buffer.consume(static_cast<std::size_t>(buffered));
  left -= buffered;
  st.timer.expect_within(std::chrono::seconds(5));
  std::array<char, 16384> sink;
  while (left > 0) {
    st.timer.start();
    auto [ec, n] = co_await st.socket.async_read_some(asio::buffer(sink), use_tuple);
    if (ec) break;
    left -= std::min<std::uint64_t>(n, left);
  }
}

// Reads one request (its first bytes are in the buffer) into `request`, which is empty. False when the connection
// is to close: the client went quiet or away, or an error was answered. A coroutine of its own, so
// the parser is not part of the frame of a connection whose answer (a stream) goes on for minutes.
asio::awaitable<bool> read_request(const std::shared_ptr<ConnectionState>& state, const ServerOptions& options,
                                   InboundRequest& request) {
  auto& st = *state;
  RequestParser parser(request);
  parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
  parser.body_limit(options.max_body_bytes);
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
    if (ec) {
      co_await write_simple_error(state, 400, "Malformed HTTP request", "invalid_request_error");
      co_await linger_close(st);
      co_return false;
    }
  }
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
  {
    auto [ec, n] = co_await http::async_read(reader, st.buffer, parser, use_tuple);
    if (ec == http::error::body_limit) {
      co_await write_simple_error(state, 413, "Request body too large", "invalid_request_error");
      co_await linger_close(st);
      co_return false;
    }
    if (ec) co_return false;
  }
  // The handler may wait long on an upstream, with no deadline: no timer stays armed meanwhile.
  st.timer.disarm();

  st.keep_alive = parser.keep_alive();
  st.http10 = parser.version() < 11;
  request.remote_address = st.remote_address;
  co_return true;
}

asio::awaitable<void> serve_connection(std::shared_ptr<ConnectionState> state, HttpServer::Worker& worker,
                                       const ServerOptions& options) {
  auto& st = *state;
  worker.connections.insert(&st);
  worker.open_connections.fetch_add(1, std::memory_order_relaxed);
  bool first_request = true;
  // One request object for the connection: its buffers are reused by each request it carries.
  InboundRequest request;

  while (!worker.draining) {
    // Wait for the first byte of the next request: the keep-alive idle limit applies here.
    if (st.buffer.size() == 0) {
      st.idle = true;
      st.timer.expect_within(first_request ? options.header_read_timeout : options.keepalive_idle_timeout);
      st.timer.start();
      auto [ec, n] = co_await st.socket.async_read_some(st.buffer.prepare(8192), use_tuple);
      st.timer.done();
      st.idle = false;
      if (ec) break;
      st.buffer.commit(n);
    }
    first_request = false;
    // Per-request state starts fresh: an early error answer below must not see the last response's.
    st.response_started = st.response_finished = st.chunked = false;

    request.clear();
    if (!co_await read_request(state, options, request)) break;

    ResponseWriter writer(state);
    st.start_watch(state);
    // The session boundary: an exception from a handler becomes a 500, never a dead worker.
    bool handler_threw = false;
    try {
      co_await worker.handler(request, writer);
    } catch (const std::exception& e) {
      LLMUX_ERROR(std::string("request handler failed: ") + e.what());
      handler_threw = true;
    }
    st.stop_watch();
    if (handler_threw && st.response_started && !st.response_finished) break;  // cannot be repaired
    st.on_disconnect = nullptr;
    if (!st.response_started && !st.gone) {
      co_await writer.send(500, {}, "application/json",
                           plain_error_body("The gateway produced no response", "internal_error", 500));
    }
    if (!st.response_finished || !st.keep_alive || st.gone) break;
  }

  boost::system::error_code ignored;
  st.timer.disarm();
  st.socket.shutdown(tcp::socket::shutdown_send, ignored);
  st.socket.close(ignored);
  worker.connections.erase(&st);
  worker.open_connections.fetch_sub(1, std::memory_order_relaxed);
}

// Accept loops per worker. One would accept a single connection per turn of the event loop;
// with several waiting, one readiness of the listener accepts a whole burst at once.
constexpr int kAcceptLoops = 16;

asio::awaitable<void> accept_loop(HttpServer::Worker& worker, const ServerOptions& options) {
  tcp::endpoint peer;  // filled by accept itself: no getpeername() per connection or request
  for (;;) {
    auto [ec, socket] = co_await worker.acceptor.async_accept(peer, use_tuple);
    if (ec == asio::error::operation_aborted || !worker.acceptor.is_open()) co_return;
    if (ec) {
      // Out of descriptors or a transient accept error: back off briefly instead of spinning
      // (and warn once a second, not once per loop).
      const auto now = std::chrono::steady_clock::now();
      if (now - worker.last_accept_warning >= std::chrono::seconds(1)) {
        worker.last_accept_warning = now;
        LLMUX_WARN("accept failed: " + ec.message());
      }
      asio::steady_timer pause(worker.io, std::chrono::milliseconds(50));
      co_await pause.async_wait(use_tuple);
      continue;
    }
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    auto state = std::make_shared<ConnectionState>(std::move(socket), peer.address().to_string());
    state->draining = worker.draining;
    asio::co_spawn(worker.io, serve_connection(std::move(state), worker, options), asio::detached);
  }
}

}  // namespace

HttpServer::HttpServer(ServerOptions options, HandlerFactory factory)
    : options_(std::move(options)), factory_(std::move(factory)) {}

HttpServer::~HttpServer() {
  for (auto& worker : workers_) worker->io.stop();
  for (auto& worker : workers_) {
    if (worker->thread.joinable()) worker->thread.join();
  }
}

std::variant<std::uint16_t, std::string> HttpServer::listen() {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(options_.host, ec);
  if (ec) return "invalid listen address '" + options_.host + "'";
  const std::string where = options_.host + ":" + std::to_string(options_.port);

  // Every worker's listener uses SO_REUSEPORT, which would also let a second llmux share the
  // port silently. A plain bind first tells "port in use" apart (and picks the port for :0).
  std::uint16_t port = options_.port;
  {
    asio::io_context probe_io;
    tcp::acceptor probe(probe_io);
    probe.open(address.is_v6() ? tcp::v6() : tcp::v4(), ec);
    if (!ec) probe.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) probe.bind(tcp::endpoint(address, port), ec);
    if (ec) return "cannot listen on " + where + ": " + ec.message();
    port = probe.local_endpoint().port();
  }

  const int count = std::max(1, options_.workers);
  for (int i = 0; i < count; ++i) {
    auto worker = std::make_unique<Worker>(i);
    auto& acceptor = worker->acceptor;
    acceptor.open(address.is_v6() ? tcp::v6() : tcp::v4(), ec);
    if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) {
      const int one = 1;
      if (::setsockopt(acceptor.native_handle(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0) {
        return "cannot set SO_REUSEPORT on " + where;
      }
    }
    if (!ec) acceptor.bind(tcp::endpoint(address, port), ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return "cannot listen on " + options_.host + ":" + std::to_string(port) + ": " + ec.message();
    workers_.push_back(std::move(worker));
  }
  return port;
}

void HttpServer::start() {
  for (auto& worker_ptr : workers_) {
    Worker& worker = *worker_ptr;
    worker.handler = factory_(worker.io);
    for (int i = 0; i < kAcceptLoops; ++i) asio::co_spawn(worker.io, accept_loop(worker, options_), asio::detached);
    worker.thread = std::thread([&worker] {
      try {
        worker.io.run();
      } catch (const std::exception& e) {
        LLMUX_ERROR(std::string("worker stopped by an exception: ") + e.what());
      }
    });
  }
}

void HttpServer::begin_drain() {
  for (auto& worker_ptr : workers_) {
    Worker& worker = *worker_ptr;
    asio::post(worker.io, [&worker] {
      worker.draining = true;
      boost::system::error_code ignored;
      worker.acceptor.close(ignored);
      for (ConnectionState* connection : worker.connections) {
        connection->draining = true;
        // Idle keep-alive connections are closed now; busy ones finish their response first.
        if (connection->idle) connection->socket.cancel(ignored);
      }
    });
  }
}

std::size_t HttpServer::wait_drained(std::chrono::steady_clock::time_point deadline) {
  std::size_t open = 0;
  for (;;) {
    open = 0;
    for (auto& worker : workers_) open += worker->open_connections.load(std::memory_order_relaxed);
    if (open == 0 || std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  for (auto& worker : workers_) worker->io.stop();
  for (auto& worker : workers_) {
    if (worker->thread.joinable()) worker->thread.join();
  }
  return open;
}

}  // namespace llmux::net
