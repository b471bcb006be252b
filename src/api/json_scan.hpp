#pragma once

// Reading and splicing JSON text without building a DOM (DESIGN.md, decision 3).
//
// The pass-through path validates a request body once, remembers where each top-level
// member lies, decodes the handful of values routing needs, and splices the few bytes that
// change into the original text. Everything here is pure and allocation-free unless it
// returns a std::string / std::vector.
//
// Strictness (RFC 8259 plus the two points where it lets implementations choose):
//   * strings must be valid UTF-8 (raw bytes) and every \u escape must form a valid scalar
//     value: a lone or reversed surrogate is rejected. Upstreams tokenize UTF-8, so a body
//     that cannot be transcoded is refused at the edge instead of failing deep upstream;
//   * nesting deeper than kMaxJsonDepth arrays/objects is rejected (bounded recursion);
//   * a reader may bound how many members one object holds (max_members below), so that what
//     later walks a request's objects member by member has a known cost;
//   * duplicate keys are allowed; readers here take the LAST one, like Python's json.loads
//     (what LiteLLM and Python upstreams see), so routing and upstream agree on the value.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace llmux::api {

inline constexpr int kMaxJsonDepth = 128;
inline constexpr std::size_t kNoMemberLimit = SIZE_MAX;

struct JsonSyntaxError {
  std::size_t offset = 0;   // byte at which the text stopped being JSON
  std::string_view reason;  // static text, e.g. "unterminated string"
  // An object held more members than the reader allows (at `offset`, the first one too many):
  // the text may well be valid JSON, so the caller names the limit rather than a syntax error.
  bool over_member_limit = false;
};

// Full syntax check of one JSON text (any value, surrounding whitespace allowed), with at most
// `max_members` members in any one object.
std::optional<JsonSyntaxError> find_json_error(std::string_view text, std::size_t max_members = kNoMemberLimit);
bool validate_json(std::string_view text);

// One `"key": value` of an object. Offsets are into the text the member was read from.
struct Member {
  std::string_view key_raw;                      // between the quotes, still escaped
  std::size_t member_begin = 0, member_end = 0;  // `"key": value`
  std::size_t value_begin = 0, value_end = 0;    // `value`, no surrounding whitespace
  bool key_escaped = false;                      // key_raw holds a backslash escape

  std::string_view value(std::string_view text) const {
    return text.substr(value_begin, value_end - value_begin);
  }
  // Whether the key spells `key`; unescapes only a key that has escapes (rare).
  bool key_is(std::string_view key) const;
};

// Walks the members of the object `text` holds (whitespace around it allowed), validating
// as it goes; nothing is allocated. next() returns false at the end or on a syntax error;
// error() tells which. Neither this object nor any object nested in it may hold more than
// `max_members` members (error().over_member_limit).
class MemberCursor {
 public:
  explicit MemberCursor(std::string_view text, std::size_t max_members = kNoMemberLimit)
      : text_(text), max_members_(max_members) {}
  bool next(Member& out);
  const std::optional<JsonSyntaxError>& error() const { return error_; }

 private:
  enum class State { start, after_member, done };
  std::string_view text_;
  std::size_t max_members_;
  std::size_t members_read_ = 0;
  std::size_t pos_ = 0;
  State state_ = State::start;
  std::optional<JsonSyntaxError> error_;
};

// Walks the elements of the array `text` holds, like MemberCursor.
class ElementCursor {
 public:
  explicit ElementCursor(std::string_view text) : text_(text) {}
  bool next(std::string_view& element);
  const std::optional<JsonSyntaxError>& error() const { return error_; }

 private:
  enum class State { start, after_element, done };
  std::string_view text_;
  std::size_t pos_ = 0;
  State state_ = State::start;
  std::optional<JsonSyntaxError> error_;
};

// All members of a top-level object; nullopt unless `body` is a valid JSON object.
std::optional<std::vector<Member>> top_level_members(std::string_view body);

// Whether an escaped key (Member::key_raw) spells `key`.
bool key_equals(std::string_view key_raw, std::string_view key);
// The key unescaped; nullopt if key_raw is not a valid string body.
std::optional<std::string> decode_key(std::string_view key_raw);

// The value of the last member named `key` of the object `object_json`, for nested reads
// like stream_options.include_usage. nullopt when absent or `object_json` is no object.
std::optional<std::string_view> find_member(std::string_view object_json, std::string_view key);

// Decoders for one value's text (as Member::value gives it). nullopt on a type mismatch.
std::optional<std::string> decode_string(std::string_view value);  // unescaped UTF-8
std::optional<bool> decode_bool(std::string_view value);
std::optional<std::int64_t> decode_int64(std::string_view value);  // integer literal only
std::optional<double> decode_double(std::string_view value);       // any finite number
std::optional<std::vector<std::string>> decode_string_list(std::string_view value);
bool is_array(std::string_view value);
bool is_object(std::string_view value);
bool is_null(std::string_view value);
bool is_string(std::string_view value);
bool is_number(std::string_view value);
bool is_bool(std::string_view value);
bool is_integer(std::string_view value);  // a number without fraction or exponent

// Editing a valid object without reparsing it. Indexes refer to the `members` span.
struct ValueReplacement {
  std::size_t member_index = 0;
  std::string_view value_json;  // already valid JSON
};
struct MemberAddition {
  std::string_view key;         // UTF-8, escaped by splice
  std::string_view value_json;  // already valid JSON
};
struct Edits {
  std::span<const ValueReplacement> replace;
  std::span<const std::size_t> remove;  // wins over a replacement of the same member
  std::span<const MemberAddition> add;  // appended after the last member, in order
};

// The object `object_json` with `edits` applied, built in one allocation. `members` must
// be what MemberCursor / top_level_members read from `object_json`. Whitespace and the
// bytes of untouched members are kept as they were.
std::string splice(std::string_view object_json, std::span<const Member> members, const Edits& edits);

// Appends `utf8` as a JSON string literal, quotes included. Control characters become
// \b \f \n \r \t or \u00XX (what Python's json.dumps writes); other code points are kept
// as UTF-8. Invalid UTF-8 becomes U+FFFD so the output is always valid JSON (upstream error
// text truncated mid-character, for one).
void append_json_string(std::string& out, std::string_view utf8);
std::size_t json_string_size(std::string_view utf8);  // bytes append_json_string adds

}  // namespace llmux::api
