#include "tenancy/rate_limiter.hpp"

#include <algorithm>
#include <cassert>

#include "tenancy/litellm_wording.hpp"
#include "text/checked_number.hpp"

namespace llmux::tenancy {
namespace {

using detail::RateLimitWindow;

bool has_any_limit(const Limits& l) { return l.rpm_limit || l.tpm_limit || l.max_parallel_requests; }

std::chrono::seconds seconds_until(Timestamp when, Timestamp now) {
  const auto left = std::chrono::ceil<std::chrono::seconds>(when - now);
  return std::max(left, std::chrono::seconds(1));
}

}  // namespace

const char* to_string(RateLimitType type) {
  switch (type) {
    case RateLimitType::requests:
      return "requests";
    case RateLimitType::tokens:
      return "tokens";
    case RateLimitType::max_parallel_requests:
      return "max_parallel_requests";
  }
  return "requests";
}

std::string RateLimitExceeded::message() const {
  return "Rate limit exceeded for " + std::string(descriptor_name(kind)) + ": " + entity_id +
         ". Limit type: " + to_string(type) + ". Current limit: " + std::to_string(limit) +
         ", Remaining: " + std::to_string(remaining) +
         ". Limit resets at: " + wording::utc_seconds(resets_at);
}

Denial RateLimitExceeded::to_denial() const {
  return Denial{429, "rate_limit_error", message(), std::nullopt, retry_after};
}

// ---- RateLimitAdmission ----------------------------------------------------------------------

RateLimitAdmission::RateLimitAdmission(RateLimitAdmission&& other) noexcept
    : limiter_(std::exchange(other.limiter_, nullptr)),
      entries_(other.entries_),
      count_(other.count_),
      estimate_(other.estimate_),
      headers_(other.headers_) {}

RateLimitAdmission& RateLimitAdmission::operator=(RateLimitAdmission&& other) noexcept {
  if (this != &other) {
    release();
    limiter_ = std::exchange(other.limiter_, nullptr);
    entries_ = other.entries_;
    count_ = other.count_;
    estimate_ = other.estimate_;
    headers_ = other.headers_;
  }
  return *this;
}

RateLimitAdmission::~RateLimitAdmission() { release(); }

void RateLimitAdmission::settle(std::int64_t prompt_tokens, std::int64_t completion_tokens, Timestamp now) {
  if (!limiter_) return;
  finish(limiter_->counted(prompt_tokens, completion_tokens), now);
}

void RateLimitAdmission::release() {
  if (!limiter_) return;
  finish(std::nullopt, Timestamp{});
}

void RateLimitAdmission::finish(std::optional<std::int64_t> charged_tokens, Timestamp now) {
  std::array<std::size_t, detail::kMaxEntities> shards{};
  for (std::size_t i = 0; i < count_; ++i) shards[i] = entries_[i].slot.shard;
  {
    detail::EntityShards<RateLimitWindow>::Lock lock(limiter_->shards_, std::span(shards.data(), count_));
    for (std::size_t i = 0; i < count_; ++i) {
      RateLimitWindow& w = *entries_[i].slot.state;
      if (charged_tokens) limiter_->roll(w, now);
      // The estimate was dropped with its window if that window has ended.
      if (w.window_id == entries_[i].window_id)
        w.tokens_reserved = std::max<std::int64_t>(0, w.tokens_reserved - estimate_);
      if (charged_tokens) w.tokens_used = text::saturating_add(w.tokens_used, *charged_tokens);
      --w.in_flight;
    }
  }
  limiter_ = nullptr;
}

// ---- RateLimiter -----------------------------------------------------------------------------

RateLimiter::RateLimiter(RateLimiterOptions options) : options_(options) {}

void RateLimiter::roll(RateLimitWindow& w, Timestamp now) const {
  if (w.window_id != 0 && now < w.window_start + options_.window) return;
  w.window_start = now;
  ++w.window_id;
  w.requests = 0;
  w.tokens_used = 0;
  w.tokens_reserved = 0;
}

std::int64_t RateLimiter::counted(std::int64_t prompt_tokens, std::int64_t completion_tokens) const {
  prompt_tokens = std::max<std::int64_t>(prompt_tokens, 0);
  completion_tokens = std::max<std::int64_t>(completion_tokens, 0);
  switch (options_.token_counting) {
    case TokenCounting::output:
      return completion_tokens;
    case TokenCounting::input:
      return prompt_tokens;
    case TokenCounting::total:
      return text::saturating_add(prompt_tokens, completion_tokens);
  }
  return completion_tokens;
}

std::variant<RateLimitAdmission, RateLimitExceeded> RateLimiter::admit(
    std::span<const LimitedEntity> entities, std::int64_t estimated_tokens, Timestamp now) {
  estimated_tokens = std::max<std::int64_t>(estimated_tokens, 0);
  std::array<const LimitedEntity*, detail::kMaxEntities> limited{};
  std::array<std::size_t, detail::kMaxEntities> shards{};
  std::size_t n = 0;
  assert(entities.size() <= detail::kMaxEntities);
  for (const auto& e : entities) {
    if (!has_any_limit(*e.limits) || n == detail::kMaxEntities) continue;
    limited[n] = &e;
    shards[n++] = detail::EntityShards<RateLimitWindow>::shard_of(e.entity);
  }

  RateLimitAdmission admission;
  admission.estimate_ = estimated_tokens;
  detail::EntityShards<RateLimitWindow>::Lock lock(shards_, std::span(shards.data(), n));

  // Check every entity before changing any.
  for (std::size_t i = 0; i < n; ++i) {
    const Limits& l = *limited[i]->limits;
    auto slot = shards_.find_or_create_locked(limited[i]->entity);
    RateLimitWindow& w = *slot.state;
    roll(w, now);
    admission.entries_[i] = {slot, w.window_id};

    const auto refuse = [&](RateLimitType type, std::int64_t limit, std::int64_t used) {
      const bool parallel = type == RateLimitType::max_parallel_requests;
      const Timestamp resets =
          parallel ? now + options_.parallel_retry_after : w.window_start + options_.window;
      return RateLimitExceeded{limited[i]->entity.kind,
                               std::string(limited[i]->entity.id),
                               type,
                               limit,
                               std::max<std::int64_t>(0, limit - used),
                               parallel ? options_.parallel_retry_after : seconds_until(resets, now),
                               resets};
    };
    if (l.max_parallel_requests && w.in_flight + 1 > *l.max_parallel_requests) {
      return refuse(RateLimitType::max_parallel_requests, *l.max_parallel_requests, w.in_flight);
    }
    if (l.rpm_limit && w.requests + 1 > *l.rpm_limit)
      return refuse(RateLimitType::requests, *l.rpm_limit, w.requests);
    if (l.tpm_limit) {
      // Token counts come from clients (max_tokens) and upstreams: sums saturate, never wrap.
      const std::int64_t tokens = text::saturating_add(w.tokens_used, w.tokens_reserved);
      const bool first_in_window = tokens == 0 && *l.tpm_limit > 0;
      if (!first_in_window && text::saturating_add(tokens, estimated_tokens) > *l.tpm_limit) {
        return refuse(RateLimitType::tokens, *l.tpm_limit, tokens);
      }
    }
  }

  for (std::size_t i = 0; i < n; ++i) {
    const Limits& l = *limited[i]->limits;
    RateLimitWindow& w = *admission.entries_[i].slot.state;
    ++w.requests;
    ++w.in_flight;
    w.tokens_reserved = text::saturating_add(w.tokens_reserved, estimated_tokens);
    RateLimitHeaders& h = admission.headers_;
    if (l.rpm_limit && !h.limit_requests) {
      h.limit_requests = *l.rpm_limit;
      h.remaining_requests = std::max<std::int64_t>(0, *l.rpm_limit - w.requests);
    }
    if (l.tpm_limit && !h.limit_tokens) {
      h.limit_tokens = *l.tpm_limit;
      h.remaining_tokens = std::max<std::int64_t>(0, *l.tpm_limit - w.tokens_used - w.tokens_reserved);
    }
  }
  admission.count_ = n;
  admission.limiter_ = this;
  return admission;
}

RateLimitUsage RateLimiter::usage(const EntityId& entity, Timestamp now) {
  return shards_.visit(entity, [&](RateLimitWindow* w) {
    RateLimitUsage u;
    if (!w) return u;
    u.in_flight = w->in_flight;
    if (w->window_id != 0 && now < w->window_start + options_.window) {
      u.requests = w->requests;
      u.tokens = text::saturating_add(w->tokens_used, w->tokens_reserved);
      u.window_resets_at = w->window_start + options_.window;
    }
    return u;
  });
}

std::size_t RateLimiter::sweep(Timestamp now) {
  return shards_.erase_if([&](EntityKind, std::string_view, const RateLimitWindow& w) {
    return w.in_flight == 0 && (w.window_id == 0 || now >= w.window_start + options_.window);
  });
}

}  // namespace llmux::tenancy
