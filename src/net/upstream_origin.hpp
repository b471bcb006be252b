#pragma once

// Internal to the upstream client: what a pool knows about one origin (scheme, host, port):
// its resolved addresses and its idle keep-alive connections.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/address.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "net/upstream_connection.hpp"
#include "net/upstream_types.hpp"

namespace llmux::net {
struct UpstreamTarget;
}

namespace llmux::net::detail {

struct UpstreamOrigin {
  explicit UpstreamOrigin(const UpstreamTarget& target);

  bool tls = false;
  std::string host;  // as in the URL, IPv6 unbracketed: what SNI and verification use
  std::uint16_t port = 0;
  std::string authority;         // the Host header
  std::string label;             // "host:port" for error messages
  bool host_is_literal = false;  // an IP address: never resolved, never sent as SNI

  // The pool's settings, copied here so a connection needs nothing else.
  bool verify_tls = true;
  std::size_t max_header_bytes = 64 * 1024;

  std::vector<boost::asio::ip::address> addresses;
  std::chrono::steady_clock::time_point resolved_until{};

  // Most recently used at the back: reuse takes from the back (the connection least likely
  // to have hit the server's idle timeout), expiry trims from the front.
  std::vector<std::unique_ptr<UpstreamConnection>> idle;
};

// Fills origin.addresses unless it holds a literal or an unexpired lookup. The resolver runs
// on Asio's resolver thread and cannot be interrupted, so the deadline is enforced by not
// waiting for it any longer: a late answer is dropped. So does `cancel` (may be null).
boost::asio::awaitable<std::optional<UpstreamError>> resolve(UpstreamOrigin& origin, Deadline deadline,
                                                             std::chrono::milliseconds ttl,
                                                             UpstreamCancel* cancel);

}  // namespace llmux::net::detail
