// What the client is told about a call's route: the x-litellm-* and x-llmux-route headers.

#include "gateway/route_report.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <regex>

#include "../router/router_test_support.hpp"

namespace llmux::gateway {
namespace {

using namespace router::testing;

std::string printf_milliseconds(std::chrono::steady_clock::duration d) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.3f", std::chrono::duration<double, std::milli>(d).count());
  return buffer;
}

TEST(RouteReport, MillisecondsAreWrittenExactlyAsPrintfWrites) {
  using std::chrono::nanoseconds;
  for (long long ns : {0LL, 1LL, 499LL, 500LL, 501LL, 1499LL, 1500LL, 2500LL, 999'999LL, 1'000'000LL, 1'234'567LL,
                       12'345'500LL, 987'654'321LL, 3'600'000'000'000LL, 999'999'999'999'499LL,
                       999'999'999'999'501LL, 1'000'000'000'000'001LL, -1'500LL, -2'000'000LL}) {
    EXPECT_EQ(milliseconds_text(nanoseconds(ns)).view(), printf_milliseconds(nanoseconds(ns))) << ns;
  }
  for (long long ns = 1; ns < 50'000'000'000LL; ns = ns * 7 + 13) {
    ASSERT_EQ(milliseconds_text(nanoseconds(ns)).view(), printf_milliseconds(nanoseconds(ns))) << ns;
  }
  // Every rounding case near a microsecond boundary, ties included, at several magnitudes.
  for (long long base : {0LL, 7'000LL, 123'456'000LL, 98'765'432'000LL}) {
    for (long long ns = base + 490; ns <= base + 1510; ++ns) {
      ASSERT_EQ(milliseconds_text(nanoseconds(ns)).view(), printf_milliseconds(nanoseconds(ns))) << ns;
    }
  }
}

config::Config two_groups() {
  config::Config c;
  auto primary = deployment("primary", "p1");
  primary.api_base = "http://10.0.0.1:8000/v1?token=secret";
  c.deployments.push_back(primary);
  c.deployments.push_back(deployment("backup", "b1"));
  c.router.num_retries = 0;
  c.router.fallbacks.push_back(rule("primary", {"backup"}));
  return c;
}

TEST(RouteReport, HeadersNameEveryAttemptInOrder) {
  Fixture fx(two_groups());
  router::RequestPlan plan(fx.router, "primary", {}, 1);
  router::TimePoint now = t0();
  auto run = drive(plan, failing_on({"p1"}, server_error()), now);
  ASSERT_TRUE(run.succeeded);

  CallTiming timing;
  timing.started = std::chrono::steady_clock::now() - std::chrono::milliseconds(5);
  timing.upstream = std::chrono::milliseconds(3);
  const net::HeaderList list = route_headers("call-1", plan, &fx.dep("b1"), timing);
  const std::vector<net::Header> headers(list.begin(), list.end());

  std::vector<std::string> names;
  for (const auto& [name, value] : headers) names.push_back(std::string(name));
  EXPECT_EQ(names, (std::vector<std::string>{"x-litellm-call-id", "x-request-id", "x-litellm-model-id",
                                             "x-litellm-model-api-base", "x-litellm-model-group",
                                             "x-litellm-attempted-retries", "x-litellm-attempted-fallbacks",
                                             "x-litellm-response-duration-ms", "x-litellm-overhead-duration-ms",
                                             "x-llmux-route"}));
  EXPECT_EQ(headers[0].second, "call-1");
  EXPECT_EQ(headers[1].second, "call-1");
  EXPECT_EQ(headers[2].second, "b1");
  EXPECT_EQ(headers[3].second, "http://127.0.0.1:1/v1");
  EXPECT_EQ(headers[4].second, "backup");
  EXPECT_EQ(headers[5].second, "0");
  EXPECT_EQ(headers[6].second, "1");
  const std::regex milliseconds(R"(\d+\.\d{3})");
  const std::string response_ms(headers[7].second), overhead_ms(headers[8].second);
  EXPECT_TRUE(std::regex_match(response_ms, milliseconds)) << response_ms;
  EXPECT_TRUE(std::regex_match(overhead_ms, milliseconds)) << overhead_ms;
  EXPECT_GE(std::stod(response_ms), 5.0);
  EXPECT_LT(std::stod(overhead_ms), std::stod(response_ms));
  EXPECT_EQ(headers[9].second, "primary[openai/p1]:internal(500), backup[openai/b1]:ok");
  EXPECT_EQ(describe_route(plan), headers[9].second);
}

TEST(RouteReport, ApiBaseIsShownWithoutItsQuery) {
  Fixture fx(two_groups());
  router::RequestPlan plan(fx.router, "primary", {}, 1);
  router::TimePoint now = t0();
  ASSERT_TRUE(drive(plan, succeed(), now).succeeded);
  const net::HeaderList list = route_headers("c", plan, &fx.dep("p1"), CallTiming{std::chrono::steady_clock::now()});
  const std::vector<net::Header> headers(list.begin(), list.end());
  ASSERT_EQ(headers[3].first, "x-litellm-model-api-base");
  EXPECT_EQ(headers[3].second, "http://10.0.0.1:8000/v1");
  EXPECT_EQ(headers.back().second, "primary[openai/p1]:ok");
}

TEST(RouteReport, NoServingDeploymentLeavesItsHeadersOut) {
  Fixture fx(two_groups());
  router::RequestPlan plan(fx.router, "primary", {}, 1);
  router::TimePoint now = t0();
  ASSERT_FALSE(drive(plan, always(rate_limited()), now).succeeded);
  const net::HeaderList list = route_headers("c", plan, nullptr, CallTiming{std::chrono::steady_clock::now()});
  const std::vector<net::Header> headers(list.begin(), list.end());
  for (const auto& [name, value] : headers) {
    EXPECT_NE(name, "x-litellm-model-id");
    EXPECT_NE(name, "x-litellm-model-api-base");
  }
  EXPECT_EQ(headers.back().second, "primary[openai/p1]:rate_limited(429), backup[openai/b1]:rate_limited(429)");
}

TEST(RouteReport, ConfigTextCannotSplitAHeader) {
  config::Config c;
  auto evil = deployment("grp\r\nx-evil: 1", "m1");
  evil.api_base = "http://h/v1\r\nSet-Cookie: a=b";
  evil.litellm_model = "openai/m\n1\x7f\xc3\xa9";
  c.deployments.push_back(evil);
  c.router.num_retries = 0;
  Fixture fx(c);
  router::RequestPlan plan(fx.router, "grp\r\nx-evil: 1", {}, 1);
  router::TimePoint now = t0();
  ASSERT_TRUE(drive(plan, succeed(), now).succeeded);
  const net::HeaderList list = route_headers("c", plan, &fx.dep("m1"), CallTiming{std::chrono::steady_clock::now()});
  EXPECT_EQ(list.find("x-litellm-model-api-base"), "http://h/v1??Set-Cookie: a=b");
  EXPECT_EQ(list.find("x-litellm-model-group"), "grp??x-evil: 1");
  EXPECT_EQ(list.find("x-llmux-route"), "grp??x-evil: 1[openai/m?1???]:ok");
  EXPECT_EQ(describe_route(plan), list.find("x-llmux-route"));
  // One line per header, no more.
  std::size_t lines = 0;
  for (std::size_t at = list.wire().find("\r\n"); at != std::string_view::npos; at = list.wire().find("\r\n", at + 2))
    ++lines;
  EXPECT_EQ(lines, list.size());
  EXPECT_EQ(list.find("x-evil"), "");
}

TEST(RouteReport, HeadersCallersAddFitInTheSameBuffer) {
  Fixture fx(two_groups());
  router::RequestPlan plan(fx.router, "primary", {}, 1);
  router::TimePoint now = t0();
  ASSERT_TRUE(drive(plan, failing_on({"p1"}, server_error()), now).succeeded);
  net::HeaderList headers =
      route_headers("0b6f2a7e-3c1d-4e8f-9a2b-5c6d7e8f9a0b", plan, &fx.dep("b1"), CallTiming{std::chrono::steady_clock::now()});
  const char* const storage = headers.wire().data();
  // What an answer usually adds: the upstream's forwarded headers, the cost, a key's limits.
  headers.emplace_back("llm_provider-x-request-id", "req_0123456789abcdef0123456789");
  headers.emplace_back("llm_provider-openai-processing-ms", "123");
  headers.emplace_back("x-litellm-response-cost", "0.00012345");
  headers.emplace_back("x-ratelimit-limit-requests", "1000");
  headers.emplace_back("x-ratelimit-remaining-requests", "999");
  headers.emplace_back("x-ratelimit-limit-tokens", "100000");
  headers.emplace_back("x-ratelimit-remaining-tokens", "99000");
  EXPECT_EQ(headers.wire().data(), storage);  // no reallocation: one allocation per answer
}

}  // namespace
}  // namespace llmux::gateway
