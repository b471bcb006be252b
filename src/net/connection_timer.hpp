#pragma once

// One timer for all of a client connection's socket operations, instead of the timer wait that
// Beast's tcp_stream starts and cancels around every read and write (a timer-queue insert and
// removal, a handler allocation and an extra handler run per operation).
//
// The connection says when the next operation must be done by (expect); the timer is armed only
// when an operation actually starts (start), and lazily: a wait already pending for an earlier
// time is kept when a later deadline comes — its handler re-arms for the deadline then current.
// So a keep-alive connection answering request after request mostly finds the timer already
// pending. When it fires past the deadline of an operation in flight, it closes the socket: that
// operation completes with an error, as every later one will (timed_out() stays true).

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <memory>
#include <utility>

namespace llmux::net {

class ConnectionTimer {
 public:
  using Clock = std::chrono::steady_clock;

  // `socket` must outlive this timer.
  explicit ConnectionTimer(boost::asio::ip::tcp::socket& socket);
  ConnectionTimer(const ConnectionTimer&) = delete;
  ConnectionTimer& operator=(const ConnectionTimer&) = delete;

  // The operations from now on (until done()) must complete by `deadline`. Arms nothing yet.
  void expect(Clock::time_point deadline) { deadline_ = deadline; }
  void expect_within(Clock::duration limit) { expect(Clock::now() + limit); }
  // A socket operation starts now, bound by the expected deadline.
  void start();
  // No operation is bound by a deadline any more; a pending wait stays (it may serve the next).
  void done() { deadline_ = Clock::time_point::max(); }
  // No deadline for a long while (the handler waits on an upstream): the pending wait goes too.
  void disarm();

  bool timed_out() const { return timed_out_; }
  bool armed() const { return pending_; }

 private:
  void arm(Clock::time_point deadline);
  void on_fire();

  boost::asio::ip::tcp::socket& socket_;
  boost::asio::steady_timer timer_;
  Clock::time_point deadline_ = Clock::time_point::max();  // max: no operation is bound by one
  Clock::time_point armed_for_ = Clock::time_point::max();
  bool pending_ = false;
  bool timed_out_ = false;
  // A wait that has fired can still be queued to run after the connection is gone: its handler
  // checks this first.
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

// The socket as an AsyncReadStream for Beast's read functions, whose reads start the timer: a
// header or body already in the read buffer is parsed without arming anything.
class TimedReader {
 public:
  using executor_type = boost::asio::ip::tcp::socket::executor_type;

  TimedReader(boost::asio::ip::tcp::socket& socket, ConnectionTimer& timer) : socket_(socket), timer_(timer) {}

  executor_type get_executor() { return socket_.get_executor(); }

  template <class MutableBuffers, class Token>
  auto async_read_some(const MutableBuffers& buffers, Token&& token) {
    timer_.start();
    return socket_.async_read_some(buffers, std::forward<Token>(token));
  }

 private:
  boost::asio::ip::tcp::socket& socket_;
  ConnectionTimer& timer_;
};

}  // namespace llmux::net
