#include "router/model_pattern.hpp"

#include <algorithm>

namespace llmux::router {
namespace {

// The characters Python's re.escape (3.7+) prefixes with a backslash.
constexpr std::string_view kEscapedByPython = "()[]{}?*+-|^$\\.&~# \t\n\r\v\f";
// The characters LiteLLM counts as regex complexity.
constexpr std::string_view kComplexity = "*+?\\^$|()";

bool in(std::string_view set, char c) { return set.find(c) != std::string_view::npos; }

// Length and metacharacter count of `re.escape(name).replace("\\*", "(.*)")`, without building it.
std::pair<std::size_t, std::size_t> litellm_specificity(std::string_view name) {
  std::size_t length = 0, complexity = 0;
  for (char c : name) {
    if (c == '*') {
      length += 4;      // "(.*)"
      complexity += 3;  // '(', '*', ')'
    } else if (in(kEscapedByPython, c)) {
      length += 2;
      complexity += 1 + (in(kComplexity, c) ? 1 : 0);  // the backslash, and the character itself
    } else {
      length += 1;
    }
  }
  return {length, complexity};
}

}  // namespace

ModelPattern::ModelPattern(std::string_view name) : name_(name), specificity_(litellm_specificity(name)) {
  std::size_t from = 0;
  for (std::size_t star = name_.find('*'); star != std::string::npos; star = name_.find('*', from)) {
    literals_.push_back({from, star - from});
    from = star + 1;
  }
  literals_.push_back({from, name_.size() - from});
}

std::optional<Captures> ModelPattern::match(std::string_view model) const {
  // literals_[0] is anchored at the start. Every later literal i is placed as far right as it can go
  // while leaving room for the ones after it (found right to left): star i-1 then takes the longest
  // text possible, which is the greedy regex's first successful match. The last literal may sit
  // anywhere (no end anchor), so its rightmost occurrence; an empty one (a trailing `*`) at the end.
  const std::size_t stars = literals_.size() - 1;
  if (!model.starts_with(literal(0))) return std::nullopt;
  boost::container::small_vector<std::size_t, 4> at(literals_.size());
  std::size_t limit = model.size();  // literal i must end at or before this
  for (std::size_t i = stars; i >= 1; --i) {
    const std::string_view text = literal(i);
    if (text.size() > limit) return std::nullopt;
    const std::size_t found = model.rfind(text, limit - text.size());
    if (found == std::string_view::npos) return std::nullopt;
    at[i] = found;
    limit = found;
  }
  if (limit < literals_[0].size) return std::nullopt;  // no room left after the anchored prefix
  Captures captures;
  std::size_t from = literals_[0].size;
  for (std::size_t i = 1; i <= stars; ++i) {
    captures.push_back(model.substr(from, at[i] - from));
    from = at[i] + literals_[i].size;
  }
  return captures;
}

std::string substitute_captures(std::string_view target, const Captures& captures, std::string_view requested) {
  const auto stars = static_cast<std::size_t>(std::count(target.begin(), target.end(), '*'));
  if (stars == 0) return std::string(target);
  if (captures.size() > stars) return std::string(requested);
  std::string out;
  out.reserve(target.size() + requested.size());
  std::size_t next = 0;
  for (char c : target) {
    // Stars beyond the captures stay as written, as Python's str.replace(…, 1) per capture leaves them.
    if (c == '*' && next < captures.size()) {
      out.append(captures[next++]);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace llmux::router
