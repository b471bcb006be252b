#include "providers/error_classification.hpp"

#include <algorithm>

#include "text/checked_number.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>

namespace llmux::providers {
namespace {

namespace bj = boost::json;
using router::ErrorKind;

constexpr std::size_t kMaxMessageBytes = 1024;

// Cuts at most kMaxMessageBytes, never inside a UTF-8 sequence.
std::string truncated(std::string_view s) {
  if (s.size() <= kMaxMessageBytes) return std::string(s);
  std::size_t cut = kMaxMessageBytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return std::string(s.substr(0, cut));
}

std::string lowercase(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; });
  return out;
}

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

struct UpstreamError {
  std::string message;
  std::string type;
  std::string code;  // error.code as text: "context_length_exceeded", "429", "400"…
};

std::string string_field(const bj::object& o, std::string_view key) {
  const bj::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::string code_field(const bj::object& o) {
  const bj::value* v = o.if_contains("code");
  if (!v) return {};
  if (v->is_string()) return std::string(v->as_string());
  if (v->is_int64()) return std::to_string(v->as_int64());
  if (v->is_uint64()) return std::to_string(v->as_uint64());
  return {};
}

void read_fields(const bj::object& o, UpstreamError& out) {
  if (out.message.empty()) out.message = string_field(o, "message");
  if (out.type.empty()) out.type = string_field(o, "type");
  if (out.code.empty()) out.code = code_field(o);
}

UpstreamError extract(std::string_view body) {
  UpstreamError out;
  boost::system::error_code ec;
  const bj::value doc = bj::parse(body, ec);
  if (ec || !doc.is_object()) {
    out.message = truncated(body);
    return out;
  }
  const bj::object& o = doc.as_object();
  if (const bj::value* error = o.if_contains("error")) {
    if (error->is_object()) {
      read_fields(error->as_object(), out);
    } else if (error->is_string()) {
      out.message = std::string(error->as_string());  // TGI, Ollama
      out.type = string_field(o, "error_type");
    }
  }
  if (out.message.empty()) {
    if (const bj::value* detail = o.if_contains("detail")) {
      out.message = detail->is_string() ? std::string(detail->as_string()) : bj::serialize(*detail);
    }
  }
  if (out.message.empty() || out.type.empty()) {
    // The type ("error" in Anthropic's envelope) only counts next to a message of its own.
    UpstreamError top;
    read_fields(o, top);
    if (!top.message.empty() && out.message.empty()) out = std::move(top);
  }
  if (out.message.empty()) out.message = body;
  out.message = truncated(out.message);
  return out;
}

// ---------------------------------------------------------------- wordings (lower-case)

// LiteLLM's generic list (exception_mapping_utils.py, corrections B4), kept verbatim.
constexpr std::string_view kLiteLLMContextWindow[] = {
    "exceed context limit",
    "this model's maximum context length is",
    "string too long. expected a string with maximum length",
    "model's maximum context limit",
    "is longer than the model's context length",
    "input tokens exceed the configured limit",
    "`inputs` tokens + `max_new_tokens` must be",
    "exceeds the available context size",
    "exceeds the maximum number of tokens allowed",
};

// The servers we front, worded as they answer today.
constexpr std::string_view kServerContextWindow[] = {
    "maximum context length",                   // OpenAI; SGLang "exceeds the model's maximum context length"
    "context_length_exceeded",                  // OpenAI's code, when only the text carries it
    "is longer than the maximum model length",  // vLLM "The decoder prompt (length N) is longer than…"
    "`inputs` must have less than",             // TGI 422
    "exceeded max context length",  // Ollama "prompt too long; exceeded max context length by N tokens"
    "input length exceeds the context length",  // Ollama embeddings
    "prompt is too long",                       // Anthropic "prompt is too long: N tokens > M maximum"
};

bool is_context_window(config::ProviderFamily family, const UpstreamError& e, std::string_view text) {
  // OpenAI's `user` longer than 64 characters is not a context problem (LiteLLM, B4).
  if (e.code == "string_above_max_length" || contains(text, "string_above_max_length") ||
      (contains(text, "invalid 'user'") && contains(text, "string too long"))) {
    return false;
  }
  if (e.code == "context_length_exceeded" || e.type == "exceed_context_size_error") return true;
  for (auto p : kLiteLLMContextWindow) {
    if (contains(text, p)) return true;
  }
  for (auto p : kServerContextWindow) {
    if (contains(text, p)) return true;
  }
  // Cerebras pairs, from LiteLLM.
  if ((contains(text, "current length is") && contains(text, "while limit is")) ||
      (contains(text, "maximum input length is") && contains(text, "tokens"))) {
    return true;
  }
  return family == config::ProviderFamily::anthropic && contains(text, "prompt: length");
}

bool is_content_policy(const UpstreamError& e, std::string_view text) {
  static constexpr std::string_view kWordings[] = {
      "content_policy_violation",  "safety system", "content filtering policy", "violating our usage policy",
      "content management policy",  // Azure OpenAI's content filter
  };
  if (e.code == "content_policy_violation" || e.code == "content_filter") return true;
  return std::any_of(std::begin(kWordings), std::end(kWordings), [&](auto p) { return contains(text, p); });
}

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// `\b429\b`
bool has_standalone_429(std::string_view text) {
  for (std::size_t at = text.find("429"); at != std::string_view::npos; at = text.find("429", at + 1)) {
    const bool left = at == 0 || !is_word_char(text[at - 1]);
    const bool right = at + 3 >= text.size() || !is_word_char(text[at + 3]);
    if (left && right) return true;
  }
  return false;
}

// `rate[\s_\-]*limit`, LiteLLM's newest rate-limit pattern (corrections B3).
bool has_rate_limit_phrase(std::string_view text) {
  for (std::size_t at = text.find("rate"); at != std::string_view::npos; at = text.find("rate", at + 1)) {
    std::size_t i = at + 4;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r' ||
                               text[i] == '_' || text[i] == '-')) {
      ++i;
    }
    if (text.substr(i, 5) == "limit") return true;
  }
  return false;
}

