#pragma once

// Spend batches, budget resets, spend queries and the spend writer against a real store, run
// against every backend (see store_entity_behaviour.hpp).

#include <cmath>

#include "store/migrations.hpp"
#include "store/spend_writer.hpp"
#include "store_test_support.hpp"

namespace llmux::store::testing {

template <class Backend>
using StoreSpend = StoreBehaviour<Backend>;
TYPED_TEST_SUITE_P(StoreSpend);

TYPED_TEST_P(StoreSpend, SameBatchTwiceCountsOnce) {
  ASSERT_TRUE(this->store_->insert_key(make_key("k1")));
  const std::vector<SpendRow> batch{make_spend("c1", "k1", 0.5), make_spend("c2", "k1", 0.25),
                                    make_spend("c3", "k1", 0.125)};
  auto first = this->store_->apply_spend_batch(batch);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first.value().inserted, 3u);
  EXPECT_EQ(first.value().duplicates, 0u);

  auto retried = this->store_->apply_spend_batch(batch);
  ASSERT_TRUE(retried) << retried.error().message;
  EXPECT_EQ(retried.value().inserted, 0u);
  EXPECT_EQ(retried.value().duplicates, 3u);
  EXPECT_DOUBLE_EQ(this->key_spend("k1"), 0.875);

  // A batch overlapping an earlier one counts only its new rows.
  auto overlapping =
      this->store_->apply_spend_batch({make_spend("c3", "k1", 0.125), make_spend("c4", "k1", 1.0)});
  ASSERT_TRUE(overlapping);
  EXPECT_EQ(overlapping.value().inserted, 1u);
  EXPECT_DOUBLE_EQ(this->key_spend("k1"), 1.875);
}

TYPED_TEST_P(StoreSpend, IncrementsKeyTeamAndUser) {
  ASSERT_TRUE(this->store_->insert_key(make_key("k1", "t1", "u1")));
  ASSERT_TRUE(this->store_->insert_key(make_key("k2", "t1")));
  TeamRow team;
  team.team_id = "t1";
  ASSERT_TRUE(this->store_->insert_team(team));
  UserRow user;
  user.user_id = "u1";
  ASSERT_TRUE(this->store_->insert_user(user));

  std::vector<SpendRow> batch;
  for (int i = 0; i < 250; ++i) {  // more than one multi-row INSERT
    batch.push_back(make_spend("a" + std::to_string(i), "k1", 0.01, "t1", "u1"));
  }
  batch.push_back(make_spend("b1", "k2", 2.0, "t1"));
  batch.push_back(make_spend("b1", "k2", 2.0, "t1"));  // repeated inside one batch: once
  SpendRow failure = make_spend("f1", "k2", 0.0, "t1");
  failure.status = "failure";
  batch.push_back(failure);
  batch.push_back(make_spend("orphan", "deleted-key", 9.0));     // no such key: logged, nothing to add to
  batch.push_back(make_spend("nan", "k2", std::nan(""), "t1"));  // a pricing bug must not sink the batch

  auto applied = this->store_->apply_spend_batch(batch);
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_EQ(applied.value().inserted, 254u);
  EXPECT_EQ(applied.value().duplicates, 1u);
  EXPECT_NEAR(this->key_spend("k1"), 2.5, 1e-9);
  EXPECT_DOUBLE_EQ(this->key_spend("k2"), 2.0);
  EXPECT_NEAR(this->store_->get_team("t1").value()->spend, 4.5, 1e-9);
  EXPECT_NEAR(this->store_->get_user("u1").value()->spend, 2.5, 1e-9);

  SpendRow nameless = make_spend("", "k1", 1.0);
  auto refused = this->store_->apply_spend_batch({nameless});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, StoreErrorKind::invalid);
}

