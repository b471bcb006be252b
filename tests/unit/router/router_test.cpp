#include "router/router.hpp"

#include <gtest/gtest.h>

#include "router_test_support.hpp"

namespace llmux::router {
namespace {

using namespace testing;

config::Config groups_and_aliases() {
  config::Config c;
  c.deployments.push_back(deployment("llama", "llama-1"));
  c.deployments.push_back(deployment("claude", "claude-1"));
  c.deployments.push_back(deployment("llama", "llama-2"));
  c.router.model_group_alias["fast"] = {.target = "llama", .hidden = false};
  c.router.model_group_alias["internal-fast"] = {.target = "llama", .hidden = true};
  c.router.model_group_alias["dangling"] = {.target = "nope", .hidden = false};
  c.router.model_group_alias["claude"] = {.target = "llama", .hidden = false};  // shadows a group
  return c;
}

TEST(Router, GroupsListDeploymentsInConfigOrder) {
  Fixture fx(groups_and_aliases());
  auto llama = fx.router.group("llama");
  ASSERT_EQ(llama.size(), 2u);
  EXPECT_EQ(llama[0]->id(), "llama-1");
  EXPECT_EQ(llama[1]->id(), "llama-2");
  EXPECT_EQ(llama[0], &fx.snapshot->deployments[0]);
  EXPECT_TRUE(fx.router.group("unknown").empty());
}

TEST(Router, KnowsWhetherAnyDeploymentIsTagged) {
  EXPECT_FALSE(Fixture(groups_and_aliases()).router.has_tagged_deployments());
  auto tagged = groups_and_aliases();
  tagged.deployments.back().tags = {"premium"};
  EXPECT_TRUE(Fixture(std::move(tagged)).router.has_tagged_deployments());
}

TEST(Router, AccessGroupsAreTheUnionOverTheGroupsDeploymentsThroughAliases) {
  auto config = groups_and_aliases();
  config.deployments[0].model_info.access_groups = {"beta", "internal"};
  config.deployments[2].model_info.access_groups = {"internal", "paid"};
  Fixture fx(std::move(config));
  EXPECT_EQ(fx.router.access_groups_of("llama"), (std::vector<std::string>{"beta", "internal", "paid"}));
  EXPECT_EQ(fx.router.access_groups_of("fast"), fx.router.access_groups_of("llama"));
  EXPECT_TRUE(fx.router.access_groups_of("unknown").empty());
}

TEST(Router, ResolvesGroupsAndAliases) {
  Fixture fx(groups_and_aliases());
  EXPECT_EQ(fx.router.resolve_group("llama"), "llama");
  EXPECT_EQ(fx.router.resolve_group("fast"), "llama");
  EXPECT_EQ(fx.router.resolve_group("internal-fast"), "llama");  // hidden aliases still route
  EXPECT_EQ(fx.router.resolve_group("unknown"), std::nullopt);
  EXPECT_EQ(fx.router.resolve_group("dangling"), std::nullopt);
  EXPECT_EQ(fx.router.resolve_group("Llama"), std::nullopt);  // names are case-sensitive
}

TEST(Router, AliasWinsOverAGroupOfTheSameName) {
  Fixture fx(groups_and_aliases());
  EXPECT_EQ(fx.router.resolve_group("claude"), "llama");
}

TEST(Router, ListedModelsAreGroupsInConfigOrderThenVisibleAliases) {
  Fixture fx(groups_and_aliases());
  EXPECT_EQ(fx.router.listed_models(), (std::vector<std::string>{"llama", "claude", "fast"}));
}

TEST(Router, ExposesTheConfigSnapshot) {
  Fixture fx(groups_and_aliases());
  EXPECT_EQ(&fx.router.config(), fx.snapshot.get());
}

}  // namespace
}  // namespace llmux::router
