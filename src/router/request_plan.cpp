#include "router/request_plan.hpp"

#include <algorithm>

#include "router/backoff.hpp"
#include "router/error_policies.hpp"
#include "router/fallbacks.hpp"
#include "router/router.hpp"
#include "router/strategy.hpp"
#include "router/usage_limits.hpp"

namespace llmux::router {
namespace {

// Failures that say "this deployment cannot serve anyone" (bad key, model missing there, forbidden):
// retrying it is pointless, but a sibling deployment of the group may well work — e.g. one whose
// env key is unset must not break the group. Moving on to a sibling does not use up num_retries.
bool moves_to_sibling(ErrorKind kind) {
  return kind == ErrorKind::authentication || kind == ErrorKind::not_found ||
         kind == ErrorKind::permission_denied;
}

template <class List>
bool contains(const List& list, const config::Deployment* d) {
  return std::find(list.begin(), list.end(), d) != list.end();
}

}  // namespace

RequestPlan::RequestPlan(const Router& router, std::string group, RequestOverrides overrides,
                         std::uint64_t seed)
    : router_(router), overrides_(std::move(overrides)), rng_(seed), requested_group_(std::move(group)) {
  if (auto canonical = router_.resolve_group(requested_group_)) {
    requested_group_ = *canonical;
    entered_groups_.push_back(requested_group_);
    stack_.emplace_back(requested_group_, 0);
  }
}

RequestPlan::Step RequestPlan::next(TimePoint now) {
  if (in_flight_ || finished_) return Step{.type = Step::Type::give_up};
  while (!stack_.empty()) {
    GroupFrame& frame = stack_.back();
    if (frame.state == GroupState::falling_back) {
      if (!enter_next_fallback()) stack_.pop_back();
      continue;
    }
    const bool none_fits = frame.attempts == 0 && overrides_.prompt_tokens && note_context_window_skips(frame.name);
    if (none_fits) {
      // LiteLLM's _pre_call_checks raise ContextWindowExceededError here, which takes the
      // context_window_fallbacks: the same route, without a call that could only fail.
      frame.last_failure = Failure{ErrorKind::context_window_exceeded, 400, std::nullopt};
      start_falling_back(frame);
      continue;
    }
    auto healthy = healthy_candidates(frame.name, now);
    if (healthy.empty() && frame.state == GroupState::retry_due && !has_fallbacks_left(frame)) {
      // This request's own failure cooled the group down (a 429, say) and nothing else can serve
      // it: the retries it is owed go to the deployment that recovers first, after the backoff
      // (which honours Retry-After), rather than failing at once.
      healthy = first_to_recover(frame.name, now);
    }
    if (router_.rpm_tpm_are_limits() || router_.reads_upstream_hints()) skip_over_limits(frame.name, healthy, now);
    if (healthy.empty()) {
      // Every deployment is cooling down (or ruled out for this request): retrying here would only
      // burn time, so go straight to the fallbacks.
      if (frame.attempts == 0) skipped_for_cooldown_.push_back({frame.name, frame.depth});
      start_falling_back(frame);
      continue;
    }
    if (frame.state == GroupState::retry_due && !frame.backoff_taken) {
      frame.backoff_taken = true;
      if (auto wait = backoff_before_retry(frame, healthy); wait > std::chrono::milliseconds::zero()) {
        return Step{.type = Step::Type::wait, .wait = wait};
      }
    }
    // A sticky pick (affinity) first where the group asks for one; else the routing strategy.
    const config::Deployment* chosen = sticky_pick(frame.name, healthy);
    if (chosen == nullptr) chosen = pick(healthy, now);
    if (!frame.num_retries) frame.num_retries = num_retries_for(*chosen);
    ++frame.attempts;
    frame.last_deployment = chosen;
    frame.state = GroupState::choosing;
    last_max_retries_ = *frame.num_retries;
    return begin_attempt(chosen, frame.name, frame.depth, false);
  }
  return bypass_or_give_up(now);
}

void RequestPlan::report_success(TimePoint now) {
  if (!in_flight_) return;
  in_flight_ = false;
  finished_ = true;
  AttemptRecord& attempt = attempts_.back();
  attempt.failure.reset();
  router_.health().record_success(*attempt.deployment, now);
}

void RequestPlan::report_failure(const Failure& f, TimePoint now) {
  if (!in_flight_) return;
  in_flight_ = false;
  AttemptRecord& attempt = attempts_.back();
  attempt.failure = f;
  router_.health().record_failure(*attempt.deployment, f, now);
  if (!contains(failed_, attempt.deployment)) failed_.push_back(attempt.deployment);
  if (attempt.cooldown_bypassed) {  // the one last-resort attempt; nothing follows it
    finished_ = true;
    return;
  }

  GroupFrame& frame = stack_.back();
  frame.last_failure = f;
  if (const auto granted = policy_retries(router_.config().router, frame.name, f)) {
    // retry_policy names this kind of failure: it alone says how many retries the group gets,
    // whatever num_retries and the kind's usual rule say (LiteLLM retries even a 400 it names).
    if (frame.retries_used >= *granted) {
      start_falling_back(frame);
      return;
    }
    ++frame.retries_used;
    if (moves_to_sibling(f.kind)) {  // the same deployment would answer the same way
      excluded_.push_back(attempt.deployment);
      frame.state = GroupState::choosing;
    } else {
      frame.state = GroupState::retry_due;
      frame.backoff_taken = false;
    }
    return;
  }
  if (is_retryable(f.kind)) {
    if (frame.retries_used < frame.num_retries.value_or(0)) {
      ++frame.retries_used;
      frame.state = GroupState::retry_due;
      frame.backoff_taken = false;
    } else {
      start_falling_back(frame);
    }
  } else if (moves_to_sibling(f.kind)) {
    // The failure also cooled it down (except permission_denied, the caller's fault); either way
    // it is not tried again in this request.
    excluded_.push_back(attempt.deployment);
    frame.state = GroupState::choosing;
  } else {
    // bad_request, context_window_exceeded, content_policy: the same request fails the same way on
    // any deployment of this group; only another group can help.
    start_falling_back(frame);
  }
}

std::span<const AttemptRecord> RequestPlan::attempts() const { return {attempts_.data(), attempts_.size()}; }

int RequestPlan::attempted_retries() const {
  if (attempts_.empty() || attempts_.back().cooldown_bypassed) return 0;
  const std::string& group = attempts_.back().group;
  const auto in_group = std::count_if(attempts_.begin(), attempts_.end(), [&](const AttemptRecord& a) {
    return !a.cooldown_bypassed && a.group == group;
  });
  return static_cast<int>(in_group) - 1;
}

int RequestPlan::max_retries() const { return last_max_retries_; }

int RequestPlan::attempted_fallbacks() const { return fallbacks_entered_; }

std::string RequestPlan::current_group() const {
  return attempts_.empty() ? requested_group_ : attempts_.back().group;
}

std::vector<std::string> RequestPlan::fallbacks_tried() const {
  if (entered_groups_.empty()) return {};
  return {entered_groups_.begin() + 1, entered_groups_.end()};
}

bool RequestPlan::allowed(const config::Deployment& deployment) const {
  if (overrides_.deployment_filter && !overrides_.deployment_filter(deployment)) return false;
  return !overrides_.prompt_tokens || !router::context_window_miss(router_, deployment, overrides_.prompt_tokens);
}

bool RequestPlan::note_context_window_skips(const std::string& group) {
  bool any_usable = false, any_too_small = false;
  for (const auto* d : router_.group(group)) {
    if (overrides_.deployment_filter && !overrides_.deployment_filter(*d)) continue;
    if (auto miss = router::context_window_miss(router_, *d, overrides_.prompt_tokens)) {
      note_skipped(*d, group, SkipReason::context_window);
      context_window_miss_ = *miss;
      any_too_small = true;
    } else if (!contains(excluded_, d)) {
      any_usable = true;
    }
  }
  return !any_usable && any_too_small;
}

const config::Deployment* RequestPlan::sticky_pick(const std::string& group, const Candidates& healthy) {
  last_pick_affinity_.reset();
  if (overrides_.affinity.empty()) return nullptr;
  const auto applied = affinity_for(router_.config().router, group, overrides_.affinity);
  if (!applied) return nullptr;
  last_pick_affinity_ = applied->source;
  return choose_sticky({healthy.data(), healthy.size()}, {failed_.data(), failed_.size()}, applied->key);
}

Candidates RequestPlan::healthy_candidates(const std::string& group, TimePoint now) const {
  Candidates healthy;
  for (const auto* d : router_.group(group)) {
    if (!contains(excluded_, d) && allowed(*d) && !router_.in_cooldown(*d, now)) healthy.push_back(d);
  }
  return healthy;
}

Candidates RequestPlan::first_to_recover(const std::string& group, TimePoint now) const {
  const config::Deployment* best = nullptr;
  TimePoint best_end{};
  for (const auto* d : router_.group(group)) {
    if (contains(excluded_, d) || !allowed(*d)) continue;
    const TimePoint ends = router_.cooldown_ends(*d, now).value_or(now);
    if (best == nullptr || ends < best_end) {
      best = d;
      best_end = ends;
    }
  }
  Candidates first;
  if (best != nullptr) first.push_back(best);
  return first;
}

bool RequestPlan::has_fallbacks_left(const GroupFrame& frame) const {
  if (overrides_.disable_fallbacks || fallbacks_entered_ >= max_fallbacks()) return false;
  const auto kind = frame.last_failure ? std::optional<ErrorKind>(frame.last_failure->kind) : std::nullopt;
  for (const auto& name : fallback_targets(router_.config().router, overrides_, frame.name, kind)) {
    const auto target = router_.resolve_group(name);
    if (target && std::find(entered_groups_.begin(), entered_groups_.end(), *target) == entered_groups_.end()) {
      return true;
    }
  }
  return false;
}

std::chrono::milliseconds RequestPlan::backoff_before_retry(const GroupFrame& frame,
                                                           const Candidates& healthy) {
  // LiteLLM (_time_to_sleep_before_retry): no sleep when another healthy deployment can take the
  // retry at once; back off only when the retry must go to the deployment that just failed.
  const bool other_available = std::any_of(healthy.begin(), healthy.end(), [&](const config::Deployment* d) {
    return d != frame.last_deployment;
  });
  if (other_available) return std::chrono::milliseconds::zero();
  const auto retry_after = frame.last_failure ? frame.last_failure->retry_after : std::nullopt;
  return retry_backoff(frame.retries_used - 1, retry_after, router_.config().router.retry_after_seconds,
                       rng_.unit());
}

int RequestPlan::num_retries_for(const config::Deployment& first_choice) const {
  const config::Config& config = router_.config();
  int n = config.router.num_retries;
  // litellm_params.num_retries is LiteLLM's name for router retries; max_retries (the SDK's) is
  // read as the same thing when it is the only one written.
  if (const auto own = first_choice.num_retries ? first_choice.num_retries : first_choice.max_retries) n = *own;
  // A client may ask for fewer retries, or more up to llmux_settings.max_request_retries (each one
  // can back off for seconds: a million would hold the call for days). Never held below what the
  // config itself gives, so a cap lower than the config's num_retries cannot make asking cost retries.
  // Over the cap is clamped, not refused: it is a wish about effort, LiteLLM accepts it, and
  // x-litellm-attempted-retries shows the client what it got.
  if (overrides_.num_retries) n = std::min(*overrides_.num_retries, std::max(n, config.server.max_request_retries));
  return std::max(0, n);
}

int RequestPlan::max_fallbacks() const {
  return std::max(0, overrides_.max_fallbacks.value_or(router_.config().router.max_fallbacks));
}

void RequestPlan::start_falling_back(GroupFrame& frame) {
  frame.state = GroupState::falling_back;
  frame.next_fallback = 0;
  frame.fallbacks.clear();
  if (overrides_.disable_fallbacks) return;
  const auto kind = frame.last_failure ? std::optional<ErrorKind>(frame.last_failure->kind) : std::nullopt;
  frame.fallbacks = fallback_targets(router_.config().router, overrides_, frame.name, kind);
}

bool RequestPlan::enter_next_fallback() {
  GroupFrame& frame = stack_.back();
  while (frame.next_fallback < frame.fallbacks.size()) {
    // LiteLLM counts fallback hops across nesting (fallback_depth), so max_fallbacks bounds the
    // whole request, not each list.
    if (fallbacks_entered_ >= max_fallbacks()) return false;
    auto target = router_.resolve_group(frame.fallbacks[frame.next_fallback++]);
    if (!target) {  // unknown group: skipped, as a misconfigured entry must not end the chain
      const std::string& name = frame.fallbacks[frame.next_fallback - 1];
      if (std::find(unknown_fallbacks_.begin(), unknown_fallbacks_.end(), name) == unknown_fallbacks_.end())
        unknown_fallbacks_.push_back(name);
      continue;
    }
    if (std::find(entered_groups_.begin(), entered_groups_.end(), *target) != entered_groups_.end()) {
      continue;  // already tried in this request: A → B → A would loop
    }
    ++fallbacks_entered_;
    entered_groups_.push_back(*target);
    stack_.emplace_back(std::move(*target), fallbacks_entered_);
    return true;
  }
  return false;
}

RequestPlan::Step RequestPlan::bypass_or_give_up(TimePoint now) {
  // Everything left was cooling down and nothing was tried: rather than failing without a single
  // upstream call, try once the deployment that should recover first.
  if (!bypass_used_ && attempts_.empty()) {
    const config::Deployment* best = nullptr;
    const SkippedGroup* best_group = nullptr;
    TimePoint best_end{};
    for (const auto& skipped : skipped_for_cooldown_) {
      for (const auto* d : router_.group(skipped.name)) {
        // Over a limit is not cooling down: the bypass must not spend a request it has not got.
        if (!allowed(*d) || skipped_for_limits(*d)) continue;
        const TimePoint ends = router_.cooldown_ends(*d, now).value_or(now);
        if (best == nullptr || ends < best_end) {
          best = d;
          best_group = &skipped;
          best_end = ends;
        }
      }
    }
    if (best != nullptr) {
      bypass_used_ = true;
      last_pick_affinity_.reset();
      last_max_retries_ = num_retries_for(*best);
      return begin_attempt(best, best_group->name, best_group->depth, true);
    }
  }
  finished_ = true;
  return Step{.type = Step::Type::give_up};
}

RequestPlan::Step RequestPlan::begin_attempt(const config::Deployment* deployment, std::string group,
                                             int depth, bool bypassed) {
  std::string upstream_model = router_.upstream_model_for(group, *deployment);
  attempts_.push_back(AttemptRecord{.deployment = deployment,
                                    .group = std::move(group),
                                    .fallback_depth = depth,
                                    .cooldown_bypassed = bypassed,
                                    .failure = std::nullopt,
                                    .upstream_model = std::move(upstream_model)});
  in_flight_ = true;
  return Step{.type = Step::Type::attempt, .deployment = deployment, .upstream_model = attempts_.back().upstream_model};
}

void RequestPlan::skip_over_limits(const std::string& group, Candidates& healthy, TimePoint now) {
  const LiveStats& stats = router_.live_stats();
  const std::int64_t tokens = input_tokens();
  auto keep = healthy.begin();
  for (const config::Deployment* d : healthy) {
    std::optional<SkipReason> reason;
    std::optional<TimePoint> free_at;
    if (router_.rpm_tpm_are_limits()) {
      reason = over_minute_limit(*d, stats, now, tokens);
      if (reason) free_at = now + stats.until_next_minute(now);
    }
    if (!reason && router_.reads_upstream_hints()) {
      reason = over_upstream_limit(*d, stats, now, tokens, free_at);
      // "Every request left is in flight": free once one of them ends, soon, unknown when.
      if (reason && !free_at) free_at = now + std::chrono::seconds(1);
    }
    if (!reason) {
      *keep++ = d;
      continue;
    }
    note_skipped(*d, group, *reason);
    if (!limits_free_at_ || *free_at < *limits_free_at_) limits_free_at_ = free_at;
  }
  healthy.erase(keep, healthy.end());
}

bool RequestPlan::skipped_for_limits(const config::Deployment& deployment) const {
  return std::any_of(skipped_.begin(), skipped_.end(), [&](const SkippedDeployment& s) {
    return s.deployment == &deployment && s.reason != SkipReason::context_window;
  });
}

const config::Deployment* RequestPlan::pick(const Candidates& healthy, TimePoint now) {
  const Strategy* strategy = router_.strategy();
  if (strategy == nullptr) {
    return choose_deployment({healthy.data(), healthy.size()}, {failed_.data(), failed_.size()}, rng_);
  }
  const Candidates eligible = eligible_candidates({healthy.data(), healthy.size()}, {failed_.data(), failed_.size()});
  PickContext context{router_.live_stats(), now, overrides_.stream, input_tokens(), rng_};
  return strategy->pick({eligible.data(), eligible.size()}, context);
}

std::int64_t RequestPlan::input_tokens() const {
  return overrides_.prompt_tokens.value_or(std::max<std::int64_t>(0, overrides_.body_bytes / 4));
}

void RequestPlan::note_skipped(const config::Deployment& deployment, const std::string& group, SkipReason reason) {
  for (const auto& skipped : skipped_) {
    if (skipped.deployment == &deployment && skipped.reason == reason) return;
  }
  skipped_.push_back(SkippedDeployment{&deployment, group, reason});
}

}  // namespace llmux::router
