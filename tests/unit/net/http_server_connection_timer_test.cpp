#include "net/connection_timer.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <cstring>
#include <optional>

#include "net/http_request_parser.hpp"

namespace llmux::net {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

// A connected pair of loopback sockets: `server` is the one the timer watches.
struct SocketPair {
  asio::io_context io;
  tcp::socket server{io};
  tcp::socket client{io};

  SocketPair() {
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    client.connect(acceptor.local_endpoint());
    acceptor.accept(server);
  }
};

struct ReadResult {
  boost::system::error_code ec;
  std::size_t bytes = 0;
};

TEST(ConnectionTimer, ClosesTheSocketWhenAWaitingReadPassesItsDeadline) {
  SocketPair pair;
  ConnectionTimer timer(pair.server);
  char byte = 0;
  std::optional<ReadResult> result;
  timer.expect_within(30ms);
  timer.start();
  pair.server.async_read_some(asio::buffer(&byte, 1),
                              [&](boost::system::error_code ec, std::size_t n) { result = ReadResult{ec, n}; });
  pair.io.run_for(2s);
  ASSERT_TRUE(result.has_value());
  EXPECT_TRUE(result->ec);
  EXPECT_TRUE(timer.timed_out());
  EXPECT_FALSE(pair.server.is_open());
}

TEST(ConnectionTimer, ALaterDeadlineKeepsTheEarlierWaitWhichThenReArms) {
  SocketPair pair;
  ConnectionTimer timer(pair.server);
  timer.expect_within(30ms);
  timer.start();
  timer.done();
  // The next operation may take much longer: the pending wait fires first, sees the deadline has
  // not passed, and waits again instead of closing the socket.
  timer.expect_within(10s);
  timer.start();
  char byte = 0;
  std::optional<ReadResult> result;
  pair.server.async_read_some(asio::buffer(&byte, 1),
                              [&](boost::system::error_code ec, std::size_t n) { result = ReadResult{ec, n}; });
  pair.io.run_for(150ms);
  EXPECT_FALSE(result.has_value());
  EXPECT_FALSE(timer.timed_out());
  EXPECT_TRUE(timer.armed());  // re-armed for the 10 s deadline
  asio::write(pair.client, asio::buffer("x", 1));
  pair.io.run_for(300ms);
  ASSERT_TRUE(result.has_value());
  EXPECT_FALSE(result->ec);
  EXPECT_EQ(byte, 'x');
  EXPECT_TRUE(pair.server.is_open());
}

TEST(ConnectionTimer, AnEarlierDeadlineReArmsSoItIsKept) {
  SocketPair pair;
  ConnectionTimer timer(pair.server);
  timer.expect_within(10s);
  timer.start();
  timer.done();
  timer.expect_within(30ms);
  timer.start();
  char byte = 0;
  std::optional<ReadResult> result;
  pair.server.async_read_some(asio::buffer(&byte, 1),
                              [&](boost::system::error_code ec, std::size_t n) { result = ReadResult{ec, n}; });
  pair.io.run_for(2s);
  ASSERT_TRUE(result.has_value());
  EXPECT_TRUE(result->ec);
  EXPECT_TRUE(timer.timed_out());
}

TEST(ConnectionTimer, NoOperationWaitingMeansNoClose) {
  SocketPair pair;
  ConnectionTimer timer(pair.server);
  timer.expect_within(20ms);
  timer.start();
  timer.done();  // the operation finished in time; the wait stays pending
  EXPECT_TRUE(timer.armed());
  pair.io.run_for(200ms);
  EXPECT_FALSE(timer.timed_out());
  EXPECT_FALSE(timer.armed());
  EXPECT_TRUE(pair.server.is_open());
}

TEST(ConnectionTimer, DisarmedItLeavesALongOperationAlone) {
  SocketPair pair;
  ConnectionTimer timer(pair.server);
  timer.expect_within(20ms);
  timer.start();
  timer.disarm();
  EXPECT_FALSE(timer.armed());
  char byte = 0;
  std::optional<ReadResult> result;
  pair.server.async_read_some(asio::buffer(&byte, 1),
                              [&](boost::system::error_code ec, std::size_t n) { result = ReadResult{ec, n}; });
  pair.io.run_for(200ms);
  EXPECT_FALSE(result.has_value());
  EXPECT_FALSE(timer.timed_out());
  EXPECT_TRUE(pair.server.is_open());
}

TEST(ConnectionTimer, OnlyTheReaderStartingASocketReadArmsIt) {
  SocketPair pair;
  ConnectionTimer timer(pair.server);
  TimedReader reader(pair.server, timer);
  InboundRequest request;
  RequestParser parser(request);
  boost::beast::flat_buffer buffer;
  const std::string_view head = "GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n";
  auto space = buffer.prepare(head.size());
  std::memcpy(space.data(), head.data(), head.size());
  buffer.commit(head.size());

  // A header already in the buffer is parsed without a read: nothing armed.
  timer.expect_within(10s);
  std::optional<ReadResult> result;
  boost::beast::http::async_read_header(reader, buffer, parser, [&](boost::system::error_code ec, std::size_t n) {
    result = ReadResult{ec, n};
  });
  pair.io.run_for(200ms);
  ASSERT_TRUE(result.has_value());
  EXPECT_FALSE(result->ec);
  EXPECT_FALSE(timer.armed());

  // One that has to wait for the client arms it, and times out.
  InboundRequest next;
  RequestParser next_parser(next);
  timer.expect_within(30ms);
  result.reset();
  pair.io.restart();  // the first run ran out of work, which stops the context
  boost::beast::http::async_read_header(reader, buffer, next_parser, [&](boost::system::error_code ec, std::size_t n) {
    result = ReadResult{ec, n};
  });
  EXPECT_TRUE(timer.armed());
  pair.io.run_for(2s);
  ASSERT_TRUE(result.has_value());
  EXPECT_TRUE(result->ec);
  EXPECT_TRUE(timer.timed_out());
}

}  // namespace
}  // namespace llmux::net