bool is_rate_limit_text(std::string_view text, bool allow_bare_429) {
  return has_rate_limit_phrase(text) || contains(text, "service tier capacity exceeded") ||
         contains(text, "request too large") || (allow_bare_429 && has_standalone_429(text));
}

bool is_timeout_text(std::string_view text) {
  static constexpr std::string_view kWordings[] = {
      "request timed out",
      "timed out generating response",
      "the read operation timed out",
      "request timeout error",
      "a timeout occurred",
  };
  return std::any_of(std::begin(kWordings), std::end(kWordings), [&](auto p) { return contains(text, p); });
}

// Anthropic's (and OpenAI-style) error types, when the status does not decide.
std::optional<ErrorKind> kind_from_type(std::string_view type) {
  if (type == "rate_limit_error") return ErrorKind::rate_limited;
  if (type == "overloaded_error") return ErrorKind::unavailable;
  if (type == "authentication_error") return ErrorKind::authentication;
  if (type == "permission_error") return ErrorKind::permission_denied;
  if (type == "not_found_error") return ErrorKind::not_found;
  if (type == "timeout_error") return ErrorKind::timeout;
  if (type == "invalid_request_error" || type == "request_too_large") return ErrorKind::bad_request;
  if (type == "api_error" || type == "server_error") return ErrorKind::internal;
  return std::nullopt;
}

std::optional<int> numeric_code(std::string_view code) {
  int value = 0;
  const auto [ptr, ec] = std::from_chars(code.data(), code.data() + code.size(), value);
  if (ec != std::errc{} || ptr != code.data() + code.size()) return std::nullopt;
  return value;
}

