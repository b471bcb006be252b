#include "api/json_scan.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "api/json_text.hpp"

namespace llmux::api {
namespace {

using json_text::utf8_sequence_length;

// Every whitespace byte is at most ' ': one comparison rules out the usual non-space byte.
constexpr bool is_ws(char c) {
  return static_cast<unsigned char>(c) <= ' ' && (c == ' ' || c == '\n' || c == '\r' || c == '\t');
}
constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool read_hex4(std::string_view s, std::size_t at, std::uint32_t& out) {
  if (at + 4 > s.size()) return false;
  out = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const int v = hex_value(s[at + i]);
    if (v < 0) return false;
    out = out << 4 | static_cast<std::uint32_t>(v);
  }
  return true;
}

constexpr bool is_high_surrogate(std::uint32_t cp) { return cp >= 0xD800 && cp <= 0xDBFF; }
constexpr bool is_low_surrogate(std::uint32_t cp) { return cp >= 0xDC00 && cp <= 0xDFFF; }

// Reads the \u escape (and its low-surrogate partner) at s[at]; returns the bytes used or 0.
std::size_t read_unicode_escape(std::string_view s, std::size_t at, std::uint32_t& cp) {
  if (!read_hex4(s, at + 2, cp) || is_low_surrogate(cp)) return 0;
  if (!is_high_surrogate(cp)) return 6;
  std::uint32_t low = 0;
  if (at + 7 >= s.size() || s[at + 6] != '\\' || s[at + 7] != 'u' || !read_hex4(s, at + 8, low) ||
      !is_low_surrogate(low)) {
    return 0;
  }
  cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
  return 12;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | cp >> 6);
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | cp >> 12);
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | cp >> 18);
    out += static_cast<char>(0x80 | (cp >> 12 & 0x3F));
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// A recursive-descent validator over text[pos..]. Every method leaves pos just past what it
// read and records the first error.
struct Scanner {
  std::string_view text;
  std::size_t pos = 0;
  std::optional<JsonSyntaxError> error;
  bool string_escaped = false;  // whether the last string read held a backslash escape
  std::size_t max_members = kNoMemberLimit;  // per object

  explicit Scanner(std::string_view t, std::size_t p = 0, std::size_t max = kNoMemberLimit)
      : text(t), pos(p), max_members(max) {}

  bool fail(std::size_t at, std::string_view why) {
    if (!error) error = JsonSyntaxError{at, why};
    return false;
  }
  bool fail_member_limit(std::size_t at) {
    if (!error) error = JsonSyntaxError{at, "too many members in an object", true};
    return false;
  }
  bool at_end() const { return pos >= text.size(); }
  char peek() const { return text[pos]; }
  void skip_ws() {
    while (pos < text.size() && is_ws(text[pos])) ++pos;
  }

