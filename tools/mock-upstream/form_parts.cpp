#include "form_parts.hpp"

namespace llmux::mock {
namespace {

// `key="value"` or `key=value` inside a header value; the closing quote ends it.
std::optional<std::string> header_param(std::string_view header, std::string_view key) {
  for (std::size_t at = header.find(key); at != std::string_view::npos; at = header.find(key, at + 1)) {
    const bool starts = at == 0 || header[at - 1] == ' ' || header[at - 1] == ';';
    if (!starts || header.substr(at + key.size(), 1) != "=") continue;
    std::size_t v = at + key.size() + 1;
    if (v < header.size() && header[v] == '"') {
      const auto end = header.find('"', v + 1);
      if (end == std::string_view::npos) return std::nullopt;
      return std::string(header.substr(v + 1, end - v - 1));
    }
    const auto end = header.find(';', v);
    return std::string(header.substr(v, end == std::string_view::npos ? std::string_view::npos : end - v));
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::vector<FormPartView>> read_form(std::string_view content_type, std::string_view body) {
  if (content_type.find("multipart/form-data") == std::string_view::npos) return std::nullopt;
  const auto boundary = header_param(content_type, "boundary");
  if (!boundary || boundary->empty()) return std::nullopt;
  const std::string delimiter = "--" + *boundary;
  std::vector<FormPartView> parts;
  std::size_t at = body.find(delimiter);
  if (at == std::string_view::npos) return std::nullopt;
  for (;;) {
    at += delimiter.size();
    if (body.substr(at, 2) == "--") return parts;
    if (body.substr(at, 2) != "\r\n") return std::nullopt;
    at += 2;
    const auto headers_end = body.find("\r\n\r\n", at);
    if (headers_end == std::string_view::npos) return std::nullopt;
    const std::string_view headers = body.substr(at, headers_end - at);
    const auto next = body.find("\r\n" + delimiter, headers_end + 4);
    if (next == std::string_view::npos) return std::nullopt;
    FormPartView part;
    part.value = body.substr(headers_end + 4, next - headers_end - 4);
    if (auto name = header_param(headers, "name")) part.name = std::move(*name);
    if (auto filename = header_param(headers, "filename")) {
      part.filename = std::move(*filename);
      part.is_file = true;
    }
    parts.push_back(std::move(part));
    at = next + 2;
  }
}

const FormPartView* form_part(const std::vector<FormPartView>& parts, std::string_view name) {
  for (const auto& part : parts) {
    if (part.name == name) return &part;
  }
  return nullptr;
}

}  // namespace llmux::mock
