#pragma once

// The route of one request, as a sans-I/O state machine: retries within a group, moves between its
// deployments, fallbacks to other groups. The executor asks `next(now)`, performs the step, and reports.
//
//   requested group ──[attempt × (1 + num_retries), backoff between]──▶ fallback groups in order,
//   each with its own retries and its own fallbacks (depth shared, max_fallbacks) ──▶ give_up

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "router/failure.hpp"
#include "router/pre_call_checks.hpp"
#include "router/request_overrides.hpp"
#include "router/selection.hpp"
#include "router/skip_reason.hpp"

namespace llmux::router {

class Router;  // router.hpp includes this header, so that one include gives the whole routing API

struct AttemptRecord {  // one entry of the route taken, for response headers and logs
  const config::Deployment* deployment;
  std::string group;
  int fallback_depth;              // 0 = the requested group
  bool cooldown_bypassed;          // tried although cooling down (nothing else was left)
  std::optional<Failure> failure;  // nullopt = success (or still running)
  // What the deployment was asked for when a wildcard serves the group ("gpt-4o-mini" by
  // `openai/*`); empty = the deployment's own upstream_model.
  std::string upstream_model;
};

class RequestPlan {  // one per request, single-threaded
 public:
  // `group` may be an alias; an unknown group yields give_up at once, with no attempt.
  // `router` must outlive the plan.
  RequestPlan(const Router& router, std::string group, RequestOverrides overrides, std::uint64_t seed);

  struct Step {
    enum class Type { attempt, wait, give_up } type;
    const config::Deployment* deployment = nullptr;  // for attempt
    std::chrono::milliseconds wait{0};               // for wait
    // For attempt: attempts().back().upstream_model, valid until the next call to next().
    std::string_view upstream_model;
  };
  Step next(TimePoint now);                              // what to do now
  void report_success(TimePoint now);                    // the last attempt succeeded (records health)
  void report_failure(const Failure& f, TimePoint now);  // the last attempt failed (records health)

  std::span<const AttemptRecord> attempts() const;
  int attempted_retries() const;      // LiteLLM x-litellm-attempted-retries: attempts in the last group - 1
  int max_retries() const;            // LiteLLM x-litellm-max-retries: num_retries of the last group
  int attempted_fallbacks() const;    // x-litellm-attempted-fallbacks: fallback groups entered
  std::string current_group() const;  // group of the last attempt, else the requested one
  std::vector<std::string> fallbacks_tried() const;  // fallback groups entered, in order
  // Deployments left out before any call (pre-call checks, strategy limits), each once per reason.
  std::span<const SkippedDeployment> skipped() const { return {skipped_.data(), skipped_.size()}; }
  // The last deployment the prompt did not fit (pre-call checks); with no attempt made, the
  // request ends in LiteLLM's ContextWindowExceededError.
  const std::optional<ContextWindowMiss>& context_window_miss() const { return context_window_miss_; }
  // When a deployment left out for its rpm/tpm or its upstream's rate limit frees up again (the
  // earliest); nullopt when no limit left one out. With no attempt made, the answer is a 429.
  std::optional<TimePoint> limits_free_at() const { return limits_free_at_; }
  // Fallback targets that named no group (nor alias, nor anything a wildcard serves), in the order
  // they were passed over: a misconfigured entry must not end the chain, nor go unseen.
  std::span<const std::string> unknown_fallbacks() const { return unknown_fallbacks_; }
  // Set when the last attempt's deployment was a sticky pick (router/affinity.hpp): by which identity.
  std::optional<AffinitySource> last_pick_affinity() const { return last_pick_affinity_; }

