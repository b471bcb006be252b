#pragma once

// One pass over a streamed chat-completion chunk for the few keys the stream filter acts on. Every
// chunk of every stream goes through it, so it reads the text once, eight bytes at a time, instead
// of searching it once per key (32 bytes at a time with AVX2, 16 with SSE2).

#include <cstddef>
#include <string_view>

namespace llmux::providers {

struct ChunkKeys {
  // Some `"finish_reason"` member has a value other than null.
  bool finish_reason = false;
  // The text `"error"` appears. A pre-filter: it may be a string value rather than a key.
  bool error = false;
  // How often `"usage"` appears, and where first (npos when it does not).
  std::size_t usage_count = 0;
  std::size_t first_usage = std::string_view::npos;
};

// Only unescaped quotes can match: inside a JSON string a key's closing quote would be `\"`, so
// text such as `"content":"\"usage\":1"` is not counted.
ChunkKeys scan_chunk_keys(std::string_view chunk);

namespace detail {
// The eight-bytes-at-a-time scan from `from` on, used where SSE2 is missing and for the tail of
// the SSE2 scan; exposed so tests check it on every machine.
ChunkKeys scan_chunk_keys_portable(std::string_view chunk, std::size_t from);
}  // namespace detail

}  // namespace llmux::providers
