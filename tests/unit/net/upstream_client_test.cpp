#include "net/upstream_client.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <variant>

#include "upstream_test_server.hpp"

namespace llmux::net {
namespace {

using namespace std::chrono_literals;
using namespace test_support;
using Started = std::variant<std::unique_ptr<UpstreamExchange>, UpstreamError>;

UpstreamRequest post(std::string body = "{\"x\":1}") {
  UpstreamRequest request;
  request.target = "/v1/chat/completions";
  request.headers = {{"Content-Type", "application/json"}, {"Authorization", "Bearer sk-test"}};
  request.body = std::move(body);
  return request;
}

// The exchange, or a test failure naming the error.
std::unique_ptr<UpstreamExchange> exchange_of(Started& started) {
  if (auto* error = std::get_if<UpstreamError>(&started)) {
    ADD_FAILURE() << "start failed: " << error->message;
    return nullptr;
  }
  return std::move(std::get<std::unique_ptr<UpstreamExchange>>(started));
}

UpstreamError error_of(const Started& started) {
  if (const auto* error = std::get_if<UpstreamError>(&started)) return *error;
  ADD_FAILURE() << "start succeeded, an error was expected";
  return {};
}

template <class T>
UpstreamError error_of(const std::variant<T, UpstreamError>& result) {
  if (const auto* error = std::get_if<UpstreamError>(&result)) return *error;
  ADD_FAILURE() << "read succeeded, an error was expected";
  return {};
}

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

TEST(UpstreamClient, ReusesPooledConnectionAndWritesHead) {
  asio::io_context io;
  std::vector<std::string> requests;
  TestServer server(io, [&](ServerConnection& c) -> asio::awaitable<void> {
    while (auto request = co_await c.read_request()) {
      requests.push_back(*request);
      co_await c.write(
          http_response("{\"n\":" + std::to_string(requests.size()) + "}", "X-Request-ID: abc\r\n"));
    }
  });
  const std::string port = server.port();
  UpstreamPool pool(io);
  run_client(
      io,
      [&]() -> asio::awaitable<void> {
        for (int i = 1; i <= 3; ++i) {
          UpstreamRequest request = post();
          request.headers.emplace_back("host", "evil.example");   // ours wins
          request.headers.emplace_back("Content-Length", "999");  // ours wins
          auto started = co_await pool.start(server.target(), std::move(request), in(5s));
          auto exchange = exchange_of(started);
          if (!exchange) co_return;
          EXPECT_EQ(exchange->head().status, 200);
          EXPECT_EQ(exchange->head().header("x-request-id"), "abc") << "names are lower-cased";
          EXPECT_EQ(exchange->head().header("content-type"), "application/json");
          EXPECT_EQ(exchange->reused_connection(), i > 1);
          auto body = co_await exchange->read_all(in(5s), 1024);
          EXPECT_EQ(std::get<std::string>(body), "{\"n\":" + std::to_string(i) + "}");
          EXPECT_TRUE(exchange->done());
        }
        EXPECT_EQ(pool.idle_connections(), 1u);
      },
      [&] {
        pool.shutdown();
        server.stop();
      });
  EXPECT_EQ(server.accepts(), 1);
  EXPECT_EQ(pool.connections_opened(), 1u);
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[1], requests[0]);
  EXPECT_EQ(requests[0],
            "POST /v1/chat/completions HTTP/1.1\r\n"
            "Host: 127.0.0.1:" +
                port +
                "\r\n"
                "Content-Type: application/json\r\n"
                "Authorization: Bearer sk-test\r\n"
                "Content-Length: 7\r\n"
                "Connection: keep-alive\r\n\r\n"
                "{\"x\":1}");
}

TEST(UpstreamClient, ChunkedPiecesArriveAsSent) {
  asio::io_context io;
  Signal got_first(io), got_second(io);
  TestServer server(io, [&](ServerConnection& c) -> asio::awaitable<void> {
    if (!co_await c.read_request()) co_return;
    co_await c.write(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n" +
        chunk("data: one\n\n"));
    co_await got_first.wait();  // the client has the first piece before the second exists
    co_await c.write(chunk("data: two\n\n"));
    co_await got_second.wait();
    co_await c.write("0\r\n\r\n");
    co_await c.wait_closed();
  });
  UpstreamPool pool(io);
  run_client(
      io,
      [&]() -> asio::awaitable<void> {
        auto started = co_await pool.start(server.target(), post(), in(5s));
        auto exchange = exchange_of(started);
        if (!exchange) co_return;
        auto first = co_await exchange->read_some(in(5s));
        EXPECT_EQ(std::get<std::string_view>(first), "data: one\n\n");
        EXPECT_FALSE(exchange->done());
        got_first.set();
        auto second = co_await exchange->read_some(in(5s));
        EXPECT_EQ(std::get<std::string_view>(second), "data: two\n\n");
        got_second.set();
        auto end = co_await exchange->read_some(in(5s));
        EXPECT_EQ(std::get<std::string_view>(end), "");
        EXPECT_TRUE(exchange->done());
        exchange.reset();
        EXPECT_EQ(pool.idle_connections(), 1u) << "a fully read keep-alive response returns to the pool";
      },
      [&] {
        pool.shutdown();
        server.stop();
      });
}

TEST(UpstreamClient, ChunksThatArriveTogetherLeaveAsOnePiece) {
  asio::io_context io;
  Signal got_batch(io);
  TestServer server(io, [&](ServerConnection& c) -> asio::awaitable<void> {
    if (!co_await c.read_request()) co_return;
    // One write: the head and three events, each in its own chunk.
    co_await c.write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n" +
                     chunk("data: one\n\n") + chunk("data: two\n\n") + chunk("data: three\n\n"));
    co_await got_batch.wait();
    co_await c.write(chunk("data: four\n\n") + "0\r\n\r\n");  // the last event and the end together
    co_await c.wait_closed();
  });
  UpstreamPool pool(io);
  run_client(
      io,
      [&]() -> asio::awaitable<void> {
        auto started = co_await pool.start(server.target(), post(), in(5s));
        auto exchange = exchange_of(started);
        if (!exchange) co_return;
        auto batch = co_await exchange->read_some(in(5s));
        EXPECT_EQ(std::get<std::string_view>(batch), "data: one\n\ndata: two\n\ndata: three\n\n");
        EXPECT_FALSE(exchange->done());
        got_batch.set();
        auto last = co_await exchange->read_some(in(5s));
        EXPECT_EQ(std::get<std::string_view>(last), "data: four\n\n");
        EXPECT_TRUE(exchange->done()) << "the terminating chunk came with it";
        exchange.reset();
        EXPECT_EQ(pool.idle_connections(), 1u);
      },
      [&] {
        pool.shutdown();
        server.stop();
      });
}

