#include "net/http_request_parser.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <charconv>

namespace llmux::net {

namespace http = boost::beast::http;

namespace {

// A first request's header and field count fit, as usual requests go, without the buffers
// growing while the fields arrive; later requests on the connection reuse what is there.
constexpr std::size_t kHeaderBytesHint = 256;
constexpr std::size_t kFieldsHint = 8;

}  // namespace

void RequestParser::on_request_impl(http::verb, text_view method_text, text_view target, int version, error_code&) {
  out_.headers.reserve(kHeaderBytesHint, kFieldsHint);
  method_at_ = out_.headers.store_text(method_text);
  method_size_ = method_text.size();
  target_at_ = out_.headers.store_text(target);
  target_size_ = target.size();
  version_ = version;
}

void RequestParser::on_response_impl(int, text_view, int, error_code& ec) {
  ec = http::error::bad_method;  // a request parser is never given a status line
}

void RequestParser::on_field_impl(http::field name, text_view name_text, text_view value, error_code&) {
  // A chunked body's trailer fields come through here too. They are dropped: stored, they would
  // grow the buffer the method, target and path already point into, and no handler may take a
  // field sent after the body for one of the header's.
  if (is_header_done()) return;
  out_.headers.emplace_back(name_text, value);
  if (name == http::field::expect && boost::beast::iequals(value, "100-continue")) expects_continue_ = true;
  // Beast validated the value before this call (digits only, no conflicting duplicate).
  if (name == http::field::content_length) {
    std::uint64_t length = 0;
    if (std::from_chars(value.data(), value.data() + value.size(), length).ec == std::errc()) {
      declared_content_length_ = length;
    }
  }
}

void RequestParser::on_header_impl(error_code&) {
  out_.method = out_.headers.stored(method_at_, method_size_);
  out_.target = out_.headers.stored(target_at_, target_size_);
  out_.path = out_.target.substr(0, out_.target.find('?'));
}

void RequestParser::on_body_init_impl(const boost::optional<std::uint64_t>& content_length, error_code&) {
  // The declared length was checked against the body limit before this is called.
  if (content_length) out_.body.reserve(static_cast<std::size_t>(*content_length));
}

std::size_t RequestParser::on_body_impl(text_view body, error_code&) {
  out_.body.append(body);
  return body.size();
}

void RequestParser::on_chunk_header_impl(std::uint64_t, text_view, error_code&) {}

std::size_t RequestParser::on_chunk_body_impl(std::uint64_t, text_view body, error_code&) {
  out_.body.append(body);
  return body.size();
}

void RequestParser::on_finish_impl(error_code&) {}

}  // namespace llmux::net
