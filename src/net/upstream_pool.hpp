#pragma once

// The upstream HTTP/1.1 client: one UpstreamPool per worker thread, on that worker's
// io_context (no locks: every call must come from that thread). It keeps idle keep-alive
// connections per origin, speaks plain TCP or TLS (chain and host name verified), and hands
// back an UpstreamExchange to stream the response body.
//
// Cancelling a start() in flight (the client went away): pass an UpstreamCancel and call its
// cancel(); start() then yields UpstreamErrc::cancelled. It also honours Asio per-operation
// cancellation (a cancellation slot emitting cancellation_type::terminal), but that needs a
// co_spawn of its own per request. Once start() has returned, UpstreamExchange::cancel() does the
// same for the body.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <variant>

#include "net/upstream_exchange.hpp"
#include "net/upstream_types.hpp"
#include "net/url.hpp"

namespace boost::asio {
class io_context;
}

namespace llmux::net {

class UpstreamPool {
 public:
  UpstreamPool(boost::asio::io_context& io, PoolOptions options = {});
  ~UpstreamPool();  // closes idle connections; every exchange must be gone by then
  UpstreamPool(const UpstreamPool&) = delete;
  UpstreamPool& operator=(const UpstreamPool&) = delete;

  // Takes an idle connection to the target's origin (or resolves and connects a new one),
  // sends the request and reads the response head. `deadline` bounds all of it. `target` is
  // read when the coroutine first runs: keep it alive until then (a plain `co_await start(...)`
  // does; a co_spawn of start() with a temporary target does not).
  // A pooled connection found dead before any response byte (the server closed it while
  // idle) is retried once on a fresh connection; a fresh connection's failure is final.
  boost::asio::awaitable<std::variant<std::unique_ptr<UpstreamExchange>, UpstreamError>> start(
      const UpstreamTarget& target, UpstreamRequest request, std::chrono::steady_clock::time_point deadline,
      UpstreamCancel* cancel = nullptr);

  // For a graceful stop: closes the idle connections and stops pooling (exchanges still
  // running close theirs when done), so the io_context can run out of work.
  void shutdown();

  std::size_t idle_connections() const;  // across all origins; for metrics and tests
  std::size_t connections_opened() const;

 private:
  friend class UpstreamExchange;
  void release(std::unique_ptr<detail::UpstreamConnection> connection);

  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace llmux::net