TEST(UpstreamClient, ACompleteChunkIsNotHeldForWhatFollowsIt) {
  asio::io_context io;
  Signal got_half(io), got_rest(io), got_next(io);
  const std::string first = chunk("data: {\"n\":1}\n\n");
  const std::size_t half = first.size() / 2;
  const std::size_t without_crlf = first.size() - 2;
  TestServer server(io, [&](ServerConnection& c) -> asio::awaitable<void> {
    if (!co_await c.read_request()) co_return;
    co_await c.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + first.substr(0, half));
    co_await got_half.wait();
    // The rest of the chunk's data but not the CRLF that closes it.
    co_await c.write(first.substr(half, without_crlf - half));
    co_await got_rest.wait();
    co_await c.write(first.substr(without_crlf) + "3");  // CRLF, then part of the next chunk's size
    co_await c.write("\r\nabc\r\n");
    co_await got_next.wait();
    co_await c.write("0\r\n\r\n");
    co_await c.wait_closed();
  });
  UpstreamPool pool(io);
  run_client(
      io,
      [&]() -> asio::awaitable<void> {
        auto started = co_await pool.start(server.target(), post(), in(5s));
        auto exchange = exchange_of(started);
        if (!exchange) co_return;
        std::string body;
        while (body.size() < 4) {  // the part of the chunk's data that came with the head
          auto piece = co_await exchange->read_some(in(5s));
          if (!std::holds_alternative<std::string_view>(piece)) co_return;
          body += std::get<std::string_view>(piece);
        }
        got_half.set();
        while (body != "data: {\"n\":1}\n\n") {
          auto piece = co_await exchange->read_some(in(2s));
          if (!std::holds_alternative<std::string_view>(piece)) {
            ADD_FAILURE() << "the complete chunk was held: " << error_of(piece).message;
            co_return;
          }
          body += std::get<std::string_view>(piece);
        }
        got_rest.set();
        auto next = co_await exchange->read_some(in(5s));
        EXPECT_EQ(std::get<std::string_view>(next), "abc");
        got_next.set();
        auto end = co_await exchange->read_some(in(5s));
        EXPECT_EQ(std::get<std::string_view>(end), "");
        EXPECT_TRUE(exchange->done());
      },
      [&] {
        pool.shutdown();
        server.stop();
      });
}

TEST(UpstreamClient, TimesOutWaitingForHead) {
  asio::io_context io;
  TestServer server(io, [&](ServerConnection& c) -> asio::awaitable<void> {
    co_await c.read_request();
    co_await c.wait_closed();  // never answers
  });
  UpstreamPool pool(io);
  run_client(
      io,
      [&]() -> asio::awaitable<void> {
        auto started = co_await pool.start(server.target(), post(), in(50ms));
        const UpstreamError error = error_of(started);
        EXPECT_EQ(error.code, UpstreamErrc::timeout);
        EXPECT_EQ(error.message, "timed out waiting for response headers from 127.0.0.1:" + server.port());
        EXPECT_TRUE(error.sent_bytes);
      },
      [&] { server.stop(); });
}

