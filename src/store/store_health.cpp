#include "store/store_health.hpp"

namespace llmux::store {

StoreHealth::StoreHealth(Clock::time_point opened_at) : last_ok_(opened_at) {}

void StoreHealth::check_started(Clock::time_point now) {
  std::lock_guard lock(mutex_);
  pending_since_ = now;
}

void StoreHealth::check_finished(Clock::time_point now, bool ok, std::string error) {
  std::lock_guard lock(mutex_);
  pending_since_.reset();
  last_ok_result_ = ok;
  if (ok) {
    last_ok_ = now;
    last_error_.clear();
  } else {
    last_error_ = std::move(error);
  }
}

StoreHealth::View StoreHealth::view(Clock::time_point now, std::chrono::milliseconds patience) const {
  using std::chrono::duration_cast;
  using std::chrono::milliseconds;
  std::lock_guard lock(mutex_);
  View out;
  out.connected = last_ok_result_;
  out.last_error = last_error_;
  if (pending_since_ && now - *pending_since_ > patience) {
    out.connected = false;
    out.unanswered_for = duration_cast<milliseconds>(now - *pending_since_);
    if (out.last_error.empty()) out.last_error = "the database has not answered a check";
  }
  if (last_ok_) out.since_last_ok = duration_cast<milliseconds>(now - *last_ok_);
  return out;
}

}  // namespace llmux::store
