// The response store's pure HTTP helpers: item ids, history, input_items pages and queries.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "gateway/responses_items.hpp"

namespace llmux::gateway {
namespace {

namespace json = boost::json;

TEST(ResponsesItems, ErrorBodyHasOpenAisStringCode) {
  EXPECT_EQ(responses_error_body("Previous response with id 'r' not found.", "invalid_request_error",
                                 "previous_response_id", "previous_response_not_found"),
            R"({"error":{"message":"Previous response with id 'r' not found.","type":"invalid_request_error","param":"previous_response_id","code":"previous_response_not_found"}})");
  EXPECT_EQ(responses_error_body("x", "t", std::nullopt, std::nullopt),
            R"({"error":{"message":"x","type":"t","param":null,"code":null}})");
}

TEST(ResponsesItems, ResponseIdsAreSafeForAPath) {
  EXPECT_TRUE(is_response_id("resp_0123abcDEF-x"));
  for (std::string_view bad : {"", "a b", "a/b", "a?b", "..", "r\r\n", "é"}) EXPECT_FALSE(is_response_id(bad)) << bad;
  EXPECT_FALSE(is_response_id(std::string(257, 'a')));
}

TEST(ResponsesItems, StoredItemsGetIdsAndParts) {
  json::array items = json::parse(R"([{"role":"user","content":"hi"},{"type":"message","role":"assistant","content":"yo"},
    {"type":"function_call_output","call_id":"c","output":"{}"},{"id":"keep","role":"user","content":[{"type":"input_text","text":"k"}]}])")
                          .as_array();
  const json::array stored = as_stored_items(items, "resp_abc");
  EXPECT_EQ(json::serialize(stored),
            R"([{"role":"user","content":[{"type":"input_text","text":"hi"}],"id":"msg_abc_0"},)"
            R"({"type":"message","role":"assistant","content":[{"type":"output_text","text":"yo","annotations":[]}],"id":"msg_abc_1"},)"
            R"({"type":"function_call_output","call_id":"c","output":"{}","id":"item_abc_2"},)"
            R"({"id":"keep","role":"user","content":[{"type":"input_text","text":"k"}]}])");
}

TEST(ResponsesItems, HistoryIsInputThenOutput) {
  store::ResponseRow row;
  row.input_items = R"([{"id":"a"}])";
  row.response = R"({"output":[{"id":"b"},{"id":"rs_1","type":"reasoning"}]})";
  const auto history = history_of(row);
  ASSERT_TRUE(history);
  EXPECT_EQ(json::serialize(*history), R"([{"id":"a"},{"id":"b"},{"id":"rs_1","type":"reasoning"}])");
  EXPECT_EQ(reasoning_item_ids(json::parse(row.response).as_object()), std::vector<std::string>{"rs_1"});
  row.input_items = "{}";
  EXPECT_FALSE(history_of(row));
}

TEST(ResponsesItems, ABridgedItemIdNamesItsResponse) {
  const std::string hex = "0123456789abcdef0123456789abcdef";
  EXPECT_EQ(response_id_of_item("msg_" + hex + "0"), "resp_" + hex);
  EXPECT_EQ(response_id_of_item("fc_" + hex + "12"), "resp_" + hex);
  EXPECT_EQ(response_id_of_item("msg_" + hex + "_3"), "resp_" + hex);  // a stored input item
  EXPECT_EQ(response_id_of_item("msg_" + hex), std::nullopt);          // no item number
  EXPECT_EQ(response_id_of_item("msg_" + hex + "x"), std::nullopt);
  EXPECT_EQ(response_id_of_item("msg_0123456789ABCDEF0123456789abcdef0"), std::nullopt);
  // An upstream's own id (OpenAI: 48 hex digits) is not ours.
  EXPECT_EQ(response_id_of_item("msg_67ccd3acc8d48190a77525dc6de64b4104becb25c5e41a9e"), std::nullopt);
  EXPECT_EQ(response_id_of_item("_" + hex + "0"), std::nullopt);
  EXPECT_EQ(response_id_of_item(""), std::nullopt);
}

TEST(ResponsesItems, ItemReferencesAreReplacedByTheItemsFound) {
  json::object body = json::parse(R"({"input":[{"role":"user","content":"hi"},{"type":"item_reference","id":"a"},
      {"type":"item_reference","id":"a"},{"type":"item_reference","id":"unknown"},{"type":"item_reference"}]})")
                          .as_object();
  EXPECT_EQ(item_reference_ids(body, 10), (std::vector<std::string>{"a", "unknown"}));
  EXPECT_EQ(item_reference_ids(body, 1), (std::vector<std::string>{"a"}));
  const json::value found = json::parse(R"({"type":"message","role":"assistant","id":"a","content":"yo"})");
  const auto replaced = replace_item_references(body, [&](std::string_view id) { return id == "a" ? &found : nullptr; });
  EXPECT_EQ(replaced, 2u);
  const json::array& input = body.at("input").as_array();
  EXPECT_EQ(input.at(1), found);
  EXPECT_EQ(input.at(2), found);
  EXPECT_EQ(input.at(3).at("type"), "item_reference");  // left for a deployment that knows it
}

