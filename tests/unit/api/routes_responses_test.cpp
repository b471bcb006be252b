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

}  // namespace
}  // namespace llmux::api
