#include "router/router.hpp"

#include <algorithm>
#include <cassert>
#include <functional>

#include "router/local_live_stats.hpp"
#include "router/strategy.hpp"
#include "router/usage_limits.hpp"

#include "config/provider_prefix.hpp"

namespace llmux::router {

namespace {

// LiteLLM's cost-based-routing price when the gateway gave none: the deployment's own prices,
// else 5.0 for each side it lacks.
std::vector<double> own_costs(const config::Config& config) {
  std::vector<double> costs;
  costs.reserve(config.deployments.size());
  for (const auto& d : config.deployments) {
    costs.push_back(d.model_info.input_cost_per_token.value_or(5.0) + d.model_info.output_cost_per_token.value_or(5.0));
  }
  return costs;
}

}  // namespace

Router::Router(config::ConfigPtr config, RouterInputs inputs) : config_(std::move(config)) {
  assert(config_ != nullptr);
  max_input_tokens_ = std::move(inputs.max_input_tokens);
  max_input_tokens_.resize(config_->deployments.size());
  for (std::size_t i = 0; i < config_->deployments.size(); ++i) {
    if (!max_input_tokens_[i]) max_input_tokens_[i] = config_->deployments[i].model_info.max_input_tokens;
  }
  for (const auto& deployment : config_->deployments) {
    has_tagged_deployments_ = has_tagged_deployments_ || !deployment.tags.empty();
    if (ModelPattern::is_pattern(deployment.model_name)) {
      auto same = std::find_if(patterns_.begin(), patterns_.end(),
                               [&](const PatternGroup& p) { return p.pattern.name() == deployment.model_name; });
      if (same == patterns_.end()) {
        group_names_.push_back(deployment.model_name);
        same = patterns_.insert(patterns_.end(), PatternGroup{ModelPattern(deployment.model_name), {}});
      }
      same->deployments.push_back(&deployment);
      continue;
    }
    auto [it, inserted] = groups_.try_emplace(deployment.model_name);
    if (inserted) group_names_.push_back(deployment.model_name);
    it->second.push_back(&deployment);
  }
  // Python's sorted(reverse=True) is stable: equally specific patterns keep config order.
  std::stable_sort(patterns_.begin(), patterns_.end(), [](const PatternGroup& a, const PatternGroup& b) {
    return a.pattern.specificity() > b.pattern.specificity();
  });
  health_ = std::make_unique<DeploymentHealth>(*config_);
  live_stats_ = std::make_unique<LocalLiveStats>(*config_, inputs.utc_minus_steady);
  if (inputs.costs_per_token.size() != config_->deployments.size()) inputs.costs_per_token = own_costs(*config_);
  strategy_ = make_strategy(*config_, std::move(inputs.costs_per_token));
  rpm_tpm_are_limits_ = router::rpm_tpm_are_limits(config_->router);
  reads_upstream_hints_ = router::reads_upstream_hints(config_->router);
  tracks_live_stats_ = strategy_ != nullptr || rpm_tpm_are_limits_;
}

Router::~Router() = default;

LiveStats& Router::live_stats() const { return *live_stats_; }

std::optional<std::int64_t> Router::rpm_exceeded_at_start(const config::Deployment& deployment,
                                                          std::int64_t minute_requests) const {
  if (config_->router.routing_strategy != config::RoutingStrategy::usage_based_v2 || !deployment.rpm) {
    return std::nullopt;
  }
  if (minute_requests > *deployment.rpm) return deployment.rpm;
  return std::nullopt;
}

const config::Config& Router::config() const { return *config_; }

std::optional<std::int64_t> Router::max_input_tokens(const config::Deployment& deployment) const {
  const auto& all = config_->deployments;
  const std::less<const config::Deployment*> before;
  if (all.empty() || before(&deployment, all.data()) || !before(&deployment, all.data() + all.size())) {
    return deployment.model_info.max_input_tokens;  // a copy, not one of this snapshot's
  }
  return max_input_tokens_[static_cast<std::size_t>(&deployment - all.data())];
}

std::optional<std::string> Router::resolve_group(std::string_view requested) const {
  const auto& aliases = config_->router.model_group_alias;
  if (auto alias = aliases.find(std::string(requested)); alias != aliases.end()) {
    requested = alias->second.target;
  }
  if (groups_.find(requested) != groups_.end() || wildcard(requested)) return std::string(requested);
  return std::nullopt;
}

std::optional<Router::WildcardMatch> Router::wildcard(std::string_view name) const {
  if (patterns_.empty()) return std::nullopt;
  const auto first_match = [this](std::string_view form) -> const PatternGroup* {
    for (const PatternGroup& p : patterns_) {
      if (p.pattern.match(form)) return &p;
    }
    return nullptr;
  };
  if (const PatternGroup* p = first_match(name)) return WildcardMatch{&p->pattern, p->deployments, std::string(name)};
  // LiteLLM's second try is "<provider>/<name>", the provider as get_llm_provider tells it: the
  // name's own known prefix, else inferred from the model family. A name with no provider gets none.
  std::optional<std::string_view> provider;
  if (const auto slash = name.find('/'); slash != std::string_view::npos) {
    const std::string_view prefix = name.substr(0, slash);
    if (config::find_provider(prefix) || config::is_unsupported_litellm_provider(prefix)) provider = prefix;
  }
  if (!provider) provider = config::infer_provider(name);
  if (!provider) return std::nullopt;
  std::string qualified = std::string(*provider) + "/" + std::string(name);
  if (const PatternGroup* p = first_match(qualified)) return WildcardMatch{&p->pattern, p->deployments, std::move(qualified)};
  return std::nullopt;
}

std::string Router::upstream_model_for(std::string_view group, const config::Deployment& deployment) const {
  if (!ModelPattern::is_pattern(deployment.model_name) || groups_.contains(group)) return {};
  const auto served = wildcard(group);
  if (!served || served->pattern->name() != deployment.model_name) return {};
  if (deployment.litellm_model.find('*') == std::string::npos) return {};
  // Substituted into litellm_params.model as written, then its provider prefix taken off the way
  // the config loader takes it off: "openai/*" serving "openai/gpt-4o-mini" asks for "gpt-4o-mini".
  const auto captures = served->pattern->match(served->matched);
  std::string model = substitute_captures(deployment.litellm_model, *captures, served->matched);
  const std::string prefix = deployment.provider + "/";
  if (model.starts_with(prefix)) model.erase(0, prefix.size());
  return model;
}

std::vector<std::string> Router::access_groups_of(std::string_view requested) const {
  std::vector<std::string> groups;
  const auto name = resolve_group(requested);
  if (!name) return groups;
  for (const config::Deployment* deployment : group(*name)) {
    for (const auto& access_group : deployment->model_info.access_groups) {
      if (std::find(groups.begin(), groups.end(), access_group) == groups.end()) groups.push_back(access_group);
    }
  }
  return groups;
}

std::vector<std::string> Router::listed_models() const {
  std::vector<std::string> listed = group_names_;
  for (const auto& [alias, entry] : config_->router.model_group_alias) {
    if (entry.hidden || (!groups_.contains(entry.target) && !wildcard(entry.target))) continue;
    if (std::find(listed.begin(), listed.end(), alias) == listed.end()) listed.push_back(alias);
  }
  return listed;
}

std::span<const config::Deployment* const> Router::group(std::string_view name) const {
  auto it = groups_.find(name);
  if (it != groups_.end()) return it->second;
  if (auto served = wildcard(name)) return served->deployments;
  return {};
}

void Router::record_success(const config::Deployment& deployment, TimePoint now) {
  health_->record_success(deployment, now);
}

void Router::record_failure(const config::Deployment& deployment, const Failure& failure, TimePoint now) {
  health_->record_failure(deployment, failure, now);
}

bool Router::in_cooldown(const config::Deployment& deployment, TimePoint now) const {
  return health_->in_cooldown(deployment, now);
}

std::optional<TimePoint> Router::cooldown_ends(const config::Deployment& deployment, TimePoint now) const {
  return health_->cooldown_ends(deployment, now);
}

DeploymentHealth& Router::health() const { return *health_; }

}  // namespace llmux::router
