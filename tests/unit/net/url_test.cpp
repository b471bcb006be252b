#include "net/url.hpp"

#include <gtest/gtest.h>

namespace llmux::net {
namespace {

TEST(UrlParse, HttpWithPortAndPath) {
  const auto t = parse_base_url("http://127.0.0.1:8000/v1");
  ASSERT_TRUE(t);
  EXPECT_FALSE(t->tls);
  EXPECT_EQ(t->host, "127.0.0.1");
  EXPECT_EQ(t->port, "8000");
  EXPECT_EQ(t->base_path, "/v1");
  EXPECT_EQ(t->origin(), "http://127.0.0.1:8000");
  EXPECT_EQ(t->authority(), "127.0.0.1:8000");
}

TEST(UrlParse, DefaultPorts) {
  const auto http = parse_base_url("http://example.com");
  ASSERT_TRUE(http);
  EXPECT_EQ(http->port, "80");
  EXPECT_EQ(http->base_path, "");
  EXPECT_EQ(http->origin(), "http://example.com");

  const auto https = parse_base_url("https://api.openai.com/v1/");
  ASSERT_TRUE(https);
  EXPECT_TRUE(https->tls);
  EXPECT_EQ(https->port, "443");
  EXPECT_EQ(https->base_path, "/v1");
  EXPECT_EQ(https->origin(), "https://api.openai.com");
  EXPECT_EQ(https->authority(), "api.openai.com");

  const auto explicit_default = parse_base_url("https://api.openai.com:443");
  ASSERT_TRUE(explicit_default);
  EXPECT_EQ(explicit_default->authority(), "api.openai.com");
  const auto empty_port = parse_base_url("http://host:/x");
  ASSERT_TRUE(empty_port);
  EXPECT_EQ(empty_port->port, "80");
}

TEST(UrlParse, NonDefaultPortOnHttps) {
  const auto t = parse_base_url("https://gw.internal:8443/openai/v1");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->origin(), "https://gw.internal:8443");
  EXPECT_EQ(t->base_path, "/openai/v1");
}

TEST(UrlParse, Ipv6Literal) {
  const auto t = parse_base_url("http://[::1]:8000/v1");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->host, "::1");
  EXPECT_EQ(t->port, "8000");
  EXPECT_EQ(t->origin(), "http://[::1]:8000");
  EXPECT_EQ(t->authority(), "[::1]:8000");
  const auto full = parse_base_url("https://[2001:db8::7]/");
  ASSERT_TRUE(full);
  EXPECT_EQ(full->host, "2001:db8::7");
  EXPECT_EQ(full->origin(), "https://[2001:db8::7]");
}

TEST(UrlParse, NormalisesCaseTrailingSlashesAndPortDigits) {
  const auto t = parse_base_url("HTTPS://API.Example.COM:0443//v1//");
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->tls);
  EXPECT_EQ(t->host, "api.example.com");
  EXPECT_EQ(t->port, "443");
  EXPECT_EQ(t->base_path, "//v1");
}

TEST(UrlParse, KeepsPathPercentEncoding) {
  const auto t = parse_base_url("http://h/a%20b/");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->base_path, "/a%20b");
}

TEST(UrlParse, Rejects) {
  for (const char* bad :
       {"", "api.openai.com", "/v1", "ftp://host/", "http://", "http:///path", "http://host:0",
        "http://host:65536", "http://host:99999", "http://host:70000", "http://host:99999999", "http://user:pw@host/", "http://host/?q=1",
        "http://host/#frag", "http://host:port/", "http://host:8a/", "http://[v1.fe]/", "http://ho st/"}) {
    EXPECT_FALSE(parse_base_url(bad)) << bad;
  }
}

}  // namespace
}  // namespace llmux::net
