#include "net/upstream_request_head.hpp"

#include <array>
#include <charconv>

namespace llmux::net::detail {
namespace {

// RFC 9110 tchar.
bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

// Field values and the target may hold anything but control characters (HTAB allowed in values).
bool is_clean(std::string_view s, bool allow_space) {
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u == 0x7f || (u < 0x20 && !(allow_space && u == '\t')) || (!allow_space && u == ' ')) return false;
  }
  return true;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + ('a' - 'A'));
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y + ('a' - 'A'));
    if (x != y) return false;
  }
  return true;
}

// Framing and connection management are ours: a caller's copy would contradict them.
bool is_managed_header(std::string_view name) {
  return iequals(name, "host") || iequals(name, "content-length") || iequals(name, "connection") ||
         iequals(name, "transfer-encoding") || iequals(name, "keep-alive") || iequals(name, "upgrade");
}

bool method_expects_body(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH";
}

}  // namespace

std::optional<std::string> build_request_head(std::string& out, std::string_view authority,
                                              const UpstreamRequest& request) {
  if (!is_token(request.method)) return "invalid request method '" + request.method + "'";
  if (!is_clean(request.target_base, false) || !is_clean(request.target_path, false) ||
      !is_clean(request.target, false)) {
    return "invalid request target (whitespace or control characters)";
  }
  if (!is_clean(request.content_type, true)) {
    return "request header 'Content-Type' has a line break or control character";
  }
  if (!is_clean(request.bearer_token, true)) {  // never quote the key itself
    return "request header 'Authorization' has a line break or control character";
  }

  out.clear();
  out.append(request.method);
  out.push_back(' ');
  if (request.target_base.empty() && request.target_path.empty() && request.target.empty()) {
    out.push_back('/');
  }
  out.append(request.target_base);
  out.append(request.target_path);
  out.append(request.target);
  out.append(" HTTP/1.1\r\nHost: ");
  out.append(authority);
  out.append("\r\n");
  if (!request.content_type.empty()) {
    out.append("Content-Type: ");
    out.append(request.content_type);
    out.append("\r\n");
  }
  if (!request.bearer_token.empty()) {
    out.append("Authorization: Bearer ");
    out.append(request.bearer_token);
    out.append("\r\n");
  }
  for (const auto& list : {std::span<const std::pair<std::string, std::string>>(request.headers),
                           request.extra_headers}) {
    for (const auto& [name, value] : list) {
      if (!is_token(name)) return "invalid request header name '" + name + "'";
      if (!is_clean(value, true)) return "request header '" + name + "' has a line break or control character";
      if (is_managed_header(name)) continue;
      out.append(name);
      out.append(": ");
      out.append(value);
      out.append("\r\n");
    }
  }
  if (!request.body.empty() || method_expects_body(request.method)) {
    std::array<char, 24> digits;
    const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), request.body.size()).ptr;
    out.append("Content-Length: ");
    out.append(digits.data(), end);
    out.append("\r\n");
  }
  out.append("Connection: keep-alive\r\n\r\n");
  return std::nullopt;
}

}  // namespace llmux::net::detail
