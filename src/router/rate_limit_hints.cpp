#include "router/rate_limit_hints.hpp"

#include <charconv>
#include <cmath>

#include "text/checked_number.hpp"

namespace llmux::router {
namespace {

constexpr double kMaxMs = 24.0 * 3600 * 1000;

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A non-negative decimal at the front of `s`, consumed; nullopt when there is none.
std::optional<double> take_number(std::string_view& s) {
  double value = 0;
  const auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), value, std::chars_format::fixed);
  if (error != std::errc() || !std::isfinite(value) || value < 0) return std::nullopt;
  s.remove_prefix(static_cast<std::size_t>(end - s.data()));
  return value;
}

std::optional<std::chrono::milliseconds> to_ms(double ms) {
  if (!std::isfinite(ms) || ms < 0) return std::nullopt;
  return std::chrono::milliseconds(text::clamped_integer<std::int64_t>(std::ceil(std::min(ms, kMaxMs))).value_or(0));
}

std::optional<std::int64_t> count_of(std::string_view text) {
  text = trimmed(text);
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_reset_duration(std::string_view text) {
  text = trimmed(text);
  if (text.empty()) return std::nullopt;
  double total_ms = 0;
  bool any_unit = false;
  while (!text.empty()) {
    const auto number = take_number(text);
    if (!number) return std::nullopt;
    double unit_ms = 0;
    if (text.starts_with("ms")) {
      unit_ms = 1, text.remove_prefix(2);
    } else if (text.starts_with("us") || text.starts_with("µs")) {
      unit_ms = 0.001, text.remove_prefix(text.starts_with("us") ? 2 : std::string_view("µs").size());
    } else if (text.starts_with("ns")) {
      unit_ms = 1e-6, text.remove_prefix(2);
    } else if (text.starts_with('h')) {
      unit_ms = 3'600'000, text.remove_prefix(1);
    } else if (text.starts_with('m')) {
      unit_ms = 60'000, text.remove_prefix(1);
    } else if (text.starts_with('s')) {
      unit_ms = 1000, text.remove_prefix(1);
    } else if (text.empty() && !any_unit) {
      unit_ms = 1000;  // a bare number: seconds
    } else {
      return std::nullopt;
    }
    any_unit = true;
    total_ms += *number * unit_ms;
  }
  return to_ms(total_ms);
}

RateLimitHints parse_rate_limit_hints(const RateLimitHeaderValues& values) {
  RateLimitHints hints;
  hints.remaining_requests = count_of(values.remaining_requests);
  hints.remaining_tokens = count_of(values.remaining_tokens);
  if (hints.remaining_requests) hints.requests_reset = parse_reset_duration(values.reset_requests);
  if (hints.remaining_tokens) hints.tokens_reset = parse_reset_duration(values.reset_tokens);
  // retry-after-ms wins, as in OpenAI's own clients; retry-after here is seconds only (an HTTP
  // date on a successful answer is too rare to be worth a date parser on this path).
  if (!trimmed(values.retry_after_ms).empty()) {
    std::string_view ms = trimmed(values.retry_after_ms);
    const auto number = take_number(ms);
    if (number && ms.empty()) hints.retry_after = to_ms(*number);
  } else if (!trimmed(values.retry_after).empty()) {
    std::string_view seconds = trimmed(values.retry_after);
    const auto number = take_number(seconds);
    if (number && seconds.empty()) hints.retry_after = to_ms(*number * 1000);
  }
  return hints;
}

}  // namespace llmux::router
