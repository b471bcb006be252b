#pragma once

// Response headers as they go on the wire: "name: value\r\n" each, in one buffer. An answer's
// headers (a dozen x-litellm-* ones, the upstream's forwarded ones, a key's x-ratelimit-* ones)
// then cost one allocation, and reach the response head in one copy. A header can never be split
// or forged: whatever is added, a byte outside printable ASCII (CR, LF, NUL, other controls, DEL,
// non-ASCII) becomes '?', and so does a ':' in a name.

#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>

namespace llmux::net {

// One header as a reader sees it: views into the list's buffer, valid until the list changes.
using Header = std::pair<std::string_view, std::string_view>;

class HeaderList {
 public:
  class const_iterator;
  class ValueWriter;

  HeaderList() = default;
  HeaderList(std::initializer_list<Header> headers);

  // Bytes, not headers: "name: value\r\n" of everything that will be added.
  void reserve(std::size_t bytes) { wire_.reserve(bytes); }
  void emplace_back(std::string_view name, std::string_view value);
  void push_back(const Header& header) { emplace_back(header.first, header.second); }
  // Another list's headers after these: one copy (they were made safe when added there).
  void append(const HeaderList& other);
  // A header whose value is written in pieces (numbers, joined names) with no temporary string:
  //   { auto value = headers.add("x-name"); value += "a"; value += ','; }  — ended when `value` goes.
  ValueWriter add(std::string_view name);

  std::size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }
  // Every header, as it goes into a response head.
  std::string_view wire() const { return wire_; }
  // The first value of a header by exact name; empty when absent.
  std::string_view find(std::string_view name) const;
  void clear();
  void swap(HeaderList& other) noexcept;

  const_iterator begin() const;
  const_iterator end() const;

  friend bool operator==(const HeaderList&, const HeaderList&) = default;

 private:
  void append_name(std::string_view name);
  void append_value(std::string_view value);

  std::string wire_;
  std::size_t count_ = 0;
};

class HeaderList::ValueWriter {
 public:
  ValueWriter(const ValueWriter&) = delete;
  ValueWriter& operator=(const ValueWriter&) = delete;
  ~ValueWriter() { list_.wire_ += "\r\n"; }

  ValueWriter& operator+=(std::string_view piece) {
    list_.append_value(piece);
    return *this;
  }
  ValueWriter& operator+=(char c) { return *this += std::string_view(&c, 1); }

 private:
  friend class HeaderList;
  explicit ValueWriter(HeaderList& list) : list_(list) {}
  HeaderList& list_;
};

// Walks the buffer; each header is found when the iterator reaches it.
class HeaderList::const_iterator {
 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = Header;
  using difference_type = std::ptrdiff_t;
  using pointer = const Header*;
  using reference = const Header&;

  const_iterator() = default;
  reference operator*() const { return current_; }
  pointer operator->() const { return &current_; }
  const_iterator& operator++();
  const_iterator operator++(int) {
    const_iterator before = *this;
    ++*this;
    return before;
  }
  friend bool operator==(const const_iterator& a, const const_iterator& b) { return a.at_ == b.at_; }

 private:
  friend class HeaderList;
  const_iterator(std::string_view wire, std::size_t at);
  void read();

  std::string_view wire_;
  std::size_t at_ = 0;    // where the current header's line starts
  std::size_t next_ = 0;  // where the next one's starts
  Header current_;
};

inline HeaderList::const_iterator HeaderList::begin() const { return const_iterator(wire_, 0); }
inline HeaderList::const_iterator HeaderList::end() const { return const_iterator(wire_, wire_.size()); }

}  // namespace llmux::net
