#include "text/python_float.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string_view>

namespace llmux::text {

std::string python_float_repr(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  // Shortest round-trip digits, as Python's repr uses, in d.ddde±XX form.
  char buf[64];
  const auto result = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<std::size_t>(result.ptr - buf));
  std::string sign;
  if (sci.front() == '-') {
    sign = "-";
    sci.remove_prefix(1);
  }
  const std::size_t e = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e)) {
    if (c != '.') digits += c;
  }
  const int exponent = std::atoi(std::string(sci.substr(e + 1)).c_str());
  const int point = exponent + 1;  // digits are 0.d1d2… × 10^point
  const int count = static_cast<int>(digits.size());
  // Python switches to exponent notation outside 1e-4 <= |x| < 1e16.
  if (point > -4 && point <= 16) {
    if (point <= 0) return sign + "0." + std::string(static_cast<std::size_t>(-point), '0') + digits;
    if (point >= count)
      return sign + digits + std::string(static_cast<std::size_t>(point - count), '0') + ".0";
    return sign + digits.substr(0, point) + "." + digits.substr(point);
  }
  std::string mantissa = digits.substr(0, 1);
  if (count > 1) mantissa += "." + digits.substr(1);
  const int shown = point - 1;
  return sign + mantissa + (shown < 0 ? "e-" : "e+") + (std::abs(shown) < 10 ? "0" : "") +
         std::to_string(std::abs(shown));
}

}  // namespace llmux::text
