#pragma once

// A wildcard model_name ("openai/*", "team-*", "*"), compiled once per config snapshot. LiteLLM
// (router_utils/pattern_match_deployments.py) turns the name into a regex — every `*` a `(.*)`
// capture, everything else literal — and matches it anchored at the start only. A `*`-glob with
// the same semantics needs no regex engine: each `*` takes the longest text that still lets the
// rest match, which is what a backtracking regex's greedy `(.*)` gives (model_pattern_test.cpp
// checks the two against each other).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <boost/container/small_vector.hpp>

namespace llmux::router {

// What each `*` matched, in order; views into the matched name.
using Captures = boost::container::small_vector<std::string_view, 4>;

class ModelPattern {
 public:
  // `name` must contain at least one `*` (is_pattern).
  explicit ModelPattern(std::string_view name);

  static bool is_pattern(std::string_view model_name) { return model_name.find('*') != std::string_view::npos; }

  const std::string& name() const { return name_; }
  // The captures when `model` matches (a prefix of it may be enough: the end is not anchored).
  std::optional<Captures> match(std::string_view model) const;

  // LiteLLM's sort key (PatternUtils.calculate_pattern_specificity), computed on the regex LiteLLM
  // builds from the name: its length, then its count of regex metacharacters. Patterns are tried in
  // descending order of this key; ties keep config order.
  std::pair<std::size_t, std::size_t> specificity() const { return specificity_; }

 private:
  std::string name_;
  // The literal text around the stars (stars + 1 pieces) as offset and length into name_: views
  // would dangle when a short name_ moves with its pattern.
  struct Piece {
    std::size_t offset, size;
  };
  boost::container::small_vector<Piece, 4> literals_;
  std::string_view literal(std::size_t i) const { return std::string_view(name_).substr(literals_[i].offset, literals_[i].size); }
  std::pair<std::size_t, std::size_t> specificity_;
};

// The upstream model for one wildcard request (LiteLLM's set_deployment_model_name): `target` (the
// deployment's model, e.g. "*" of "openai/*") with each `*` replaced by the next capture; `target`
// unchanged when it has no `*`; the whole `requested` name when there are more captures than stars.
std::string substitute_captures(std::string_view target, const Captures& captures, std::string_view requested);

}  // namespace llmux::router
