#include <charconv>
#include <string>

#include "store/sql_connection.hpp"
#include "text/checked_number.hpp"

namespace llmux::store {

// PostgreSQL hands every value back as text; SQLite as native types. Readers accept both.

std::optional<std::string> SqlRow::text(std::size_t i) const {
  const SqlValue& v = values_.at(i);
  if (const auto s = sql_text(v)) return std::string(*s);
  if (const auto* n = std::get_if<std::int64_t>(&v)) return std::to_string(*n);
  if (const auto* d = std::get_if<double>(&v)) return std::to_string(*d);
  return std::nullopt;
}

std::optional<std::int64_t> SqlRow::integer(std::size_t i) const {
  const SqlValue& v = values_.at(i);
  if (const auto* n = std::get_if<std::int64_t>(&v)) return *n;
  // A REAL in an integer column (SQLite keeps what it was given) counts only when it is one.
  if (const auto* d = std::get_if<double>(&v)) return text::exact_integer<std::int64_t>(*d);
  if (const auto s = sql_text(v)) {
    std::int64_t out = 0;
    auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), out);
    if (ec == std::errc{} && end == s->data() + s->size()) return out;
    // PostgreSQL SUM(bigint) is numeric and may print as "12.0000", or exceed a bigint: accept
    // the integral part, held at the int64 bounds (a sum past them is "the most we can show").
    double d = 0;
    auto [dend, dec] = std::from_chars(s->data(), s->data() + s->size(), d);
    if (dec == std::errc{}) return text::clamped_integer<std::int64_t>(d);
  }
  return std::nullopt;
}

std::optional<double> SqlRow::real(std::size_t i) const {
  const SqlValue& v = values_.at(i);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* n = std::get_if<std::int64_t>(&v)) return static_cast<double>(*n);
  if (const auto s = sql_text(v)) {
    double out = 0;
    auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), out);
    if (ec == std::errc{}) return out;
  }
  return std::nullopt;
}

}  // namespace llmux::store