TEST(UpstreamClient, TimesOutWhenStreamGoesIdle) {
  asio::io_context io;
  TestServer server(io, [&](ServerConnection& c) -> asio::awaitable<void> {
    co_await c.read_request();
    co_await c.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk("data: one\n\n"));
    co_await c.wait_closed();
  });
  UpstreamPool pool(io);
  run_client(
      io,
      [&]() -> asio::awaitable<void> {
        auto started = co_await pool.start(server.target(), post(), in(5s));
        auto exchange = exchange_of(started);
        if (!exchange) co_return;
        auto first = co_await exchange->read_some(in(5s));
        EXPECT_EQ(std::get<std::string_view>(first), "data: one\n\n");
        auto idle = co_await exchange->read_some(in(50ms));
        const UpstreamError error = error_of(idle);
        EXPECT_EQ(error.code, UpstreamErrc::timeout);
        EXPECT_TRUE(contains(error.message, "body")) << error.message;
        EXPECT_TRUE(contains(error.message, "idle")) << error.message;
        auto again = co_await exchange->read_some(in(5s));
        EXPECT_EQ(error_of(again).code, UpstreamErrc::timeout) << "errors are sticky";
        exchange.reset();
        EXPECT_EQ(pool.idle_connections(), 0u);
      },
      [&] { server.stop(); });
}