// A batch whose later INSERT meets rows already logged: the earlier INSERTs went in whole, so
// only undoing them and writing the batch again tells new rows from old; crediting them (or
// skipping them) twice would show in the counts and the key's spend.
TYPED_TEST_P(StoreSpend, OverlapInALaterInsertCreditsOnlyNewRows) {
  ASSERT_TRUE(this->store_->insert_key(make_key("k1")));
  std::vector<SpendRow> logged;
  for (int i = 0; i < 10; ++i) logged.push_back(make_spend("old" + std::to_string(i), "k1", 1.0));
  ASSERT_TRUE(this->store_->apply_spend_batch(logged));

  std::vector<SpendRow> batch;
  for (int i = 0; i < 150; ++i) batch.push_back(make_spend("new" + std::to_string(i), "k1", 0.01));
  batch.insert(batch.begin() + 120, logged.begin(), logged.end());  // in the second INSERT
  batch.push_back(make_spend("new5", "k1", 0.01));                  // repeats a row of the first
  auto applied = this->store_->apply_spend_batch(batch);
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_EQ(applied.value().inserted, 150u);
  EXPECT_EQ(applied.value().duplicates, 11u);
  EXPECT_NEAR(this->key_spend("k1"), 10.0 + 1.5, 1e-9);

  SpendLogFilter all;
  all.limit = 1000;
  auto stored = this->store_->spend_logs(all);
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_EQ(stored.value().size(), 160u);

  // The next all-new batch takes the fast way again and is counted as before.
  auto next = this->store_->apply_spend_batch({make_spend("later", "k1", 0.5)});
  ASSERT_TRUE(next);
  EXPECT_EQ(next.value().inserted, 1u);
  EXPECT_NEAR(this->key_spend("k1"), 12.0, 1e-9);
}

