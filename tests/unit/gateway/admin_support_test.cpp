// The admin API's small pure pieces: typed fields, dates, LiteLLM's time format, budget resets,
// and the /global/spend/report shapes.

#include "gateway/admin_support.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <limits>
#include <regex>

#include "gateway/admin_spend_report.hpp"

namespace llmux::gateway::admin {
namespace {

boost::json::object object(std::string_view text) { return boost::json::parse(text).as_object(); }

TEST(AdminSupport, TypedFieldsAndWrongTypes) {
  const auto body = object(R"({"a":"x","n":2,"f":1.5,"l":["p","q"],"m":{"k":"v"},"z":null})");
  EXPECT_EQ(string_field(body, "a"), "x");
  EXPECT_EQ(integer_field(body, "n"), 2);
  EXPECT_EQ(number_field(body, "f"), 1.5);
  EXPECT_EQ(string_list_field(body, "l"), (std::vector<std::string>{"p", "q"}));
  EXPECT_EQ(string_map_field(body, "m")->at("k"), "v");
  EXPECT_FALSE(string_field(body, "z"));  // null = absent
  EXPECT_FALSE(string_field(body, "missing"));
  EXPECT_THROW(string_field(body, "n"), FieldError);
  EXPECT_THROW(integer_field(body, "f"), FieldError);
  EXPECT_THROW(string_list_field(body, "a"), FieldError);
}

TEST(AdminSupport, BodiesMustBeObjects) {
  EXPECT_TRUE(parse_object(""));
  EXPECT_TRUE(parse_object(R"({"a":1})"));
  EXPECT_FALSE(parse_object("[1]"));
  EXPECT_FALSE(parse_object("{oops"));
}

TEST(AdminSupport, TimesAsLiteLlmPrintsThem) {
  EXPECT_EQ(iso_time(1'700'000'000'123).as_string(), "2023-11-14T22:13:20.123000+00:00");
  EXPECT_TRUE(iso_time(std::nullopt).is_null());
  EXPECT_EQ(parse_iso_date("2023-11-14"), 1'699'920'000'000);
  EXPECT_FALSE(parse_iso_date("yesterday"));
}

TEST(AdminSupport, LimitsFromTheBody) {
  const auto patch = limits_patch(object(R"({"max_budget":10,"budget_duration":"1h","rpm_limit":5})"), 0);
  const auto limits = limits_from(patch);
  EXPECT_EQ(limits.max_budget, 10.0);
  EXPECT_EQ(limits.budget_duration_s, 3600);
  EXPECT_EQ(limits.rpm_limit, 5);
  EXPECT_FALSE(limits.tpm_limit);
  EXPECT_THROW(limits_patch(object(R"({"budget_duration":"5y"})"), 0), FieldError);
}

TEST(AdminSupport, BooleansAreTrueOrFalseOnly) {
  const auto body = object(R"({"yes":true,"no":false,"text":"true","z":null})");
  EXPECT_EQ(bool_field(body, "yes"), true);
  EXPECT_EQ(bool_field(body, "no"), false);
  EXPECT_FALSE(bool_field(body, "z"));
  EXPECT_THROW(bool_field(body, "text"), FieldError);
}

TEST(AdminSupport, BudgetResetFollowsTheDuration) {
  store::Limits limits;
  EXPECT_FALSE(budget_reset_at(limits, 1000));
  limits.budget_duration_s = 60;
  EXPECT_EQ(budget_reset_at(limits, 1000), 61'000);

  EXPECT_FALSE(budget_reset_change(limits_patch(object(R"({"rpm_limit":1})"), 0), 0))
      << "no budget_duration in the patch: budget_reset_at is left alone";
  const auto set = budget_reset_change(limits_patch(object(R"({"budget_duration":"1m"})"), 0), 5000);
  ASSERT_TRUE(set);
  EXPECT_EQ(*set, 65'000);
  const auto cleared = budget_reset_change(limits_patch(object(R"({"budget_duration":null})"), 0), 5000);
  ASSERT_TRUE(cleared);
  EXPECT_FALSE(*cleared) << "clearing the duration clears the reset time";
}

TEST(AdminSupport, NewIdsAreUuid4) {
  const std::string a = new_uuid4();
  EXPECT_TRUE(
      std::regex_match(a, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << a;
  EXPECT_NE(a, new_uuid4());
}

store::SpendRow spend(std::string call, std::string key, std::optional<std::string> team, std::string model,
                      double cost, store::Millis start, std::int64_t prompt = 10,
                      std::int64_t completion = 5) {
  store::SpendRow row;
  row.call_id = std::move(call);
  row.key_hash = std::move(key);
  row.team_id = std::move(team);
  row.model_group = "group-" + model;
  row.model = std::move(model);
  row.cost = cost;
  row.start_time = start;
  row.prompt_tokens = prompt;
  row.completion_tokens = completion;
  return row;
}

constexpr store::Millis kDay1 = 1'714'435'200'000;  // 2024-04-30T00:00:00Z
constexpr store::Millis kDay2 = kDay1 + 86'400'000;

// Token counts are what upstreams reported: sums of huge ones saturate instead of wrapping
// negative (signed overflow is undefined behaviour).
TEST(SpendReport, HugeTokenSumsSaturate) {
  constexpr std::int64_t most = std::numeric_limits<std::int64_t>::max();
  SpendReportBuilder report(SpendReportShape::team, {});
  report.add(spend("a", "k1", "t1", "gpt-4", 0.25, kDay1 + 1000, most, most));
  report.add(spend("b", "k1", "t1", "gpt-4", 0.25, kDay1 + 2000, most, 1));
  const auto json = report.json();
  const auto& detail = json[0].at("teams").as_array()[0].at("metadata").as_array()[0];
  EXPECT_EQ(detail.at("total_tokens").as_int64(), most);
  SpendReportBuilder by_key(SpendReportShape::api_key, {});
  by_key.add(spend("a", "k1", "t1", "gpt-4", 0.25, kDay1 + 1000, most, most));
  by_key.add(spend("b", "k1", "t1", "gpt-4", 0.25, kDay1 + 2000, most, 1));
  const auto keys = by_key.json();
  const auto& k1 = keys[0].as_object();
  EXPECT_EQ(k1.at("total_input_tokens").as_int64(), most);
  EXPECT_EQ(k1.at("total_output_tokens").as_int64(), most);
}

TEST(SpendReport, ByTeamIsGroupedByDayWithKeyAndModelInside) {
  SpendReportBuilder report(SpendReportShape::team, {{"t1", "Prod Team"}});
  report.add(spend("a", "k1", "t1", "gpt-4", 0.25, kDay1 + 1000));
  report.add(spend("b", "k1", "t1", "gpt-4", 0.25, kDay1 + 2000));
  report.add(spend("c", "k2", "t1", "gpt-3.5", 0.125, kDay1 + 3000));
  report.add(spend("d", "k3", std::nullopt, "gpt-4", 1.0, kDay1 + 4000));
  report.add(spend("e", "k1", "t1", "gpt-4", 2.0, kDay2 + 5000));
  const auto json = report.json();
  ASSERT_EQ(json.size(), 2u);
  const auto& first = json[0].as_object();
  EXPECT_EQ(first.at("group_by_day").as_string(), "2024-04-30T00:00:00+00:00");
  const auto& teams = first.at("teams").as_array();
  ASSERT_EQ(teams.size(), 2u);
  // Biggest spender first: the key outside any team spent 1.0 that day, Prod Team 0.625.
  EXPECT_EQ(teams[0].at("team_name").as_string(), "Unassigned Team");
  EXPECT_TRUE(teams[0].at("team_id").is_null());
  EXPECT_EQ(teams[1].at("team_name").as_string(), "Prod Team");
  EXPECT_EQ(teams[1].at("team_id").as_string(), "t1");
  EXPECT_DOUBLE_EQ(teams[1].at("total_spend").as_double(), 0.625);
  const auto& metadata = teams[1].at("metadata").as_array();
  ASSERT_EQ(metadata.size(), 2u);
  EXPECT_EQ(boost::json::serialize(metadata[0]),
            R"({"model":"gpt-4","api_key":"k1","spend":5E-1,"total_tokens":30})");
  EXPECT_EQ(metadata[1].at("model").as_string(), "gpt-3.5");
  EXPECT_EQ(metadata[1].at("api_key").as_string(), "k2");
  EXPECT_EQ(json[1].at("group_by_day").as_string(), "2024-05-01T00:00:00+00:00");
  EXPECT_DOUBLE_EQ(json[1].at("teams").at(0).at("total_spend").as_double(), 2.0);
}

TEST(SpendReport, ByApiKeyIsLiteLlmsPerKeyTotalsWithModelDetails) {
  SpendReportBuilder report(SpendReportShape::api_key, {});
  report.add(spend("a", "k1", "t1", "gpt-4", 0.5, kDay1, 10, 5));
  report.add(spend("b", "k1", "t1", "gpt-3.5", 0.25, kDay2, 20, 1));
  report.add(spend("c", "k2", std::nullopt, "gpt-4", 2.0, kDay2, 7, 3));
  const auto json = report.json();
  ASSERT_EQ(json.size(), 2u);
  EXPECT_EQ(json[0].at("api_key").as_string(), "k2");  // most spent first
  const auto& k1 = json[1].as_object();
  EXPECT_EQ(k1.at("api_key").as_string(), "k1");
  EXPECT_DOUBLE_EQ(k1.at("total_cost").as_double(), 0.75);
  EXPECT_EQ(k1.at("total_input_tokens").as_int64(), 30);
  EXPECT_EQ(k1.at("total_output_tokens").as_int64(), 6);
  const auto& details = k1.at("model_details").as_array();
  ASSERT_EQ(details.size(), 2u);
  EXPECT_EQ(details[0].at("model").as_string(), "gpt-4");
  EXPECT_EQ(details[0].at("total_input_tokens").as_int64(), 10);
  EXPECT_FALSE(k1.contains("group_by_day"));
}

TEST(SpendReport, ByModelGroupsTheClientsModelNamesPerDay) {
  SpendReportBuilder report(SpendReportShape::model, {});
  report.add(spend("a", "k1", "t1", "m1", 0.5, kDay1));
  report.add(spend("b", "k2", "t1", "m2", 0.75, kDay1));
  const auto json = report.json();
  ASSERT_EQ(json.size(), 1u);
  const auto& groups = json[0].at("model_groups").as_array();
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].at("model_group").as_string(), "group-m2");
  EXPECT_EQ(groups[0].at("metadata").at(0).at("api_key").as_string(), "k2");
}

TEST(SpendReport, ShapesByName) {
  EXPECT_EQ(spend_report_shape("team"), SpendReportShape::team);
  EXPECT_EQ(spend_report_shape("api_key"), SpendReportShape::api_key);
  EXPECT_EQ(spend_report_shape("key"), SpendReportShape::api_key);
  EXPECT_EQ(spend_report_shape("model"), SpendReportShape::model);
  EXPECT_FALSE(spend_report_shape("day"));
  EXPECT_TRUE(SpendReportBuilder(SpendReportShape::team, {}).json().empty());
}

}  // namespace
}  // namespace llmux::gateway::admin
