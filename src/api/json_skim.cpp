#include "api/json_skim.hpp"

#include "api/json_scan.hpp"
#include "api/json_text.hpp"

namespace llmux::api {
namespace {

constexpr std::size_t kBroken = std::string_view::npos;

// Every whitespace byte is at most ' ': one comparison rules out the usual non-space byte.
constexpr bool is_ws(char c) {
  return static_cast<unsigned char>(c) <= ' ' && (c == ' ' || c == '\n' || c == '\r' || c == '\t');
}

std::size_t skip_ws(std::string_view text, std::size_t at) {
  while (at < text.size() && is_ws(text[at])) ++at;
  return at;
}

constexpr bool is_string_stop(unsigned char c) { return c == '"' || c == '\\'; }
constexpr bool is_structural(unsigned char c) {
  return c == '"' || c == '{' || c == '}' || c == '[' || c == ']';
}

#if defined(__SSE2__)
unsigned string_stop_mask(json_text::Block v) {
  return json_text::bit_mask(_mm_or_si128(json_text::byte_is(v, '"'), json_text::byte_is(v, '\\')));
}
// '[' and ']' are '{' and '}' without bit 0x20, and no other byte becomes '{' or '}' when that
// bit is set: two comparisons cover the four brackets.
unsigned structural_mask(json_text::Block v) {
  const json_text::Block folded = _mm_or_si128(v, _mm_set1_epi8(0x20));
  const json_text::Block bracket = _mm_or_si128(json_text::byte_is(folded, '{'), json_text::byte_is(folded, '}'));
  return json_text::bit_mask(_mm_or_si128(bracket, json_text::byte_is(v, '"')));
}
#else
constexpr unsigned string_stop_mask(int) { return 0; }
constexpr unsigned structural_mask(int) { return 0; }
#endif

// Just past the string whose opening quote is text[at]; `escaped` tells whether it holds a
// backslash. A block scan finds the next quote or backslash; a backslash hides the byte after it.
std::size_t skip_string(std::string_view text, std::size_t at, bool& escaped) {
  const char* data = text.data();
  const std::size_t n = text.size();
  escaped = false;
  for (std::size_t i = at + 1;;) {
    i = json_text::find_first(data, i, n, string_stop_mask, is_string_stop);
    if (i >= n) return kBroken;
    if (data[i] == '"') return i + 1;
    escaped = true;
    if (n - i <= 2) return kBroken;  // the escaped byte and a closing quote must follow
    i += 2;
  }
}

std::size_t skip_string(std::string_view text, std::size_t at) {
  bool escaped = false;
  return skip_string(text, at, escaped);
}

// Just past the array or object opening at text[at]: a block scan jumps from one quote or
// bracket to the next; brackets are counted, strings skipped. Bracket kinds are not matched
// against each other; the caller validates what it reads.
std::size_t skip_container(std::string_view text, std::size_t at) {
  const char* data = text.data();
  const std::size_t n = text.size();
  std::size_t depth = 0;
  for (std::size_t i = at;;) {
    i = json_text::find_first(data, i, n, structural_mask, is_structural);
    if (i >= n) return kBroken;
    const char c = data[i];
    if (c == '"') {
      i = skip_string(text, i);
      if (i == kBroken) return kBroken;
      continue;
    }
    if (c == '{' || c == '[') {
      ++depth;
    } else if (--depth == 0) {
      return i + 1;
    }
    ++i;
  }
}

// Just past the value starting at text[at] (no leading whitespace).
std::size_t skip_value(std::string_view text, std::size_t at) {
  if (at >= text.size()) return kBroken;
  const char c = text[at];
  if (c == '"') return skip_string(text, at);
  if (c == '{' || c == '[') return skip_container(text, at);
  if (c == ',' || c == ':' || c == '}' || c == ']') return kBroken;
  std::size_t end = at;
  while (end < text.size()) {
    const char d = text[end];
    if (d == ',' || d == '}' || d == ']' || is_ws(d)) break;
    ++end;
  }
  return end;
}

}  // namespace

std::optional<std::string_view> skim_member(std::string_view object_json, std::string_view key) {
  const std::string_view text = object_json;
  std::size_t pos = skip_ws(text, 0);
  if (pos >= text.size() || text[pos] != '{') return std::nullopt;
  pos = skip_ws(text, pos + 1);
  if (pos < text.size() && text[pos] == '}') return std::nullopt;  // an empty object
  std::optional<std::string_view> found;
  for (;;) {
    if (pos >= text.size() || text[pos] != '"') return std::nullopt;
    bool key_escaped = false;
    const std::size_t key_end = skip_string(text, pos, key_escaped);
    if (key_end == kBroken) return std::nullopt;
    const std::string_view key_raw = text.substr(pos + 1, key_end - pos - 2);
    pos = skip_ws(text, key_end);
    if (pos >= text.size() || text[pos] != ':') return std::nullopt;
    pos = skip_ws(text, pos + 1);
    const std::size_t value_end = skip_value(text, pos);
    if (value_end == kBroken) return std::nullopt;
    if (key_escaped ? key_equals(key_raw, key) : key_raw == key) found = text.substr(pos, value_end - pos);
    pos = skip_ws(text, value_end);
    if (pos >= text.size()) return std::nullopt;
    if (text[pos] == '}') return found;
    if (text[pos] != ',') return std::nullopt;
    pos = skip_ws(text, pos + 1);
  }
}

}  // namespace llmux::api
