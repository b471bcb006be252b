#include "gateway/tenant_admission.hpp"

#include <algorithm>
#include <deque>
#include <memory>
#include <vector>

#include "config/provider_prefix.hpp"
#include "tenancy/access.hpp"
#include "tenancy/key_checks.hpp"
#include "tenancy/key_material.hpp"
#include "tenancy/tag_routing.hpp"

namespace llmux::gateway {
namespace {

// The key first, then its team and user: the order LiteLLM checks and names them in.
template <class Entity, class Make>
std::vector<Entity> entities_of(const TenantCaller& caller, Make make) {
  std::vector<Entity> out;
  out.push_back(make(tenancy::EntityKind::key, caller.key->token_hash, caller.key->limits, caller.key->spend,
                     caller.key->budget_reset_at));
  if (caller.team)
    out.push_back(make(tenancy::EntityKind::team, caller.team->team_id, caller.team->limits,
                       caller.team->spend, caller.team->budget_reset_at));
  if (caller.user)
    out.push_back(make(tenancy::EntityKind::user, caller.user->user_id, caller.user->limits,
                       caller.user->spend, caller.user->budget_reset_at));
  return out;
}

void append_limit_headers(const tenancy::RateLimitHeaders& limits, net::HeaderList& headers) {
  auto add = [&headers](const char* name, const std::optional<std::int64_t>& value) {
    if (value) headers.emplace_back(name, std::to_string(*value));
  };
  add("x-ratelimit-limit-requests", limits.limit_requests);
  add("x-ratelimit-remaining-requests", limits.remaining_requests);
  add("x-ratelimit-limit-tokens", limits.limit_tokens);
  add("x-ratelimit-remaining-tokens", limits.remaining_tokens);
}

// Tag routing's verdict per model group, decided the first time the request's plan looks at the
// group: the "default"-tag fallback of tenancy::tag_predicate depends on the group's whole set of
// deployments, so a fallback group cannot reuse the requested group's decision.
class GroupTagRules {
 public:
  GroupTagRules(const router::Router& router, tenancy::TagList tags, tenancy::TagRoutingOptions options)
      : router_(router), tags_(std::move(tags)), options_(options) {}

  // Decides `group` (if not yet) and returns the refusal when its tags rule every deployment out.
  std::optional<tenancy::Denial> decide(const std::string& group, std::string_view model) {
    Verdict& verdict = verdict_for(group, model);
    return verdict.refusal;
  }

  bool admits(const config::Deployment& deployment) {
    const Verdict& verdict = verdict_for(deployment.model_name, deployment.model_name);
    if (verdict.refusal) return false;
    return !verdict.predicate || (*verdict.predicate)(deployment.tags);
  }

 private:
  struct Verdict {
    std::string group;
    std::optional<tenancy::TagPredicate> predicate;  // none: the group has no tagged deployment
    std::optional<tenancy::Denial> refusal;
  };

  Verdict& verdict_for(const std::string& group, std::string_view model) {
    for (auto& verdict : verdicts_) {
      if (verdict.group == group) return verdict;
    }
    Verdict& verdict = verdicts_.emplace_back();
    verdict.group = group;
    std::vector<const tenancy::TagList*> candidate_tags;
    bool any_tagged = false;
    for (const config::Deployment* deployment : router_.group(group)) {
      candidate_tags.push_back(&deployment->tags);
      any_tagged = any_tagged || !deployment->tags.empty();
    }
    if (!any_tagged) return verdict;
    auto decided = tenancy::tag_predicate(model, tags_, candidate_tags, options_);
    if (auto* denial = std::get_if<tenancy::Denial>(&decided)) {
      verdict.refusal = std::move(*denial);
    } else {
      verdict.predicate = std::get<tenancy::TagPredicate>(std::move(decided));
    }
    return verdict;
  }