TEST(UpstreamClient, ReportsConnectionRefused) {
  asio::io_context io;
  std::string port;
  {
    tcp::acceptor probe(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    port = std::to_string(probe.local_endpoint().port());
  }  // closed: nothing listens there now
  UpstreamPool pool(io);
  run_client(io, [&]() -> asio::awaitable<void> {
    auto started = co_await pool.start(*parse_base_url("http://127.0.0.1:" + port), post(), in(5s));
    const UpstreamError error = error_of(started);
    EXPECT_EQ(error.code, UpstreamErrc::connect_failed);
    EXPECT_EQ(error.message, "connect to 127.0.0.1:" + port + " failed: Connection refused");
    EXPECT_FALSE(error.sent_bytes);
  });
}

// A listener that never accepts, its backlog filled: the kernel drops further SYNs, so a connect
// to it hangs as it would towards a black-holed address.
class HangingListener {
 public:
  explicit HangingListener(asio::io_context& io) : full_(io) {
    full_.open(tcp::v4());
    full_.bind(tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    full_.listen(0);
    port = std::to_string(full_.local_endpoint().port());
    // Raw non-blocking connects: they return at once, whether they complete or stay pending.
    for (int i = 0; i < 4; ++i) {
      const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
      const auto endpoint = full_.local_endpoint();
      ::connect(fd, endpoint.data(), static_cast<socklen_t>(endpoint.size()));
      fillers_.push_back(fd);
    }
  }
  ~HangingListener() {
    for (const int fd : fillers_) ::close(fd);
  }
  HangingListener(const HangingListener&) = delete;
  HangingListener& operator=(const HangingListener&) = delete;

  std::string port;

 private:
  tcp::acceptor full_;
  std::vector<int> fillers_;
};

TEST(UpstreamClient, TimesOutConnecting) {
  asio::io_context io;
  HangingListener listener(io);
  const std::string& port = listener.port;
  UpstreamPool pool(io);
  run_client(io, [&]() -> asio::awaitable<void> {
    auto started = co_await pool.start(*parse_base_url("http://127.0.0.1:" + port), post(), in(100ms));
    const UpstreamError error = error_of(started);
    EXPECT_EQ(error.code, UpstreamErrc::timeout) << error.message;
    EXPECT_EQ(error.message, "connect to 127.0.0.1:" + port + " timed out");
    EXPECT_FALSE(error.sent_bytes);
  });
}

TEST(UpstreamClient, ServerClosingMidBodyIsAnError) {
  asio::io_context io;
  TestServer server(io, [&](ServerConnection& c) -> asio::awaitable<void> {
    co_await c.read_request();
    co_await c.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789");
    c.close();
  });
  UpstreamPool pool(io);
  run_client(
      io,
      [&]() -> asio::awaitable<void> {
        auto started = co_await pool.start(server.target(), post(), in(5s));
        auto exchange = exchange_of(started);
        if (!exchange) co_return;
        auto body = co_await exchange->read_all(in(5s), 1024);
        const UpstreamError error = error_of(body);
        EXPECT_EQ(error.code, UpstreamErrc::connection_reset);
        EXPECT_TRUE(contains(error.message, "mid-body")) << error.message;
      },
      [&] { server.stop(); });
}

TEST(UpstreamClient, ChunkedStreamCutOffIsAnError) {
  asio::io_context io;
  TestServer server(io, [&](ServerConnection& c) -> asio::awaitable<void> {
    co_await c.read_request();
    co_await c.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk("data: one\n\n"));
    c.close();
  });
  UpstreamPool pool(io);
  run_client(
      io,
      [&]() -> asio::awaitable<void> {
        auto started = co_await pool.start(server.target(), post(), in(5s));
        auto exchange = exchange_of(started);
        if (!exchange) co_return;
        auto first = co_await exchange->read_some(in(5s));
        EXPECT_EQ(std::get<std::string_view>(first), "data: one\n\n");
        auto cut = co_await exchange->read_some(in(5s));
        EXPECT_EQ(error_of(cut).code, UpstreamErrc::connection_reset);
        EXPECT_FALSE(exchange->done());
      },
      [&] { server.stop(); });
}

TEST(UpstreamClient, BodyDelimitedByCloseIsComplete) {
  asio::io_context io;
  TestServer server(io, [&](ServerConnection& c) -> asio::awaitable<void> {
    co_await c.read_request();
    co_await c.write("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end");
    c.close();
  });
  UpstreamPool pool(io);
  run_client(
      io,
      [&]() -> asio::awaitable<void> {
        auto started = co_await pool.start(server.target(), post(), in(5s));
        auto exchange = exchange_of(started);
        if (!exchange) co_return;
        auto body = co_await exchange->read_all(in(5s), 1024);
        EXPECT_EQ(std::get<std::string>(body), "until the end");
        exchange.reset();
        EXPECT_EQ(pool.idle_connections(), 0u);
      },
      [&] { server.stop(); });
}

TEST(UpstreamClient, RetriesStalePooledConnectionOnce) {
  asio::io_context io;
  TestServer server(io, [&](ServerConnection& c) -> asio::awaitable<void> {
    if (c.index == 0) {
      co_await c.read_request();
      co_await c.write(http_response("first"));
      co_await c.read_request();  // the reuse arrives just as this server drops idle connections
      c.close();
      co_return;
    }
    while (co_await c.read_request()) co_await c.write(http_response("fresh"));
  });
  UpstreamPool pool(io);
  run_client(
      io,
      [&]() -> asio::awaitable<void> {
        {
          auto started = co_await pool.start(server.target(), post(), in(5s));
          auto exchange = exchange_of(started);
          if (!exchange) co_return;
          EXPECT_EQ(std::get<std::string>(co_await exchange->read_all(in(5s), 1024)), "first");
        }
        auto started = co_await pool.start(server.target(), post(), in(5s));
        auto exchange = exchange_of(started);
        if (!exchange) co_return;
        EXPECT_FALSE(exchange->reused_connection());
        EXPECT_EQ(std::get<std::string>(co_await exchange->read_all(in(5s), 1024)), "fresh");
      },
      [&] {
        pool.shutdown();
        server.stop();
      });
  EXPECT_EQ(server.accepts(), 2);
}

TEST(UpstreamClient, FreshConnectionFailureIsNotRetried) {
  asio::io_context io;
  TestServer server(io, [&](ServerConnection& c) -> asio::awaitable<void> {
    co_await c.read_request();
    c.close();
  });
  UpstreamPool pool(io);
  run_client(
      io,
      [&]() -> asio::awaitable<void> {
        auto started = co_await pool.start(server.target(), post(), in(5s));
        const UpstreamError error = error_of(started);
        EXPECT_EQ(error.code, UpstreamErrc::connection_reset);
        EXPECT_TRUE(contains(error.message, "closed before any response")) << error.message;
        EXPECT_TRUE(error.sent_bytes);
      },
      [&] { server.stop(); });
  EXPECT_EQ(server.accepts(), 1);
}

TEST(UpstreamClient, SkipsIdleConnectionThePeerClosed) {
  asio::io_context io;
  Signal closed(io);
  TestServer server(io, [&](ServerConnection& c) -> asio::awaitable<void> {
    co_await c.read_request();
    co_await c.write(http_response(c.index == 0 ? "one" : "two"));
    if (c.index == 0) {
      c.close();  // keep-alive promised, then dropped while idle
      closed.set();
    } else {
      co_await c.wait_closed();
    }
  });
  UpstreamPool pool(io);
  run_client(
      io,
      [&]() -> asio::awaitable<void> {
        {
          auto started = co_await pool.start(server.target(), post(), in(5s));
          auto exchange = exchange_of(started);
          if (!exchange) co_return;
          EXPECT_EQ(std::get<std::string>(co_await exchange->read_all(in(5s), 1024)), "one");
        }
        EXPECT_EQ(pool.idle_connections(), 1u);
        co_await closed.wait();
        auto started = co_await pool.start(server.target(), post(), in(5s));
        auto exchange = exchange_of(started);
        if (!exchange) co_return;
        EXPECT_FALSE(exchange->reused_connection());
        EXPECT_EQ(std::get<std::string>(co_await exchange->read_all(in(5s), 1024)), "two");
      },
      [&] {
        pool.shutdown();
        server.stop();
      });
  EXPECT_EQ(server.accepts(), 2);
}

TEST(UpstreamClient, ConnectionCloseAndUnreadBodiesAreNotPooled) {
  asio::io_context io;
  TestServer server(io, [&](ServerConnection& c) -> asio::awaitable<void> {
    co_await c.read_request();
    co_await c.write(http_response("bye", c.index == 0 ? "Connection: close\r\n" : ""));
    co_await c.wait_closed();
  });
  UpstreamPool pool(io);
  run_client(
      io,
      [&]() -> asio::awaitable<void> {
        {
          auto started = co_await pool.start(server.target(), post(), in(5s));
          auto exchange = exchange_of(started);
          if (!exchange) co_return;
          EXPECT_EQ(std::get<std::string>(co_await exchange->read_all(in(5s), 1024)), "bye");
        }
        EXPECT_EQ(pool.idle_connections(), 0u) << "Connection: close";
        {
          auto started = co_await pool.start(server.target(), post(), in(5s));
          auto exchange = exchange_of(started);
          if (!exchange) co_return;
          EXPECT_FALSE(exchange->done());
        }  // dropped with its body unread
        EXPECT_EQ(pool.idle_connections(), 0u) << "unread body";
      },
      [&] { server.stop(); });
  EXPECT_EQ(server.accepts(), 2);
}

TEST(UpstreamClient, IdleConnectionsExpire) {
  asio::io_context io;
  TestServer server(io, [&](ServerConnection& c) -> asio::awaitable<void> {
    while (co_await c.read_request()) co_await c.write(http_response("ok"));
  });
  PoolOptions options;
  options.idle_timeout = 20ms;
  UpstreamPool pool(io, options);
  run_client(
      io,
      [&]() -> asio::awaitable<void> {
        {
          auto started = co_await pool.start(server.target(), post(), in(5s));
          auto exchange = exchange_of(started);
          if (!exchange) co_return;
          co_await exchange->read_all(in(5s), 1024);
        }
        EXPECT_EQ(pool.idle_connections(), 1u);
        asio::steady_timer later(io, 40ms);  // past the idle timeout: the sweep has run
        co_await later.async_wait(kTuple);
        EXPECT_EQ(pool.idle_connections(), 0u);
        auto started = co_await pool.start(server.target(), post(), in(5s));
        auto exchange = exchange_of(started);
        if (!exchange) co_return;
        EXPECT_FALSE(exchange->reused_connection());
        co_await exchange->read_all(in(5s), 1024);
      },
      [&] {
        pool.shutdown();
        server.stop();
      });
  EXPECT_EQ(server.accepts(), 2);
}

TEST(UpstreamClient, CancelAbortsPendingRead) {
  asio::io_context io;
  TestServer server(io, [&](ServerConnection& c) -> asio::awaitable<void> {
    co_await c.read_request();
    co_await c.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    co_await c.wait_closed();
  });
  UpstreamPool pool(io);
  run_client(
      io,
      [&]() -> asio::awaitable<void> {
        auto started = co_await pool.start(server.target(), post(), in(5s));
        auto exchange = exchange_of(started);
        if (!exchange) co_return;
        // Another coroutine (the client-disconnect watcher) cancels while the read waits.
        asio::co_spawn(
            io,
            [&]() -> asio::awaitable<void> {
              exchange->cancel();
              co_return;
            },
            asio::detached);
        auto read = co_await exchange->read_some(in(5s));
        const UpstreamError error = error_of(read);
        EXPECT_EQ(error.code, UpstreamErrc::cancelled);
        EXPECT_EQ(error.message, "request to 127.0.0.1:" + server.port() + " cancelled");
        exchange.reset();
        EXPECT_EQ(pool.idle_connections(), 0u);
      },
      [&] { server.stop(); });
}

TEST(UpstreamClient, PerOperationCancellationAbortsStart) {
  asio::io_context io;
  Signal request_arrived(io);
  TestServer server(io, [&](ServerConnection& c) -> asio::awaitable<void> {
    co_await c.read_request();
    request_arrived.set();
    co_await c.wait_closed();
  });
  UpstreamPool pool(io);
  run_client(
      io,
      [&]() -> asio::awaitable<void> {
        asio::cancellation_signal stop;
        Signal finished(io);
        std::optional<Started> result;
        const UpstreamTarget target = server.target();
        asio::co_spawn(io, pool.start(target, post(), in(5s)),
                       asio::bind_cancellation_slot(stop.slot(), [&](std::exception_ptr e, Started started) {
                         EXPECT_FALSE(e);
                         result = std::move(started);
                         finished.set();
                       }));
        co_await request_arrived.wait();  // start() now waits for the response head
        stop.emit(asio::cancellation_type::terminal);
        co_await finished.wait();
        if (!result) co_return;
        EXPECT_EQ(error_of(*result).code, UpstreamErrc::cancelled);
      },
      [&] { server.stop(); });
}

// What the gateway does when a client hangs up while the upstream is thinking: no co_spawn, an
// UpstreamCancel. The connection (a pooled one here) is closed, never pooled again.
TEST(UpstreamClient, CancelHandleAbortsStartWaitingForHead) {
  asio::io_context io;
  Signal second_request_arrived(io), connection_closed(io);
  TestServer server(io, [&](ServerConnection& c) -> asio::awaitable<void> {
    co_await c.read_request();
    co_await c.write(http_response("{}"));
    co_await c.read_request();
    second_request_arrived.set();
    co_await c.wait_closed();  // never answers the second
    connection_closed.set();
  });
  UpstreamPool pool(io);
  run_client(
      io,
      [&]() -> asio::awaitable<void> {
        auto first = co_await pool.start(server.target(), post(), in(5s));
        auto exchange = exchange_of(first);
        if (!exchange) co_return;
        co_await exchange->read_all(in(5s), 1024);
        exchange.reset();
        EXPECT_EQ(pool.idle_connections(), 1u);

        UpstreamCancel cancel;
        asio::co_spawn(
            io,
            [&]() -> asio::awaitable<void> {
              co_await second_request_arrived.wait();  // start() now waits for the response head
              cancel.cancel();
            },
            asio::detached);
        const auto began = Clock::now();
        auto second = co_await pool.start(server.target(), post(), in(5s), &cancel);
        const UpstreamError error = error_of(second);
        EXPECT_EQ(error.code, UpstreamErrc::cancelled);
        EXPECT_EQ(error.message, "request to 127.0.0.1:" + server.port() + " cancelled");
        EXPECT_TRUE(error.sent_bytes);
        EXPECT_LT(Clock::now() - began, 2s) << "at once, not at the deadline";
        EXPECT_EQ(pool.idle_connections(), 0u);
        co_await connection_closed.wait();  // the upstream sees the connection go
      },
      [&] {
        pool.shutdown();
        server.stop();
      });
  EXPECT_EQ(server.accepts(), 1);
}

TEST(UpstreamClient, CancelHandleAbortsConnect) {
  asio::io_context io;
  HangingListener listener(io);
  const std::string& port = listener.port;
  UpstreamPool pool(io);
  run_client(io, [&]() -> asio::awaitable<void> {
    UpstreamCancel cancel;
    asio::steady_timer later(io, 50ms);
    later.async_wait([&](boost::system::error_code) { cancel.cancel(); });
    const auto began = Clock::now();
    auto started = co_await pool.start(*parse_base_url("http://127.0.0.1:" + port), post(), in(5s), &cancel);
    const UpstreamError error = error_of(started);
    EXPECT_EQ(error.code, UpstreamErrc::cancelled) << error.message;
    EXPECT_FALSE(error.sent_bytes);
    EXPECT_LT(Clock::now() - began, 2s) << "at once, not at the deadline";
  });
}

TEST(UpstreamClient, CancelHandleCancelledBeforeStartOpensNothing) {
  asio::io_context io;
  TestServer server(io, [&](ServerConnection& c) -> asio::awaitable<void> { co_await c.wait_closed(); });
  UpstreamPool pool(io);
  run_client(
      io,
      [&]() -> asio::awaitable<void> {
        UpstreamCancel cancel;
        cancel.cancel();
        auto started = co_await pool.start(server.target(), post(), in(5s), &cancel);
        EXPECT_EQ(error_of(started).code, UpstreamErrc::cancelled);
        EXPECT_EQ(pool.connections_opened(), 0u);
      },
      [&] { server.stop(); });
}

// A connection keeps one deadline timer across requests: a deadline that passes while the
// connection sits idle in the pool must not close it.
TEST(UpstreamClient, IdleConnectionOutlivesItsLastDeadline) {
  asio::io_context io;
  TestServer server(io, [&](ServerConnection& c) -> asio::awaitable<void> {
    while (co_await c.read_request()) co_await c.write(http_response("{}"));
  });
  UpstreamPool pool(io);
  run_client(
      io,
      [&]() -> asio::awaitable<void> {
        for (int i = 0; i < 2; ++i) {
          auto started = co_await pool.start(server.target(), post(), in(30ms));
          auto exchange = exchange_of(started);
          if (!exchange) co_return;
          EXPECT_EQ(exchange->reused_connection(), i == 1);
          auto body = co_await exchange->read_all(in(30ms), 1024);
          EXPECT_EQ(std::get<std::string>(body), "{}");
          exchange.reset();
          EXPECT_EQ(pool.idle_connections(), 1u);
          asio::steady_timer past_deadline(io, 80ms);
          co_await past_deadline.async_wait(kTuple);
        }
      },
      [&] {
        pool.shutdown();
        server.stop();
      });
  EXPECT_EQ(server.accepts(), 1);
}

// The deadline timer lives no longer than the exchange's I/O: a finished exchange still held
// (as a stream's is while the client is written to) leaves the io_context nothing to wait for.
TEST(UpstreamClient, FinishedExchangeHoldsNoTimer) {
  asio::io_context io;
  TestServer server(io, [&](ServerConnection& c) -> asio::awaitable<void> {
    co_await c.read_request();
    co_await c.write(http_response("{}"));
    co_await c.wait_closed();
  });
  UpstreamPool pool(io);
  std::unique_ptr<UpstreamExchange> held;
  const auto began = Clock::now();
  run_client(
      io,
      [&]() -> asio::awaitable<void> {
        auto started = co_await pool.start(server.target(), post(), in(5s));
        held = exchange_of(started);
        if (!held) co_return;
        auto body = co_await held->read_all(in(5s), 1024);
        EXPECT_EQ(std::get<std::string>(body), "{}");
      },
      [&] { server.stop(); });
  EXPECT_LT(Clock::now() - began, 2s) << "the io_context must run out of work before the 5 s deadline";
}

// Each read of a stream gets a fresh idle deadline, later than the one the timer was armed for:
// a stream that keeps sending outlives its first deadline.
TEST(UpstreamClient, StreamThatKeepsSendingOutlivesItsFirstDeadline) {
  asio::io_context io;
  constexpr int kChunks = 8;
  TestServer server(io, [&](ServerConnection& c) -> asio::awaitable<void> {
    co_await c.read_request();
    co_await c.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    for (int i = 0; i < kChunks; ++i) {
      asio::steady_timer gap(c.socket.get_executor(), 40ms);
      co_await gap.async_wait(kTuple);
      co_await c.write(chunk("data: " + std::to_string(i) + "\n\n"));
    }
    co_await c.write("0\r\n\r\n");
    co_await c.wait_closed();
  });
  UpstreamPool pool(io);
  run_client(
      io,
      [&]() -> asio::awaitable<void> {
        auto started = co_await pool.start(server.target(), post(), in(5s));
        auto exchange = exchange_of(started);
        if (!exchange) co_return;
        const auto began = Clock::now();
        std::string body;
        while (!exchange->done()) {
          auto piece = co_await exchange->read_some(in(200ms));  // idle limit well above the gaps
          if (auto* error = std::get_if<UpstreamError>(&piece)) {
            ADD_FAILURE() << error->message;
            co_return;
          }
          body += std::get<std::string_view>(piece);
        }
        EXPECT_GT(Clock::now() - began, 200ms) << "the stream must outlast one idle deadline";
        EXPECT_EQ(body.size(), kChunks * std::string("data: 0\n\n").size());
      },
      [&] {
        pool.shutdown();
        server.stop();
      });
}

// The chunked body is decoded by ChunkedDecoder: trailers end it and the connection is reused;
// broken framing mid-stream is a protocol error and the connection is dropped.
TEST(UpstreamClient, ChunkedBodyWithTrailersIsReusedAndBrokenFramingIsAnError) {
  asio::io_context io;
  TestServer server(io, [&](ServerConnection& c) -> asio::awaitable<void> {
    if (!co_await c.read_request()) co_return;
    co_await c.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk("data: one\n\n") +
                     "0\r\nX-Trailer: yes\r\n\r\n");
    if (!co_await c.read_request()) co_return;
    co_await c.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk("data: two\n\n") +
                     "zz\r\n");
    co_await c.wait_closed();
  });
  UpstreamPool pool(io);
  run_client(
      io,
      [&]() -> asio::awaitable<void> {
        auto started = co_await pool.start(server.target(), post(), in(5s));
        auto exchange = exchange_of(started);
        if (!exchange) co_return;
        auto body = co_await exchange->read_all(in(5s), 1000);
        EXPECT_EQ(std::get<std::string>(body), "data: one\n\n");
        exchange.reset();
        EXPECT_EQ(pool.idle_connections(), 1u) << "the trailer ended the body; the connection is reusable";

        auto again = co_await pool.start(server.target(), post(), in(5s));
        auto second = exchange_of(again);
        if (!second) co_return;
        EXPECT_TRUE(second->reused_connection());
        auto first_piece = co_await second->read_some(in(5s));
        const auto* piece = std::get_if<std::string_view>(&first_piece);
        // The good chunk may come alone or be refused with the bad size line that follows it.
        if (piece) {
          EXPECT_EQ(*piece, "data: two\n\n");
          first_piece = co_await second->read_some(in(5s));
        }
        const UpstreamError error = error_of(first_piece);
        EXPECT_EQ(error.code, UpstreamErrc::protocol_error);
        EXPECT_TRUE(contains(error.message, "malformed response body")) << error.message;
        EXPECT_TRUE(contains(error.message, "bad chunk size")) << error.message;
        second.reset();
        EXPECT_EQ(pool.idle_connections(), 0u);
      },
      [&] {
        pool.shutdown();
        server.stop();
      });
}