  bool value(int depth) {
    if (at_end()) return fail(pos, "unexpected end of input");
    switch (peek()) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        return literal("true");
      case 'f':
        return literal("false");
      case 'n':
        return literal("null");
      default:
        if (peek() == '-' || is_digit(peek())) return number();
        return fail(pos, "unexpected character");
    }
  }

  bool literal(std::string_view word) {
    if (text.substr(pos, word.size()) != word) return fail(pos, "invalid literal");
    pos += word.size();
    return true;
  }

  bool number() {
    const std::size_t start = pos;
    const auto digit_at = [this](std::size_t i) { return i < text.size() && is_digit(text[i]); };
    if (peek() == '-') ++pos;
    if (!digit_at(pos)) return fail(start, "invalid number");
    if (text[pos] == '0') {
      ++pos;
      if (digit_at(pos)) return fail(start, "leading zero in number");
    } else {
      while (digit_at(pos)) ++pos;
    }
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      if (!digit_at(pos)) return fail(start, "invalid number");
      while (digit_at(pos)) ++pos;
    }
    if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
      ++pos;
      if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) ++pos;
      if (!digit_at(pos)) return fail(start, "invalid number");
      while (digit_at(pos)) ++pos;
    }
    return true;
  }

  bool string() {
    const std::size_t start = pos;
    const char* data = text.data();
    const std::size_t n = text.size();
    ++pos;
    string_escaped = false;
    for (;;) {
      pos = json_text::plain_run_end(data, pos, n);
      if (pos >= n) return fail(start, "unterminated string");
      const auto c = static_cast<unsigned char>(data[pos]);
      if (c == '"') {
        ++pos;
        return true;
      }
      if (c == '\\') {
        string_escaped = true;
        if (!escape()) return false;
      } else if (c < 0x20) {
        return fail(pos, "control character in string");
      } else {  // plain_run_end stops at no other ASCII byte
        // Non-ASCII text (Cyrillic, CJK…) comes in runs: validate the whole run here rather
        // than going back to the block scan after every character.
        do {
          const std::size_t len =
              utf8_sequence_length(reinterpret_cast<const unsigned char*>(data + pos), n - pos);
          if (len == 0) return fail(pos, "invalid UTF-8 in string");
          pos += len;
        } while (pos < n && static_cast<unsigned char>(data[pos]) >= 0x80);
      }
    }
  }

  bool escape() {
    if (pos + 1 >= text.size()) return fail(pos, "unterminated string");
    switch (text[pos + 1]) {
      case '"':
      case '\\':
      case '/':
      case 'b':
      case 'f':
      case 'n':
      case 'r':
      case 't':
        pos += 2;
        return true;
      case 'u': {
        std::uint32_t cp = 0;
        const std::size_t used = read_unicode_escape(text, pos, cp);
        if (used == 0) {
          std::uint32_t first = 0;
          return fail(
              pos, read_hex4(text, pos + 2, first) ? "lone surrogate in \\u escape" : "invalid \\u escape");
        }
        pos += used;
        return true;
      }
      default:
        return fail(pos, "invalid escape");
    }
  }

  bool object(int depth) {
    if (depth >= kMaxJsonDepth) return fail(pos, "nesting too deep");
    ++pos;
    skip_ws();
    if (!at_end() && peek() == '}') {
      ++pos;
      return true;
    }
    for (std::size_t members = 1;; ++members) {
      if (at_end() || peek() != '"') return fail(pos, "expected a string key");
      if (members > max_members) return fail_member_limit(pos);
      if (!string()) return false;
      skip_ws();
      if (at_end() || peek() != ':') return fail(pos, "expected ':'");
      ++pos;
      skip_ws();
      if (!value(depth + 1)) return false;
      skip_ws();
      if (at_end()) return fail(pos, "unterminated object");
      if (peek() == '}') {
        ++pos;
        return true;
      }
      if (peek() != ',') return fail(pos, "expected ',' or '}'");
      ++pos;
      skip_ws();
      if (!at_end() && peek() == '}') return fail(pos, "trailing comma");
    }
  }

  bool array(int depth) {
    if (depth >= kMaxJsonDepth) return fail(pos, "nesting too deep");
    ++pos;
    skip_ws();
    if (!at_end() && peek() == ']') {
      ++pos;
      return true;
    }
    for (;;) {
      if (!value(depth + 1)) return false;
      skip_ws();
      if (at_end()) return fail(pos, "unterminated array");
      if (peek() == ']') {
        ++pos;
        return true;
      }
      if (peek() != ',') return fail(pos, "expected ',' or ']'");
      ++pos;
      skip_ws();
      if (!at_end() && peek() == ']') return fail(pos, "trailing comma");
    }
  }

  // After the closing bracket of a cursor's container: only whitespace may follow.
  void finish() {
    skip_ws();
    if (!at_end()) fail(pos, "unexpected data after the JSON value");
  }
};

// What the two cursors share: stepping into their container and from one item to the next.
struct Brackets {
  char open, close;
  std::string_view expected_open, unterminated, expected_separator;
};
constexpr Brackets kObjectBrackets{'{', '}', "expected an object", "unterminated object", "expected ',' or '}'"};
constexpr Brackets kArrayBrackets{'[', ']', "expected an array", "unterminated array", "expected ',' or ']'"};

enum class CursorStep { item, closed, failed };

