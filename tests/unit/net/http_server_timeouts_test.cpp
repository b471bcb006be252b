#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <string>

#include "net/http_server.hpp"

namespace llmux::net {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

// A server on a free loopback port whose handler answers "ok", with short read timeouts.
struct TestServer {
  HttpServer server;
  std::uint16_t port = 0;

  explicit TestServer(ServerOptions options)
      : server(std::move(options), [](asio::io_context&) -> Handler {
          return [](InboundRequest&, ResponseWriter& writer) -> asio::awaitable<void> {
            co_await writer.send(200, {}, "text/plain", "ok");
          };
        }) {
    auto bound = server.listen();
    port = std::get<std::uint16_t>(bound);
    server.start();
  }
};

ServerOptions short_timeouts() {
  ServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.header_read_timeout = 200ms;
  options.body_read_timeout = 200ms;
  options.keepalive_idle_timeout = 200ms;
  return options;
}

// Sends `bytes`, then reads until the server closes; returns what it sent back and how long the
// connection stayed open after the send.
std::pair<std::string, std::chrono::milliseconds> send_and_wait_for_close(std::uint16_t port, std::string_view bytes) {
  asio::io_context io;
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  // A server that never closes fails the test (open_for reaches 5 s) instead of hanging it.
  const timeval limit{5, 0};
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  asio::write(socket, asio::buffer(bytes));
  const auto sent = std::chrono::steady_clock::now();
  std::string answer;
  boost::system::error_code ec;
  asio::read(socket, asio::dynamic_buffer(answer), ec);  // until eof (or a reset)
  return {answer, std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - sent)};
}

TEST(HttpServerTimeouts, ABodyThatStallsIsCutOffAfterBodyReadTimeout) {
  ServerOptions options = short_timeouts();
  // The header's (longer) deadline was set first: the body read must bring the close forward.
  options.header_read_timeout = 2s;
  TestServer server(options);
  auto [answer, open_for] = send_and_wait_for_close(
      server.port, "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");  // 7 bytes never come
  EXPECT_EQ(answer, "");  // no answer, the connection just closes
  EXPECT_GE(open_for, 150ms);
  EXPECT_LT(open_for, 1500ms);
}

TEST(HttpServerTimeouts, AHalfHeaderIsCutOffAfterHeaderReadTimeout) {
  TestServer server(short_timeouts());
  auto [answer, open_for] = send_and_wait_for_close(server.port, "GET /x HTTP/1.1\r\nHo");
  EXPECT_EQ(answer, "");
  EXPECT_GE(open_for, 150ms);
  EXPECT_LT(open_for, 3s);
}

TEST(HttpServerTimeouts, AnIdleKeepAliveConnectionClosesAfterItsAnswer) {
  TestServer server(short_timeouts());
  auto [answer, open_for] = send_and_wait_for_close(server.port, "GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_NE(answer.find("200 OK"), std::string::npos) << answer;
  EXPECT_NE(answer.find("\r\n\r\nok"), std::string::npos) << answer;
  EXPECT_GE(open_for, 150ms);
  EXPECT_LT(open_for, 3s);
}

TEST(HttpServerTimeouts, ASlowHandlerIsNotCutOffByAnyReadTimeout) {
  ServerOptions options = short_timeouts();
  HttpServer server(options, [](asio::io_context& io) -> Handler {
    return [&io](InboundRequest&, ResponseWriter& writer) -> asio::awaitable<void> {
      asio::steady_timer wait(io, 600ms);  // longer than every read timeout: no deadline applies
      co_await wait.async_wait(asio::use_awaitable);
      co_await writer.send(200, {}, "text/plain", "late");
    };
  });
  const auto port = std::get<std::uint16_t>(server.listen());
  server.start();
  auto [answer, open_for] = send_and_wait_for_close(port, "GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_NE(answer.find("\r\n\r\nlate"), std::string::npos) << answer;
  EXPECT_GE(open_for, 600ms);
}

}  // namespace
}  // namespace llmux::net
