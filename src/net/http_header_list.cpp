#include "net/http_header_list.hpp"

#include <cstdint>
#include <cstring>

namespace llmux::net {
namespace {

constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kTops = 0x8080808080808080ULL;

std::uint64_t load_word(const char* at) {
  std::uint64_t word;
  std::memcpy(&word, at, 8);
  return word;
}

// The top bit of each byte of `word` outside printable ASCII (0x20-0x7e) is set: below 0x20 borrows
// into it, 0x7f carries into it, 0x80 and above have it. A borrow or carry may also flag a clean
// neighbour: a false alarm only sends the text through the exact loop.
std::uint64_t unprintable_bytes(std::uint64_t word) { return ((word - 0x20 * kOnes) | (word + kOnes) | word) & kTops; }

// The same for ':' (a byte that is zero after the xor).
std::uint64_t colon_bytes(std::uint64_t word) {
  const std::uint64_t x = word ^ (':' * kOnes);
  return (x - kOnes) & ~x & kTops;
}

bool byte_allowed(char c, bool in_name) {
  const auto byte = static_cast<unsigned char>(c);
  return byte >= 0x20 && byte <= 0x7e && !(in_name && c == ':');
}

// Whether every byte may go into a header as it is: eight bytes at a time, the last word
// overlapping the one before it.
bool is_clean(std::string_view text, bool in_name) {
  const std::size_t size = text.size();
  if (size < 8) {
    for (char c : text) {
      if (!byte_allowed(c, in_name)) return false;
    }
    return true;
  }
  std::uint64_t flags = 0;
  for (std::size_t i = 0; i + 8 <= size; i += 8) {
    const std::uint64_t word = load_word(text.data() + i);
    flags |= unprintable_bytes(word) | (in_name ? colon_bytes(word) : 0);
  }
  const std::uint64_t last = load_word(text.data() + size - 8);
  flags |= unprintable_bytes(last) | (in_name ? colon_bytes(last) : 0);
  return flags == 0;
}

// Replaces each byte a header cannot carry with '?'.
void make_safe(char* text, std::size_t size, bool in_name) {
  for (std::size_t i = 0; i < size; ++i) {
    if (!byte_allowed(text[i], in_name)) text[i] = '?';
  }
}

}  // namespace

HeaderList::HeaderList(std::initializer_list<Header> headers) {
  for (const Header& header : headers) emplace_back(header.first, header.second);
}

void HeaderList::append_name(std::string_view name) {
  const std::size_t from = wire_.size();
  wire_.resize(from + name.size() + 2);
  char* const out = wire_.data() + from;
  std::memcpy(out, name.data(), name.size());
  if (!is_clean(name, true)) make_safe(out, name.size(), true);
  out[name.size()] = ':';
  out[name.size() + 1] = ' ';
  ++count_;
}

void HeaderList::append_value(std::string_view value) {
  const std::size_t from = wire_.size();
  wire_.append(value);
  if (!is_clean(value, false)) make_safe(wire_.data() + from, value.size(), false);
}

// One resize and two copies: this runs for every header of every answer.
void HeaderList::emplace_back(std::string_view name, std::string_view value) {
  const std::size_t from = wire_.size();
  wire_.resize(from + name.size() + value.size() + 4);
  char* out = wire_.data() + from;
  std::memcpy(out, name.data(), name.size());
  if (!is_clean(name, true)) make_safe(out, name.size(), true);
  out += name.size();
  *out++ = ':';
  *out++ = ' ';
  std::memcpy(out, value.data(), value.size());
  if (!is_clean(value, false)) make_safe(out, value.size(), false);
  out += value.size();
  *out++ = '\r';
  *out = '\n';
  ++count_;
}

void HeaderList::append(const HeaderList& other) {
  wire_ += other.wire_;
  count_ += other.count_;
}

HeaderList::ValueWriter HeaderList::add(std::string_view name) {
  append_name(name);
  return ValueWriter(*this);
}

std::string_view HeaderList::find(std::string_view name) const {
  for (const auto& [header_name, value] : *this) {
    if (header_name == name) return value;
  }
  return {};
}

void HeaderList::clear() {
  wire_.clear();
  count_ = 0;
}

void HeaderList::swap(HeaderList& other) noexcept {
  wire_.swap(other.wire_);
  std::swap(count_, other.count_);
}

HeaderList::const_iterator::const_iterator(std::string_view wire, std::size_t at) : wire_(wire), at_(at) { read(); }

// A line is "name: value\r\n": names hold no ':' and values no '\r' (both made '?' when added).
void HeaderList::const_iterator::read() {
  if (at_ >= wire_.size()) {
    next_ = at_ = wire_.size();
    current_ = {};
    return;
  }
  const std::size_t colon = wire_.find(':', at_);
  const std::size_t value_at = colon + 2;
  const std::size_t line_end = wire_.find('\r', value_at);
  current_ = {wire_.substr(at_, colon - at_), wire_.substr(value_at, line_end - value_at)};
  next_ = line_end + 2;
}

HeaderList::const_iterator& HeaderList::const_iterator::operator++() {
  at_ = next_;
  read();
  return *this;
}

}  // namespace llmux::net
