#include "api/first_occurrences.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace llmux::api {
namespace {

std::vector<std::string> kept(std::vector<std::string> list) {
  keep_first_occurrences(list);
  return list;
}

TEST(KeepFirstOccurrences, ShortLists) {
  EXPECT_EQ(kept({}), std::vector<std::string>{});
  EXPECT_EQ(kept({"a"}), std::vector<std::string>{"a"});
  EXPECT_EQ(kept({"b", "a", "b", "c", "a"}), (std::vector<std::string>{"b", "a", "c"}));
  EXPECT_EQ(kept({"x", "x", "x"}), std::vector<std::string>{"x"});
}

// Past the short-list threshold the sort-based path runs: same answer, order of first
// occurrences kept, whichever path a list takes.
TEST(KeepFirstOccurrences, LongListsKeepFirstOccurrencesInOrder) {
  for (std::size_t distinct : {15u, 16u, 17u, 40u, 9000u}) {
    std::vector<std::string> list, expected;
    for (std::size_t i = 0; i < distinct; ++i) {
      // Descending names, so sorted order differs from list order.
      std::string name = "k" + std::to_string(distinct - i);
      expected.push_back(name);
      list.push_back(name);
      if (i % 3 == 0) list.push_back(expected.front());  // a repeat of the first
      if (i % 5 == 0) list.push_back(name);              // an immediate repeat
    }
    EXPECT_EQ(kept(list), expected) << distinct;
  }
}

}  // namespace
}  // namespace llmux::api