TEST(UpstreamClient, ReadAllEnforcesCap) {
  asio::io_context io;
  TestServer server(io, [&](ServerConnection& c) -> asio::awaitable<void> {
    co_await c.read_request();
    if (c.index == 0) {
      co_await c.write(http_response(std::string(2000, 'x')));
    } else {
      co_await c.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
                       chunk(std::string(600, 'y')) + chunk(std::string(600, 'y')) + "0\r\n\r\n");
    }
    co_await c.wait_closed();
  });
  UpstreamPool pool(io);
  run_client(
      io,
      [&]() -> asio::awaitable<void> {
        for (int i = 0; i < 2; ++i) {  // declared length, then chunked
          auto started = co_await pool.start(server.target(), post(), in(5s));
          auto exchange = exchange_of(started);
          if (!exchange) co_return;
          auto body = co_await exchange->read_all(in(5s), 1000);
          const UpstreamError error = error_of(body);
          EXPECT_EQ(error.code, UpstreamErrc::body_too_large);
          EXPECT_TRUE(contains(error.message, "exceeds 1000 bytes")) << error.message;
        }
        EXPECT_EQ(pool.idle_connections(), 0u);
      },
      [&] { server.stop(); });
}

TEST(UpstreamClient, RejectsOversizedOrMalformedHead) {
  asio::io_context io;
  TestServer server(io, [&](ServerConnection& c) -> asio::awaitable<void> {
    co_await c.read_request();
    if (c.index == 0) {
      co_await c.write("HTTP/1.1 200 OK\r\nX-Big: " + std::string(70 * 1024, 'a') + "\r\n\r\n");
    } else {
      co_await c.write("HTTP/1.1 two hundred\r\n\r\n");
    }
    co_await c.wait_closed();
  });
  UpstreamPool pool(io);
  run_client(
      io,
      [&]() -> asio::awaitable<void> {
        auto big = co_await pool.start(server.target(), post(), in(5s));
        EXPECT_EQ(error_of(big).code, UpstreamErrc::protocol_error);
        EXPECT_TRUE(contains(error_of(big).message, "exceed 65536 bytes")) << error_of(big).message;
        auto bad = co_await pool.start(server.target(), post(), in(5s));
        EXPECT_EQ(error_of(bad).code, UpstreamErrc::protocol_error);
        EXPECT_TRUE(contains(error_of(bad).message, "malformed")) << error_of(bad).message;
      },
      [&] { server.stop(); });
}

