#pragma once

// The request reader's bounds, as llmux_settings sets them.

#include "api/request_view.hpp"
#include "config/config.hpp"

namespace llmux::gateway {

inline api::ReadLimits read_limits(const config::Config& config) {
  return api::ReadLimits{.max_object_keys = config.server.max_json_object_keys,
                         .max_list_items = config.server.max_routing_list_items};
}

}  // namespace llmux::gateway
