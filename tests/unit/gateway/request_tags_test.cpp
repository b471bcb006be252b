// x-litellm-tags as LiteLLM reads it: comma-separated, trimmed, empty entries dropped.

#include <gtest/gtest.h>

#include "gateway/request_tags.hpp"

namespace llmux::gateway {
namespace {

using Tags = std::vector<std::string>;

TEST(HeaderTags, CommaSeparatedAndTrimmed) {
  EXPECT_EQ(header_tags("team-api,production, us-east-1", 10), (Tags{"team-api", "production", "us-east-1"}));
  EXPECT_EQ(header_tags("  free  ", 10), (Tags{"free"}));
  EXPECT_EQ(header_tags("a,,b, ,", 10), (Tags{"a", "b"}));
  EXPECT_EQ(header_tags("", 10), Tags{});
  EXPECT_EQ(header_tags("a,a,b,a", 10), (Tags{"a", "b"}));
  EXPECT_EQ(header_tags("!premium,&eu", 10), (Tags{"!premium", "&eu"}));  // markers pass through
}

TEST(HeaderTags, MoreThanTheLimitIsRefused) {
  EXPECT_TRUE(header_tags("a,b,c", 3));
  EXPECT_FALSE(header_tags("a,b,c,d", 3));
  EXPECT_FALSE(header_tags("a,a,a,a", 3));  // repeats count: the bound is on the work, not the result
}

}  // namespace
}  // namespace llmux::gateway
