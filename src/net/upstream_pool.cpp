#include "net/upstream_pool.hpp"

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/system/system_error.hpp>
#include <optional>
#include <string>
#include <unordered_map>

#include "net/upstream_connection.hpp"
#include "net/upstream_origin.hpp"
#include "net/upstream_tls.hpp"

namespace llmux::net {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
constexpr std::chrono::seconds kPeekAfterIdle{1};
using detail::UpstreamConnection;
using detail::UpstreamOrigin;

struct UpstreamPool::State {
  State(asio::io_context& io_context, PoolOptions opts)
      : io(io_context), options(std::move(opts)), sweep_timer(io) {}

  UpstreamOrigin& origin_for(const UpstreamTarget& target);
  std::unique_ptr<UpstreamConnection> take_idle(UpstreamOrigin& origin);
  const detail::TlsContext& tls();
  void arm_sweep();
  void sweep();

  asio::io_context& io;
  PoolOptions options;
  std::optional<detail::TlsContext> tls_context;  // built on first https use: it loads the CA store
  std::unordered_map<std::string, std::unique_ptr<UpstreamOrigin>> origins;
  std::string key;  // reused lookup key, so finding an origin does not allocate
  asio::steady_timer sweep_timer;
  bool sweep_armed = false;
  bool shut_down = false;
  std::size_t opened = 0;
  std::shared_ptr<int> alive = std::make_shared<int>(0);  // lets a late timer handler see we are gone
};

UpstreamOrigin& UpstreamPool::State::origin_for(const UpstreamTarget& target) {
  key.clear();
  key.append(target.tls ? "s|" : "p|").append(target.host).append("|").append(target.port);
  auto it = origins.find(key);
  if (it == origins.end()) {
    auto origin = std::make_unique<UpstreamOrigin>(target);
    origin->verify_tls = options.verify_tls;
    origin->max_header_bytes = options.max_header_bytes;
    it = origins.emplace(key, std::move(origin)).first;
  }
  return *it->second;
}

std::unique_ptr<UpstreamConnection> UpstreamPool::State::take_idle(UpstreamOrigin& origin) {
  const auto now = Clock::now();
  while (!origin.idle.empty()) {
    std::unique_ptr<UpstreamConnection> connection = std::move(origin.idle.back());
    origin.idle.pop_back();
    const auto idle_for = now - connection->idle_since();
    if (idle_for >= options.idle_timeout) continue;
    // A connection idle for under a second is not worth a peek (a system call per request under
    // load): servers close idle connections after seconds, and should one have closed it anyway,
    // the send fails as stale and start() retries once on a fresh connection.
    if (idle_for < kPeekAfterIdle || !connection->idle_peer_gone()) return connection;
  }
  return nullptr;
}

const detail::TlsContext& UpstreamPool::State::tls() {
  if (!tls_context) tls_context.emplace(options);
  return *tls_context;
}

void UpstreamPool::State::arm_sweep() {
  if (sweep_armed || shut_down) return;
  Clock::time_point oldest = Clock::time_point::max();
  for (const auto& [_, origin] : origins) {
    if (!origin->idle.empty()) oldest = std::min(oldest, origin->idle.front()->idle_since());
  }
  if (oldest == Clock::time_point::max()) return;
  sweep_armed = true;
  sweep_timer.expires_at(oldest + options.idle_timeout);
  sweep_timer.async_wait([this, alive = std::weak_ptr<int>(alive)](boost::system::error_code ec) {
    if (ec || alive.expired()) return;
    sweep_armed = false;
    sweep();
  });
}

// Closes idle connections past the idle timeout, and those the server has already closed
// (which would otherwise sit in CLOSE_WAIT until reused).
void UpstreamPool::State::sweep() {
  const auto now = Clock::now();
  for (auto& [_, origin] : origins) {
    std::erase_if(origin->idle, [&](const std::unique_ptr<UpstreamConnection>& connection) {
      return now - connection->idle_since() >= options.idle_timeout || connection->idle_peer_gone();
    });
  }
  arm_sweep();
}

UpstreamPool::UpstreamPool(asio::io_context& io, PoolOptions options)
    : state_(std::make_unique<State>(io, std::move(options))) {}

UpstreamPool::~UpstreamPool() = default;

void UpstreamPool::release(std::unique_ptr<UpstreamConnection> connection) {
  State& s = *state_;
  if (s.shut_down || s.options.max_idle_per_origin == 0 || s.options.idle_timeout.count() <= 0) return;
  UpstreamOrigin& origin = connection->origin();
  if (origin.idle.size() >= s.options.max_idle_per_origin) origin.idle.erase(origin.idle.begin());
  connection->mark_idle(Clock::now());
  origin.idle.push_back(std::move(connection));
  s.arm_sweep();
}

void UpstreamPool::shutdown() {
  State& s = *state_;
  s.shut_down = true;
  for (auto& [_, origin] : s.origins) origin->idle.clear();
  s.sweep_timer.cancel();
}

std::size_t UpstreamPool::idle_connections() const {
  std::size_t n = 0;
  for (const auto& [_, origin] : state_->origins) n += origin->idle.size();
  return n;
}

std::size_t UpstreamPool::connections_opened() const { return state_->opened; }

namespace {

// Points an UpstreamCancel at a connection for as long as start() uses it.
class WatchedConnection {
 public:
  WatchedConnection(UpstreamCancel* cancel, UpstreamConnection& connection) : cancel_(cancel) {
    if (cancel_) cancel_->watch(&connection, [](void* c) { static_cast<UpstreamConnection*>(c)->cancel(); });
  }
  ~WatchedConnection() {
    if (cancel_) cancel_->watch(nullptr, nullptr);
  }
  WatchedConnection(const WatchedConnection&) = delete;
  WatchedConnection& operator=(const WatchedConnection&) = delete;