TEST(UpstreamClient, SkipsInterimResponsesAndHandlesEmptyBodies) {
  asio::io_context io;
  TestServer server(io, [&](ServerConnection& c) -> asio::awaitable<void> {
    co_await c.read_request();
    co_await c.write("HTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n");
    co_await c.read_request();
    co_await c.write("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 3\r\nContent-Length: 0\r\n\r\n");
    co_await c.wait_closed();
  });
  UpstreamPool pool(io);
  run_client(
      io,
      [&]() -> asio::awaitable<void> {
        {
          auto started = co_await pool.start(server.target(), post(), in(5s));
          auto exchange = exchange_of(started);
          if (!exchange) co_return;
          EXPECT_EQ(exchange->head().status, 204);
          EXPECT_EQ(exchange->head().header("link"), "") << "interim fields do not leak into the final head";
          EXPECT_TRUE(exchange->done());
          EXPECT_EQ(std::get<std::string_view>(co_await exchange->read_some(in(5s))), "");
        }
        auto started = co_await pool.start(server.target(), post(), in(5s));
        auto exchange = exchange_of(started);
        if (!exchange) co_return;
        EXPECT_TRUE(exchange->reused_connection());
        EXPECT_EQ(exchange->head().status, 429);
        EXPECT_EQ(exchange->head().header("retry-after"), "3");
        EXPECT_EQ(exchange->head().headers.size(), 2u);
        EXPECT_EQ(std::get<std::string>(co_await exchange->read_all(in(5s), 10)), "");
      },
      [&] {
        pool.shutdown();
        server.stop();
      });
}

