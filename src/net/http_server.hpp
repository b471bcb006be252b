#pragma once

// Inbound HTTP/1.1 server: one io_context, listener and thread per worker (SO_REUSEPORT),
// keep-alive, request limits, client-disconnect notification, graceful drain.
// It knows nothing about LLMs: a per-worker Handler gets each request and a ResponseWriter.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "net/http_header_list.hpp"
#include "net/http_request.hpp"

namespace llmux::net {

class ConnectionState;  // defined in http_server.cpp
class ConnectionLimit;

// How a handler answers. Either send() once, or begin_stream() / write_chunk()* / end_stream().
// Every call returns false once the client has gone; the handler should then stop.
class ResponseWriter {
 public:
  explicit ResponseWriter(std::shared_ptr<ConnectionState> state);

  boost::asio::awaitable<bool> send(int status, const HeaderList& headers, std::string_view content_type,
                                    std::string_view body);
  // `first_data`, when given, goes out in the same write as the head (one syscall, one packet).
  boost::asio::awaitable<bool> begin_stream(int status, const HeaderList& headers, std::string_view content_type,
                                            std::string_view first_data = {});
  boost::asio::awaitable<bool> write_chunk(std::string_view data);
  // `last_data`, when given, goes out in the same write as the end of the body.
  boost::asio::awaitable<bool> end_stream(std::string_view last_data = {});
  // A whole stream already in hand (every event read at once): head, body and end of body in one
  // write, where begin_stream() + end_stream() would take two.
  boost::asio::awaitable<bool> send_stream(int status, const HeaderList& headers, std::string_view content_type,
                                           std::string_view data);

  // The answer will be a stream, which may wait long for its first byte and then last minutes:
  // the connection lets go of what it holds for reading the next request (its read buffer, unless
  // a pipelined request is in it) now rather than at begin_stream(). Whole answers keep it.
  void expect_stream();

  // Called once, on this worker's thread, if the client disconnects while the handler runs
  // (used to cancel the upstream request and any pending retry).
  void on_disconnect(std::function<void()> callback);
  bool client_gone() const;
  bool response_started() const;

 private:
  std::shared_ptr<ConnectionState> state_;
};

using Handler = std::function<boost::asio::awaitable<void>(InboundRequest&, ResponseWriter&)>;
// Called once per worker, on that worker's thread, to build its handler (and its per-worker
// state, such as the upstream connection pool).
using HandlerFactory = std::function<Handler(boost::asio::io_context&)>;

struct ServerOptions {
  std::string host = "0.0.0.0";
  std::uint16_t port = 4000;
  int workers = 1;
  std::size_t max_header_bytes = 16u << 10;
  std::size_t max_body_bytes = 32u << 20;
  // A chunked request's framing, which Beast would buffer without bound: one chunk's size line
  // (size and extensions, without CRLF) and the trailer section.
  std::size_t max_chunk_line_bytes = 4u << 10;
  std::size_t max_trailer_bytes = 16u << 10;
  // Client connections open at once, across every worker; past it a new one gets 503.
  std::size_t max_connections = 16'384;
  std::chrono::milliseconds header_read_timeout{10'000};
  std::chrono::milliseconds body_read_timeout{60'000};
  std::chrono::milliseconds keepalive_idle_timeout{60'000};
};

class HttpServer {
 public:
  HttpServer(ServerOptions options, HandlerFactory factory);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds every worker's listener. Returns the bound port (useful with port 0) or a message.
  std::variant<std::uint16_t, std::string> listen();
  // Starts the worker threads; returns at once.
  void start();
  // Stop accepting; idle keep-alive connections close; in-flight requests and streams go on.
  void begin_drain();
  // Waits until every worker is out of work or the deadline passes; then stops the rest by force.
  // Returns the number of connections still open at the deadline.
  std::size_t wait_drained(std::chrono::steady_clock::time_point deadline);

  struct Worker;  // one thread, io_context and listener; defined in http_server.cpp

 private:
  ServerOptions options_;
  HandlerFactory factory_;
  std::unique_ptr<ConnectionLimit> connection_limit_;
  std::vector<std::unique_ptr<Worker>> workers_;
};

}  // namespace llmux::net
