#include "gateway/attempt_timeouts.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <optional>

namespace llmux::gateway {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

struct Case {
  const char* what;
  std::optional<double> timeout, stream_timeout;  // the request's
  bool stream = false;
  std::optional<double> deployment_timeout, deployment_stream_timeout;
  std::optional<double> router_stream_timeout;
  milliseconds whole, first_byte;
};

TEST(AttemptTimeouts, ClientValuesAreHeldToTheCap) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  const milliseconds cap = seconds(6000);  // llmux_settings.max_request_timeout's default
  const Case cases[] = {
      {"nothing asked: router_settings.timeout", {}, {}, false, {}, {}, {}, seconds(6000), seconds(6000)},
      {"a short timeout is honoured", 2.5, {}, false, {}, {}, {}, milliseconds(2500), milliseconds(2500)},
      {"1e10 s is the cap, not an overflow", 1e10, {}, false, {}, {}, {}, cap, cap},
      {"1e300 s", 1e300, {}, false, {}, {}, {}, cap, cap},
      {"infinity (1e400 in the body)", inf, inf, true, {}, {}, {}, cap, cap},
      {"a stream's first byte: stream_timeout", 30, 1e12, true, {}, {}, {}, cap, cap},
      {"stream_timeout honoured", 30, 4, true, {}, {}, {}, seconds(4), seconds(4)},
      {"non-stream call keeps its timeout", 30, 4, false, {}, {}, {}, seconds(30), seconds(4)},
      {"a deployment's longer timeout is the cap for it", 1e10, {}, false, 9000, {}, {}, seconds(9000),
       seconds(9000)},
      {"a deployment's timeout, less asked", 8000, {}, false, 9000, {}, {}, seconds(8000), seconds(8000)},
      {"a configured stream_timeout", {}, {}, true, {}, 12, {}, seconds(12), seconds(12)},
      {"router stream_timeout, client asks more", {}, 1e9, true, {}, {}, 20, cap, cap},
  };
  for (const Case& c : cases) {
    config::Config config;
    config::Deployment deployment;
    deployment.timeout_seconds = c.deployment_timeout;
    deployment.stream_timeout_seconds = c.deployment_stream_timeout;
    config.router.stream_timeout_seconds = c.router_stream_timeout;
    api::RequestView view;
    view.timeout_seconds = c.timeout;
    view.stream_timeout_seconds = c.stream_timeout;
    view.stream = c.stream;
    const AttemptTimeouts got = attempt_timeouts(view, deployment, config);
    EXPECT_EQ(got.whole, c.whole) << c.what;
    EXPECT_EQ(got.first_byte, c.first_byte) << c.what;
  }
}

TEST(AttemptTimeouts, TheCapIsSettable) {
  config::Config config;
  config.server.max_request_timeout_seconds = 60;
  api::RequestView view;
  view.timeout_seconds = 600;
  EXPECT_EQ(attempt_timeouts(view, config::Deployment{}, config).whole, seconds(600))
      << "router_settings.timeout (6000 s) is longer than the cap: it is the cap for this field";
  config.router.timeout_seconds = 30;
  EXPECT_EQ(attempt_timeouts(view, config::Deployment{}, config).whole, seconds(60));
  view.timeout_seconds = 45;
  EXPECT_EQ(attempt_timeouts(view, config::Deployment{}, config).whole, seconds(45));
}

}  // namespace
}  // namespace llmux::gateway
