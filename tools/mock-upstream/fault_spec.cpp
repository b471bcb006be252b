#include "fault_spec.hpp"

#include <algorithm>
#include <charconv>
#include <iterator>

namespace llmux::mock {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::optional<unsigned> parse_unsigned(std::string_view s) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return value;
}

template <class Number>  // unsigned or std::optional<unsigned>
bool set(Number& field, const std::string& value) {
  const auto n = parse_unsigned(value);
  if (n) field = *n;
  return n.has_value();
}
bool set(std::optional<std::string>& field, const std::string& value) {
  field = value;
  return !value.empty();
}

// Every key the spec knows, and how its value is read. A flag ignores its value.
struct Field {
  std::string_view key;
  bool (*set)(FaultSpec&, const std::string&);
};
using V = const std::string&;
constexpr Field kFields[] = {
    {"status", [](FaultSpec& s, V v) { return set(s.status, v); }},
    {"retry_after", [](FaultSpec& s, V v) { return set(s.retry_after, v); }},
    {"delay_ms", [](FaultSpec& s, V v) { return set(s.delay_ms, v); }},
    {"chunk_delay_ms", [](FaultSpec& s, V v) { return set(s.chunk_delay_ms, v); }},
    {"chunks", [](FaultSpec& s, V v) { return set(s.chunks, v); }},
    {"break_after", [](FaultSpec& s, V v) { return set(s.break_after, v); }},
    {"times", [](FaultSpec& s, V v) { return set(s.times, v); }},
    {"key", [](FaultSpec& s, V v) { return set(s.key, v); }},
    {"tool_call", [](FaultSpec& s, V v) { return set(s.tool_call, v); }},
    {"stream_error", [](FaultSpec& s, V v) { return set(s.stream_error, v); }},
    {"context_error", [](FaultSpec& s, V v) { return set(s.context_error, v) || true; }},
    {"reset", [](FaultSpec& s, V) { return s.reset = true; }},
    {"content_policy", [](FaultSpec& s, V) { return s.content_policy = true; }},
    {"thinking", [](FaultSpec& s, V) { return s.thinking = true; }},
    {"response_failed", [](FaultSpec& s, V v) { return set(s.response_failed, v); }},
    {"no_final_event", [](FaultSpec& s, V) { return s.no_final_event = true; }},
};

}  // namespace

void merge_fault_items(std::string_view spec, FaultItems& items) {
  while (!spec.empty()) {
    const auto comma = spec.find(',');
    const std::string_view item = trim(spec.substr(0, comma));
    spec = comma == std::string_view::npos ? std::string_view{} : spec.substr(comma + 1);
    if (item.empty()) continue;
    const auto eq = item.find('=');
    std::string key(trim(item.substr(0, eq)));
    std::string value(eq == std::string_view::npos ? std::string_view{} : trim(item.substr(eq + 1)));
    std::erase_if(items, [&key](const auto& kv) { return kv.first == key; });
    items.emplace_back(std::move(key), std::move(value));
  }
}

boost::system::result<FaultSpec, std::string> to_fault_spec(const FaultItems& items) {
  FaultSpec spec;
  for (const auto& [key, value] : items) {
    if (!spec.canonical.empty()) spec.canonical += ',';
    spec.canonical += value.empty() ? key : key + "=" + value;
    // A named copy of the binding: clang before 16 cannot capture a structured binding.
    const std::string& name = key;
    const auto* field =
        std::find_if(std::begin(kFields), std::end(kFields), [&name](const Field& f) { return f.key == name; });
    if (field == std::end(kFields)) return "unknown fault key '" + key + "'";
    if (!field->set(spec, value)) return "bad value for fault key '" + key + "': '" + value + "'";
  }
  if (spec.status && (*spec.status < 100 || *spec.status > 599))
    return std::string("status must be 100..599");
  return spec;
}

std::string strip_fault_segments(std::string_view path, std::vector<std::string>& specs) {
  static constexpr std::string_view kMarker = "/fault/";
  std::string rest;
  for (;;) {
    const auto at = path.find(kMarker);
    if (at == std::string_view::npos) break;
    rest.append(path.substr(0, at));
    path.remove_prefix(at + kMarker.size());
    const auto end = path.find('/');
    specs.push_back(percent_decode(path.substr(0, end)));
    path = end == std::string_view::npos ? std::string_view{} : path.substr(end);
  }
  rest.append(path);
  return rest;
}

bool FaultCounters::admit(const FaultSpec& spec) {
  if (!spec.times) return true;
  const std::string key = spec.key ? "key:" + *spec.key : "spec:" + spec.canonical;
  std::lock_guard lock(mutex_);
  return ++seen_[key] <= *spec.times;
}

void FaultCounters::clear() {
  std::lock_guard lock(mutex_);
  seen_.clear();
}

}  // namespace llmux::mock
