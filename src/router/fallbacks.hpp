#pragma once

// Which groups to fall back to when a group has failed: the fallback rules, looked up by error kind.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "router/error_kind.hpp"
#include "router/request_overrides.hpp"

namespace llmux::router {

// The rule list keyed exactly by `group`, else the `"*"` entry (default_fallbacks), else empty.
const std::vector<std::string>* find_fallback_rule(const std::vector<config::FallbackRule>& rules,
                                                   std::string_view group);

// Fallback targets (unresolved names, in order) for `group` after its last failure:
//  - context_window_exceeded → context_window_fallbacks, content_policy → content_policy_fallbacks;
//    when that yields nothing, the generic list (LiteLLM falls through when no such list is set);
//  - anything else (or no failure: every deployment was cooling down) → the generic `fallbacks`.
// A request override list, when present, replaces the config rule of the same list.
std::vector<std::string> fallback_targets(const config::RouterSettings& settings,
                                          const RequestOverrides& overrides, std::string_view group,
                                          std::optional<ErrorKind> last_failure);

class Router;

// Every group a request for `group` may end up on: the group itself first, then each group any
// fallback list (generic, context-window, content-policy; request overrides replacing config rules)
// can lead to, transitively, resolved to canonical names, each once. Empty for an unknown group;
// just the group with disable_fallbacks. Used to bound what a call may cost before it is planned.
std::vector<std::string> reachable_groups(const Router& router, const RequestOverrides& overrides,
                                          std::string_view group);

}  // namespace llmux::router
