#pragma once

// The confidence rule of a model group (llmux_settings.confidence_routing), for the few places
// that act on one: the gateway's escalation and the adapters that forward its score header.

#include <string_view>

#include "config/config.hpp"

namespace llmux::config {

inline const ConfidenceRule* confidence_rule(const Config& config, std::string_view group) {
  if (config.server.confidence_routing.empty()) return nullptr;
  const auto found = config.server.confidence_routing.find(std::string(group));
  return found == config.server.confidence_routing.end() ? nullptr : &found->second;
}

// The upstream header a group's rule reads its score from; empty when none.
inline std::string_view confidence_header(const Config& config, std::string_view group) {
  const ConfidenceRule* rule = confidence_rule(config, group);
  return rule ? std::string_view(rule->confidence_header) : std::string_view();
}

}  // namespace llmux::config
