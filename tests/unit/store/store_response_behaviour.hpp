#pragma once

// The response store (/v1/responses state) against every backend (see store_test_support.hpp).

#include "store_test_support.hpp"

namespace llmux::store::testing {

inline ResponseRow make_response(const std::string& id, const std::string& key_hash, Millis created,
                                 Millis expires) {
  ResponseRow row;
  row.response_id = id;
  row.created_at = created;
  row.expires_at = expires;
  row.key_hash = key_hash;
  row.team_id = "team-1";
  row.model_group = "gpt-4o";
  row.deployment_id = "dep-1";
  row.passed_through = true;
  row.status = "completed";
  row.input_items = R"([{"id":"msg_1","type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]}])";
  row.response = R"({"id":")" + id + R"(","object":"response","status":"completed","output":[]})";
  return row;
}

template <class Backend>
using StoreResponses = StoreBehaviour<Backend>;
TYPED_TEST_SUITE_P(StoreResponses);

TYPED_TEST_P(StoreResponses, InsertGetDelete) {
  ResponseRow row = make_response("resp_1", "key-a", jan1, jan1 + day_ms);
  row.reasoning_item_ids = {"rs_1", "rs_2"};
  row.background = true;
  auto inserted = this->store_->insert_response(row);
  ASSERT_TRUE(inserted) << inserted.error().message;
  EXPECT_TRUE(inserted.value());

  auto got = this->store_->get_response("resp_1", jan1 + 1);
  ASSERT_TRUE(got) << got.error().message;
  ASSERT_TRUE(got.value());
  const ResponseRow& back = *got.value();
  EXPECT_EQ(back.response_id, "resp_1");
  EXPECT_EQ(back.created_at, jan1);
  EXPECT_EQ(back.expires_at, jan1 + day_ms);
  EXPECT_EQ(back.key_hash, "key-a");
  EXPECT_EQ(back.team_id, std::optional<std::string>("team-1"));
  EXPECT_EQ(back.model_group, "gpt-4o");
  EXPECT_EQ(back.deployment_id, "dep-1");
  EXPECT_TRUE(back.passed_through);
  EXPECT_TRUE(back.background);
  EXPECT_EQ(back.status, "completed");
  EXPECT_EQ(back.input_items, row.input_items);
  EXPECT_EQ(back.response, row.response);

  auto owners = this->store_->reasoning_owners(std::vector<std::string>{"rs_2", "rs_unknown", "rs_1"}, jan1 + 1);
  ASSERT_TRUE(owners) << owners.error().message;
  EXPECT_EQ(owners.value(), (std::vector<ReasoningOwner>{{"rs_1", "dep-1", "key-a"}, {"rs_2", "dep-1", "key-a"}}));

  auto updated = this->store_->set_response_status("resp_1", "cancelled", R"({"id":"resp_1","status":"cancelled"})");
  ASSERT_TRUE(updated);
  EXPECT_TRUE(updated.value());
  EXPECT_EQ(this->store_->get_response("resp_1", jan1 + 1).value()->status, "cancelled");

  auto removed = this->store_->delete_response("resp_1");
  ASSERT_TRUE(removed);
  EXPECT_TRUE(removed.value());
  EXPECT_FALSE(this->store_->get_response("resp_1", jan1 + 1).value());
  EXPECT_TRUE(this->store_->reasoning_owners(std::vector<std::string>{"rs_1"}, jan1 + 1).value().empty());
  auto again = this->store_->delete_response("resp_1");
  ASSERT_TRUE(again);
  EXPECT_FALSE(again.value());
  EXPECT_FALSE(this->store_->set_response_status("resp_1", "cancelled", "{}").value());
}

// An upstream that repeats an id another caller's response has must not take that row over, nor
// move the owner of a reasoning item.
TYPED_TEST_P(StoreResponses, AnIdIsNeverTakenOver) {
  ResponseRow first = make_response("resp_x", "key-a", jan1, jan1 + day_ms);
  first.reasoning_item_ids = {"rs_x"};
  ASSERT_TRUE(this->store_->insert_response(first).value());
  ResponseRow hostile = make_response("resp_x", "key-b", jan1 + 5, jan1 + day_ms);
  hostile.deployment_id = "dep-evil";
  auto refused = this->store_->insert_response(hostile);
  ASSERT_TRUE(refused) << refused.error().message;
  EXPECT_FALSE(refused.value());
  EXPECT_EQ(this->store_->get_response("resp_x", jan1 + 6).value()->key_hash, "key-a");

  ResponseRow other = make_response("resp_y", "key-b", jan1 + 5, jan1 + day_ms);
  other.deployment_id = "dep-evil";
  other.reasoning_item_ids = {"rs_x", "rs_y"};
  ASSERT_TRUE(this->store_->insert_response(other).value());
  auto owners = this->store_->reasoning_owners(std::vector<std::string>{"rs_x", "rs_y"}, jan1 + 6);
  ASSERT_TRUE(owners);
  EXPECT_EQ(owners.value(),
            (std::vector<ReasoningOwner>{{"rs_x", "dep-1", "key-a"}, {"rs_y", "dep-evil", "key-b"}}));
  EXPECT_FALSE(this->store_->insert_response(make_response("", "k", jan1, jan1 + 1)));
}

