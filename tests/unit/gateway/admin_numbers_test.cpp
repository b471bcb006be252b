// Hostile numbers at the admin API: values that do not fit, that are negative where a limit or an
// amount cannot be, that are not finite (1e400 parses as infinity), and answers that must stay
// JSON whatever a stored row holds. Each bad field is a FieldError naming it.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <cmath>
#include <limits>

#include "gateway/admin_support.hpp"

namespace llmux::gateway::admin {
namespace {

boost::json::object object(std::string_view text) { return boost::json::parse(text).as_object(); }

// The field a FieldError names, or "" when nothing was thrown.
template <class Read>
std::string refused_field(Read&& read) {
  try {
    read();
  } catch (const FieldError& error) {
    return error.param;
  }
  return "";
}

TEST(AdminNumbers, IntegersMustFitExactly) {
  const auto body = object(R"({"huge":1e300,"wrapped":18446744073709551615,"max":9223372036854775807,
                               "edge":9223372036854775808.0,"whole":3.0,"inf":1e400})");
  EXPECT_EQ(refused_field([&] { integer_field(body, "huge"); }), "huge");
  EXPECT_EQ(refused_field([&] { integer_field(body, "wrapped"); }), "wrapped");  // not -1
  EXPECT_EQ(refused_field([&] { integer_field(body, "edge"); }), "edge");
  EXPECT_EQ(refused_field([&] { integer_field(body, "inf"); }), "inf");
  EXPECT_EQ(integer_field(body, "max"), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(integer_field(body, "whole"), 3);
}

TEST(AdminNumbers, NumbersMustBeFinite) {
  const auto body = object(R"({"inf":1e400,"minus_inf":-1e400,"ok":0.5})");
  EXPECT_EQ(refused_field([&] { number_field(body, "inf"); }), "inf");
  EXPECT_EQ(refused_field([&] { number_field(body, "minus_inf"); }), "minus_inf");
  EXPECT_EQ(number_field(body, "ok"), 0.5);
}

// Every limit keys, teams and users share, refused when negative, too big or not finite.
struct BadLimit {
  const char* body;
  const char* field;
};

class AdminLimits : public ::testing::TestWithParam<BadLimit> {};

TEST_P(AdminLimits, AreRefusedNamingTheField) {
  const auto body = object(GetParam().body);
  EXPECT_EQ(refused_field([&] { limits_patch(body, 1'700'000'000'000); }), GetParam().field);
}

INSTANTIATE_TEST_SUITE_P(
    Hostile, AdminLimits,
    ::testing::Values(BadLimit{R"({"max_budget":-1})", "max_budget"},
                      BadLimit{R"({"max_budget":1e400})", "max_budget"},
                      BadLimit{R"({"rpm_limit":-5})", "rpm_limit"},
                      BadLimit{R"({"tpm_limit":18446744073709551615})", "tpm_limit"},
                      BadLimit{R"({"tpm_limit":-9223372036854775808})", "tpm_limit"},
                      BadLimit{R"({"max_parallel_requests":1e300})", "max_parallel_requests"},
                      BadLimit{R"({"max_parallel_requests":-1})", "max_parallel_requests"},
                      BadLimit{R"({"budget_duration":"-1d"})", "budget_duration"},
                      BadLimit{R"({"budget_duration":"99999999999999d"})", "budget_duration"},
                      BadLimit{R"({"budget_duration":30})", "budget_duration"}));

TEST(AdminNumbers, ZeroLimitsAreAllowed) {
  const auto limits =
      limits_from(limits_patch(object(R"({"max_budget":0,"rpm_limit":0,"tpm_limit":0,"max_parallel_requests":0})"), 0));
  EXPECT_EQ(limits.max_budget, 0.0);
  EXPECT_EQ(limits.rpm_limit, 0);
  EXPECT_EQ(limits.max_parallel_requests, 0);
}

TEST(AdminNumbers, AmountsMustBeFiniteAndNotNegative) {
  EXPECT_EQ(refused_field([&] { amount_field(object(R"({"spend":-0.5})"), "spend"); }), "spend");
  EXPECT_EQ(refused_field([&] { amount_field(object(R"({"spend":1e400})"), "spend"); }), "spend");
  EXPECT_EQ(amount_field(object(R"({"spend":2.5})"), "spend"), 2.5);
}

// 1e400 inside metadata would be stored as the text "Infinity" and read back as nothing.
TEST(AdminNumbers, MetadataMustHoldOnlyFiniteNumbers) {
  EXPECT_EQ(refused_field([&] { metadata_text(object(R"({"metadata":{"a":[1,{"b":1e400}]}})")); }), "metadata");
  EXPECT_EQ(refused_field([&] { metadata_text(object(R"({"metadata":"{not json"})")); }), "metadata");
  EXPECT_EQ(metadata_text(object(R"({"metadata":{"a":[1,{"b":2.5}]}})")), R"({"a":[1,{"b":2.5E0}]})");
}

TEST(AdminNumbers, AnswersNeverCarryNonFiniteNumbers) {
  boost::json::object row;
  row["max_budget"] = std::numeric_limits<double>::infinity();
  row["nested"] = boost::json::array{std::nan(""), 1.5};
  row["spend"] = 2.0;
  const std::string text = answer_text(row);
  EXPECT_EQ(text.find("Infinity"), std::string::npos) << text;
  EXPECT_EQ(text.find("NaN"), std::string::npos) << text;
  const auto back = boost::json::parse(text).as_object();  // valid JSON
  EXPECT_TRUE(back.at("max_budget").is_null());
  EXPECT_TRUE(back.at("nested").as_array()[0].is_null());
  EXPECT_EQ(back.at("spend").as_double(), 2.0);
}

}  // namespace
}  // namespace llmux::gateway::admin
