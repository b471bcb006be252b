#include "api/json_skim.hpp"

#include <cstring>

#include "api/json_scan.hpp"

namespace llmux::api {
namespace {

constexpr std::size_t kBroken = std::string_view::npos;

constexpr bool is_ws(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

std::size_t skip_ws(std::string_view text, std::size_t at) {
  while (at < text.size() && is_ws(text[at])) ++at;
  return at;
}

// Just past the string whose opening quote is text[at]. memchr finds each candidate quote; a
// quote preceded by an odd run of backslashes is escaped.
std::size_t skip_string(std::string_view text, std::size_t at) {
  std::size_t from = at + 1;
  while (from < text.size()) {
    const void* found = std::memchr(text.data() + from, '"', text.size() - from);
    if (!found) return kBroken;
    const std::size_t quote = static_cast<std::size_t>(static_cast<const char*>(found) - text.data());
    std::size_t backslashes = 0;
    while (quote - backslashes > at + 1 && text[quote - backslashes - 1] == '\\') ++backslashes;
    if (backslashes % 2 == 0) return quote + 1;
    from = quote + 1;
  }
  return kBroken;
}

// Just past the array or object opening at text[at]: brackets are counted, strings skipped.
// Bracket kinds are not matched against each other; the caller validates what it reads.
std::size_t skip_container(std::string_view text, std::size_t at) {
  std::size_t depth = 0;
  for (std::size_t i = at; i < text.size();) {
    const char c = text[i];
    if (c == '"') {
      i = skip_string(text, i);
      if (i == kBroken) return kBroken;
      continue;
    }
    if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) return i + 1;
    }
    ++i;
  }
  return kBroken;
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
    const std::size_t key_end = skip_string(text, pos);
    if (key_end == kBroken) return std::nullopt;
    const std::string_view key_raw = text.substr(pos + 1, key_end - pos - 2);
    pos = skip_ws(text, key_end);
    if (pos >= text.size() || text[pos] != ':') return std::nullopt;
    pos = skip_ws(text, pos + 1);
    const std::size_t value_end = skip_value(text, pos);
    if (value_end == kBroken) return std::nullopt;
    if (key_equals(key_raw, key)) found = text.substr(pos, value_end - pos);
    pos = skip_ws(text, value_end);
    if (pos >= text.size()) return std::nullopt;
    if (text[pos] == '}') return found;
    if (text[pos] != ',') return std::nullopt;
    pos = skip_ws(text, pos + 1);
  }
}

}  // namespace llmux::api
