#pragma once

// Removing repeated strings from a list a client wrote (request keys, tags) while keeping the
// list's order. A linear search per item would let a body with n distinct items cost n²/2
// comparisons; this costs O(n log n) for any input and stays allocation-free for short lists.

#include <string>
#include <vector>

namespace llmux::api {

// Keeps the first occurrence of each string in `list`, in place and in order.
void keep_first_occurrences(std::vector<std::string>& list);

}  // namespace llmux::api
