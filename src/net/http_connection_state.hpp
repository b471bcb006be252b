#pragma once

// Internal to the HTTP server: what one client connection owns, shared by the code that reads its
// requests (http_request_reader.cpp) and the code that answers them (http_server.cpp).

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "net/connection_timer.hpp"

namespace llmux::net {

// Everything one client connection owns. Shared with the disconnect watcher, whose callback can
// outlive the coroutine that serves the connection.
class ConnectionState {
 public:
  ConnectionState(boost::asio::ip::tcp::socket client_socket, std::string peer_address)
      : socket(std::move(client_socket)), timer(socket), remote_address(std::move(peer_address)) {}

  boost::asio::ip::tcp::socket socket;
  // Every read and write of the socket is bound by the deadline it holds (none while the handler
  // waits on an upstream); it closes the socket when one passes.
  ConnectionTimer timer;
  std::string remote_address;  // read once, when the connection is accepted
  boost::beast::flat_buffer buffer;
  bool keep_alive = true;
  bool http10 = false;
  bool gone = false;
  bool response_started = false;
  bool response_finished = false;
  bool chunked = false;
  // The request was HEAD: every answer is its head alone (RFC 9110 section 9.3.2), the same
  // status and headers GET would get, Content-Length included.
  bool head_only = false;
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
    socket.async_receive(boost::asio::buffer(&watch_probe, 1), boost::asio::ip::tcp::socket::message_peek,
                         [self](const boost::system::error_code& ec, std::size_t) {
                           if (ec == boost::asio::error::operation_aborted || !self->watching) return;
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
  boost::asio::awaitable<bool> write_all(boost::asio::const_buffer first,
                                         boost::asio::const_buffer second = {},
                                         boost::asio::const_buffer third = {}) {
    if (gone) co_return false;
    timer.expect_within(write_timeout);
    timer.start();
    const std::array<boost::asio::const_buffer, 3> buffers{first, second, third};
    auto [ec, n] =
        co_await boost::asio::async_write(socket, buffers, boost::asio::as_tuple(boost::asio::use_awaitable));
    timer.done();
    if (ec) {
      mark_gone();
      co_return false;
    }
    co_return true;
  }
};

}  // namespace llmux::net
