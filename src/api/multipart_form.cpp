#include "api/multipart_form.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

namespace llmux::api {
namespace {

constexpr std::string_view kCrlf = "\r\n";

bool is_tchar(char c) {
  if (std::isalnum(static_cast<unsigned char>(c))) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

void skip_ows(std::string_view text, std::size_t& at) {
  while (at < text.size() && (text[at] == ' ' || text[at] == '\t')) ++at;
}

std::string_view take_token(std::string_view text, std::size_t& at) {
  const std::size_t start = at;
  while (at < text.size() && is_tchar(text[at])) ++at;
  return text.substr(start, at - start);
}

// A quoted-string at `at` (which holds the opening quote), unescaped; nullopt when unterminated
// or when it holds a control character.
std::optional<std::string> take_quoted(std::string_view text, std::size_t& at) {
  std::string out;
  for (++at; at < text.size(); ++at) {
    const char c = text[at];
    if (c == '"') {
      ++at;
      return out;
    }
    if (c == '\\') {
      if (++at == text.size()) return std::nullopt;
    }
    const unsigned char u = static_cast<unsigned char>(text[at]);
    if ((u < 0x20 && u != '\t') || u == 0x7f) return std::nullopt;
    out += text[at];
  }
  return std::nullopt;
}

struct Parameter {
  std::string name;  // lower-cased
  std::string value;
};

// `; name=value` parameters after a header's first item (RFC 9110 §5.6.6), names lower-cased.
// Duplicate names are refused: which one a server takes is exactly the ambiguity a hostile client
// would use to route one way and be served another.
std::variant<std::vector<Parameter>, MultipartError> parameters(std::string_view text, std::size_t at,
                                                                std::string_view header) {
  std::vector<Parameter> out;
  const auto fail = [&](std::string what) { return MultipartError{std::string(header) + ": " + what}; };
  for (;;) {
    skip_ows(text, at);
    if (at == text.size()) return out;
    if (text[at] != ';') return fail("expected ';' before a parameter");
    ++at;
    skip_ows(text, at);
    if (at == text.size()) return out;  // a trailing ';' is tolerated, as browsers send none
    std::string name(take_token(text, at));
    if (name.empty() || at == text.size() || text[at] != '=') return fail("malformed parameter");
    ++at;
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    std::string value;
    if (at < text.size() && text[at] == '"') {
      auto quoted = take_quoted(text, at);
      if (!quoted) return fail("unterminated or invalid quoted parameter value");
      value = std::move(*quoted);
    } else {
      value = std::string(take_token(text, at));
      if (value.empty()) return fail("parameter '" + name + "' has no value");
    }
    for (const auto& seen : out) {
      if (seen.name == name) return fail("parameter '" + name + "' given more than once");
    }
    out.push_back({std::move(name), std::move(value)});
  }
}

bool valid_boundary(std::string_view boundary) {
  if (boundary.empty() || boundary.size() > 70 || boundary.back() == ' ') return false;
  return std::all_of(boundary.begin(), boundary.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
  });
}

struct PartHeaders {
  std::optional<std::string> name;
  bool is_file = false;
  std::string_view content_type;
};

std::optional<MultipartError> read_disposition(std::string_view value, PartHeaders& part) {
  std::size_t at = 0;
  skip_ows(value, at);
  if (!iequals(take_token(value, at), "form-data")) {
    return MultipartError{"Content-Disposition of a part must be form-data"};
  }
  auto params = parameters(value, at, "Content-Disposition");
  if (auto* error = std::get_if<MultipartError>(&params)) return std::move(*error);
  for (auto& param : std::get<std::vector<Parameter>>(params)) {
    if (param.name == "name") part.name = std::move(param.value);
    if (param.name == "filename" || param.name == "filename*") part.is_file = true;
  }
  if (!part.name) return MultipartError{"a part's Content-Disposition has no name"};
  return std::nullopt;
}

// The header block of one part, [at, end) ending with the empty line's CRLF.
std::variant<PartHeaders, MultipartError> read_part_headers(std::string_view block, const MultipartLimits& limits) {
  PartHeaders part;
  bool have_disposition = false;
  std::size_t count = 0;
  std::size_t at = 0;
  while (at < block.size()) {
    const std::size_t end = block.find(kCrlf, at);
    if (end == std::string_view::npos) return MultipartError{"a part header line does not end with CRLF"};
    const std::string_view line = block.substr(at, end - at);
    at = end + kCrlf.size();
    if (line.empty()) break;
    if (++count > limits.max_part_headers) {
      return MultipartError{"a part has more than " + std::to_string(limits.max_part_headers) + " headers"};
    }
    if (line.find('\n') != std::string_view::npos || line.find('\r') != std::string_view::npos) {
      return MultipartError{"a part header holds a bare CR or LF"};
    }
    if (line.front() == ' ' || line.front() == '\t') return MultipartError{"folded part headers are not allowed"};
    const std::size_t colon = line.find(':');
    const std::string_view name = line.substr(0, colon);
    if (colon == std::string_view::npos || name.empty() || !std::all_of(name.begin(), name.end(), is_tchar)) {
      return MultipartError{"malformed part header"};
    }
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    if (iequals(name, "content-disposition")) {
      if (have_disposition) return MultipartError{"a part has two Content-Disposition headers"};
      have_disposition = true;
      if (auto error = read_disposition(value, part)) return std::move(*error);
    } else if (iequals(name, "content-type")) {
      part.content_type = value;
    }
  }
  if (!have_disposition) return MultipartError{"a part has no Content-Disposition header"};
  return part;
}

}  // namespace

std::variant<std::string, MultipartError> multipart_boundary(std::string_view content_type) {
  std::size_t at = 0;
  skip_ows(content_type, at);
  const std::string_view type = take_token(content_type, at);
  if (at >= content_type.size() || content_type[at] != '/' || !iequals(type, "multipart")) {
    return MultipartError{"expected Content-Type multipart/form-data"};
  }
  ++at;
  if (!iequals(take_token(content_type, at), "form-data")) {
    return MultipartError{"expected Content-Type multipart/form-data"};
  }
  auto params = parameters(content_type, at, "Content-Type");
  if (auto* error = std::get_if<MultipartError>(&params)) return std::move(*error);
  for (auto& param : std::get<std::vector<Parameter>>(params)) {
    if (param.name != "boundary") continue;
    if (!valid_boundary(param.value)) return MultipartError{"Content-Type: the multipart boundary is not valid"};
    return std::move(param.value);
  }
  return MultipartError{"Content-Type: multipart/form-data without a boundary"};
}

std::variant<MultipartForm, MultipartError> scan_multipart(std::string_view body, std::string_view boundary,
                                                           const MultipartLimits& limits) {
  // Every delimiter but a first one at the very start is CRLF "--" boundary (RFC 2046 §5.1.1).
  const std::string delimiter = "\r\n--" + std::string(boundary);
  MultipartForm form;
  std::size_t at;
  if (body.substr(0, delimiter.size() - 2) == std::string_view(delimiter).substr(2)) {
    at = delimiter.size() - 2;
  } else {
    const std::size_t first = body.find(delimiter);  // after a preamble, which is ignored
    if (first == std::string_view::npos) return MultipartError{"the body has no multipart boundary"};
    at = first + delimiter.size();
    form.first_delimiter_at = first + 2;
  }
  for (;;) {
    // After a delimiter: "--" closes the body; otherwise optional padding, then CRLF.
    if (body.substr(at, 2) == "--") return form;
    while (at < body.size() && (body[at] == ' ' || body[at] == '\t')) ++at;
    if (body.substr(at, 2) != kCrlf) return MultipartError{"a multipart delimiter is not followed by CRLF"};
    at += 2;
    if (form.parts.size() == limits.max_parts) {
      return MultipartError{"more than " + std::to_string(limits.max_parts) + " parts"};
    }
    // Searched from the delimiter's own CRLF, so that a part with no header lines is seen, and
    // only as far as the limit: a body that never ends its headers costs one bounded look.
    const std::string_view window = body.substr(at - 2, limits.max_part_header_bytes + 4);
    const std::size_t found = window.find("\r\n\r\n");
    if (found == std::string_view::npos) {
      return MultipartError{"a part's headers do not end within " + std::to_string(limits.max_part_header_bytes) +
                            " bytes"};
    }
    const std::size_t headers_end = at - 2 + found;
    // The block keeps its last CRLF pair so that every line in it ends with CRLF.
    const std::size_t block_end = std::max(headers_end + 4, at);
    auto headers = read_part_headers(body.substr(at, block_end - at), limits);
    if (auto* error = std::get_if<MultipartError>(&headers)) return std::move(*error);
    auto& part_headers = std::get<PartHeaders>(headers);
    const std::size_t value_at = block_end;
    const std::size_t next = body.find(delimiter, value_at);
    if (next == std::string_view::npos) {
      return MultipartError{"the body ends before its closing multipart boundary"};
    }
    form.parts.push_back(FormPart{std::move(*part_headers.name), part_headers.is_file, part_headers.content_type,
                                  value_at, next - value_at});
    at = next + delimiter.size();
  }
}

}  // namespace llmux::api
