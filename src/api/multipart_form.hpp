#pragma once

// A strict, bounded reader of multipart/form-data bodies (RFC 7578 over RFC 2046 framing), for
// the audio and image-edit routes. It finds where each part's name, headers and value are; it
// copies no value and decodes nothing but the part headers, so the body can be forwarded byte for
// byte with only the `model` value rewritten. Anything off the grammar is an error, not a guess:
// bare-LF line ends, folded or oversized part headers, a part without a form-data name, duplicate
// disposition parameters, a body that never reaches its close delimiter.

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace llmux::api {

struct MultipartError {
  std::string message;
};

// The boundary of a `multipart/form-data; boundary=…` Content-Type (token or quoted-string,
// parameters in any order and case). Not multipart/form-data, no boundary, two boundaries, or one
// outside RFC 2046 (1–70 of its bchars, not ending in a space) is an error.
std::variant<std::string, MultipartError> multipart_boundary(std::string_view content_type);

struct MultipartLimits {
  std::size_t max_parts = 256;
  std::size_t max_part_header_bytes = 8 * 1024;  // one part's header block, CRLFs included
  std::size_t max_part_headers = 16;
};

struct FormPart {
  std::string name;      // the Content-Disposition name, unescaped
  bool is_file = false;  // it has a filename (or filename*) parameter
  std::string_view content_type;  // the part's own Content-Type, empty when absent
  std::size_t value_at = 0;       // where the value starts in the body
  std::size_t value_size = 0;

  std::string_view value(std::string_view body) const { return body.substr(value_at, value_size); }
};

struct MultipartForm {
  std::vector<FormPart> parts;  // in body order
  std::size_t first_delimiter_at = 0;  // where the first "--boundary" starts (after any preamble)
};

std::variant<MultipartForm, MultipartError> scan_multipart(std::string_view body, std::string_view boundary,
                                                           const MultipartLimits& limits = {});

}  // namespace llmux::api
