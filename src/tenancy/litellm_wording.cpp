#include "tenancy/litellm_wording.hpp"

#include <cstdio>

#include "text/python_float.hpp"

namespace llmux::tenancy::wording {

std::string python_float(double value) { return text::python_float_repr(value); }

std::string python_str_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    const std::string& s = items[i];
    // repr(str): single quotes unless the text has a ' and no ".
    const char quote = s.find('\'') != std::string::npos && s.find('"') == std::string::npos ? '"' : '\'';
    out += quote;
    for (char c : s) {
      if (c == '\\' || c == quote) out += '\\';
      out += c;
    }
    out += quote;
  }
  return out + "]";
}

namespace {

struct Civil {
  int year;
  unsigned month, day, hour, minute, second;
  long long micros;
};

Civil civil(Timestamp t) {
  using namespace std::chrono;
  const auto micros_total = duration_cast<microseconds>(t.time_since_epoch());
  const auto day = floor<days>(micros_total);
  const year_month_day ymd{sys_days{day}};
  const auto in_day = micros_total - day;
  const long long s = duration_cast<seconds>(in_day).count();
  return Civil{int(ymd.year()),       unsigned(ymd.month()), unsigned(ymd.day()),          unsigned(s / 3600),
               unsigned(s / 60 % 60), unsigned(s % 60),      (in_day - seconds(s)).count()};
}

std::string seconds_text(const Civil& c) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02u:%02u:%02u", c.year, c.month, c.day, c.hour, c.minute,
                c.second);
  return buf;
}

}  // namespace

std::string python_utc_datetime(Timestamp t) {
  const Civil c = civil(t);
  std::string out = seconds_text(c);
  if (c.micros != 0) {
    char frac[16];
    std::snprintf(frac, sizeof frac, ".%06lld", c.micros);
    out += frac;
  }
  return out + "+00:00";
}

std::string utc_seconds(Timestamp t) { return seconds_text(civil(t)) + " UTC"; }

}  // namespace llmux::tenancy::wording