  const router::Router& router_;
  tenancy::TagList tags_;
  tenancy::TagRoutingOptions options_;
  std::deque<Verdict> verdicts_;  // few groups per request; a deque keeps references stable
};

}  // namespace

std::variant<TenantCaller, tenancy::Denial> identify_key(TenantServices& tenants, std::string_view raw_key,
                                                         tenancy::Timestamp now) {
  // LiteLLM's wording (user_api_key_auth.py) without the key itself: error bodies never carry it.
  tenancy::Denial unknown{
      401, "auth_error",
      "Authentication Error, Invalid proxy server token passed. Unable to find token in cache or "
      "`LiteLLM_VerificationTokenTable`",
      std::nullopt, std::nullopt};
  if (!tenancy::has_virtual_key_prefix(raw_key)) return unknown;
  TenantCaller caller;
  caller.key = tenants.directory.find_key(tenancy::hash_key(raw_key));
  if (!caller.key) return unknown;
  if (caller.key->team_id) caller.team = tenants.directory.find_team(*caller.key->team_id);
  if (caller.key->user_id) caller.user = tenants.directory.find_user(*caller.key->user_id);
  if (auto denial = tenancy::check_key_state(*caller.key, caller.team.get(), now)) return std::move(*denial);
  return caller;
}

std::variant<TenantAdmission, tenancy::Denial> admit_call(TenantServices& tenants, const TenantCaller& caller,
                                                          std::string_view requested_model,
                                                          tenancy::Timestamp now,
                                                          net::HeaderList& denial_headers,
                                                          const CostEstimator& estimate,
                                                          const tenancy::AccessLookups& access_rules) {
  TenantAdmission admission;
  auto access = tenancy::check_model_access(*caller.key, caller.team.get(), caller.user.get(), requested_model,
                                            access_rules);
  if (access.denial) return std::move(*access.denial);
  admission.model = std::move(access.model);

  const auto limited = entities_of<tenancy::LimitedEntity>(
      caller, [](tenancy::EntityKind kind, const std::string& id, const tenancy::Limits& limits, double,
                 const std::optional<tenancy::Timestamp>&) {
        return tenancy::LimitedEntity{{kind, id}, &limits};
      });
  // No token estimate: LiteLLM's limiter charges tokens after the call, so tpm bites from the next one.
  auto admitted = tenants.rate_limiter.admit(limited, 0, now);
  if (auto* exceeded = std::get_if<tenancy::RateLimitExceeded>(&admitted)) {
    tenancy::Denial denial = exceeded->to_denial();
    denial_headers.emplace_back("Retry-After", std::to_string(exceeded->retry_after.count()));
    const bool tokens = exceeded->type == tenancy::RateLimitType::tokens;
    denial_headers.emplace_back(tokens ? "x-ratelimit-limit-tokens" : "x-ratelimit-limit-requests",
                                std::to_string(exceeded->limit));
    denial_headers.emplace_back(tokens ? "x-ratelimit-remaining-tokens" : "x-ratelimit-remaining-requests",
                                std::to_string(exceeded->remaining));
    return denial;
  }
  admission.limits = std::move(std::get<tenancy::RateLimitAdmission>(admitted));
  append_limit_headers(admission.limits.headers(), admission.headers);

  const auto budgeted = entities_of<tenancy::BudgetedEntity>(
      caller, [](tenancy::EntityKind kind, const std::string& id, const tenancy::Limits& limits, double spend,
                 const std::optional<tenancy::Timestamp>& reset_at) {
        return tenancy::BudgetedEntity{{kind, id}, &limits, spend, reset_at};
      });
  // The call's likely cost is held against every budget until it settles to the real cost, so a
  // burst of parallel calls cannot all pass a check made before any of them is charged (LiteLLM
  // checks spend >= max_budget only, with an estimate of 0, and overshoots under concurrency).
  const bool budgeted_at_all = std::any_of(budgeted.begin(), budgeted.end(), [](const auto& entity) {
    return entity.limits->max_budget.has_value();
  });
  const double likely_cost = budgeted_at_all && estimate ? estimate(admission.model) : 0.0;
  auto reserved = tenants.budget_ledger.reserve(budgeted, likely_cost, now);
  if (auto* exceeded = std::get_if<tenancy::BudgetExceeded>(&reserved)) {
    denial_headers = admission.headers;
    return exceeded->to_denial();
  }
  admission.budget = std::move(std::get<tenancy::BudgetReservation>(reserved));
  return admission;
}

std::variant<DeploymentFilter, tenancy::Denial> tag_filter(const TenantCaller* caller,
                                                           const router::Router& router,
                                                           const std::string& group, std::string_view model,
                                                           const std::vector<std::string>& request_tags) {
  if (!router.has_tagged_deployments()) return DeploymentFilter{};
  const tenancy::TagRoutingOptions options{.match_any = router.config().router.tag_filtering_match_any};
  auto rules = std::make_shared<GroupTagRules>(
      router,
      tenancy::request_tags(caller ? caller->key.get() : nullptr, caller ? caller->team.get() : nullptr,
                            request_tags),
      options);
  // The requested group is decided now: refusing it is the caller's answer (401).
  if (auto denial = rules->decide(group, model)) return std::move(*denial);
  // The plan calls the filter on one thread (the request's), so the shared cache needs no lock.
  return DeploymentFilter(
      [rules](const config::Deployment& deployment) { return rules->admits(deployment); });
}

tenancy::AccessLookups access_lookups(const router::Router& router) {
  tenancy::AccessLookups lookups;
  lookups.access_groups_of = [&router](std::string_view model) { return router.access_groups_of(model); };
  // A key listing "openai/*" may call a bare "gpt-4o", as the wildcard deployment serves it.
  lookups.infer_provider = [](std::string_view model) -> std::optional<std::string> {
    if (const auto provider = config::infer_provider(model)) return std::string(*provider);
    return std::nullopt;
  };
  return lookups;
}

bool key_may_use_model(const TenantCaller& caller, const router::Router& router, std::string_view name) {
  const auto access = tenancy::check_model_access(*caller.key, caller.team.get(), caller.user.get(), name,
                                                  access_lookups(router));
  return !access.denial && router.resolve_group(access.model).has_value();
}

std::vector<std::string> models_for_key(const TenantCaller& caller, const router::Router& router) {
  std::vector<std::string> names = router.listed_models();
  if (caller.team) {
    for (const auto& [alias, target] : caller.team->model_aliases) names.push_back(alias);
  }
  for (const auto& [alias, target] : caller.key->aliases) names.push_back(alias);
  std::vector<std::string> usable;
  for (auto& name : names) {
    if (std::find(usable.begin(), usable.end(), name) != usable.end()) continue;
    if (key_may_use_model(caller, router, name)) usable.push_back(std::move(name));
  }
  return usable;
}

void settle_call(TenantServices& tenants, const TenantCaller& caller, TenantAdmission& admission,
                 const providers::Usage& usage, double cost, bool success, tenancy::Timestamp now) {
  if (success && usage.known) {
    admission.limits.settle(usage.prompt_tokens, usage.completion_tokens, now);
  } else {
    admission.limits.release();
  }
  if (cost > 0) {
    admission.budget.settle(cost, now);
    tenants.directory.add_spend(caller.key->token_hash, caller.key->team_id, caller.key->user_id, cost);
  } else {
    admission.budget.release();
  }
}

}  // namespace llmux::gateway