 private:
  UpstreamCancel* cancel_;
};

}  // namespace

asio::awaitable<std::variant<std::unique_ptr<UpstreamExchange>, UpstreamError>> UpstreamPool::start(
    const UpstreamTarget& target, UpstreamRequest request, std::chrono::steady_clock::time_point deadline,
    UpstreamCancel* cancel) {
  State& s = *state_;
  // `target` is only read before the first suspension, so a temporary argument is fine.
  UpstreamOrigin& origin = s.origin_for(target);
  const auto cancelled_error = [&origin](bool sent) {
    return UpstreamError{UpstreamErrc::cancelled, "request to " + origin.label + " cancelled", sent};
  };
  asio::ssl::context* tls = nullptr;
  if (origin.tls) {
    const detail::TlsContext& context = s.tls();
    if (!context.context) {
      co_return UpstreamError{UpstreamErrc::tls_failed, "TLS is unavailable: " + context.error, false};
    }
    tls = context.context.get();
  }
  const auto cs = co_await asio::this_coro::cancellation_state;
  const auto is_cancelled = [&cs, cancel] {
    return (cancel && cancel->cancelled()) || cs.cancelled() != asio::cancellation_type::none;
  };
  if (is_cancelled()) co_return cancelled_error(false);

  try {
    if (auto connection = s.take_idle(origin)) {
      std::optional<UpstreamError> error;
      {
        const WatchedConnection watched(cancel, *connection);
        error = co_await connection->send(request, deadline);
      }
      if (!error) co_return std::make_unique<UpstreamExchange>(*this, std::move(connection));
      // Only a pooled connection that died idle (the server's keep-alive timeout racing our
      // reuse) earns the one transparent retry; any other failure is the answer.
      if (!connection->failed_stale()) co_return std::move(*error);
    }
    if (is_cancelled()) co_return cancelled_error(false);
    if (auto error = co_await detail::resolve(origin, deadline, s.options.dns_ttl, cancel))
      co_return std::move(*error);
    if (is_cancelled()) co_return cancelled_error(false);

    auto connection = std::make_unique<UpstreamConnection>(s.io, origin, tls);
    ++s.opened;
    const WatchedConnection watched(cancel, *connection);
    if (auto error = co_await connection->connect(deadline)) {
      if (error->code == UpstreamErrc::connect_failed) origin.resolved_until = {};  // re-resolve next time
      co_return std::move(*error);
    }
    if (is_cancelled()) co_return cancelled_error(false);
    if (auto error = co_await connection->send(request, deadline)) co_return std::move(*error);
    co_return std::make_unique<UpstreamExchange>(*this, std::move(connection));
  } catch (const boost::system::system_error&) {
    // Asio throws operation_aborted at the next co_await once the caller's cancellation slot
    // has fired (throw_if_cancelled defaults to on); errors are values here.
    co_return cancelled_error(true);
  }
}

}  // namespace llmux::net
