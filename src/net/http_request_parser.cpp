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

// RFC 9112 section 6.1: the codings of a Transfer-Encoding value, in the order they were applied.
// We implement chunked alone, so the one value we accept is a list whose only coding is "chunked"
// (empty list elements are allowed, RFC 9110 section 5.6.1). Anything else — gzip, identity,
// "chunked, chunked", chunked with parameters — leaves the body's length unknown to us.
bool is_exactly_chunked(std::string_view value) {
  int chunked = 0;
  while (!value.empty()) {
    const std::size_t comma = value.find(',');
    std::string_view element = value.substr(0, comma);
    value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
    while (!element.empty() && (element.front() == ' ' || element.front() == '\t')) element.remove_prefix(1);
    while (!element.empty() && (element.back() == ' ' || element.back() == '\t')) element.remove_suffix(1);
    if (element.empty()) continue;
    if (!boost::beast::iequals(element, "chunked")) return false;
    ++chunked;
  }
  return chunked == 1;
}

}  // namespace

void RequestParser::refuse(Refusal why, error_code& ec) {
  refusal_ = why;
  ec = why == Refusal::transfer_coding ? http::error::bad_transfer_encoding : http::error::bad_chunk;
}

bool RequestParser::unparsed_within_limits(std::string_view unparsed) {
  if (refusal_ != Refusal::none) return false;
  // Beast leaves the CRLF that ends a chunk's data in front of the next size line.
  const std::size_t start = unparsed.starts_with("\r\n") ? 2 : 0;
  const std::size_t lf = unparsed.find('\n', start);
  const std::size_t line = (lf == std::string_view::npos ? unparsed.size() : lf) - start;
  error_code ignored;
  if (line > max_chunk_line_bytes_ + 1) {  // + 1: the line's CR may be among them
    refuse(Refusal::chunk_line_too_long, ignored);
    return false;
  }
  // A complete line is left unparsed only when it is the last chunk's, waiting for its trailers.
  if (lf != std::string_view::npos && unparsed.size() - (lf + 1) > max_trailer_bytes_) {
    refuse(Refusal::trailer_too_large, ignored);
    return false;
  }
  return true;
}

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

void RequestParser::on_field_impl(http::field name, text_view name_text, text_view value, error_code& ec) {
  if (in_trailer_) {
    // Trailer fields are dropped (RFC 9110 section 6.5.1 lets a recipient): merged into the
    // header they would let a body's end rewrite what was checked at its start, and adding them
    // to the request's buffer would move the method and target its views point into.
    trailer_bytes_ += name_text.size() + value.size() + 4;  // ": " and CRLF
    if (trailer_bytes_ > max_trailer_bytes_) refuse(Refusal::trailer_too_large, ec);
    return;
  }
  if (name == http::field::transfer_encoding && !is_exactly_chunked(value)) {
    refuse(Refusal::transfer_coding, ec);
    return;
  }
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
  in_trailer_ = true;
}

void RequestParser::on_body_init_impl(const boost::optional<std::uint64_t>& content_length, error_code&) {
  // The declared length was checked against the body limit before this is called.
  if (content_length) out_.body.reserve(static_cast<std::size_t>(*content_length));
}

std::size_t RequestParser::on_body_impl(text_view body, error_code&) {
  out_.body.append(body);
  return body.size();
}

void RequestParser::on_chunk_header_impl(std::uint64_t, text_view extensions, error_code& ec) {
  // A line that arrived whole in one read; unparsed_within_limits catches one still arriving.
  if (extensions.size() + 1 > max_chunk_line_bytes_) refuse(Refusal::chunk_line_too_long, ec);
}

std::size_t RequestParser::on_chunk_body_impl(std::uint64_t, text_view body, error_code&) {
  out_.body.append(body);
  return body.size();
}

void RequestParser::on_finish_impl(error_code&) {}

}  // namespace llmux::net
