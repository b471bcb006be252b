#include "net/connection_timer.hpp"

namespace llmux::net {

ConnectionTimer::ConnectionTimer(boost::asio::ip::tcp::socket& socket)
    : socket_(socket), timer_(socket.get_executor()) {}

void ConnectionTimer::start() {
  if (deadline_ == Clock::time_point::max() || (pending_ && armed_for_ <= deadline_)) return;
  arm(deadline_);
}

void ConnectionTimer::arm(Clock::time_point deadline) {
  armed_for_ = deadline;
  pending_ = true;
  timer_.expires_at(deadline);  // cancels a wait for a later time: its handler sees operation_aborted
  timer_.async_wait([this, alive = std::weak_ptr<int>(alive_)](const boost::system::error_code& ec) {
    if (ec == boost::asio::error::operation_aborted || alive.expired()) return;
    on_fire();
  });
}

void ConnectionTimer::disarm() {
  done();
  if (!pending_) return;
  pending_ = false;
  timer_.cancel();
}

void ConnectionTimer::on_fire() {
  pending_ = false;
  if (deadline_ == Clock::time_point::max()) return;  // nothing in flight: the next operation re-arms
  if (Clock::now() < deadline_) {
    arm(deadline_);  // the deadline moved on since this wait was armed
    return;
  }
  timed_out_ = true;
  boost::system::error_code ignored;
  socket_.close(ignored);  // the waiting operation completes with operation_aborted
}

}  // namespace llmux::net