 private:
  enum class GroupState {
    choosing,      // next attempt: the first, or a move to a sibling after an auth-like failure
    retry_due,     // next attempt is a retry after a retryable failure (backoff first)
    falling_back,  // done with this group; walking its fallback list
  };
  struct GroupFrame {
    GroupFrame(std::string group, int fallback_depth) : name(std::move(group)), depth(fallback_depth) {}
    std::string name;
    int depth = 0;
    GroupState state = GroupState::choosing;
    int attempts = 0;
    int retries_used = 0;
    std::optional<int> num_retries;  // fixed by the group's first attempt
    bool backoff_taken = false;
    const config::Deployment* last_deployment = nullptr;
    std::optional<Failure> last_failure;
    std::vector<std::string> fallbacks;
    std::size_t next_fallback = 0;
  };
  struct SkippedGroup {  // entered but never attempted: every deployment was cooling down
    std::string name;
    int depth;
  };

  // overrides_.deployment_filter, and the prompt fits the deployment's context window.
  bool allowed(const config::Deployment& deployment) const;
  // Notes the group's deployments the prompt does not fit; true when that leaves none of those
  // the request may use (so the group is done as if it had failed with context_window_exceeded).
  bool note_context_window_skips(const std::string& group);
  // The sticky pick among `healthy` when `group` has an affinity check and the request the identity
  // it reads; nullptr otherwise (the strategy picks).
  const config::Deployment* sticky_pick(const std::string& group, const Candidates& healthy);
  Candidates healthy_candidates(const std::string& group, TimePoint now) const;
  // Drops (and notes) the deployments over their minute's rpm/tpm or their upstream's own limit.
  void skip_over_limits(const std::string& group, Candidates& healthy, TimePoint now);
  bool skipped_for_limits(const config::Deployment& deployment) const;
  // The routing strategy's pick (simple-shuffle: choose_deployment, reading no stats).
  const config::Deployment* pick(const Candidates& healthy, TimePoint now);
  std::int64_t input_tokens() const;
  // The group's deployment (not ruled out for this request) whose cooldown ends first.
  Candidates first_to_recover(const std::string& group, TimePoint now) const;
  bool has_fallbacks_left(const GroupFrame& frame) const;
  std::chrono::milliseconds backoff_before_retry(const GroupFrame& frame, const Candidates& healthy);
  int num_retries_for(const config::Deployment& first_choice) const;
  int max_fallbacks() const;
  void start_falling_back(GroupFrame& frame);
  bool enter_next_fallback();  // pushes a frame; invalidates references into stack_
  Step bypass_or_give_up(TimePoint now);
  Step begin_attempt(const config::Deployment* deployment, std::string group, int depth, bool bypassed);
  // Records that `deployment` of `group` was left out for `reason` (once per deployment and reason).
  void note_skipped(const config::Deployment& deployment, const std::string& group, SkipReason reason);

  const Router& router_;
  RequestOverrides overrides_;
  Rng rng_;
  std::string requested_group_;
  // Inline room for a request that stays in its group or takes one fallback, so a plan allocates
  // nothing per request beyond group names too long for std::string's own buffer.
  template <class T, std::size_t N>
  using Inline = boost::container::small_vector<T, N>;
  Inline<GroupFrame, 2> stack_;            // fallback recursion, innermost group last
  Inline<std::string, 2> entered_groups_;  // requested group first; a group is entered at most once
  std::vector<SkippedGroup> skipped_for_cooldown_;
  Inline<const config::Deployment*, 4> failed_;    // failed in this request: picked last
  Inline<const config::Deployment*, 4> excluded_;  // auth/not-found/permission: never again here
  Inline<AttemptRecord, 2> attempts_;
  std::vector<SkippedDeployment> skipped_;  // empty, and never allocated, unless a check skips
  std::optional<ContextWindowMiss> context_window_miss_;
  std::optional<TimePoint> limits_free_at_;
  std::vector<std::string> unknown_fallbacks_;
  std::optional<AffinitySource> last_pick_affinity_;
  int fallbacks_entered_ = 0;
  int last_max_retries_ = 0;
  bool in_flight_ = false;
  bool finished_ = false;
  bool bypass_used_ = false;
};

}  // namespace llmux::router
