#include "router/fallbacks.hpp"

#include <algorithm>

#include "router/router.hpp"

namespace llmux::router {
namespace {

std::vector<std::string> lookup(const std::optional<std::vector<std::string>>& override_list,
                                const std::vector<config::FallbackRule>& rules, std::string_view group) {
  if (override_list) return *override_list;
  if (const auto* targets = find_fallback_rule(rules, group)) return *targets;
  return {};
}

}  // namespace

const std::vector<std::string>* find_fallback_rule(const std::vector<config::FallbackRule>& rules,
                                                   std::string_view group) {
  const std::vector<std::string>* wildcard = nullptr;
  for (const auto& rule : rules) {
    if (rule.group == group) return &rule.targets;
    if (rule.group == "*" && wildcard == nullptr) wildcard = &rule.targets;
  }
  return wildcard;
}

std::vector<std::string> fallback_targets(const config::RouterSettings& settings,
                                          const RequestOverrides& overrides, std::string_view group,
                                          std::optional<ErrorKind> last_failure) {
  std::vector<std::string> specific;
  if (last_failure == ErrorKind::context_window_exceeded) {
    specific = lookup(overrides.context_window_fallbacks, settings.context_window_fallbacks, group);
  } else if (last_failure == ErrorKind::content_policy) {
    specific = lookup(overrides.content_policy_fallbacks, settings.content_policy_fallbacks, group);
  }
  if (!specific.empty()) return specific;
  return lookup(overrides.fallbacks, settings.fallbacks, group);
}

std::vector<std::string> reachable_groups(const Router& router, const RequestOverrides& overrides,
                                          std::string_view group) {
  std::vector<std::string> reached;
  const auto start = router.resolve_group(group);
  if (!start) return reached;
  reached.push_back(*start);
  if (overrides.disable_fallbacks) return reached;
  const config::RouterSettings& settings = router.config().router;
  // Breadth first over the fallback graph; `reached` doubles as the queue and the visited set.
  for (std::size_t next = 0; next < reached.size(); ++next) {
    const std::string current = reached[next];
    const std::vector<std::string> lists[] = {
        lookup(overrides.fallbacks, settings.fallbacks, current),
        lookup(overrides.context_window_fallbacks, settings.context_window_fallbacks, current),
        lookup(overrides.content_policy_fallbacks, settings.content_policy_fallbacks, current)};
    for (const auto& targets : lists) {
      for (const auto& name : targets) {
        const auto target = router.resolve_group(name);
        if (target && std::find(reached.begin(), reached.end(), *target) == reached.end())
          reached.push_back(*target);
      }
    }
  }
  return reached;
}

}  // namespace llmux::router