TYPED_TEST_P(StoreResponses, ExpiredRowsAreGoneAndSwept) {
  ResponseRow old_row = make_response("resp_old", "key-a", jan1, jan1 + 1000);
  old_row.reasoning_item_ids = {"rs_old"};
  ASSERT_TRUE(this->store_->insert_response(old_row).value());
  ASSERT_TRUE(this->store_->insert_response(make_response("resp_new", "key-a", jan1, jan1 + day_ms)).value());

  EXPECT_TRUE(this->store_->get_response("resp_old", jan1 + 999).value());
  EXPECT_FALSE(this->store_->get_response("resp_old", jan1 + 1000).value());  // expired: not served
  EXPECT_TRUE(this->store_->reasoning_owners(std::vector<std::string>{"rs_old"}, jan1 + 1000).value().empty());

  // An expired id can be stored again before any sweep ran.
  ResponseRow reused = make_response("resp_old", "key-b", jan1 + 2000, jan1 + day_ms);
  reused.reasoning_item_ids = {"rs_old"};
  ASSERT_TRUE(this->store_->insert_response(reused).value());
  EXPECT_EQ(this->store_->get_response("resp_old", jan1 + 2001).value()->key_hash, "key-b");
  EXPECT_EQ(this->store_->reasoning_owners(std::vector<std::string>{"rs_old"}, jan1 + 2001).value().size(), 1u);

  auto swept = this->store_->sweep_expired_responses(jan1 + day_ms);
  ASSERT_TRUE(swept) << swept.error().message;
  EXPECT_EQ(swept.value(), 2u);
  EXPECT_EQ(this->store_->sweep_expired_responses(jan1 + day_ms).value(), 0u);
}

TYPED_TEST_P(StoreResponses, LookupsAreBounded) {
  std::vector<std::string> many(Store::kMaxReasoningLookup + 1, "rs");
  auto refused = this->store_->reasoning_owners(many, jan1);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, StoreErrorKind::invalid);
  many.pop_back();
  EXPECT_TRUE(this->store_->reasoning_owners(many, jan1));
  EXPECT_TRUE(this->store_->reasoning_owners(std::vector<std::string>{}, jan1).value().empty());
}

// Hostile text (quotes, NUL-free binary-ish UTF-8, SQL) round-trips as data.
TYPED_TEST_P(StoreResponses, TextIsData) {
  ResponseRow row = make_response("resp_'; DROP TABLE llmux_responses; --", "k'\"", jan1, jan1 + day_ms);
  row.input_items = R"([{"text":"it's \"quoted\" — ünïcode 🙂"}])";
  ASSERT_TRUE(this->store_->insert_response(row).value());
  auto back = this->store_->get_response(row.response_id, jan1 + 1);
  ASSERT_TRUE(back && back.value());
  EXPECT_EQ(back.value()->input_items, row.input_items);
  EXPECT_EQ(back.value()->key_hash, row.key_hash);
}

// store: false keeps only who made the reasoning items: no row, yet the owners are known.
TYPED_TEST_P(StoreResponses, OwnersWithoutContent) {
  ASSERT_TRUE(this->store_->insert_reasoning_owners({"rs_a", "", "rs_b"}, "resp_nostore", "dep-2", "key-a", jan1,
                                                    jan1 + 1000));
  EXPECT_FALSE(this->store_->get_response("resp_nostore", jan1 + 1).value());
  EXPECT_EQ(this->store_->reasoning_owners(std::vector<std::string>{"rs_a", "rs_b"}, jan1 + 1).value(),
            (std::vector<ReasoningOwner>{{"rs_a", "dep-2", "key-a"}, {"rs_b", "dep-2", "key-a"}}));
  EXPECT_TRUE(this->store_->reasoning_owners(std::vector<std::string>{"rs_a"}, jan1 + 1000).value().empty());
  EXPECT_TRUE(this->store_->insert_reasoning_owners({}, "r", "d", "k", jan1, jan1));
  EXPECT_EQ(this->store_->sweep_expired_responses(jan1 + 1000).value(), 0u);  // no response rows
  EXPECT_TRUE(this->store_->reasoning_owners(std::vector<std::string>{"rs_a"}, jan1).value().empty());
}

REGISTER_TYPED_TEST_SUITE_P(StoreResponses, OwnersWithoutContent, InsertGetDelete, AnIdIsNeverTakenOver, ExpiredRowsAreGoneAndSwept,
                            LookupsAreBounded, TextIsData);

}  // namespace llmux::store::testing
