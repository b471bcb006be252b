#include "router/model_pattern.hpp"

#include <gtest/gtest.h>

#include <random>
#include <regex>
#include <string>
#include <vector>

namespace llmux::router {
namespace {

std::vector<std::string> captured(const ModelPattern& pattern, std::string_view model) {
  std::vector<std::string> out;
  const auto captures = pattern.match(model);
  if (!captures) return {"<no match>"};
  for (auto c : *captures) out.emplace_back(c);
  return out;
}

using Texts = std::vector<std::string>;
using Key = std::pair<std::size_t, std::size_t>;

struct MatchCase {
  const char* pattern;
  const char* model;
  Texts expected;
};

TEST(ModelPattern, MatchesAnchoredAtTheStartOnlyWithGreedyCaptures) {
  const MatchCase cases[] = {
      {"openai/*", "openai/gpt-4o-mini", {"gpt-4o-mini"}},
      {"openai/*", "openai/", {""}},
      {"openai/*", "anthropic/claude", {"<no match>"}},
      {"openai/*", "xopenai/gpt-4o", {"<no match>"}},  // anchored at the start
      {"*", "anything/at all", {"anything/at all"}},
      {"team-*", "team-alpha", {"alpha"}},
      {"team-*", "team", {"<no match>"}},
      // Not anchored at the end: what follows the last literal is ignored (LiteLLM uses re.match).
      {"*-preview", "gpt-4o-preview-2024", {"gpt-4o"}},
      {"*-preview", "a-preview-b-preview-c", {"a-preview-b"}},  // greedy: the last occurrence
      {"fo::*::static::*", "fo::hi::static::there", {"hi", "there"}},
      {"*meta.llama3*", "hello-world-meta.llama3-70b", {"hello-world-", "-70b"}},
      {"**", "abc", {"abc", ""}},
      {"a*b*c", "a1b2c3b4c", {"1b2c3", "4"}},
      {"a*b*c", "abbc", {"b", ""}},
      {"a*b*c", "ab", {"<no match>"}},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(captured(ModelPattern(c.pattern), c.model), c.expected) << c.pattern << " ~ " << c.model;
  }
}

// The regex LiteLLM builds (re.escape, then each `*` a `(.*)`), matched with re.match semantics.
std::regex litellm_regex(std::string_view pattern) {
  std::string re;
  for (char c : pattern) {
    if (c == '*') {
      re += "(.*)";
    } else if (std::string_view("()[]{}?+-|^$\\.&~# ").find(c) != std::string_view::npos) {
      re += '\\';
      re += c;
    } else {
      re += c;
    }
  }
  return std::regex(re);
}

std::vector<std::string> regex_captured(std::string_view pattern, const std::string& model) {
  std::smatch m;
  if (!std::regex_search(model, m, litellm_regex(pattern), std::regex_constants::match_continuous)) {
    return {"<no match>"};
  }
  std::vector<std::string> out;
  for (std::size_t i = 1; i < m.size(); ++i) out.push_back(m[i].str());
  return out;
}

TEST(ModelPattern, AgreesWithTheBacktrackingRegexLiteLLMBuilds) {
  std::mt19937 rng(12345);
  const std::string alphabet = "ab-.*";
  const auto random_text = [&](std::size_t max, bool stars) {
    std::string text;
    const std::size_t n = rng() % (max + 1);
    for (std::size_t i = 0; i < n; ++i) {
      const char c = alphabet[rng() % (stars ? alphabet.size() : alphabet.size() - 1)];
      text += c;
    }
    return text;
  };
  int matched = 0;
  for (int i = 0; i < 4000; ++i) {
    std::string pattern = random_text(6, true);
    if (!ModelPattern::is_pattern(pattern)) pattern += '*';
    const std::string model = random_text(10, false);
    const auto ours = captured(ModelPattern(pattern), model);
    EXPECT_EQ(ours, regex_captured(pattern, model)) << pattern << " ~ " << model;
    matched += ours.front() != "<no match>";
  }
  EXPECT_GT(matched, 500);  // the comparison covered matches, not only misses
}

TEST(ModelPattern, SpecificityIsLiteLLMsKeyOnItsRegex) {
  // "openai/*" → regex "openai/(.*)": 11 characters, '(' '*' ')' complex.
  EXPECT_EQ(ModelPattern("openai/*").specificity(), (Key{11, 3}));
  // "team-*" → "team\-(.*)": 10 characters; the backslash counts, '-' does not.
  EXPECT_EQ(ModelPattern("team-*").specificity(), (Key{10, 4}));
  EXPECT_EQ(ModelPattern("*").specificity(), (Key{4, 3}));
  // "a+*" → "a\+(.*)": the escaped '+' counts twice (backslash and itself).
  EXPECT_EQ(ModelPattern("a+*").specificity(), (Key{7, 5}));
}

TEST(ModelPattern, SubstitutesCapturesIntoTheDeploymentsModel) {
  const Captures one{"gpt-4o-mini"};
  EXPECT_EQ(substitute_captures("openai/*", one, "openai/gpt-4o-mini"), "openai/gpt-4o-mini");
  EXPECT_EQ(substitute_captures("openai/gpt-4o", one, "x"), "openai/gpt-4o");  // no star: as written
  const Captures two{"hi", "there"};
  EXPECT_EQ(substitute_captures("openai/fo::*::static::*", two, "r"), "openai/fo::hi::static::there");
  // More captures than stars: the requested name itself.
  EXPECT_EQ(substitute_captures("openai/*", two, "fo::hi::static::there"), "fo::hi::static::there");
  // Fewer: the stars left over stay.
  EXPECT_EQ(substitute_captures("*/*", one, "r"), "gpt-4o-mini/*");
}

}  // namespace
}  // namespace llmux::router
