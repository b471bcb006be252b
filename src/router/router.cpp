#include "router/router.hpp"

#include <algorithm>
#include <cassert>

#include "config/provider_prefix.hpp"

namespace llmux::router {

Router::Router(config::ConfigPtr config) : config_(std::move(config)) {
  assert(config_ != nullptr);
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
}

const config::Config& Router::config() const { return *config_; }

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
