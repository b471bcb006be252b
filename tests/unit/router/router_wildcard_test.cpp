// Wildcard deployments through the Router and a RequestPlan: which pattern serves a name, what the
// upstream is asked for, exact names and aliases first, fallbacks into a wildcard, no cooldowns.

#include <gtest/gtest.h>

#include "router/router.hpp"
#include "router_test_support.hpp"

namespace llmux::router {
namespace {

using namespace testing;

config::Deployment wildcard(const std::string& model_name, const std::string& provider, const std::string& model,
                            const std::string& id) {
  config::Deployment d = deployment(model_name, id);
  d.provider = provider;
  d.litellm_model = provider + "/" + model;
  d.upstream_model = model;
  return d;
}

config::Config wildcards() {
  config::Config c;
  c.deployments.push_back(wildcard("*", "hosted_vllm", "*", "catch-all"));
  c.deployments.push_back(wildcard("openai/*", "openai", "*", "openai-any"));
  c.deployments.push_back(deployment("openai/gpt-4o", "exact-4o"));
  c.deployments.push_back(wildcard("anthropic/*", "anthropic", "*", "anthropic-any"));
  c.deployments.push_back(wildcard("team-*", "openai", "gpt-4o-mini", "team-fixed"));
  c.deployments.push_back(wildcard("llmengine/*", "openai", "prefix-*", "llmengine"));
  c.router.model_group_alias["best"] = {.target = "anthropic/claude-opus-4", .hidden = false};
  return c;
}

std::string served_by(const Router& router, std::string_view name) {
  const auto group = router.group(name);
  return group.empty() ? "<none>" : group.front()->id();
}

TEST(RouterWildcards, TheMostSpecificPatternServesANameExactNamesFirst) {
  Fixture fx(wildcards());
  EXPECT_EQ(served_by(fx.router, "openai/gpt-4o"), "exact-4o");            // exact beats openai/*
  EXPECT_EQ(served_by(fx.router, "openai/gpt-4o-mini"), "openai-any");     // openai/* beats *
  EXPECT_EQ(served_by(fx.router, "anthropic/claude-3-5"), "anthropic-any");
  EXPECT_EQ(served_by(fx.router, "team-alpha"), "team-fixed");
  EXPECT_EQ(served_by(fx.router, "mistral-7b"), "catch-all");
  EXPECT_EQ(fx.router.resolve_group("openai/gpt-4o-mini"), "openai/gpt-4o-mini");  // the group is the name
  EXPECT_EQ(fx.router.resolve_group("best"), "anthropic/claude-opus-4");           // alias onto a wildcard
}

TEST(RouterWildcards, ABareNameIsAlsoTriedWithItsInferredProvider) {
  config::Config c;
  c.deployments.push_back(wildcard("openai/*", "openai", "*", "openai-any"));
  c.deployments.push_back(wildcard("anthropic/*", "anthropic", "*", "anthropic-any"));
  Fixture fx(std::move(c));
  EXPECT_EQ(served_by(fx.router, "gpt-4o"), "openai-any");
  EXPECT_EQ(served_by(fx.router, "claude-3-haiku"), "anthropic-any");
  EXPECT_EQ(fx.router.upstream_model_for("gpt-4o", fx.dep("openai-any")), "gpt-4o");
  EXPECT_EQ(fx.router.resolve_group("mistral-7b"), std::nullopt);  // no provider to infer
}

TEST(RouterWildcards, UpstreamModelIsTheCaptureSubstitutedIntoTheDeploymentsModel) {
  Fixture fx(wildcards());
  EXPECT_EQ(fx.router.upstream_model_for("openai/gpt-4o-mini", fx.dep("openai-any")), "gpt-4o-mini");
  EXPECT_EQ(fx.router.upstream_model_for("anthropic/claude-3-5", fx.dep("anthropic-any")), "claude-3-5");
  EXPECT_EQ(fx.router.upstream_model_for("llmengine/foo", fx.dep("llmengine")), "prefix-foo");
  // `*` with `hosted_vllm/*`: the whole name, provider prefix and all, as LiteLLM sends it.
  EXPECT_EQ(fx.router.upstream_model_for("meta/llama-3", fx.dep("catch-all")), "meta/llama-3");
  // No star in litellm_params.model: the deployment's own model, for every name.
  EXPECT_EQ(fx.router.upstream_model_for("team-alpha", fx.dep("team-fixed")), "");
  // Exact deployments never substitute.
  EXPECT_EQ(fx.router.upstream_model_for("openai/gpt-4o", fx.dep("exact-4o")), "");
}

TEST(RouterWildcards, ListsThePatternsThemselvesAsLiteLLMDoes) {
  Fixture fx(wildcards());
  EXPECT_EQ(fx.router.listed_models(),
            (std::vector<std::string>{"*", "openai/*", "openai/gpt-4o", "anthropic/*", "team-*", "llmengine/*", "best"}));
}

TEST(RouterWildcards, APlanAttemptsTheWildcardWithTheSubstitutedModel) {
  Fixture fx(wildcards());
  RequestPlan plan(fx.router, "openai/gpt-4o-mini", {}, 1);
  const auto step = plan.next(t0());
  ASSERT_EQ(step.type, RequestPlan::Step::Type::attempt);
  EXPECT_EQ(step.deployment->id(), "openai-any");
  EXPECT_EQ(step.upstream_model, "gpt-4o-mini");
  EXPECT_EQ(plan.attempts().back().upstream_model, "gpt-4o-mini");
  EXPECT_EQ(plan.current_group(), "openai/gpt-4o-mini");
}

TEST(RouterWildcards, FallsBackIntoAWildcard) {
  auto c = wildcards();
  c.deployments.push_back(deployment("local", "local-1"));
  c.router.fallbacks.push_back(rule("local", {"openai/gpt-4o-mini"}));
  Fixture fx(std::move(c));
  RequestPlan plan(fx.router, "local", {}, 1);
  auto now = t0();
  const auto run = drive(plan, failing_on({"local-1"}, bad_request()), now);
  EXPECT_TRUE(run.succeeded);
  EXPECT_EQ(run.attempted, (std::vector<std::string>{"local-1", "openai-any"}));
  EXPECT_EQ(plan.attempts().back().upstream_model, "gpt-4o-mini");
  EXPECT_EQ(plan.current_group(), "openai/gpt-4o-mini");
}

TEST(RouterWildcards, AnUnknownFallbackIsPassedOverAndNamed) {
  config::Config c;
  c.deployments.push_back(deployment("local", "local-1"));
  c.deployments.push_back(deployment("backup", "backup-1"));
  c.router.fallbacks.push_back(rule("local", {"nowhere", "backup"}));
  Fixture fx(std::move(c));
  RequestPlan plan(fx.router, "local", {}, 1);
  auto now = t0();
  const auto run = drive(plan, failing_on({"local-1"}, bad_request()), now);
  EXPECT_EQ(run.attempted, (std::vector<std::string>{"local-1", "backup-1"}));
  ASSERT_EQ(plan.unknown_fallbacks().size(), 1u);
  EXPECT_EQ(plan.unknown_fallbacks()[0], "nowhere");
}

TEST(RouterWildcards, WildcardDeploymentsAreNeverCooledDown) {
  Fixture fx(wildcards());
  const auto& any = fx.dep("openai-any");
  const auto& exact = fx.dep("exact-4o");
  fx.router.record_failure(any, rate_limited(), t0());
  fx.router.record_failure(exact, rate_limited(), t0());
  EXPECT_FALSE(fx.router.in_cooldown(any, t0()));
  EXPECT_TRUE(fx.router.in_cooldown(exact, t0()));
}

}  // namespace
}  // namespace llmux::router
