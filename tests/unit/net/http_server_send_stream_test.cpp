#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <string>

#include "net/http_server.hpp"

namespace llmux::net {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

constexpr std::string_view kEvents = "data: {\"n\":1}\n\ndata: [DONE]\n\n";

// A server whose handler answers every request with send_stream(): the events given, or none.
struct StreamServer {
  HttpServer server;
  std::uint16_t port = 0;

  explicit StreamServer(std::string events)
      : server(
            [] {
              ServerOptions options;
              options.host = "127.0.0.1";
              options.port = 0;
              return options;
            }(),
            [events](asio::io_context&) -> Handler {
              return [events](InboundRequest&, ResponseWriter& writer) -> asio::awaitable<void> {
                HeaderList headers;
                headers.emplace_back("x-test", "1");
                co_await writer.send_stream(200, headers, "text/event-stream", events);
              };
            }) {
    port = std::get<std::uint16_t>(server.listen());
    server.start();
  }
};

struct Client {
  asio::io_context io;
  tcp::socket socket{io};
  std::string buffer;

  explicit Client(std::uint16_t port) {
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    const timeval limit{5, 0};  // a server that never answers fails the test instead of hanging it
    ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  }

  // Sends `request` and reads through the end of a chunked body ("0\r\n\r\n").
  std::string exchange_chunked(std::string_view request) {
    asio::write(socket, asio::buffer(request));
    const std::size_t end = asio::read_until(socket, asio::dynamic_buffer(buffer), "\r\n0\r\n\r\n");
    std::string answer = buffer.substr(0, end);
    buffer.erase(0, end);
    return answer;
  }

  // Sends `request` and reads until the server closes.
  std::string exchange_until_close(std::string_view request) {
    asio::write(socket, asio::buffer(request));
    boost::system::error_code ec;
    asio::read(socket, asio::dynamic_buffer(buffer), ec);
    return std::move(buffer);
  }
};

constexpr std::string_view kRequest11 = "GET /s HTTP/1.1\r\nHost: x\r\n\r\n";

TEST(ResponseWriterSendStream, AWholeStreamIsOneChunkedAnswerAndTheConnectionStaysOpen) {
  StreamServer server{std::string(kEvents)};
  Client client(server.port);
  for (int i = 0; i < 2; ++i) {  // the second answer proves the connection was kept
    const std::string answer = client.exchange_chunked(kRequest11);
    EXPECT_TRUE(answer.starts_with("HTTP/1.1 200 OK\r\n")) << answer;
    EXPECT_NE(answer.find("Content-Type: text/event-stream\r\n"), std::string::npos);
    EXPECT_NE(answer.find("Connection: keep-alive\r\n"), std::string::npos);
    EXPECT_NE(answer.find("x-test: 1\r\n"), std::string::npos);
    EXPECT_NE(answer.find("Transfer-Encoding: chunked\r\n"), std::string::npos);
    EXPECT_EQ(answer.find("Content-Length"), std::string::npos);
    const std::string body = "1d\r\n" + std::string(kEvents) + "\r\n0\r\n\r\n";
    ASSERT_EQ(kEvents.size(), 0x1du);
    EXPECT_TRUE(answer.ends_with("\r\n\r\n" + body)) << answer;
  }
}

TEST(ResponseWriterSendStream, NoEventsIsAnEmptyChunkedBody) {
  StreamServer server{""};
  Client client(server.port);
  const std::string answer = client.exchange_chunked(kRequest11);
  EXPECT_TRUE(answer.ends_with("Cache-Control: no-cache\r\n\r\n0\r\n\r\n")) << answer;
}

TEST(ResponseWriterSendStream, Http10GetsThePlainBodyAndTheConnectionCloses) {
  StreamServer server{std::string(kEvents)};
  Client client(server.port);
  const std::string answer = client.exchange_until_close("GET /s HTTP/1.0\r\nHost: x\r\n\r\n");
  EXPECT_NE(answer.find("Connection: close\r\n"), std::string::npos) << answer;
  EXPECT_EQ(answer.find("Transfer-Encoding"), std::string::npos);
  EXPECT_TRUE(answer.ends_with("\r\n\r\n" + std::string(kEvents))) << answer;
}

}  // namespace
}  // namespace llmux::net
