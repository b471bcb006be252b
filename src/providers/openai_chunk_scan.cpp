#include "providers/openai_chunk_scan.hpp"

#include <bit>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define LLMUX_CHUNK_SCAN_AVX2 1
#else
#define LLMUX_CHUNK_SCAN_AVX2 0
#endif

namespace llmux::providers {
namespace {

constexpr std::string_view kFinishReason = "finish_reason\"";
constexpr std::string_view kError = "error\"";
constexpr std::string_view kUsage = "usage\"";

bool is_json_ws(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

bool matches_at(std::string_view text, std::size_t at, std::string_view word) {
  return text.size() - at >= word.size() && std::memcmp(text.data() + at, word.data(), word.size()) == 0;
}

// `"finish_reason"` ends just before `at`: is its value something other than null?
bool non_null_value_at(std::string_view chunk, std::size_t at) {
  while (at < chunk.size() && is_json_ws(chunk[at])) ++at;
  if (at >= chunk.size() || chunk[at] != ':') return false;
  ++at;
  while (at < chunk.size() && is_json_ws(chunk[at])) ++at;
  return at < chunk.size() && chunk[at] != 'n';
}

// A quote sits at `quote`: does one of the keys start after it?
inline void check_quote(std::string_view chunk, std::size_t quote, ChunkKeys& keys) {
  const std::size_t at = quote + 1;
  if (at >= chunk.size()) return;
  switch (chunk[at]) {  // one compare rules out almost every quote
    case 'f':
      if (!keys.finish_reason && matches_at(chunk, at, kFinishReason)) {
        keys.finish_reason = non_null_value_at(chunk, at + kFinishReason.size());
      }
      break;
    case 'e':
      if (matches_at(chunk, at, kError)) keys.error = true;
      break;
    case 'u':
      if (matches_at(chunk, at, kUsage)) {
        if (keys.usage_count++ == 0) keys.first_usage = quote;
      }
      break;
    default:
      break;
  }
}

// The high bit of each byte of `word` that equals '"' (exact for every byte, unlike the usual
// "has zero byte" test, which may flag a byte after a match).
std::uint64_t quote_bits(std::uint64_t word) {
  constexpr std::uint64_t kQuotes = 0x2222222222222222ULL;
  constexpr std::uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL;
  const std::uint64_t x = word ^ kQuotes;  // bytes that were '"' are now zero
  return ~(((x & kLow7) + kLow7) | x | kLow7);
}

}  // namespace

namespace detail {

ChunkKeys scan_chunk_keys_portable(std::string_view chunk, std::size_t from) {
  ChunkKeys keys;
  std::size_t i = from;
  if constexpr (std::endian::native == std::endian::little) {
    for (; i + 8 <= chunk.size(); i += 8) {
      std::uint64_t word;
      std::memcpy(&word, chunk.data() + i, sizeof word);
      for (std::uint64_t bits = quote_bits(word); bits != 0; bits &= bits - 1) {
        check_quote(chunk, i + static_cast<std::size_t>(std::countr_zero(bits)) / 8, keys);
      }
    }
  }
  for (; i < chunk.size(); ++i) {
    if (chunk[i] == '"') check_quote(chunk, i, keys);
  }
  return keys;
}

}  // namespace detail

namespace {

// Sixteen bytes at a time from `i`, while a whole block and the byte after it are there, and only
// quotes followed by a key's first letter are looked at: in a typical chunk that leaves two or
// three of its thirty-odd quotes. Returns where it stopped.
#if defined(__SSE2__)
std::size_t scan_blocks_sse2(std::string_view chunk, std::size_t i, ChunkKeys& keys) {
  const char* text = chunk.data();
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i f = _mm_set1_epi8('f'), e = _mm_set1_epi8('e'), u = _mm_set1_epi8('u');
  for (; i + 17 <= chunk.size(); i += 16) {  // 17: the byte after the block is read too
    const __m128i here = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text + i));
    const __m128i next = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text + i + 1));
    const __m128i letter =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(next, f), _mm_cmpeq_epi8(next, e)), _mm_cmpeq_epi8(next, u));
    auto mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(here, quote), letter)));
    for (; mask != 0; mask &= mask - 1)
      check_quote(chunk, i + static_cast<std::size_t>(std::countr_zero(mask)), keys);
  }
  return i;
}
#endif

// The same, thirty-two bytes at a time, on the CPUs that have AVX2 (checked at run time: the
// build targets plain x86-64). Every chunk of every stream passes here; this halves the loop.
#if LLMUX_CHUNK_SCAN_AVX2
__attribute__((target("avx2"))) std::size_t scan_blocks_avx2(std::string_view chunk, std::size_t i,
                                                              ChunkKeys& keys) {
  const char* text = chunk.data();
  const __m256i quote = _mm256_set1_epi8('"');
  const __m256i f = _mm256_set1_epi8('f'), e = _mm256_set1_epi8('e'), u = _mm256_set1_epi8('u');
  for (; i + 33 <= chunk.size(); i += 32) {
    const __m256i here = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(text + i));
    const __m256i next = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(text + i + 1));
    const __m256i letter = _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(next, f), _mm256_cmpeq_epi8(next, e)),
                                           _mm256_cmpeq_epi8(next, u));
    auto mask =
        static_cast<unsigned>(_mm256_movemask_epi8(_mm256_and_si256(_mm256_cmpeq_epi8(here, quote), letter)));
    for (; mask != 0; mask &= mask - 1)
      check_quote(chunk, i + static_cast<std::size_t>(std::countr_zero(mask)), keys);
  }
  if (i == chunk.size()) return i;
  // The last 1..32 bytes as one more block, from a zero-padded copy: a zero byte is neither a
  // quote nor a letter, so the padding finds nothing, and this is cheaper than the narrower loops.
  alignas(32) char tail[64] = {};
  std::memcpy(tail, text + i, chunk.size() - i);
  const __m256i here = _mm256_load_si256(reinterpret_cast<const __m256i*>(tail));
  const __m256i next = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(tail + 1));
  const __m256i letter = _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(next, f), _mm256_cmpeq_epi8(next, e)),
                                         _mm256_cmpeq_epi8(next, u));
  auto mask = static_cast<unsigned>(_mm256_movemask_epi8(_mm256_and_si256(_mm256_cmpeq_epi8(here, quote), letter)));
  for (; mask != 0; mask &= mask - 1)
    check_quote(chunk, i + static_cast<std::size_t>(std::countr_zero(mask)), keys);
  return chunk.size();
}

bool cpu_has_avx2() {
  static const bool has = __builtin_cpu_supports("avx2");
  return has;
}
#endif

}  // namespace

ChunkKeys scan_chunk_keys(std::string_view chunk) {
  ChunkKeys keys;
  std::size_t i = 0;
#if LLMUX_CHUNK_SCAN_AVX2
  if (cpu_has_avx2()) i = scan_blocks_avx2(chunk, i, keys);
#endif
#if defined(__SSE2__)
  i = scan_blocks_sse2(chunk, i, keys);
#endif
  if (i == chunk.size()) return keys;
  const ChunkKeys rest = detail::scan_chunk_keys_portable(chunk, i);
  keys.finish_reason = keys.finish_reason || rest.finish_reason;
  keys.error = keys.error || rest.error;
  if (keys.usage_count == 0) keys.first_usage = rest.first_usage;
  keys.usage_count += rest.usage_count;
  return keys;
}

}  // namespace llmux::providers
