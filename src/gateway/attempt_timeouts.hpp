#pragma once

// How long one attempt may take: the request's `timeout` / `stream_timeout`, else the
// deployment's, else router_settings' (LiteLLM's order, reference §3.6), as durations a timer can
// be given. A client's value is held to llmux_settings.max_request_timeout (or to the configured
// value it replaces, when that is longer): a client asking for 1e10 s gets the cap, not an
// overflowed deadline that has already passed.

#include <chrono>

#include "api/request_view.hpp"
#include "config/config.hpp"

namespace llmux::gateway {

struct AttemptTimeouts {
  std::chrono::milliseconds whole;       // the attempt's deadline, from its start (a stream's first byte when streaming)
  std::chrono::milliseconds first_byte;  // stream_timeout: the wait for each streamed read
};

AttemptTimeouts attempt_timeouts(const api::RequestView& view, const config::Deployment& deployment,
                                 const config::Config& config);

}  // namespace llmux::gateway