// Moves a cursor's scanner to the start of its next item: past the opening bracket on the first
// call, past the separator after the previous item on later ones. `closed`: the container ended
// (and only whitespace followed it); `failed`: s.error says why.
CursorStep advance_to_item(Scanner& s, bool first, const Brackets& brackets) {
  const auto fail = [&](std::string_view why) {
    s.fail(s.pos, why);
    return CursorStep::failed;
  };
  const auto close = [&] {
    ++s.pos;
    s.finish();
    return s.error ? CursorStep::failed : CursorStep::closed;
  };
  s.skip_ws();
  if (first) {
    if (s.at_end() || s.peek() != brackets.open) return fail(brackets.expected_open);
    ++s.pos;
    s.skip_ws();
    if (!s.at_end() && s.peek() == brackets.close) return close();
    return CursorStep::item;
  }
  if (s.at_end()) return fail(brackets.unterminated);
  if (s.peek() == brackets.close) return close();
  if (s.peek() != ',') return fail(brackets.expected_separator);
  ++s.pos;
  s.skip_ws();
  if (!s.at_end() && s.peek() == brackets.close) return fail("trailing comma");
  return CursorStep::item;
}

// Reads `"key": value` at s.pos into `out`.
bool read_member(Scanner& s, Member& out) {
  if (s.at_end() || s.peek() != '"') return s.fail(s.pos, "expected a string key");
  out.member_begin = s.pos;
  if (!s.string()) return false;
  out.key_raw = s.text.substr(out.member_begin + 1, s.pos - out.member_begin - 2);
  out.key_escaped = s.string_escaped;
  s.skip_ws();
  if (s.at_end() || s.peek() != ':') return s.fail(s.pos, "expected ':'");
  ++s.pos;
  s.skip_ws();
  out.value_begin = s.pos;
  if (!s.value(1)) return false;
  out.value_end = out.member_end = s.pos;
  return true;
}

// Unescapes a string body (between the quotes), validating it completely.
bool unescape(std::string_view content, std::string& out) {
  out.reserve(out.size() + content.size());
  const std::size_t n = content.size();
  std::size_t i = 0;
  while (i < n) {
    const std::size_t run = json_text::plain_run_end(content.data(), i, n);
    out.append(content.data() + i, run - i);
    i = run;
    if (i >= n) break;
    const auto c = static_cast<unsigned char>(content[i]);
    if (c >= 0x80) {
      const std::size_t len =
          utf8_sequence_length(reinterpret_cast<const unsigned char*>(content.data() + i), n - i);
      if (len == 0) return false;
      out.append(content.data() + i, len);
      i += len;
      continue;
    }
    if (c != '\\' || i + 1 >= n) return false;  // a bare quote or control character
    switch (content[i + 1]) {
      case '"':
        out += '"';
        break;
      case '\\':
        out += '\\';
        break;
      case '/':
        out += '/';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'u': {
        std::uint32_t cp = 0;
        const std::size_t used = read_unicode_escape(content, i, cp);
        if (used == 0) return false;
        append_utf8(out, cp);
        i += used;
        continue;
      }
      default:
        return false;
    }
    i += 2;
  }
  return true;
}

bool is_full_number(std::string_view value) {
  if (value.empty() || !(value[0] == '-' || is_digit(value[0]))) return false;
  Scanner s(value);
  return s.number() && s.pos == value.size();
}

}  // namespace

std::optional<JsonSyntaxError> find_json_error(std::string_view text, std::size_t max_members) {
  Scanner s(text, 0, max_members);
  s.skip_ws();
  if (s.at_end()) return JsonSyntaxError{s.pos, "empty input"};
  if (!s.value(0)) return s.error;
  s.finish();
  return s.error;
}

bool validate_json(std::string_view text) { return !find_json_error(text); }

bool MemberCursor::next(Member& out) {
  if (state_ == State::done || error_) return false;
  Scanner s(text_, pos_, max_members_);
  const CursorStep step = advance_to_item(s, state_ == State::start, kObjectBrackets);
  if (step == CursorStep::item && members_read_ == max_members_) s.fail_member_limit(s.pos);
  if (step == CursorStep::item && !s.error && read_member(s, out)) {
    ++members_read_;
    pos_ = s.pos;
    state_ = State::after_member;
    return true;
  }
  if (step == CursorStep::closed) state_ = State::done;
  error_ = s.error;
  pos_ = s.pos;
  return false;
}

bool ElementCursor::next(std::string_view& element) {
  if (state_ == State::done || error_) return false;
  Scanner s(text_, pos_);
  const CursorStep step = advance_to_item(s, state_ == State::start, kArrayBrackets);
  const std::size_t begin = s.pos;
  if (step == CursorStep::item && s.value(1)) {
    element = text_.substr(begin, s.pos - begin);
    pos_ = s.pos;
    state_ = State::after_element;
    return true;
  }
  if (step == CursorStep::closed) state_ = State::done;
  error_ = s.error;
  pos_ = s.pos;
  return false;
}

