#include "net/upstream_origin.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <charconv>

#include "net/url.hpp"

namespace llmux::net::detail {

namespace asio = boost::asio;
using boost::system::error_code;
using tcp = asio::ip::tcp;

UpstreamOrigin::UpstreamOrigin(const UpstreamTarget& target)
    : tls(target.tls), host(target.host), authority(target.authority()) {
  std::from_chars(target.port.data(), target.port.data() + target.port.size(), port);
  error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (!ec) {
    host_is_literal = true;
    addresses.push_back(address);
  }
  label = host.find(':') != std::string::npos ? "[" + host + "]:" + target.port : host + ":" + target.port;
}

asio::awaitable<std::optional<UpstreamError>> resolve(UpstreamOrigin& origin, Deadline deadline,
                                                      std::chrono::milliseconds ttl, UpstreamCancel* cancel) {
  const auto now = std::chrono::steady_clock::now();
  if (origin.host_is_literal || (!origin.addresses.empty() && now < origin.resolved_until)) {
    co_return std::nullopt;
  }
  // Shared with the resolver's completion handler, which may outlive this coroutine.
  struct Lookup {
    explicit Lookup(const asio::any_io_executor& ex) : resolver(ex), finished(ex) {}
    tcp::resolver resolver;
    asio::steady_timer finished;  // doubles as the deadline: the handler cancels it to wake us
    error_code ec;
    tcp::resolver::results_type results;
    bool done = false;
  };
  auto lookup = std::make_shared<Lookup>(co_await asio::this_coro::executor);
  lookup->finished.expires_at(deadline);
  lookup->resolver.async_resolve(origin.host, std::to_string(origin.port),
                                 [lookup](error_code ec, tcp::resolver::results_type results) {
                                   lookup->ec = ec;
                                   lookup->results = std::move(results);
                                   lookup->done = true;
                                   lookup->finished.cancel();
                                 });
  if (cancel) {
    cancel->watch(&lookup->finished, [](void* timer) { static_cast<asio::steady_timer*>(timer)->cancel(); });
  }
  co_await lookup->finished.async_wait(asio::as_tuple(asio::use_awaitable));
  if (cancel) cancel->watch(nullptr, nullptr);
  if (!lookup->done) {
    lookup->resolver.cancel();
    const auto cs = co_await asio::this_coro::cancellation_state;
    const bool cancelled = (cancel && cancel->cancelled()) || cs.cancelled() != asio::cancellation_type::none;
    if (cancelled)
      co_return UpstreamError{UpstreamErrc::cancelled, "request to " + origin.label + " cancelled", false};
    co_return UpstreamError{UpstreamErrc::timeout, "resolving " + origin.host + " timed out", false};
  }
  if (lookup->ec) {
    co_return UpstreamError{UpstreamErrc::connect_failed,
                            "resolving " + origin.host + " failed: " + lookup->ec.message(), false};
  }
  origin.addresses.clear();
  for (const auto& entry : lookup->results) origin.addresses.push_back(entry.endpoint().address());
  if (origin.addresses.empty()) {
    co_return UpstreamError{UpstreamErrc::connect_failed, "resolving " + origin.host + " returned no address",
                            false};
  }
  origin.resolved_until = std::chrono::steady_clock::now() + ttl;
  co_return std::nullopt;
}

}  // namespace llmux::net::detail
