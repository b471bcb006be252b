#include "config/python_text.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <regex>
#include <string_view>

namespace llmux::config::detail {
namespace {

// What PyYAML's resolver makes of a scalar: plain scalars are typed by YAML 1.1 rules,
// quoted or !!str ones are always strings.
enum class ScalarKind { null, boolean, integer, floating, string };

struct TypedScalar {
  ScalarKind kind = ScalarKind::string;
  bool boolean = false;
  std::int64_t integer = 0;
  double floating = 0;
};

std::string without_underscores(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != '_') out += c;
  }
  return out;
}

std::optional<std::int64_t> parse_int(std::string text, int base) {
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    text.erase(0, 1);
  }
  if (base != 10) text.erase(0, base == 8 ? 1 : 2);  // "0", "0x", "0b"
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return negative ? -value : value;
}

// PyYAML's implicit resolvers (resolver.py), minus sexagesimal numbers, which stay strings here.
TypedScalar type_scalar(const YAML::Node& node) {
  TypedScalar typed;
  if (node.IsNull()) {
    typed.kind = ScalarKind::null;
    return typed;
  }
  if (node.Tag() != "?") return typed;  // quoted or explicitly tagged: a string
  const std::string& text = node.Scalar();
  static const std::regex true_re("yes|Yes|YES|true|True|TRUE|on|On|ON");
  static const std::regex false_re("no|No|NO|false|False|FALSE|off|Off|OFF");
  static const std::regex decimal_re("[-+]?(0|[1-9][0-9_]*)");
  static const std::regex octal_re("[-+]?0[0-7_]+");
  static const std::regex hex_re("[-+]?0x[0-9a-fA-F_]+");
  static const std::regex binary_re("[-+]?0b[0-1_]+");
  static const std::regex float_re(
      "[-+]?([0-9][0-9_]*)\\.[0-9_]*([eE][-+][0-9]+)?|\\.[0-9_]+([eE][-+][0-9]+)?");
  static const std::regex inf_re("([-+]?)\\.(inf|Inf|INF)");
  static const std::regex nan_re("\\.(nan|NaN|NAN)");
  std::smatch match;
  if (std::regex_match(text, true_re) || std::regex_match(text, false_re)) {
    typed.kind = ScalarKind::boolean;
    typed.boolean = std::regex_match(text, true_re);
    return typed;
  }
  std::optional<std::int64_t> integer;
  if (std::regex_match(text, decimal_re))
    integer = parse_int(without_underscores(text), 10);
  else if (std::regex_match(text, octal_re))
    integer = parse_int(without_underscores(text), 8);
  else if (std::regex_match(text, hex_re))
    integer = parse_int(without_underscores(text), 16);
  else if (std::regex_match(text, binary_re))
    integer = parse_int(without_underscores(text), 2);
  if (integer) {
    typed.kind = ScalarKind::integer;
    typed.integer = *integer;
    return typed;
  }
  if (std::regex_match(text, float_re)) {
    typed.kind = ScalarKind::floating;
    typed.floating = std::strtod(without_underscores(text).c_str(), nullptr);
  } else if (std::regex_match(text, match, inf_re)) {
    typed.kind = ScalarKind::floating;
    typed.floating = match[1] == "-" ? -HUGE_VAL : HUGE_VAL;
  } else if (std::regex_match(text, nan_re)) {
    typed.kind = ScalarKind::floating;
    typed.floating = std::nan("");
  }
  return typed;
}

// Decodes one UTF-8 code point at `i`; malformed bytes are taken as Latin-1 so nothing is lost.
char32_t next_code_point(std::string_view text, std::size_t& i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  int length = lead < 0x80           ? 1
               : (lead >> 5) == 0x6  ? 2
               : (lead >> 4) == 0xE  ? 3
               : (lead >> 3) == 0x1E ? 4
                                     : 0;
  if (length <= 1 || i + length > text.size()) {
    ++i;
    return lead;
  }
  char32_t cp = lead & (0x7F >> length);
  for (int k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      ++i;
      return lead;
    }
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  i += length;
  return cp;
}