ErrorKind classify(config::ProviderFamily family, int status, const UpstreamError& e, std::string_view text) {
  const std::string type = lowercase(e.type);
  if (status == 0) {
    // No HTTP status to go by (an error event inside a 200 stream): LiteLLM's text order.
    if (is_rate_limit_text(text, true)) return ErrorKind::rate_limited;
    if (is_context_window(family, e, text)) return ErrorKind::context_window_exceeded;
    if (is_content_policy(e, text)) return ErrorKind::content_policy;
    if (auto kind = kind_from_type(type)) return *kind;
    if (is_timeout_text(text)) return ErrorKind::timeout;
    return ErrorKind::internal;
  }
  switch (status) {
    case 429:
      return ErrorKind::rate_limited;
    case 529:
      return ErrorKind::unavailable;
    case 401:
      return ErrorKind::authentication;
    case 403:
      return ErrorKind::permission_denied;
    case 404:
      return ErrorKind::not_found;
    case 408:
      return ErrorKind::timeout;
    default:
      break;
  }
  if (type == "overloaded_error") return ErrorKind::unavailable;
  if (status < 500) {
    if (is_context_window(family, e, text)) return ErrorKind::context_window_exceeded;
    if (is_content_policy(e, text)) return ErrorKind::content_policy;
    if (e.code == "model_not_found") return ErrorKind::not_found;
    if (type == "rate_limit_error" || is_rate_limit_text(text, false)) return ErrorKind::rate_limited;
    return ErrorKind::bad_request;
  }
  switch (status) {
    case 500:
      // Some servers turn a too-long prompt into a 500; a fallback to a bigger window helps.
      if (is_context_window(family, e, text)) return ErrorKind::context_window_exceeded;
      return is_timeout_text(text) ? ErrorKind::timeout : ErrorKind::internal;
    case 502:
    case 503:
      return ErrorKind::unavailable;
    case 504:
      return ErrorKind::timeout;
    default:
      return ErrorKind::internal;
  }
}

}  // namespace

ClassifiedError classify_http_error(config::ProviderFamily family, int status, std::string_view body) {
  UpstreamError e = extract(body);
  int effective = status;
  if (status < 400 || status > 599) {
    const auto code = numeric_code(e.code);
    effective = code && *code >= 400 && *code <= 599 ? *code : 0;
  }
  const std::string text = lowercase(e.message) + "\n" + lowercase(e.code);
  ClassifiedError out;
  out.kind = classify(family, effective, e, text);
  out.status = effective != 0 ? effective : status;
  out.upstream_type = std::move(e.type);
  out.message = body.find_first_not_of(" \t\r\n") == std::string_view::npos
                    ? "upstream returned HTTP " + std::to_string(status) + " with an empty body"
                    : std::move(e.message);
  return out;
}

// ---------------------------------------------------------------- Retry-After

namespace {

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t");
  return s.substr(first, last - first + 1);
}

