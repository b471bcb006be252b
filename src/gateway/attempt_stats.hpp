#pragma once

// Feeds the router's live stats from one upstream attempt: in flight from start to end (however
// it ends: an answer, a failure, a broken stream, a client that hung up — the destructor ends what
// nothing else ended), the latency and time-to-first-token samples, the tokens counted against the
// deployment's tpm, and the upstream's x-ratelimit-* hints. When the router reads no stats
// (simple-shuffle without pre-call checks) every call here is one branch on a null pointer.

#include <chrono>
#include <cstdint>
#include <optional>

#include "net/http_header_list.hpp"
#include "providers/provider.hpp"
#include "router/live_stats.hpp"
#include "router/router.hpp"

namespace llmux::gateway {

class AttemptStats {
 public:
  using Clock = std::chrono::steady_clock;

  AttemptStats(const router::Router& router, const config::Deployment& deployment, Clock::time_point started);
  AttemptStats(const AttemptStats&) = delete;
  AttemptStats& operator=(const AttemptStats&) = delete;
  ~AttemptStats();

  // usage-based-routing-v2's refusal when counting this attempt passed the deployment's rpm
  // (LiteLLM: 429 "Deployment over defined rpm limit"); nullopt otherwise.
  std::optional<providers::AttemptFailure> rpm_refusal() const;

  // A stream's first piece arrived, with the head's headers.
  void first_piece(const net::HeaderList& upstream_headers, Clock::time_point now);
  // The answer is complete (a whole body, or a stream that ended well).
  void answered(const providers::Usage& usage, const net::HeaderList& upstream_headers, Clock::time_point now);
  // The attempt failed (before or after bytes reached the client); `usage` is what it reported.
  void failed(router::ErrorKind kind, const providers::Usage& usage, Clock::time_point now);
  // Whether anything is tracked: callers skip building what only the stats would read.
  bool active() const { return router_ != nullptr; }

 private:
  void finish(router::AttemptReport::Outcome outcome, std::int64_t completion_tokens, Clock::time_point now);
  void count_tokens(const providers::Usage& usage, Clock::time_point now);
  void record_hints(const net::HeaderList& upstream_headers, Clock::time_point now);

  const router::Router* router_ = nullptr;  // null: nothing is tracked
  const config::Deployment& deployment_;
  Clock::time_point started_;
  std::optional<Clock::duration> time_to_first_token_;
  std::int64_t minute_requests_ = 0;
  bool finished_ = false;
};

}  // namespace llmux::gateway
