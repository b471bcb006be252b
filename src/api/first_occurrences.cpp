#include "api/first_occurrences.hpp"

#include <algorithm>
#include <numeric>

namespace llmux::api {
namespace {

// Up to this many items, comparing each with those kept before it is cheaper than sorting, and
// needs no memory: every real request's keys and tags fall here.
constexpr std::size_t kShortList = 16;

void compact_short(std::vector<std::string>& list) {
  std::size_t kept = 0;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto kept_end = list.begin() + static_cast<std::ptrdiff_t>(kept);
    if (std::find(list.begin(), kept_end, list[i]) != kept_end) continue;
    if (kept != i) list[kept] = std::move(list[i]);
    ++kept;
  }
  list.resize(kept);
}

}  // namespace

void keep_first_occurrences(std::vector<std::string>& list) {
  if (list.size() <= kShortList) return compact_short(list);
  // Sort positions by their string; a stable sort keeps equal strings in list order, so the
  // first of each run of equals is that string's first occurrence. (A hash set would be linear
  // on average but quadratic for keys chosen to collide, and the keys are the client's.)
  std::vector<std::size_t> order(list.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return list[a] < list[b]; });
  std::vector<bool> first(list.size(), false);
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (i == 0 || list[order[i]] != list[order[i - 1]]) first[order[i]] = true;
  }
  std::size_t kept = 0;
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (!first[i]) continue;
    if (kept != i) list[kept] = std::move(list[i]);
    ++kept;
  }
  list.resize(kept);
}

}  // namespace llmux::api
