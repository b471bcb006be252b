// HEAD through the server, for each way a handler answers: the head GET would get, no body, and
// the keep-alive connection reads the next request as a request.

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
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

// Answers by path: /send whole, /stream in pieces, /send_stream all at once as a stream. Counts
// the chunks a stream's handler managed to write.
struct HeadServer {
  int stream_writes_accepted = 0;
  HttpServer server;
  std::uint16_t port = 0;

  HeadServer()
      : server(options(), [this](asio::io_context&) -> Handler {
          return [this](InboundRequest& request, ResponseWriter& writer) -> asio::awaitable<void> {
            if (request.path == "/stream") {
              co_await writer.begin_stream(200, {}, "text/event-stream", "data: 1\n\n");
              if (co_await writer.write_chunk("data: 2\n\n")) ++stream_writes_accepted;
              co_await writer.end_stream("data: [DONE]\n\n");
            } else if (request.path == "/send_stream") {
              co_await writer.send_stream(200, {}, "text/event-stream", "data: 1\n\ndata: [DONE]\n\n");
            } else {
              co_await writer.send(200, {}, "application/json", R"({"whole":true})");
            }
          };
        }) {
    port = std::get<std::uint16_t>(server.listen());
    server.start();
  }

  static ServerOptions options() {
    ServerOptions o;
    o.host = "127.0.0.1";
    o.port = 0;
    o.keepalive_idle_timeout = 300ms;
    return o;
  }
};

// Sends HEAD then GET of `path` on one connection and reads until the server closes.
std::string head_then_get(std::uint16_t port, const std::string& path) {
  asio::io_context io;
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  const timeval limit{5, 0};
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  asio::write(socket, asio::buffer("HEAD " + path + " HTTP/1.1\r\nHost: x\r\n\r\nGET " + path +
                                   " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  std::string answer;
  boost::system::error_code ec;
  asio::read(socket, asio::dynamic_buffer(answer), ec);
  return answer;
}

TEST(HttpServerHead, EachWayOfAnsweringSendsTheHeadAloneAndTheNextRequestIsServed) {
  for (const std::string path : {"/send", "/stream", "/send_stream"}) {
    SCOPED_TRACE(path);
    HeadServer server;
    const std::string answer = head_then_get(server.port, path);
    const std::size_t head_end = answer.find("\r\n\r\n");
    ASSERT_NE(head_end, std::string::npos) << answer;
    const std::string head = answer.substr(0, head_end + 4);
    const std::string after_head = answer.substr(head_end + 4);
    EXPECT_EQ(head.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << head;
    EXPECT_NE(head.find("Connection: keep-alive"), std::string::npos) << head;
    // The GET's answer follows at once: nothing of a body in between.
    EXPECT_EQ(after_head.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << after_head;
    // The same head as GET's, up to the Connection header the GET asked to change.
    std::string get_head = after_head.substr(0, after_head.find("\r\n\r\n") + 4);
    get_head.replace(get_head.find("Connection: close"), 17, "Connection: keep-alive");
    EXPECT_EQ(head, get_head);
    if (path == "/send") EXPECT_NE(head.find("Content-Length: 14\r\n"), std::string::npos) << head;
    if (path == "/stream") EXPECT_EQ(server.stream_writes_accepted, 1);  // the GET's; HEAD's writer said stop
  }
}

}  // namespace
}  // namespace llmux::net
