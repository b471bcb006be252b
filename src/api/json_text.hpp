#pragma once

// Byte-level helpers shared by the JSON reader (json_scan.cpp), skimmer (json_skim.cpp) and
// writer (json_write.cpp): finding the next byte of interest 16 bytes at a time, and measuring
// UTF-8 sequences. Internal to src/api.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace llmux::api::json_text {

// SWAR constants: one bit or byte value broadcast into every byte of a 64-bit word.
inline constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
inline constexpr std::uint64_t kHighs = 0x8080808080808080ULL;

constexpr std::uint64_t has_zero_byte(std::uint64_t v) { return (v - kOnes) & ~v & kHighs; }

// Whether any of 8 string bytes ends a plain run: a quote, a backslash, a control character
// or a non-ASCII byte.
constexpr bool needs_attention(std::uint64_t w) {
  const std::uint64_t below_space = (w - kOnes * 0x20) & ~w & kHighs;
  const std::uint64_t quote = has_zero_byte(w ^ (kOnes * '"'));
  const std::uint64_t backslash = has_zero_byte(w ^ (kOnes * '\\'));
  return (below_space | quote | backslash | (w & kHighs)) != 0;
}

constexpr bool is_plain(unsigned char c) { return c != '"' && c != '\\' && c >= 0x20 && c < 0x80; }

// plain_run_end without SIMD: 8 bytes per step. The build's choice where SSE2 is missing;
// tested on every build.
inline std::size_t plain_run_end_swar(const char* data, std::size_t i, std::size_t n) {
  while (n - i >= 8) {
    std::uint64_t w;
    std::memcpy(&w, data + i, 8);
    if (needs_attention(w)) break;
    i += 8;
  }
  while (i < n && is_plain(static_cast<unsigned char>(data[i]))) ++i;
  return i;
}

#if defined(__SSE2__)
using Block = __m128i;
inline constexpr std::size_t kBlock = 16;

inline Block load_block(const char* at) { return _mm_loadu_si128(reinterpret_cast<const Block*>(at)); }
inline Block byte_is(Block v, char c) { return _mm_cmpeq_epi8(v, _mm_set1_epi8(c)); }
inline unsigned bit_mask(Block flags) { return static_cast<unsigned>(_mm_movemask_epi8(flags)); }

// One bit per byte of `v` that ends a plain run. The comparison is signed, so the one test
// flags both control characters (0x00-0x1F) and non-ASCII bytes (0x80-0xFF, negative).
inline unsigned not_plain_mask(Block v) {
  const Block below_space_or_high = _mm_cmplt_epi8(v, _mm_set1_epi8(0x20));
  return bit_mask(_mm_or_si128(below_space_or_high, _mm_or_si128(byte_is(v, '"'), byte_is(v, '\\'))));
}
#endif

// The first index in [i, n) whose byte `byte_matches`, or n; with SSE2, 16 bytes per step
// (`block_mask` flags a block's matching bytes, one bit each). The last partial block is
// read as the 16 bytes ending at n, its bytes before i masked off, so nothing past the text is
// read; only a text shorter than a block is walked byte by byte.
template <class BlockMask, class ByteMatches>
inline std::size_t find_first(const char* data, std::size_t i, std::size_t n, BlockMask block_mask,
                              ByteMatches byte_matches) {
#if defined(__SSE2__)
  if (n >= kBlock) {
    for (; n - i >= kBlock; i += kBlock) {
      if (const unsigned mask = block_mask(load_block(data + i))) return i + std::countr_zero(mask);
    }
    if (i == n) return n;
    const unsigned mask = block_mask(load_block(data + n - kBlock)) >> (kBlock - (n - i));
    return mask ? i + std::countr_zero(mask) : n;
  }
#else
  (void)block_mask;
#endif
  while (i < n && !byte_matches(static_cast<unsigned char>(data[i]))) ++i;
  return i;
}

// The first index at or after `i` whose byte is not plain (or n). Long message contents are
// mostly plain ASCII, so most of a string is skipped a block per step.
inline std::size_t plain_run_end(const char* data, std::size_t i, std::size_t n) {
#if defined(__SSE2__)
  if (n >= kBlock) return find_first(data, i, n, not_plain_mask, [](unsigned char c) { return !is_plain(c); });
#endif
  return plain_run_end_swar(data, i, n);
}

// Length of the well-formed UTF-8 sequence at s (Unicode table 3-7: no overlongs, no
// surrogates, nothing above U+10FFFF), or 0.
inline std::size_t utf8_sequence_length(const unsigned char* s, std::size_t avail) {
  const unsigned char c = s[0];
  std::size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c == 0xE0) {
    len = 3, lo = 0xA0;
  } else if (c == 0xED) {
    len = 3, hi = 0x9F;
  } else if (c >= 0xE1 && c <= 0xEF) {
    len = 3;
  } else if (c == 0xF0) {
    len = 4, lo = 0x90;
  } else if (c == 0xF4) {
    len = 4, hi = 0x8F;
  } else if (c >= 0xF1 && c <= 0xF3) {
    len = 4;
  } else {
    return 0;
  }
  if (avail < len || s[1] < lo || s[1] > hi) return 0;
  for (std::size_t i = 2; i < len; ++i) {
    if ((s[i] & 0xC0) != 0x80) return 0;
  }
  return len;
}

}  // namespace llmux::api::json_text
