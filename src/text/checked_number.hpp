#pragma once

// The one way a number read from a client, an upstream, a config or a database becomes an integer
// or a duration. A double cast to an integer it does not fit is undefined behaviour, and integer
// arithmetic on client-chosen values can wrap; every such place goes through these checks instead
// of a static_cast, and the caller decides what an out-of-range value means (a 400, a cap, a skip).

#include <chrono>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <limits>
#include <optional>
#include <utility>

namespace llmux::text {

// `value` as a T when it is finite, has no fractional part and lies within T's range; otherwise
// nothing. (2^63 is exactly representable as a double but is one past INT64_MAX: refused.)
template <std::integral T>
inline std::optional<T> exact_integer(double value) {
  if (!std::isfinite(value) || std::trunc(value) != value) return std::nullopt;
  // T's bounds as doubles: min is a power of two (exact); max + 1 is too, so compare with '<'.
  constexpr double lowest = static_cast<double>(std::numeric_limits<T>::min());
  constexpr double past_max = static_cast<double>(std::numeric_limits<T>::max() / 2 + 1) * 2.0;
  if (value < lowest || value >= past_max) return std::nullopt;
  return static_cast<T>(value);
}

// An integer of one type as another when it fits (an uint64 from JSON as an int64, say).
template <std::integral To, std::integral From>
constexpr std::optional<To> fitting_integer(From value) {
  if (!std::in_range<To>(value)) return std::nullopt;
  return static_cast<To>(value);
}

// `value` truncated toward zero and held within T's range; NaN gives nothing. For sizes and
// counts where "more than we can hold" simply means "the most we can hold".
template <std::integral T>
inline std::optional<T> clamped_integer(double value) {
  if (std::isnan(value)) return std::nullopt;
  constexpr double lowest = static_cast<double>(std::numeric_limits<T>::min());
  constexpr double past_max = static_cast<double>(std::numeric_limits<T>::max() / 2 + 1) * 2.0;
  if (value < lowest) return std::numeric_limits<T>::min();
  if (value >= past_max) return std::numeric_limits<T>::max();
  return static_cast<T>(value);
}

// a + b and a * b, or nothing when the result would not fit in T.
template <std::integral T>
constexpr std::optional<T> checked_add(T a, T b) {
  T out{};
  if (__builtin_add_overflow(a, b, &out)) return std::nullopt;
  return out;
}

template <std::integral T>
constexpr std::optional<T> checked_mul(T a, T b) {
  T out{};
  if (__builtin_mul_overflow(a, b, &out)) return std::nullopt;
  return out;
}

// a + b held at T's bounds instead of wrapping (running totals that must never go negative).
template <std::integral T>
constexpr T saturating_add(T a, T b) {
  T out{};
  if (!__builtin_add_overflow(a, b, &out)) return out;
  return b > 0 ? std::numeric_limits<T>::max() : std::numeric_limits<T>::min();
}

// Seconds (a config or request value) as milliseconds, held within [0, max]: negative and NaN
// mean 0, and anything past `max` (1e10 s, infinity) is `max` rather than an overflow.
inline std::chrono::milliseconds seconds_to_ms(double seconds, std::chrono::milliseconds max) {
  if (!(seconds > 0.0)) return std::chrono::milliseconds(0);
  const double ms = seconds * 1000.0;
  if (ms >= static_cast<double>(max.count())) return max;
  return std::chrono::milliseconds(static_cast<std::int64_t>(ms));
}

// The longest duration any timer here is asked to wait: far beyond any sensible timeout, far
// below where steady_clock::now() + d could overflow.
inline constexpr std::chrono::milliseconds kLongestWait = std::chrono::hours(24 * 365);

}  // namespace llmux::text
