#pragma once

// The values that cross the upstream client's boundary: what to send, the response head,
// the failures, and the pool's knobs. Deliberately free of Asio/Beast headers.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace llmux::net {

namespace detail {
class ResponseParser;
}

struct UpstreamRequest {
  std::string method = "POST";
  std::string target;  // path + query, e.g. "/v1/chat/completions"
  // Host, Content-Length and Connection are written by the client; copies here are dropped,
  // as is Transfer-Encoding (the body is always sent with a Content-Length).
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // What most calls send, borrowed rather than copied into the fields above, so that a request
  // to a deployment builds no string of its own: each view must outlive start() (constants and
  // the config's values do). Empty means absent.
  // The request line's target is target_base + target_path + target: a deployment's base path
  // ("/v1") and an endpoint's path ("/chat/completions") need not be joined per request.
  std::string_view target_base;
  std::string_view target_path;
  std::string_view content_type;  // "Content-Type: <it>", before `headers`
  std::string_view bearer_token;  // "Authorization: Bearer <it>", before `headers`
  // More fields, borrowed the same way, written after `headers` (a deployment's configured ones).
  std::span<const std::pair<std::string, std::string>> extra_headers;
};

// The status line and header fields of a response. It lives in the connection and is reused
// by that connection's next response: the strings keep their capacity, so a warm connection
// parses a head without allocating.
class UpstreamResponseHead {
 public:
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // in arrival order, names lower-cased

  // The first field with that (lower-case) name, or "" when absent.
  std::string_view header(std::string_view lower_name) const;

 private:
  friend class detail::ResponseParser;
  void reset(int status_code);
  void add(std::string_view name, std::string_view value);
  void finish();

  std::size_t used_ = 0;
  std::vector<std::pair<std::string, std::string>> spare_;  // fields kept for their capacity
};

enum class UpstreamErrc {
  connect_failed,    // DNS, refused, unreachable: nothing was sent
  tls_failed,        // handshake or certificate verification
  timeout,           // a deadline passed; the message names the phase
  connection_reset,  // the peer closed or reset the connection before the response was complete
  protocol_error,    // malformed HTTP from the upstream, oversized head, or an unsendable request
  cancelled,         // UpstreamExchange::cancel() or Asio per-operation cancellation
  body_too_large,    // read_all's cap
};

std::string_view to_string(UpstreamErrc code);

struct UpstreamError {
  UpstreamErrc code;
  // Human readable and specific, e.g. "connect to 127.0.0.1:8000 failed: Connection refused",
  // "TLS handshake with api.example.com failed: certificate verify failed (hostname mismatch)".
  std::string message;
  // Some request bytes may have reached the upstream: a retry could duplicate the request.
  bool sent_bytes = false;
};

// Stops a start() in flight from outside it, e.g. when the client hangs up, without Asio
// per-operation cancellation (and the co_spawn that needs). cancel() aborts what start() waits on
// at that moment (the DNS answer, the connect, the send, the response head) and start() returns
// UpstreamErrc::cancelled; a connection it was using is closed, never pooled. One per start(), on
// the pool's thread, alive until start() returns.
class UpstreamCancel {
 public:
  void cancel() {
    cancelled_ = true;
    if (abort_) abort_(waiting_);
  }
  bool cancelled() const { return cancelled_; }

  // For the upstream client: what cancel() must abort now; (nullptr, nullptr) for nothing.
  void watch(void* waiting, void (*abort)(void*)) {
    waiting_ = waiting;
    abort_ = abort;
  }

 private:
  void* waiting_ = nullptr;
  void (*abort_)(void*) = nullptr;
  bool cancelled_ = false;
};

struct PoolOptions {
  std::size_t max_idle_per_origin = 64;
  std::chrono::milliseconds idle_timeout{30'000};  // idle connections older than this are closed
  bool verify_tls = true;                          // chain and host name, against OpenSSL's default store
                                                   // (SSL_CERT_FILE / SSL_CERT_DIR are honoured)
  std::string extra_ca_file;                       // optional PEM bundle trusted in addition
  std::chrono::milliseconds dns_ttl{60'000};       // how long resolved addresses are reused
  std::size_t max_header_bytes = 64 * 1024;        // response status line + fields
};

}  // namespace llmux::net
