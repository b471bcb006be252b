#include "gateway/attempt_timeouts.hpp"

#include <algorithm>
#include <optional>

#include "text/checked_number.hpp"

namespace llmux::gateway {

using std::chrono::milliseconds;

AttemptTimeouts attempt_timeouts(const api::RequestView& view, const config::Deployment& deployment,
                                 const config::Config& config) {
  const milliseconds cap = text::seconds_to_ms(config.server.max_request_timeout_seconds, text::kLongestWait);
  // What the client asked, held to the cap; a configured value longer than the cap is the cap
  // for that field, so asking never shortens what the operator allowed.
  const auto held = [cap](std::optional<double> asked, milliseconds configured) {
    if (!asked) return configured;
    return text::seconds_to_ms(*asked, std::max(cap, configured));
  };
  const auto configured_seconds = [](double seconds) { return text::seconds_to_ms(seconds, text::kLongestWait); };

  const milliseconds configured_timeout =
      configured_seconds(deployment.timeout_seconds.value_or(config.router.timeout_seconds));
  const milliseconds timeout = held(view.timeout_seconds, configured_timeout);
  const std::optional<double> configured_stream =
      deployment.stream_timeout_seconds ? deployment.stream_timeout_seconds : config.router.stream_timeout_seconds;
  // With no stream_timeout anywhere, a stream waits as long as the whole call may take.
  const milliseconds stream_timeout =
      held(view.stream_timeout_seconds, configured_stream ? configured_seconds(*configured_stream) : timeout);
  return AttemptTimeouts{view.stream ? stream_timeout : timeout, stream_timeout};
}

}  // namespace llmux::gateway