std::optional<std::vector<Member>> top_level_members(std::string_view body) {
  std::vector<Member> members;
  members.reserve(16);
  MemberCursor cursor(body);
  Member m;
  while (cursor.next(m)) members.push_back(m);
  if (cursor.error()) return std::nullopt;
  return members;
}

bool Member::key_is(std::string_view key) const { return key_escaped ? key_equals(key_raw, key) : key_raw == key; }

bool key_equals(std::string_view key_raw, std::string_view key) {
  // Every escape is longer than what it stands for, so an escaped key is longer than its
  // decoded text: a raw key shorter than `key` never matches, one as long only if it has no
  // escape, and only a longer one is worth unescaping.
  const auto has_backslash = [](std::string_view s) {
    return std::find(s.begin(), s.end(), '\\') != s.end();
  };
  if (key_raw.size() < key.size()) return false;
  if (key_raw.size() == key.size()) return key_raw == key && !has_backslash(key_raw);
  if (!has_backslash(key_raw)) return false;
  auto decoded = decode_key(key_raw);
  return decoded && *decoded == key;
}

std::optional<std::string> decode_key(std::string_view key_raw) {
  std::string out;
  if (!unescape(key_raw, out)) return std::nullopt;
  return out;
}

std::optional<std::string_view> find_member(std::string_view object_json, std::string_view key) {
  MemberCursor cursor(object_json);
  Member m;
  std::optional<std::string_view> found;
  while (cursor.next(m)) {
    if (m.key_is(key)) found = m.value(object_json);
  }
  if (cursor.error()) return std::nullopt;
  return found;
}

std::optional<std::string> decode_string(std::string_view value) {
  if (value.size() < 2 || value.front() != '"' || value.back() != '"') return std::nullopt;
  const std::string_view content = value.substr(1, value.size() - 2);
  // Model names and users are plain ASCII: nothing to unescape or check byte by byte.
  if (json_text::plain_run_end(content.data(), 0, content.size()) == content.size()) return std::string(content);
  std::string out;
  if (!unescape(content, out)) return std::nullopt;
  return out;
}

std::optional<bool> decode_bool(std::string_view value) {
  if (value == "true") return true;
  if (value == "false") return false;
  return std::nullopt;
}

std::optional<std::int64_t> decode_int64(std::string_view value) {
  // from_chars reads `-?[0-9]+` (no '+', no spaces), which is a JSON integer but for leading
  // zeros; a fraction or exponent stops it before the end.
  std::int64_t out = 0;
  const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
  if (ec != std::errc{} || ptr != value.data() + value.size()) return std::nullopt;
  const std::string_view digits = value.substr(value.front() == '-' ? 1 : 0);
  if (digits.size() > 1 && digits.front() == '0') return std::nullopt;
  return out;
}

std::optional<double> decode_double(std::string_view value) {
  if (!is_full_number(value)) return std::nullopt;
  double out = 0;
  const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
  if (ec != std::errc{} || ptr != value.data() + value.size() || !std::isfinite(out)) return std::nullopt;
  return out;
}

std::optional<std::vector<std::string>> decode_string_list(std::string_view value) {
  if (!is_array(value)) return std::nullopt;
  std::vector<std::string> out;
  ElementCursor cursor(value);
  std::string_view element;
  while (cursor.next(element)) {
    auto s = decode_string(element);
    if (!s) return std::nullopt;
    out.push_back(std::move(*s));
  }
  if (cursor.error()) return std::nullopt;
  return out;
}

bool is_array(std::string_view value) { return !value.empty() && value.front() == '['; }
bool is_object(std::string_view value) { return !value.empty() && value.front() == '{'; }
bool is_null(std::string_view value) { return value == "null"; }
bool is_string(std::string_view value) { return !value.empty() && value.front() == '"'; }
bool is_bool(std::string_view value) { return value == "true" || value == "false"; }
bool is_number(std::string_view value) {
  return !value.empty() && (value.front() == '-' || is_digit(value.front()));
}
bool is_integer(std::string_view value) {
  return is_full_number(value) && value.find_first_of(".eE") == std::string_view::npos;
}

}  // namespace llmux::api
