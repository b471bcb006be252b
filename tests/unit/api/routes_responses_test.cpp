#include <gtest/gtest.h>

#include "api/routes.hpp"

namespace llmux::api {
namespace {

TEST(RoutesResponses, PostWithAndWithoutV1) {
  EXPECT_EQ(match_route("POST", "/v1/responses").route, Route::responses_create);
  EXPECT_EQ(match_route("POST", "/responses").route, Route::responses_create);
  EXPECT_EQ(match_route("POST", "/v1/responses/").route, Route::responses_create);
  EXPECT_TRUE(match_route("POST", "/v1/responses").method_allowed);
  EXPECT_FALSE(match_route("GET", "/v1/responses").method_allowed);
  EXPECT_EQ(canonical_route_name(Route::responses_create), "/v1/responses");
  EXPECT_FALSE(is_admin_route(Route::responses_create));
}

TEST(RoutesResponses, TheRoutesOfOneStoredResponse) {
  const RouteMatch get = match_route("GET", "/v1/responses/resp_abc");
  EXPECT_EQ(get.route, Route::responses_retrieve);
  EXPECT_EQ(get.response_id, "resp_abc");
  EXPECT_TRUE(get.method_allowed);
  const RouteMatch del = match_route("DELETE", "/responses/resp_abc/");
  EXPECT_EQ(del.route, Route::responses_delete);
  EXPECT_EQ(del.response_id, "resp_abc");
  EXPECT_TRUE(del.method_allowed);
  EXPECT_FALSE(match_route("PUT", "/v1/responses/resp_abc").method_allowed);
  const RouteMatch items = match_route("GET", "/v1/responses/resp_abc/input_items");
  EXPECT_EQ(items.route, Route::responses_input_items);
  EXPECT_EQ(items.response_id, "resp_abc");
  EXPECT_FALSE(match_route("DELETE", "/v1/responses/resp_abc/input_items").method_allowed);
  const RouteMatch cancel = match_route("POST", "/responses/resp_abc/cancel");
  EXPECT_EQ(cancel.route, Route::responses_cancel);
  EXPECT_TRUE(cancel.method_allowed);
  EXPECT_FALSE(match_route("GET", "/v1/responses/resp_abc/cancel").method_allowed);
  EXPECT_EQ(match_route("GET", "/v1/responses/resp_abc/other").route, Route::not_found);
  EXPECT_EQ(match_route("GET", "/v1/responses//input_items").route, Route::not_found);
}

}  // namespace
}  // namespace llmux::api
