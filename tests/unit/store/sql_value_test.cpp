// SqlValue's borrowed text (SqlTextRef) reads like owned text, and the constant the spend write
// binds for an empty tags list is what encoding an empty list gives.

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "store/json_columns.hpp"
#include "store/sql_connection.hpp"

namespace llmux::store {
namespace {

TEST(SqlValue, BorrowedTextReadsLikeOwnedText) {
  const std::string number = "42";
  const std::string word = "gpt-4o";
  const SqlRow row(
      std::vector<SqlValue>{SqlTextRef{number}, SqlTextRef{word}, std::string("7"), std::int64_t{3}});
  EXPECT_EQ(row.integer(0), 42);
  EXPECT_EQ(row.real(0), 42.0);
  EXPECT_EQ(row.text(1), "gpt-4o");
  EXPECT_EQ(row.integer(1), std::nullopt);
  EXPECT_FALSE(row.is_null(1));

  EXPECT_EQ(sql_text(SqlValue{SqlTextRef{word}})->data(), word.data());  // a view, not a copy
  EXPECT_EQ(sql_text(SqlValue{std::string("7")}), "7");
  EXPECT_EQ(sql_text(SqlValue{std::int64_t{3}}), std::nullopt);
  EXPECT_EQ(sql_text(sql_null()), std::nullopt);
}

TEST(SqlValue, OptionalTextIsBorrowedOrNull) {
  const std::optional<std::string> team = "t1";
  const SqlValue bound = sql_optional_ref(team);
  ASSERT_TRUE(std::holds_alternative<SqlTextRef>(bound));
  EXPECT_EQ(std::get<SqlTextRef>(bound).text.data(), team->data());
  EXPECT_TRUE(std::holds_alternative<std::monostate>(sql_optional_ref(std::nullopt)));
}

// A double becomes an integer column's value only when it is one (a cast of 1e300 is undefined
// behaviour); PostgreSQL's numeric sums, printed as text, keep their integral part, held at the
// int64 bounds.
TEST(SqlValue, IntegersFromDoublesOnlyWhenExact) {
  const SqlRow row(std::vector<SqlValue>{3.0, 2.5, 1e300, std::string("12.0000"), std::string("1e30"),
                                         std::string("-1e30")});
  EXPECT_EQ(row.integer(0), 3);
  EXPECT_EQ(row.integer(1), std::nullopt);
  EXPECT_EQ(row.integer(2), std::nullopt);
  EXPECT_EQ(row.integer(3), 12);
  EXPECT_EQ(row.integer(4), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(row.integer(5), std::numeric_limits<std::int64_t>::min());
}

TEST(SqlValue, EmptyTagsConstantIsTheEncodedEmptyList) {
  EXPECT_EQ(encode_string_list({}), empty_string_list);
  EXPECT_EQ(decode_string_list(empty_string_list), std::vector<std::string>{});
}

}  // namespace
}  // namespace llmux::store
