#pragma once

// What the harnesses share: libFuzzer's bytes as text, and a way to cut them into the pieces a
// socket might deliver (the parsers must give the same answer however the bytes are split).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

namespace llmux::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The harness's own check failed: abort, so libFuzzer saves the input as a crash.
inline void require(bool holds) {
  if (!holds) std::abort();
}

// Cut points for `text`, chosen by a seed taken from its last byte: the same input always splits
// the same way, and the fuzzer can steer the split by mutating that byte. Pieces of 1..32 bytes,
// or the whole text in one piece when the seed is 0.
inline std::vector<std::string_view> split_by_last_byte(std::string_view text) {
  std::vector<std::string_view> pieces;
  if (text.empty()) return pieces;
  unsigned seed = static_cast<unsigned char>(text.back());
  if (seed == 0) return {text};
  std::size_t at = 0;
  while (at < text.size()) {
    seed = seed * 1103515245u + 12345u;
    const std::size_t n = 1 + (seed >> 16) % 32;
    pieces.push_back(text.substr(at, n));
    at += pieces.back().size();
  }
  return pieces;
}

}  // namespace llmux::fuzz
