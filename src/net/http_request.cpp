#include "net/http_request.hpp"

namespace llmux::net {
namespace {

// What a connection keeps between requests: about what a chatty SDK client's header and a usual
// chat request's body need. Beyond that the storage goes back, so an idle keep-alive connection
// does not hold the memory of the largest request it once carried.
constexpr std::size_t kKeptHeaderBytes = 4u << 10;
constexpr std::size_t kKeptBodyBytes = 64u << 10;

}  // namespace

std::size_t RequestHeaders::store_text(std::string_view text) {
  const std::size_t at = bytes_.size();
  bytes_.insert(bytes_.end(), text.begin(), text.end());
  return at;
}

void RequestHeaders::emplace_back(std::string_view name, std::string_view value) {
  Field field;
  field.name_at = static_cast<std::uint32_t>(store_text(name));
  field.name_size = static_cast<std::uint32_t>(name.size());
  for (char* c = bytes_.data() + field.name_at, *end = c + name.size(); c != end; ++c) {
    if (*c >= 'A' && *c <= 'Z') *c = static_cast<char>(*c - 'A' + 'a');  // ASCII only: no locale lookup per byte
  }
  field.value_at = static_cast<std::uint32_t>(store_text(value));
  field.value_size = static_cast<std::uint32_t>(value.size());
  fields_.push_back(field);
}

std::string_view RequestHeaders::find(std::string_view lower_name) const {
  for (const Field& field : fields_) {
    if (field.name_size == lower_name.size() && stored(field.name_at, field.name_size) == lower_name) {
      return stored(field.value_at, field.value_size);
    }
  }
  return {};
}

void RequestHeaders::reserve(std::size_t bytes, std::size_t fields) {
  bytes_.reserve(bytes);
  fields_.reserve(fields);
}

void RequestHeaders::clear(std::size_t keep_bytes) {
  if (bytes_.capacity() > keep_bytes) {
    std::vector<char>().swap(bytes_);
    std::vector<Field>().swap(fields_);
    return;
  }
  bytes_.clear();
  fields_.clear();
}

void InboundRequest::clear() {
  method = target = path = {};
  headers.clear(kKeptHeaderBytes);
  if (body.capacity() > kKeptBodyBytes) {
    std::string().swap(body);
  } else {
    body.clear();
  }
}

}  // namespace llmux::net
