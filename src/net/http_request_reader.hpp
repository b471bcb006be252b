#pragma once

// Reading one request off a client connection, with every limit the server sets on it, and the
// early error answers (400, 413, 431) it gives when one is passed.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "net/http_server.hpp"

namespace llmux::net {

// Reads one request (its first bytes are in the connection's buffer) into `request`, which is
// empty. False when the connection is to close: the client went quiet or away, or an error was
// answered.
boost::asio::awaitable<bool> read_request(const std::shared_ptr<ConnectionState>& state,
                                          const ServerOptions& options, InboundRequest& request);

// Reads and drops what the client still sends after an early answer, for a while and up to a
// cap, so that closing does not reset the answer away. See the definition for why.
boost::asio::awaitable<void> linger_close(ConnectionState& st,
                                          std::optional<std::uint64_t> declared_body = std::nullopt,
                                          std::chrono::milliseconds at_most = std::chrono::seconds(5),
                                          std::uint64_t max_discard = 64u << 20);

// OpenAI's error body for the server's own answers: `message` and `type` are fixed ASCII text
// without quotes.
std::string plain_error_body(std::string_view message, std::string_view type, int code);

}  // namespace llmux::net