std::string hex_escape(const char* format, unsigned value) {
  char buf[16];
  std::snprintf(buf, sizeof buf, format, value);
  return buf;
}

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size();) {
    const char32_t cp = next_code_point(text, i);
    switch (cp) {
      case '"':
        out += "\\\"";
        continue;
      case '\\':
        out += "\\\\";
        continue;
      case '\n':
        out += "\\n";
        continue;
      case '\r':
        out += "\\r";
        continue;
      case '\t':
        out += "\\t";
        continue;
      case '\b':
        out += "\\b";
        continue;
      case '\f':
        out += "\\f";
        continue;
      default:
        break;
    }
    if (cp >= 0x20 && cp < 0x7F) {
      out += static_cast<char>(cp);
    } else if (cp <= 0xFFFF) {
      out += hex_escape("\\u%04x", static_cast<unsigned>(cp));
    } else {  // ensure_ascii writes astral code points as a UTF-16 surrogate pair
      const char32_t v = cp - 0x10000;
      out += hex_escape("\\u%04x", static_cast<unsigned>(0xD800 + (v >> 10)));
      out += hex_escape("\\u%04x", static_cast<unsigned>(0xDC00 + (v & 0x3FF)));
    }
  }
  return out + "\"";
}

// repr(str): single quotes unless the text has a ' and no ".
std::string python_string_repr(std::string_view text) {
  const char quote =
      text.find('\'') != std::string_view::npos && text.find('"') == std::string_view::npos ? '"' : '\'';
  std::string out(1, quote);
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == quote || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (byte < 0x20 || byte == 0x7F) {
      out += hex_escape("\\x%02x", byte);
    } else {
      out += c;
    }
  }
  return out + quote;
}

std::string python_repr(const YAML::Node& value);

std::string python_scalar(const YAML::Node& value, bool as_repr) {
  const TypedScalar typed = type_scalar(value);
  switch (typed.kind) {
    case ScalarKind::null:
      return "None";
    case ScalarKind::boolean:
      return typed.boolean ? "True" : "False";
    case ScalarKind::integer:
      return std::to_string(typed.integer);
    case ScalarKind::floating:
      return python_float_repr(typed.floating);
    case ScalarKind::string:
      break;
  }
  return as_repr ? python_string_repr(value.Scalar()) : value.Scalar();
}

std::string python_repr(const YAML::Node& value) {
  if (value.IsSequence()) {
    std::string out = "[";
    for (std::size_t i = 0; i < value.size(); ++i) out += (i ? ", " : "") + python_repr(value[i]);
    return out + "]";
  }
  if (value.IsMap()) {
    std::string out = "{";
    bool first = true;
    for (auto it = value.begin(); it != value.end(); ++it, first = false) {
      out += (first ? "" : ", ") + python_repr(it->first) + ": " + python_repr(it->second);
    }
    return out + "}";
  }
  return python_scalar(value, /*as_repr=*/true);
}

std::string json_scalar(const YAML::Node& value) {
  const TypedScalar typed = type_scalar(value);
  switch (typed.kind) {
    case ScalarKind::null:
      return "null";
    case ScalarKind::boolean:
      return typed.boolean ? "true" : "false";
    case ScalarKind::integer:
      return std::to_string(typed.integer);
    case ScalarKind::floating:
      if (std::isnan(typed.floating)) return "NaN";
      if (std::isinf(typed.floating)) return typed.floating < 0 ? "-Infinity" : "Infinity";
      return python_float_repr(typed.floating);
    case ScalarKind::string:
      break;
  }
  return json_string(value.Scalar());
}

// json.dumps turns non-string keys into strings: 1 -> "1", true -> "true", None -> "null".
std::string json_key(const YAML::Node& key) {
  const TypedScalar typed = type_scalar(key);
  if (typed.kind == ScalarKind::string) return json_string(key.Scalar());
  return json_string(typed.kind == ScalarKind::floating ? python_float_repr(typed.floating)
                                                        : json_scalar(key));
}

}  // namespace

std::string python_str(const YAML::Node& value) {
  if (!value.IsDefined()) return "None";
  if (value.IsScalar() || value.IsNull()) return python_scalar(value, /*as_repr=*/false);
  return python_repr(value);
}

std::string python_json_dumps(const YAML::Node& value) {
  if (!value.IsDefined() || value.IsNull()) return "null";
  if (value.IsSequence()) {
    std::string out = "[";
    for (std::size_t i = 0; i < value.size(); ++i) out += (i ? ", " : "") + python_json_dumps(value[i]);
    return out + "]";
  }
  if (value.IsMap()) {
    std::string out = "{";
    bool first = true;
    for (auto it = value.begin(); it != value.end(); ++it, first = false) {
      out += (first ? "" : ", ") + json_key(it->first) + ": " + python_json_dumps(it->second);
    }
    return out + "}";
  }
  return json_scalar(value);
}

}  // namespace llmux::config::detail
