// Sticky picks by weighted rendezvous hashing: stable per caller, shares that follow the weights,
// minimal movement when the set of deployments changes, and the plan's fall-through past a
// deployment that failed or is cooling down.

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "router/affinity.hpp"
#include "router/request_plan.hpp"
#include "router_test_support.hpp"

namespace llmux::router {
namespace {

using namespace testing;
using Pointers = std::vector<const config::Deployment*>;

std::vector<config::Deployment> weighted(std::vector<std::pair<std::string, double>> ids_and_weights) {
  std::vector<config::Deployment> out;
  for (auto& [id, w] : ids_and_weights) {
    auto d = deployment("A", id);
    if (w > 0) d.weight = w;
    out.push_back(std::move(d));
  }
  return out;
}

Pointers pointers(const std::vector<config::Deployment>& ds) {
  Pointers out;
  for (const auto& d : ds) out.push_back(&d);
  return out;
}

std::string caller(int i) { return "user-" + std::to_string(i); }

TEST(Affinity, TheSameCallerGetsTheSameDeploymentEveryTime) {
  const auto ds = weighted({{"a", 1}, {"b", 1}, {"c", 1}});
  const auto ps = pointers(ds);
  for (int i = 0; i < 200; ++i) {
    const auto* first = rendezvous_pick(ps, caller(i));
    ASSERT_NE(first, nullptr);
    for (int again = 0; again < 3; ++again) EXPECT_EQ(rendezvous_pick(ps, caller(i)), first);
    // The order the deployments are listed in plays no part.
    Pointers reversed(ps.rbegin(), ps.rend());
    EXPECT_EQ(rendezvous_pick(reversed, caller(i)), first);
  }
}

TEST(Affinity, SharesFollowTheWeightsOverManyCallers) {
  const auto ds = weighted({{"a", 9}, {"b", 1}});
  const auto ps = pointers(ds);
  std::map<std::string, int> hits;
  constexpr int kCallers = 20000;
  for (int i = 0; i < kCallers; ++i) ++hits[rendezvous_pick(ps, caller(i))->id()];
  const double share_b = static_cast<double>(hits["b"]) / kCallers;
  EXPECT_NEAR(share_b, 0.10, 0.01);

  const auto three = weighted({{"a", 1}, {"b", 2}, {"c", 5}});
  const auto ps3 = pointers(three);
  std::map<std::string, int> hits3;
  for (int i = 0; i < kCallers; ++i) ++hits3[rendezvous_pick(ps3, caller(i))->id()];
  EXPECT_NEAR(hits3["a"] / double(kCallers), 1.0 / 8, 0.01);
  EXPECT_NEAR(hits3["b"] / double(kCallers), 2.0 / 8, 0.012);
  EXPECT_NEAR(hits3["c"] / double(kCallers), 5.0 / 8, 0.012);
}

TEST(Affinity, UnweightedGroupsSplitEvenlyAndUnweightedMembersOfWeightedGroupsGetNothing) {
  const auto even = weighted({{"a", 0}, {"b", 0}, {"c", 0}, {"d", 0}});
  const auto ps = pointers(even);
  std::map<std::string, int> hits;
  for (int i = 0; i < 8000; ++i) ++hits[rendezvous_pick(ps, caller(i))->id()];
  for (const char* id : {"a", "b", "c", "d"}) EXPECT_NEAR(hits[id] / 8000.0, 0.25, 0.02) << id;

  const auto mixed = weighted({{"a", 3}, {"b", 0}});
  const auto pm = pointers(mixed);
  for (int i = 0; i < 500; ++i) EXPECT_EQ(rendezvous_pick(pm, caller(i))->id(), "a");
}

TEST(Affinity, AddingADeploymentMovesOnlyTheCallersItWins) {
  const auto before = weighted({{"a", 1}, {"b", 1}, {"c", 1}});
  auto after = before;
  after.push_back(deployment("A", "d"));
  after.back().weight = 1;
  const auto pb = pointers(before), pa = pointers(after);
  int moved = 0;
  constexpr int kCallers = 12000;
  for (int i = 0; i < kCallers; ++i) {
    const std::string old_id = rendezvous_pick(pb, caller(i))->id();
    const std::string new_id = rendezvous_pick(pa, caller(i))->id();
    if (old_id != new_id) {
      ++moved;
      EXPECT_EQ(new_id, "d") << "a caller moved between two deployments that were both there before";
    }
  }
  EXPECT_NEAR(moved / double(kCallers), 0.25, 0.02);  // d's share, and no more
}

TEST(Affinity, RemovingADeploymentMovesOnlyItsCallers) {
  const auto before = weighted({{"a", 2}, {"b", 1}, {"c", 1}});
  const std::vector<config::Deployment> after{before[0], before[2]};  // b removed
  const auto pb = pointers(before), pa = pointers(after);
  for (int i = 0; i < 5000; ++i) {
    const std::string old_id = rendezvous_pick(pb, caller(i))->id();
    if (old_id != "b") EXPECT_EQ(rendezvous_pick(pa, caller(i))->id(), old_id);
  }
}

TEST(Affinity, WhichIdentityAppliesFollowsTheConfig) {
  config::RouterSettings settings;
  AffinityKeys keys{"sess-1", "alice", "hash-k"};
  EXPECT_FALSE(affinity_for(settings, "A", keys));  // nothing enabled

  settings.affinity.caller = true;
  auto applied = affinity_for(settings, "A", keys);
  ASSERT_TRUE(applied);
  EXPECT_EQ(applied->source, AffinitySource::user);
  EXPECT_EQ(applied->key, "alice");

  AffinityKeys key_only{"", "", "hash-k"};
  EXPECT_EQ(affinity_for(settings, "A", key_only)->source, AffinitySource::key);

  settings.affinity.session = true;
  EXPECT_EQ(affinity_for(settings, "A", keys)->source, AffinitySource::session);

  // model_group_affinity_config replaces the global checks for the groups it names; the other
  // groups keep the global ones.
  settings.group_affinity["B"] = config::AffinityChecks{.caller = false, .session = true};
  EXPECT_EQ(affinity_for(settings, "A", AffinityKeys{"", "alice", ""})->source, AffinitySource::user);
  EXPECT_EQ(affinity_for(settings, "B", keys)->source, AffinitySource::session);
  EXPECT_FALSE(affinity_for(settings, "B", AffinityKeys{"", "alice", ""}));

  config::RouterSettings per_group_only;
  per_group_only.group_affinity["B"] = config::AffinityChecks{.caller = true, .session = false};
  EXPECT_FALSE(affinity_for(per_group_only, "A", keys));
  EXPECT_EQ(affinity_for(per_group_only, "B", keys)->source, AffinitySource::user);
}

config::Config sticky_group() {
  config::Config c;
  for (const char* id : {"a1", "a2", "a3"}) c.deployments.push_back(deployment("A", id));
  c.router.affinity.caller = true;
  c.router.num_retries = 2;
  return c;
}

RequestOverrides as_user(const std::string& user) {
  RequestOverrides o;
  o.affinity.user = user;
  return o;
}

TEST(AffinityPlan, EverySeedPicksTheCallersDeployment) {
  Fixture fx(sticky_group());
  for (int i = 0; i < 50; ++i) {
    std::string first;
    for (std::uint64_t seed = 1; seed <= 10; ++seed) {
      RequestPlan plan(fx.router, "A", as_user(caller(i)), seed);
      const auto step = plan.next(t0());
      ASSERT_EQ(step.type, RequestPlan::Step::Type::attempt);
      EXPECT_EQ(plan.last_pick_affinity(), AffinitySource::user);
      if (first.empty()) first = step.deployment->id();
      EXPECT_EQ(step.deployment->id(), first) << caller(i) << " seed " << seed;
    }
  }
}

TEST(AffinityPlan, AFailedDeploymentHandsTheRetryToTheNextByHashAndBackAfterwards) {
  Fixture fx(sticky_group());
  const std::string user = caller(7);
  RequestPlan probe(fx.router, "A", as_user(user), 1);
  const std::string home = probe.next(t0()).deployment->id();

  RequestPlan plan(fx.router, "A", as_user(user), 2);
  TimePoint now = t0();
  auto run = drive(plan, failing_on({home}, server_error()), now);
  ASSERT_TRUE(run.succeeded);
  ASSERT_EQ(run.attempted.size(), 2u);
  EXPECT_EQ(run.attempted[0], home);
  EXPECT_NE(run.attempted[1], home);
  // The second choice is itself sticky: the same for every request of this caller.
  RequestPlan again(fx.router, "A", as_user(user), 3);
  now = t0();
  EXPECT_EQ(drive(again, failing_on({home}, server_error()), now).attempted, run.attempted);
}

TEST(AffinityPlan, ACoolingDeploymentIsPassedOverUntilItRecovers) {
  auto c = sticky_group();
  c.router.allowed_fails = 1;
  Fixture fx(std::move(c));
  const std::string user = caller(3);
  RequestPlan probe(fx.router, "A", as_user(user), 1);
  const std::string home = probe.next(t0()).deployment->id();
  fx.router.record_failure(fx.dep(home), server_error(), t0());
  ASSERT_TRUE(fx.router.in_cooldown(fx.dep(home), t0()));

  RequestPlan during(fx.router, "A", as_user(user), 2);
  EXPECT_NE(during.next(t0()).deployment->id(), home);
  RequestPlan later(fx.router, "A", as_user(user), 2);
  EXPECT_EQ(later.next(t0() + seconds(60)).deployment->id(), home);
}

TEST(AffinityPlan, WithoutAnIdentityThePickIsTheStrategys) {
  Fixture fx(sticky_group());
  std::map<std::string, int> hits;
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    RequestPlan plan(fx.router, "A", RequestOverrides{}, seed);
    ++hits[plan.next(t0()).deployment->id()];
    EXPECT_FALSE(plan.last_pick_affinity());
  }
  EXPECT_EQ(hits.size(), 3u);
}

}  // namespace
}  // namespace llmux::router