TEST(UpstreamClient, ResolvesHostNames) {
  asio::io_context io;
  TestServer server(io, [&](ServerConnection& c) -> asio::awaitable<void> {
    while (co_await c.read_request()) co_await c.write(http_response("named"));
  });
  UpstreamPool pool(io);
  run_client(
      io,
      [&]() -> asio::awaitable<void> {
        auto started =
            co_await pool.start(*parse_base_url("http://localhost:" + server.port()), post(), in(5s));
        auto exchange = exchange_of(started);
        if (!exchange) co_return;
        EXPECT_EQ(std::get<std::string>(co_await exchange->read_all(in(5s), 1024)), "named");
      },
      [&] {
        pool.shutdown();
        server.stop();
      });
}

TEST(UpstreamClient, RefusesRequestThatWouldSplit) {
  asio::io_context io;
  TestServer server(io, [&](ServerConnection& c) -> asio::awaitable<void> { co_await c.wait_closed(); });
  UpstreamPool pool(io);
  run_client(
      io,
      [&]() -> asio::awaitable<void> {
        UpstreamRequest request = post();
        request.headers.emplace_back("X-Evil", "a\r\nInjected: yes");
        auto started = co_await pool.start(server.target(), std::move(request), in(5s));
        const UpstreamError error = error_of(started);
        EXPECT_EQ(error.code, UpstreamErrc::protocol_error);
        EXPECT_FALSE(error.sent_bytes);
      },
      [&] { server.stop(); });
}

}  // namespace
}  // namespace llmux::net
