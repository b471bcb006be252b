#include <algorithm>
#include <vector>

#include "api/json_scan.hpp"
#include "api/json_text.hpp"

// The writing half of json_scan.hpp: JSON string literals and splicing edits into an object.

namespace llmux::api {
namespace {

// Output targets for the writers below: one counts, one appends, so splice can size its
// result exactly and allocate once.
struct CountingSink {
  std::size_t size = 0;
  void put(char) { ++size; }
  void put(std::string_view s) { size += s.size(); }
};
struct StringSink {
  std::string& out;
  void put(char c) { out += c; }
  void put(std::string_view s) { out.append(s); }
};

template <class Sink>
void write_json_string(Sink& sink, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  sink.put('"');
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    const std::size_t run = json_text::plain_run_end(s.data(), i, n);
    sink.put(s.substr(i, run - i));
    i = run;
    if (i >= n) break;
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const std::size_t len =
          json_text::utf8_sequence_length(reinterpret_cast<const unsigned char*>(s.data() + i), n - i);
      if (len == 0) {
        sink.put("\xEF\xBF\xBD");  // U+FFFD REPLACEMENT CHARACTER
        ++i;
      } else {
        sink.put(s.substr(i, len));
        i += len;
      }
      continue;
    }
    switch (c) {
      case '"':
        sink.put("\\\"");
        break;
      case '\\':
        sink.put("\\\\");
        break;
      case '\b':
        sink.put("\\b");
        break;
      case '\f':
        sink.put("\\f");
        break;
      case '\n':
        sink.put("\\n");
        break;
      case '\r':
        sink.put("\\r");
        break;
      case '\t':
        sink.put("\\t");
        break;
      default: {
        const char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        sink.put(std::string_view(esc, 6));
      }
    }
    ++i;
  }
  sink.put('"');
}

// Edits in member order, so that splicing walks them alongside the members: looking each member
// up in the lists instead would cost members x edits, and a hostile body can make both large
// (every duplicate `model` key is one removal).
struct EditWalk {
  const Edits& edits;
  std::size_t next_replace = 0, next_remove = 0;

  // Called with increasing indexes.
  bool removed(std::size_t index) {
    while (next_remove < edits.remove.size() && edits.remove[next_remove] < index) ++next_remove;
    return next_remove < edits.remove.size() && edits.remove[next_remove] == index;
  }
  std::optional<std::string_view> replacement(std::size_t index) {
    std::optional<std::string_view> found;
    for (; next_replace < edits.replace.size() && edits.replace[next_replace].member_index <= index; ++next_replace) {
      if (edits.replace[next_replace].member_index == index) found = edits.replace[next_replace].value_json;  // the last one wins
    }
    return found;
  }
};

template <class Sink>
void write_spliced(Sink& sink, std::string_view text, std::span<const Member> members, const Edits& edits) {
  std::size_t open = 0;
  while (open < text.size() && text[open] != '{') ++open;
  ++open;  // just past '{'
  std::size_t close = text.size();
  while (close > open && text[close - 1] != '}') --close;
  --close;  // at '}'

  sink.put(text.substr(0, open));
  bool wrote_member = false;
  if (members.empty()) {
    sink.put(text.substr(open, close - open));
  } else {
    sink.put(text.substr(open, members.front().member_begin - open));
    bool previous_kept = false;
    EditWalk walk{edits};
    for (std::size_t i = 0; i < members.size(); ++i) {
      const Member& m = members[i];
      const std::optional<std::string_view> value = walk.replacement(i);
      if (walk.removed(i)) {
        previous_kept = false;
        continue;
      }
      if (wrote_member) {
        // Keep the original separator (comma and whitespace) between neighbours.
        if (previous_kept) {
          sink.put(text.substr(members[i - 1].member_end, m.member_begin - members[i - 1].member_end));
        } else {
          sink.put(',');
        }
      }
      if (value) {
        sink.put(text.substr(m.member_begin, m.value_begin - m.member_begin));
        sink.put(*value);
        sink.put(text.substr(m.value_end, m.member_end - m.value_end));
      } else {
        sink.put(text.substr(m.member_begin, m.member_end - m.member_begin));
      }
      wrote_member = true;
      previous_kept = true;
    }
  }
  for (const auto& a : edits.add) {
    if (wrote_member) sink.put(',');
    write_json_string(sink, a.key);
    sink.put(':');
    sink.put(a.value_json);
    wrote_member = true;
  }
  if (!members.empty()) sink.put(text.substr(members.back().member_end, close - members.back().member_end));
  sink.put(text.substr(close));
}

}  // namespace

std::string splice(std::string_view object_json, std::span<const Member> members, const Edits& edits) {
  // Callers mostly list edits in member order already; only the others pay for a sorted copy.
  const auto by_index = [](const ValueReplacement& a, const ValueReplacement& b) {
    return a.member_index < b.member_index;
  };
  Edits sorted = edits;
  std::vector<ValueReplacement> replace_copy;
  std::vector<std::size_t> remove_copy;
  if (!std::is_sorted(edits.replace.begin(), edits.replace.end(), by_index)) {
    replace_copy.assign(edits.replace.begin(), edits.replace.end());
    std::stable_sort(replace_copy.begin(), replace_copy.end(), by_index);  // stable: the last one still wins
    sorted.replace = replace_copy;
  }
  if (!std::is_sorted(edits.remove.begin(), edits.remove.end())) {
    remove_copy.assign(edits.remove.begin(), edits.remove.end());
    std::sort(remove_copy.begin(), remove_copy.end());
    sorted.remove = remove_copy;
  }
  CountingSink counter;
  write_spliced(counter, object_json, members, sorted);
  std::string out;
  out.reserve(counter.size);
  StringSink sink{out};
  write_spliced(sink, object_json, members, sorted);
  return out;
}

void append_json_string(std::string& out, std::string_view utf8) {
  out.reserve(out.size() + json_string_size(utf8));
  StringSink sink{out};
  write_json_string(sink, utf8);
}

std::size_t json_string_size(std::string_view utf8) {
  CountingSink counter;
  write_json_string(counter, utf8);
  return counter.size;
}

}  // namespace llmux::api
