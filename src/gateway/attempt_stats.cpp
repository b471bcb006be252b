#include "gateway/attempt_stats.hpp"

#include "router/live_stats.hpp"
#include "router/rate_limit_hints.hpp"
#include "text/checked_number.hpp"

namespace llmux::gateway {

using router::AttemptReport;

AttemptStats::AttemptStats(const router::Router& router, const config::Deployment& deployment,
                           Clock::time_point started)
    : router_(router.tracks_live_stats() ? &router : nullptr), deployment_(deployment), started_(started) {
  if (router_ != nullptr) minute_requests_ = router_->live_stats().attempt_started(deployment_, started);
}

AttemptStats::~AttemptStats() {
  // Nobody said how it ended: the client went away (or the call was cancelled). That says nothing
  // about the deployment; it is only no longer in flight.
  if (router_ != nullptr && !finished_) finish(AttemptReport::Outcome::abandoned, 0, Clock::now());
}

std::optional<providers::AttemptFailure> AttemptStats::rpm_refusal() const {
  if (router_ == nullptr) return std::nullopt;
  const auto limit = router_->rpm_exceeded_at_start(deployment_, minute_requests_);
  if (!limit) return std::nullopt;
  const auto retry = router_->live_stats().until_next_minute(started_);
  return providers::AttemptFailure{router::ErrorKind::rate_limited, 429,
                                   "Deployment over defined rpm limit=" + std::to_string(*limit) +
                                       ". current usage=" + std::to_string(minute_requests_),
                                   retry};
}

void AttemptStats::first_piece(const net::HeaderList& upstream_headers, Clock::time_point now) {
  if (router_ == nullptr) return;
  time_to_first_token_ = now - started_;
  record_hints(upstream_headers, now);
}

void AttemptStats::answered(const providers::Usage& usage, const net::HeaderList& upstream_headers,
                            Clock::time_point now) {
  if (router_ == nullptr || finished_) return;
  if (!time_to_first_token_) record_hints(upstream_headers, now);  // a stream's came with its first piece
  count_tokens(usage, now);
  finish(AttemptReport::Outcome::success, usage.completion_tokens, now);
}

void AttemptStats::failed(router::ErrorKind kind, const providers::Usage& usage, Clock::time_point now) {
  if (router_ == nullptr || finished_) return;
  count_tokens(usage, now);
  const auto outcome = kind == router::ErrorKind::timeout ? AttemptReport::Outcome::timeout
                                                                   : AttemptReport::Outcome::failure;
  finish(outcome, usage.completion_tokens, now);
}

void AttemptStats::finish(AttemptReport::Outcome outcome, std::int64_t completion_tokens, Clock::time_point now) {
  finished_ = true;
  AttemptReport report{outcome, now - started_, std::nullopt, completion_tokens};
  if (time_to_first_token_) report.time_to_first_token = *time_to_first_token_;
  router_->live_stats().attempt_finished(deployment_, report, now);
}

void AttemptStats::count_tokens(const providers::Usage& usage, Clock::time_point now) {
  const std::int64_t tokens = text::saturating_add(usage.prompt_tokens, usage.completion_tokens);
  router_->live_stats().add_tokens(deployment_, tokens, now);
}

void AttemptStats::record_hints(const net::HeaderList& upstream_headers, Clock::time_point now) {
  if (!router_->reads_upstream_hints()) return;
  // The providers forward these to the client as llm_provider-<name> (LiteLLM's names).
  const auto hints = router::parse_rate_limit_hints({
      .remaining_requests = upstream_headers.find("llm_provider-x-ratelimit-remaining-requests"),
      .reset_requests = upstream_headers.find("llm_provider-x-ratelimit-reset-requests"),
      .remaining_tokens = upstream_headers.find("llm_provider-x-ratelimit-remaining-tokens"),
      .reset_tokens = upstream_headers.find("llm_provider-x-ratelimit-reset-tokens"),
      .retry_after_ms = upstream_headers.find("llm_provider-retry-after-ms"),
      .retry_after = upstream_headers.find("llm_provider-retry-after"),
  });
  router_->live_stats().record_hints(deployment_, hints, now);
}

}  // namespace llmux::gateway