TEST(ResponsesItems, EncryptedReasoningIdsAreBounded) {
  const json::object body = json::parse(R"({"input":[{"type":"reasoning","id":"rs_1","encrypted_content":"e"},
    {"type":"reasoning","id":"rs_2"},{"type":"reasoning","id":"rs_3","encrypted_content":""},
    {"type":"reasoning","id":"rs_4","encrypted_content":"e"},{"type":"reasoning","encrypted_content":"e"}]})")
                                .as_object();
  EXPECT_EQ(encrypted_reasoning_ids(body, 10), (std::vector<std::string>{"rs_1", "rs_4"}));
  EXPECT_EQ(encrypted_reasoning_ids(body, 1), (std::vector<std::string>{"rs_1"}));
  EXPECT_TRUE(encrypted_reasoning_ids(json::parse(R"({"input":"text"})").as_object(), 10).empty());
}

TEST(ResponsesItems, QueryIsCheckedAndForwardedRebuilt) {
  auto read = read_items_query(std::string("5"), std::string("asc"), std::string("msg_1"));
  ASSERT_TRUE(std::holds_alternative<ItemsQuery>(read));
  EXPECT_EQ(items_query_string(std::get<ItemsQuery>(read)), "?limit=5&order=asc&after=msg_1");
  EXPECT_EQ(items_query_string(std::get<ItemsQuery>(read_items_query({}, {}, {}))), "?limit=20&order=desc");
  for (auto [limit, order, after] : std::vector<std::tuple<const char*, const char*, const char*>>{
           {"0", "asc", ""}, {"101", "asc", ""}, {"1x", "asc", ""}, {"-1", "asc", ""}, {"5", "ASC", ""},
           {"5", "asc", "a&b=c"}}) {
    auto refused = read_items_query(std::string(limit), std::string(order), std::string(after));
    EXPECT_TRUE(std::holds_alternative<QueryError>(refused)) << limit << " " << order << " " << after;
  }
}

TEST(ResponsesItems, PagesNewestFirstWithCursor) {
  const json::array items = json::parse(R"([{"id":"i1"},{"id":"i2"},{"id":"i3"}])").as_array();
  ItemsQuery query;
  query.limit = 2;
  EXPECT_EQ(input_items_page(items, query),
            R"({"object":"list","data":[{"id":"i3"},{"id":"i2"}],"first_id":"i3","last_id":"i2","has_more":true})");
  query.after = "i2";
  EXPECT_EQ(input_items_page(items, query),
            R"({"object":"list","data":[{"id":"i1"}],"first_id":"i1","last_id":"i1","has_more":false})");
  query = {};
  query.ascending = true;
  EXPECT_EQ(input_items_page(json::array{}, query),
            R"({"object":"list","data":[],"first_id":null,"last_id":null,"has_more":false})");
}

}  // namespace
}  // namespace llmux::gateway
