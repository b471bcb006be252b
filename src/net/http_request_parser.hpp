#pragma once

// Beast's HTTP/1.1 request parser, filling an InboundRequest directly: the method, target and each
// field are copied once, from the read buffer into the request's own buffer, as the parser finds
// them (no per-field allocation in beast::http::fields, no second copy into the request), and the
// body is appended to the request's body. Sans-I/O: feed it with put() or Beast's read functions.
//
// It also refuses what Beast lets through: a Transfer-Encoding other than exactly "chunked", and
// chunk lines or trailer sections past their limits (Beast bounds neither; it would wait, and
// buffer, until the line or section ended).

#include <boost/beast/http/basic_parser.hpp>
#include <cstddef>
#include <string_view>
#include <cstdint>
#include <optional>

#include "net/http_request.hpp"

namespace llmux::net {

class RequestParser final : public boost::beast::http::basic_parser<true> {
 public:
  using error_code = boost::beast::error_code;
  using text_view = boost::beast::string_view;  // what Beast hands its parser callbacks

  // Why the parser refused a request that Beast alone would have read on.
  enum class Refusal {
    none,
    transfer_coding,     // a Transfer-Encoding other than exactly "chunked"
    chunk_line_too_long, // a chunk's size line (size and extensions) past max_chunk_line_bytes
    trailer_too_large,   // the trailer section past max_trailer_bytes
  };

  // `out` should be empty (InboundRequest::clear); it must outlive the parser.
  explicit RequestParser(InboundRequest& out) : out_(out) {}

  // A chunk line's bytes without its CRLF, and the trailer section's bytes with their CRLFs.
  void framing_limits(std::size_t max_chunk_line_bytes, std::size_t max_trailer_bytes) {
    max_chunk_line_bytes_ = max_chunk_line_bytes;
    max_trailer_bytes_ = max_trailer_bytes;
  }

  // For a chunked body, while put() asks for more: `unparsed` is what it left of the input (the
  // partial chunk line, or the last chunk's line and a partial trailer section). False, with
  // refusal() set, when those bytes alone already pass a limit: reading on would only buffer more.
  bool unparsed_within_limits(std::string_view unparsed);

  Refusal refusal() const { return refusal_; }
  // The client sent "Expect: 100-continue" and waits for our go-ahead before sending the body.
  bool expects_continue() const { return expects_continue_; }
  int version() const { return version_; }
  // The Content-Length the client declared, once its field was read. Unlike Beast's
  // content_length() it may be asked when the header was refused (a length over the body limit
  // fails before the header is done), so the server can read past the body it will not take.
  std::optional<std::uint64_t> declared_content_length() const { return declared_content_length_; }

 private:
  void on_request_impl(boost::beast::http::verb method, text_view method_text, text_view target, int version,
                       error_code& ec) override;
  void on_response_impl(int status, text_view reason, int version, error_code& ec) override;
  void on_field_impl(boost::beast::http::field name, text_view name_text, text_view value, error_code& ec) override;
  void on_header_impl(error_code& ec) override;
  void on_body_init_impl(const boost::optional<std::uint64_t>& content_length, error_code& ec) override;
  std::size_t on_body_impl(text_view body, error_code& ec) override;
  void on_chunk_header_impl(std::uint64_t size, text_view extensions, error_code& ec) override;
  std::size_t on_chunk_body_impl(std::uint64_t remain, text_view body, error_code& ec) override;
  void on_finish_impl(error_code& ec) override;

  void refuse(Refusal why, error_code& ec);

  InboundRequest& out_;
  // Where the request line's parts are stored: their views are made once the header is complete
  // (the buffer may move while fields are added).
  std::size_t method_at_ = 0, method_size_ = 0, target_at_ = 0, target_size_ = 0;
  std::size_t max_chunk_line_bytes_ = 4u << 10;
  std::size_t max_trailer_bytes_ = 16u << 10;
  std::size_t trailer_bytes_ = 0;
  int version_ = 11;
  bool expects_continue_ = false;
  bool in_trailer_ = false;  // the fields Beast reports now follow the last chunk
  Refusal refusal_ = Refusal::none;
  std::optional<std::uint64_t> declared_content_length_;
};

}  // namespace llmux::net