TYPED_TEST_P(StoreSpend, ResetBudgetsOnlyWhenDueAndWithoutDrift) {
  const Millis now = jan1 + 10 * day_ms + 3600'000;  // day 10, 01:00
  KeyRow due = make_key("due");
  due.limits.budget_duration_s = 86400;
  due.budget_reset_at = jan1 + 7 * day_ms;  // missed three resets while down
  due.spend = 5;
  KeyRow later = make_key("later");
  later.limits.budget_duration_s = 86400;
  later.budget_reset_at = jan1 + 11 * day_ms;
  later.spend = 3;
  KeyRow once = make_key("once");
  once.budget_reset_at = jan1;  // no duration: resets once, then never again
  once.spend = 1;
  TeamRow team;
  team.team_id = "t1";
  team.limits.budget_duration_s = 3600;
  team.budget_reset_at = now;  // due exactly now
  team.spend = 7;
  for (const KeyRow& key : {due, later, once}) ASSERT_TRUE(this->store_->insert_key(key));
  ASSERT_TRUE(this->store_->insert_team(team));
  const std::int64_t version_before = this->store_->change_version().value();

  auto reset = this->store_->reset_budgets(now);
  ASSERT_TRUE(reset) << reset.error().message;
  EXPECT_EQ(reset.value().keys, 2u);
  EXPECT_EQ(reset.value().teams, 1u);
  EXPECT_EQ(reset.value().users, 0u);

  auto due_after = this->store_->get_key("due").value();
  EXPECT_EQ(due_after->spend, 0);
  EXPECT_EQ(due_after->budget_reset_at, jan1 + 11 * day_ms);  // next boundary after now
  EXPECT_EQ(this->store_->get_key("later").value()->spend, 3);
  auto once_after = this->store_->get_key("once").value();
  EXPECT_EQ(once_after->spend, 0);
  EXPECT_FALSE(once_after->budget_reset_at);
  auto team_after = this->store_->get_team("t1").value();
  EXPECT_EQ(team_after->spend, 0);
  EXPECT_EQ(team_after->budget_reset_at, now + 3600'000);
  EXPECT_GT(this->store_->change_version().value(), version_before);  // caches hold stale spend

  auto nothing = this->store_->reset_budgets(now);
  ASSERT_TRUE(nothing);
  EXPECT_EQ(nothing.value().keys + nothing.value().teams + nothing.value().users, 0u);
}

TYPED_TEST_P(StoreSpend, SpendLogsFilterAndRoundTrip) {
  SpendRow full = make_spend("c1", "k1", 0.5, "t1", "u1", jan1 + 1000);
  full.key_alias = "prod";
  full.cached_tokens = 3;
  full.cache_write_tokens = 2;
  full.tags = {"tenant-a", "batch"};
  full.status = "failure";
  std::vector<SpendRow> batch{full, make_spend("c2", "k1", 0.25, "t2", {}, jan1 + 2000),
                              make_spend("c3", "k2", 0.125, "t1", "u2", jan1 + 3000)};
  batch[2].model_group = "claude";
  batch[2].model = "anthropic/claude-3-5-sonnet";
  ASSERT_TRUE(this->store_->apply_spend_batch(batch));

  auto ids = [&](const SpendLogFilter& filter) {
    std::vector<std::string> out;
    auto rows = this->store_->spend_logs(filter);
    EXPECT_TRUE(rows) << (rows ? "" : rows.error().message);
    if (rows) {
      for (const SpendRow& row : rows.value()) out.push_back(row.call_id);
    }
    return out;
  };
  using Ids = std::vector<std::string>;
  auto where = [](auto set) {
    SpendLogFilter filter;
    set(filter);
    return filter;
  };
  EXPECT_EQ(ids({}), (Ids{"c3", "c2", "c1"}));  // newest first
  EXPECT_EQ(ids(where([](auto& f) { f.key_hash = "k1"; })), (Ids{"c2", "c1"}));
  EXPECT_EQ(ids(where([](auto& f) { f.team_id = "t1"; })), (Ids{"c3", "c1"}));
  EXPECT_EQ(ids(where([](auto& f) { f.user_id = "u2"; })), (Ids{"c3"}));
  EXPECT_EQ(ids(where([](auto& f) { f.model = "claude"; })), (Ids{"c3"}));  // the group
  EXPECT_EQ(ids(where([](auto& f) { f.model = "anthropic/claude-3-5-sonnet"; })),
            (Ids{"c3"}));  // or upstream
  EXPECT_EQ(ids(where([](auto& f) {
              f.start = jan1 + 2000;
              f.end = jan1 + 3000;
            })),
            (Ids{"c2"}));
  EXPECT_EQ(ids(where([](auto& f) {
              f.offset = 1;
              f.limit = 1;
            })),
            (Ids{"c2"}));

  auto one = this->store_->spend_logs(where([](auto& f) {
    f.key_hash = "k1";
    f.end = jan1 + 1500;
  }));
  ASSERT_TRUE(one);
  ASSERT_EQ(one.value().size(), 1u);
  EXPECT_EQ(one.value()[0], full);
}

TYPED_TEST_P(StoreSpend, SpendReportGroupings) {
  const Millis day2 = jan1 + day_ms;
  ASSERT_TRUE(this->store_->apply_spend_batch({
      make_spend("a", "k1", 1.0, "t1", {}, jan1 + 10),
      make_spend("b", "k1", 2.0, "t1", {}, jan1 + 20),
      make_spend("c", "k2", 4.0, {}, {}, day2 + 10),
      make_spend("d", "k1", 8.0, "t1", {}, day2 + 20),
      make_spend("outside", "k1", 100.0, "t1", {}, day2 + day_ms),
  }));
  auto report = [&](SpendGroupBy by, bool per_day = false) {
    auto rows = this->store_->spend_report({by, jan1, day2 + day_ms, per_day});
    EXPECT_TRUE(rows) << (rows ? "" : rows.error().message);
    return rows ? rows.value() : std::vector<SpendReportRow>{};
  };
  using Rows = std::vector<SpendReportRow>;
  EXPECT_EQ(report(SpendGroupBy::day), (Rows{{"2024-01-01", "2024-01-01", 3.0, 2, 20, 10},
                                             {"2024-01-02", "2024-01-02", 12.0, 2, 20, 10}}));
  EXPECT_EQ(report(SpendGroupBy::team),
            (Rows{{"t1", std::nullopt, 11.0, 3, 30, 15}, {"", std::nullopt, 4.0, 1, 10, 5}}));
  EXPECT_EQ(report(SpendGroupBy::key),
            (Rows{{"k1", std::nullopt, 11.0, 3, 30, 15}, {"k2", std::nullopt, 4.0, 1, 10, 5}}));
  EXPECT_EQ(report(SpendGroupBy::model), (Rows{{"gpt-4o", std::nullopt, 15.0, 4, 40, 20}}));
  EXPECT_EQ(report(SpendGroupBy::key, true), (Rows{{"k1", "2024-01-01", 3.0, 2, 20, 10},
                                                   {"k1", "2024-01-02", 8.0, 1, 10, 5},
                                                   {"k2", "2024-01-02", 4.0, 1, 10, 5}}));
  auto backwards = this->store_->spend_report({SpendGroupBy::day, day2, jan1, false});
  ASSERT_FALSE(backwards);
  EXPECT_EQ(backwards.error().kind, StoreErrorKind::invalid);
}

TYPED_TEST_P(StoreSpend, WriterBatchesIntoTheStore) {
  ASSERT_TRUE(this->store_->insert_key(make_key("k1", "t1")));
  SpendWriterOptions options;
  options.flush_interval = std::chrono::hours(1);  // only size and stop flush here
  SpendWriter writer(*this->store_, options);
  for (int i = 0; i < 1200; ++i)
    ASSERT_TRUE(writer.enqueue(make_spend("w" + std::to_string(i), "k1", 0.5, "t1")));
  writer.start();
  const FlushResult flushed =
      writer.flush_and_stop(std::chrono::steady_clock::now() + std::chrono::seconds(30));
  EXPECT_TRUE(flushed.complete);
  const SpendWriterStats stats = writer.stats();
  EXPECT_EQ(stats.written, 1200u);
  EXPECT_EQ(stats.batches, 3u);  // 500 + 500 when full, 200 at stop
  EXPECT_DOUBLE_EQ(this->key_spend("k1"), 600.0);
}

// The commit reached the database but its answer did not reach us: the writer retries the same
// batch, and call_id idempotency keeps the spend from being counted twice.
TYPED_TEST_P(StoreSpend, RetryAfterLostCommitAckCountsOnce) {
  ASSERT_TRUE(this->store_->insert_key(make_key("k1")));
  FakeSink flaky(1, StoreErrorKind::unavailable, this->store_.get());
  flaky.apply_then_fail();
  SpendWriterOptions options;
  options.retry_initial = std::chrono::milliseconds(1);
  SpendWriter writer(flaky, options);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(writer.enqueue(make_spend("r" + std::to_string(i), "k1", 1.0)));
  writer.start();
  EXPECT_TRUE(writer.flush_and_stop(std::chrono::steady_clock::now() + std::chrono::seconds(30)).complete);
  EXPECT_EQ(writer.stats().duplicates, 10u);
  EXPECT_EQ(writer.stats().retries, 1u);
  EXPECT_DOUBLE_EQ(this->key_spend("k1"), 10.0);
}


// Version 3 rebuilt the spend log (store/migrations.cpp). A database an older llmux left behind
// keeps its rows, and a batch retried across the upgrade still counts once.
TYPED_TEST_P(StoreSpend, MigrationThreeKeepsOldRowsAndIdempotency) {
  this->store_ = this->fresh();
  ASSERT_TRUE(this->store_);
  auto old = this->store_->migrate_to(2);
  ASSERT_TRUE(old) << old.error().message;
  ASSERT_EQ(this->store_->schema_version().value(), 2);
  ASSERT_TRUE(this->store_->insert_key(make_key("k1")));
  const std::vector<SpendRow> before_upgrade{make_spend("old-1", "k1", 1.0, "t1", {}, jan1 + 10),
                                             make_spend("old-2", "k1", 2.0, {}, "u1", jan1 + 20)};
  // Written as the version-2 llmux wrote them (today's INSERT needs the version-3 index).
  this->exec(
      "INSERT INTO llmux_spend_logs (call_id, key_hash, team_id, user_id, model_group, deployment_id,"
      " model, prompt_tokens, completion_tokens, cached_tokens, cost, latency_ms, status, start_time,"
      " end_time) VALUES ('old-1', 'k1', 't1', NULL, 'gpt-4o', 'dep-1', 'openai/gpt-4o-2024-08-06', 10, 5,"
      " 0, 1.0, 120, 'success', " + std::to_string(jan1 + 10) + ", " + std::to_string(jan1 + 130) +
      "), ('old-2', 'k1', NULL, 'u1', 'gpt-4o', 'dep-1', 'openai/gpt-4o-2024-08-06', 10, 5, 0, 2.0, 120,"
      " 'success', " + std::to_string(jan1 + 20) + ", " + std::to_string(jan1 + 140) + ")");
  this->exec("UPDATE llmux_keys SET spend = 3 WHERE token_hash = 'k1'");
  this->store_ = this->reopen();
  auto upgraded = this->store_->migrate();
  ASSERT_TRUE(upgraded) << upgraded.error().message;
  EXPECT_EQ(upgraded.value().from_version, 2);
  EXPECT_EQ(upgraded.value().to_version, latest_schema_version());

  auto logs = this->store_->spend_logs({});
  ASSERT_TRUE(logs) << logs.error().message;
  ASSERT_EQ(logs.value().size(), 2u);
  EXPECT_EQ(logs.value()[0], before_upgrade[1]);  // every column survived the rebuild
  EXPECT_EQ(logs.value()[1], before_upgrade[0]);

  // The old batch again (an ack lost just before the upgrade): nothing new.
  auto retried = this->store_->apply_spend_batch(before_upgrade);
  ASSERT_TRUE(retried) << retried.error().message;
  EXPECT_EQ(retried.value().duplicates, 2u);
  // A client reusing a call id for a later request is a second, billed row.
  auto reused = this->store_->apply_spend_batch({make_spend("old-1", "k1", 4.0, {}, {}, jan1 + 5000)});
  ASSERT_TRUE(reused);
  EXPECT_EQ(reused.value().inserted, 1u);
  EXPECT_DOUBLE_EQ(this->key_spend("k1"), 7.0);
  SpendLogFilter by_key;
  by_key.key_hash = "k1";
  EXPECT_EQ(this->store_->spend_logs(by_key).value().size(), 3u);
}

// The client's x-litellm-call-id is no key: calls sharing it (and their start millisecond) are
// rows of their own, each charged, and /spend/logs?request_id= finds them all by it — or one row
// by its own id.
TYPED_TEST_P(StoreSpend, CallsSharingAClientIdAreEachLoggedAndCharged) {
  ASSERT_TRUE(this->store_->insert_key(make_key("k1")));
  std::vector<SpendRow> batch;
  for (int i = 0; i < 40; ++i) {
    batch.push_back(make_spend("own-" + std::to_string(i), "k1", 0.25));
    batch.back().client_call_id = "client-chosen";
  }
  batch.push_back(make_spend("own-other", "k1", 1.0));
  auto applied = this->store_->apply_spend_batch(batch);
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_EQ(applied.value().inserted, 41u);
  EXPECT_EQ(applied.value().duplicates, 0u);
  EXPECT_DOUBLE_EQ(this->key_spend("k1"), 11.0);

  SpendLogFilter by_client;
  by_client.request_id = "client-chosen";
  by_client.limit = 1000;
  auto shared = this->store_->spend_logs(by_client);
  ASSERT_TRUE(shared) << shared.error().message;
  ASSERT_EQ(shared.value().size(), 40u);
  EXPECT_EQ(shared.value().front().client_call_id, std::optional<std::string>("client-chosen"));

  SpendLogFilter by_own;
  by_own.request_id = "own-other";
  auto own = this->store_->spend_logs(by_own);
  ASSERT_TRUE(own);
  ASSERT_EQ(own.value().size(), 1u);
  EXPECT_EQ(own.value().front(), batch.back());  // every column round-trips, client_call_id unset
}

REGISTER_TYPED_TEST_SUITE_P(StoreSpend, SameBatchTwiceCountsOnce, IncrementsKeyTeamAndUser,
                            CallsSharingAClientIdAreEachLoggedAndCharged,
                            OverlapInALaterInsertCreditsOnlyNewRows, ResetBudgetsOnlyWhenDueAndWithoutDrift,
                            SpendLogsFilterAndRoundTrip, SpendReportGroupings, WriterBatchesIntoTheStore,
                            RetryAfterLostCommitAckCountsOnce, MigrationThreeKeepsOldRowsAndIdempotency);

}  // namespace llmux::store::testing