// A non-negative decimal number, whole text; nullopt otherwise.
std::optional<double> non_negative_number(std::string_view s) {
  if (s.empty() || !(s[0] >= '0' && s[0] <= '9')) return std::nullopt;
  double value = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value, std::chars_format::fixed);
  if (ec != std::errc{} || ptr != s.data() + s.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

// A hostile or broken header's wait held within [0, kLongestWait]: the router honours only short
// ones anyway, and nothing downstream may see a negative or overflowing duration.
std::optional<std::chrono::milliseconds> to_millis(double ms) {
  const auto held = text::clamped_integer<std::int64_t>(std::round(ms));
  if (!held) return std::nullopt;  // NaN
  return std::chrono::milliseconds(std::clamp<std::int64_t>(*held, 0, text::kLongestWait.count()));
}

// Just enough of RFC 9110 §5.6.7 to read the three HTTP-date forms.
struct DateReader {
  std::string_view s;
  std::size_t i = 0;

  bool literal(char c) {
    if (i >= s.size() || s[i] != c) return false;
    ++i;
    return true;
  }
  void spaces() {
    while (i < s.size() && s[i] == ' ') ++i;
  }
  bool word() {  // a day name, which we do not check against the date
    const std::size_t start = i;
    while (i < s.size() && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z'))) ++i;
    return i > start;
  }
  bool number(int min_digits, int max_digits, int& out) {
    out = 0;
    int digits = 0;
    while (i < s.size() && digits < max_digits && s[i] >= '0' && s[i] <= '9') {
      out = out * 10 + (s[i] - '0');
      ++i;
      ++digits;
    }
    return digits >= min_digits;
  }
  bool month(unsigned& out) {
    static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (unsigned m = 0; m < 12; ++m) {
      if (s.substr(i, 3) == kMonths[m]) {
        out = m + 1;
        i += 3;
        return true;
      }
    }
    return false;
  }
  bool time(int& h, int& m, int& sec) {
    return number(2, 2, h) && literal(':') && number(2, 2, m) && literal(':') && number(2, 2, sec) &&
           h < 24 && m < 60 && sec <= 60;
  }
};

// In seconds, where year 9999 still fits: system_clock's nanoseconds end in 2262.
std::optional<std::chrono::sys_seconds> parse_http_date(std::string_view s) {
  DateReader r{s};
  int day = 0, year = 0, h = 0, m = 0, sec = 0;
  unsigned mon = 0;
  if (!r.word()) return std::nullopt;
  if (r.literal(',')) {
    // IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT" or RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT"
    r.spaces();
    if (!r.number(1, 2, day)) return std::nullopt;
    const char sep = r.i < s.size() ? s[r.i] : '\0';
    if ((sep != ' ' && sep != '-') || !r.literal(sep) || !r.month(mon) || !r.literal(sep))
      return std::nullopt;
    const std::size_t year_at = r.i;
    if (!r.number(2, 4, year)) return std::nullopt;
    if (r.i - year_at == 2) year += year < 70 ? 2000 : 1900;
    r.spaces();
    if (!r.time(h, m, sec)) return std::nullopt;
    r.spaces();
    if (s.substr(r.i) != "GMT" && s.substr(r.i) != "UTC") return std::nullopt;
  } else {
    // asctime "Sun Nov  6 08:49:37 1994"
    r.spaces();
    if (!r.month(mon)) return std::nullopt;
    r.spaces();
    if (!r.number(1, 2, day)) return std::nullopt;
    r.spaces();
    if (!r.time(h, m, sec)) return std::nullopt;
    r.spaces();
    if (!r.number(4, 4, year) || r.i != s.size()) return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{mon},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) return std::nullopt;
  return std::chrono::sys_days{date} + std::chrono::hours{h} + std::chrono::minutes{m} +
         std::chrono::seconds{sec};
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view header_value,
                                                           std::chrono::system_clock::time_point now) {
  const std::string_view v = trim(header_value);
  if (v.empty()) return std::nullopt;
  if ((v[0] >= '0' && v[0] <= '9') || v[0] == '-' || v[0] == '+' || v[0] == '.') {
    const auto seconds = non_negative_number(v);
    if (!seconds) return std::nullopt;
    return to_millis(*seconds * 1000.0);
  }
  const auto when = parse_http_date(v);
  if (!when) return std::nullopt;
  // Compared in seconds first: a date centuries away cannot be turned into nanoseconds.
  const auto now_s = std::chrono::floor<std::chrono::seconds>(now);
  if (*when < now_s) return std::nullopt;
  if (*when - now_s > std::chrono::duration_cast<std::chrono::seconds>(text::kLongestWait)) return text::kLongestWait;
  if (*when < now) return std::nullopt;
  return std::chrono::ceil<std::chrono::milliseconds>(*when - now);
}

std::optional<std::chrono::milliseconds> parse_retry_after_ms(std::string_view header_value) {
  const auto ms = non_negative_number(trim(header_value));
  if (!ms) return std::nullopt;
  return to_millis(*ms);
}

}  // namespace llmux::providers
