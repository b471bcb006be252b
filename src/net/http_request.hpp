#pragma once

// An inbound HTTP request as handlers see it. Its method, target and header fields live in one
// buffer (RequestHeaders), read straight from the parser; a connection keeps its request object
// from one request to the next, so on a keep-alive connection reading a request allocates nothing
// once the buffers have grown to the client's usual size.

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "net/http_header_list.hpp"

namespace llmux::net {

// A request's header fields in arrival order, names lower-cased. The bytes are kept in a vector
// (never a small-string buffer), so the views handed out stay valid when the request is moved.
class RequestHeaders {
 public:
  class const_iterator;

  // Lower-cases the name (ASCII only).
  void emplace_back(std::string_view name, std::string_view value);
  // The first value of a field, by lower-case name; empty when absent.
  std::string_view find(std::string_view lower_name) const;
  std::size_t size() const { return fields_.size(); }
  bool empty() const { return fields_.empty(); }
  const_iterator begin() const;
  const_iterator end() const;

  // Other text of the request kept in the same buffer (the request line); where it starts.
  std::size_t store_text(std::string_view text);
  // A view of `size` stored bytes from `at`, valid until the next change.
  std::string_view stored(std::size_t at, std::size_t size) const { return {bytes_.data() + at, size}; }

  void reserve(std::size_t bytes, std::size_t fields);
  // Empties the list for the next request, keeping the storage unless it grew past `keep_bytes`.
  void clear(std::size_t keep_bytes);

 private:
  struct Field {
    std::uint32_t name_at, name_size, value_at, value_size;
  };
  Header view(const Field& field) const {
    return {stored(field.name_at, field.name_size), stored(field.value_at, field.value_size)};
  }

  std::vector<char> bytes_;
  std::vector<Field> fields_;
};

class RequestHeaders::const_iterator {
 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = Header;
  using difference_type = std::ptrdiff_t;
  using pointer = const Header*;
  using reference = const Header&;

  const_iterator() = default;
  reference operator*() const { return current_; }
  pointer operator->() const { return &current_; }
  const_iterator& operator++() {
    ++index_;
    read();
    return *this;
  }
  const_iterator operator++(int) {
    const_iterator before = *this;
    ++*this;
    return before;
  }
  friend bool operator==(const const_iterator& a, const const_iterator& b) { return a.index_ == b.index_; }

 private:
  friend class RequestHeaders;
  const_iterator(const RequestHeaders* headers, std::size_t index) : headers_(headers), index_(index) { read(); }
  void read() {
    if (index_ < headers_->fields_.size()) current_ = headers_->view(headers_->fields_[index_]);
  }

  const RequestHeaders* headers_ = nullptr;
  std::size_t index_ = 0;
  Header current_;
};

inline RequestHeaders::const_iterator RequestHeaders::begin() const { return const_iterator(this, 0); }
inline RequestHeaders::const_iterator RequestHeaders::end() const { return const_iterator(this, fields_.size()); }

struct InboundRequest {
  InboundRequest() = default;
  // The views below point into this request's own buffers (or the connection's): a copy would
  // point into the original's. Moving keeps them valid.
  InboundRequest(const InboundRequest&) = delete;
  InboundRequest& operator=(const InboundRequest&) = delete;
  InboundRequest(InboundRequest&&) = default;
  InboundRequest& operator=(InboundRequest&&) = default;

  std::string_view method;
  std::string_view target;  // path and query as sent
  std::string_view path;    // target without the query
  RequestHeaders headers;   // names lower-cased
  std::string body;
  std::string_view remote_address;  // the connection's peer; lives as long as the connection

  // First value of a header, by lower-case name; empty when absent.
  std::string_view header(std::string_view lower_name) const { return headers.find(lower_name); }

  // Readies the object for the connection's next request. Buffers are kept for it, unless one
  // grew past what a usual request needs (a large body is not held by an idle connection).
  void clear();
};

}  // namespace llmux::net
