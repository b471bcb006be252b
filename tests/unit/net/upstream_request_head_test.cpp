#include "net/upstream_request_head.hpp"

#include <gtest/gtest.h>

namespace llmux::net::detail {
namespace {

TEST(UpstreamRequestHead, PostAlwaysCarriesContentLength) {
  std::string out = "stale bytes from the previous request";
  UpstreamRequest request;
  request.target = "/v1/embeddings?x=1";
  ASSERT_FALSE(build_request_head(out, "api.openai.com", request));
  EXPECT_EQ(out,
            "POST /v1/embeddings?x=1 HTTP/1.1\r\nHost: api.openai.com\r\nContent-Length: 0\r\n"
            "Connection: keep-alive\r\n\r\n");
}

TEST(UpstreamRequestHead, GetWithoutBodyHasNoContentLength) {
  std::string out;
  UpstreamRequest request;
  request.method = "GET";
  request.target = "";
  request.headers = {{"Accept", "application/json"}};
  ASSERT_FALSE(build_request_head(out, "[::1]:8000", request));
  EXPECT_EQ(
      out,
      "GET / HTTP/1.1\r\nHost: [::1]:8000\r\nAccept: application/json\r\nConnection: keep-alive\r\n\r\n");
}

TEST(UpstreamRequestHead, ExtraHeadersFollowTheCallersAndAreCheckedTheSameWay) {
  const std::vector<std::pair<std::string, std::string>> configured = {{"X-Team", "alpha"}, {"Host", "evil"}};
  std::string out;
  UpstreamRequest request;
  request.target_path = "/chat/completions";
  request.bearer_token = "sk-1";
  request.headers = {{"Accept", "application/json"}};
  request.extra_headers = configured;
  ASSERT_FALSE(build_request_head(out, "up", request));
  EXPECT_EQ(out,
            "POST /chat/completions HTTP/1.1\r\nHost: up\r\nAuthorization: Bearer sk-1\r\nAccept: application/json\r\n"
            "X-Team: alpha\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n");
  const std::vector<std::pair<std::string, std::string>> split = {{"X-A", "a\r\nX-B: b"}};
  request.extra_headers = split;
  EXPECT_EQ(build_request_head(out, "up", request), "request header 'X-A' has a line break or control character");
}

TEST(UpstreamRequestHead, DropsHeadersTheClientManages) {
  std::string out;
  UpstreamRequest request;
  request.target = "/v1/messages";
  request.body = "{}";
  request.headers = {{"HOST", "x"},
                     {"content-length", "99"},
                     {"Connection", "close"},
                     {"Transfer-Encoding", "chunked"},
                     {"Keep-Alive", "timeout=5"},
                     {"Upgrade", "h2c"},
                     {"x-api-key", "sk-ant"},
                     {"anthropic-version", "2023-06-01"}};
  ASSERT_FALSE(build_request_head(out, "api.anthropic.com", request));
  EXPECT_EQ(out,
            "POST /v1/messages HTTP/1.1\r\nHost: api.anthropic.com\r\nx-api-key: sk-ant\r\n"
            "anthropic-version: 2023-06-01\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\n");
}

TEST(UpstreamRequestHead, BorrowedPartsGoWhereTheirFieldsWould) {
  std::string out;
  UpstreamRequest request;
  request.target_base = "/v1";
  request.target_path = "/chat/completions";
  request.content_type = "application/json";
  request.bearer_token = "sk-test";
  request.headers = {{"x-extra", "1"}};
  request.body = "{}";
  ASSERT_FALSE(build_request_head(out, "h:1", request));
  EXPECT_EQ(out,
            "POST /v1/chat/completions HTTP/1.1\r\nHost: h:1\r\nContent-Type: application/json\r\n"
            "Authorization: Bearer sk-test\r\nx-extra: 1\r\nContent-Length: 2\r\n"
            "Connection: keep-alive\r\n\r\n");

  UpstreamRequest bare;
  bare.target_path = "/embeddings";
  ASSERT_FALSE(build_request_head(out, "h", bare));
  EXPECT_EQ(out,
            "POST /embeddings HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n")
      << "empty borrowed parts send nothing";
}

TEST(UpstreamRequestHead, RefusesBorrowedPartsThatWouldSplitTheRequest) {
  std::string out;
  UpstreamRequest with_key;
  with_key.bearer_token = "sk-one\r\nX-Injected: 1";
  const auto refused = build_request_head(out, "h", with_key);
  ASSERT_TRUE(refused);
  EXPECT_EQ(*refused, "request header 'Authorization' has a line break or control character");
  EXPECT_EQ(refused->find("sk-one"), std::string::npos) << "the key is never quoted";

  UpstreamRequest with_type;
  with_type.content_type = "a\nb";
  EXPECT_TRUE(build_request_head(out, "h", with_type));
  UpstreamRequest with_base;
  with_base.target_base = "/v1 x";
  EXPECT_TRUE(build_request_head(out, "h", with_base));
  UpstreamRequest with_path;
  with_path.target_path = "/a\r\n";
  EXPECT_TRUE(build_request_head(out, "h", with_path));
}

TEST(UpstreamRequestHead, RefusesWhatWouldSplitTheRequest) {
  std::string out;
  const auto invalid = [&](UpstreamRequest request) {
    return build_request_head(out, "h", request).has_value();
  };
  UpstreamRequest base;
  base.target = "/ok";
  EXPECT_FALSE(invalid(base));

  UpstreamRequest r = base;
  r.headers = {{"X-A", "v\r\nInjected: 1"}};
  EXPECT_TRUE(invalid(r));
  r.headers = {{"X-A", "v\nx"}};
  EXPECT_TRUE(invalid(r));
  r.headers = {{"X A", "v"}};
  EXPECT_TRUE(invalid(r));
  r.headers = {{"", "v"}};
  EXPECT_TRUE(invalid(r));
  r.headers = {{"X-Tab", "a\tb"}};
  EXPECT_FALSE(invalid(r)) << "HTAB is legal in a field value";

  r = base;
  r.method = "PO ST";
  EXPECT_TRUE(invalid(r));
  r = base;
  r.target = "/a b";
  EXPECT_TRUE(invalid(r));
  r.target = "/a\r\nHost: evil";
  EXPECT_TRUE(invalid(r));
}

}  // namespace
}  // namespace llmux::net::detail
