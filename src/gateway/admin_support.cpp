#include "gateway/admin_support.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <random>

#include "api/error_body.hpp"
#include "observe/log.hpp"
#include "text/checked_number.hpp"
#include "tenancy/duration.hpp"
#include "tenancy/store_mapping.hpp"

namespace llmux::gateway::admin {

namespace json = boost::json;

std::optional<json::object> parse_object(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return json::object{};
  boost::system::error_code ec;
  json::value value = json::parse(body, ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.as_object());
}

std::optional<std::string> query_param(const net::InboundRequest& request, std::string_view name) {
  auto url = boost::urls::parse_origin_form(request.target);
  if (!url) return std::nullopt;
  auto params = url->params();
  auto it = params.find(name);
  if (it == params.end() || !(*it).has_value) return std::nullopt;
  return std::string((*it).value);
}

namespace {

const json::value* field(const json::object& body, std::string_view name) {
  const json::value* value = body.if_contains(name);
  return value && !value->is_null() ? value : nullptr;
}

[[noreturn]] void wrong_type(std::string_view name, std::string_view expected) {
  throw FieldError{std::string(name) + " must be " + std::string(expected), std::string(name)};
}

// Any number in `value` (arrays and objects searched) that is infinite or NaN.
bool holds_non_finite(const json::value& value) {
  if (value.is_double()) return !std::isfinite(value.get_double());
  if (value.is_array()) {
    for (const json::value& item : value.get_array())
      if (holds_non_finite(item)) return true;
  }
  if (value.is_object()) {
    for (const auto& member : value.get_object())
      if (holds_non_finite(member.value())) return true;
  }
  return false;
}

void null_non_finite(json::value& value) {
  if (value.is_double() && !std::isfinite(value.get_double())) value = nullptr;
  if (value.is_array()) {
    for (json::value& item : value.get_array()) null_non_finite(item);
  }
  if (value.is_object()) {
    for (auto& member : value.get_object()) null_non_finite(member.value());
  }
}

}  // namespace

bool has_field(const json::object& body, std::string_view name) { return body.contains(name); }

std::optional<std::string> string_field(const json::object& body, std::string_view name) {
  const json::value* value = field(body, name);
  if (!value) return std::nullopt;
  if (!value->is_string()) wrong_type(name, "a string");
  return std::string(value->as_string());
}

std::optional<std::vector<std::string>> string_list_field(const json::object& body, std::string_view name) {
  const json::value* value = field(body, name);
  if (!value) return std::nullopt;
  if (!value->is_array()) wrong_type(name, "a list of strings");
  std::vector<std::string> out;
  for (const auto& item : value->as_array()) {
    if (!item.is_string()) wrong_type(name, "a list of strings");
    out.emplace_back(item.as_string());
  }
  return out;
}

std::optional<std::map<std::string, std::string>> string_map_field(const json::object& body,
                                                                   std::string_view name) {
  const json::value* value = field(body, name);
  if (!value) return std::nullopt;
  if (!value->is_object()) wrong_type(name, "an object of strings");
  std::map<std::string, std::string> out;
  for (const auto& [key, item] : value->as_object()) {
    if (!item.is_string()) wrong_type(name, "an object of strings");
    out.emplace(std::string(key), std::string(item.as_string()));
  }
  return out;
}

std::optional<double> number_field(const json::object& body, std::string_view name) {
  const json::value* value = field(body, name);
  if (!value) return std::nullopt;
  if (value->is_double()) {
    if (!std::isfinite(value->as_double())) wrong_type(name, "a finite number");
    return value->as_double();
  }
  if (value->is_int64()) return static_cast<double>(value->as_int64());
  if (value->is_uint64()) return static_cast<double>(value->as_uint64());
  wrong_type(name, "a number");
}

namespace {

// A JSON number as the int64 it is exactly; nothing for fractions, non-numbers and what does not fit.
std::optional<std::int64_t> exact_int64(const json::value& value) {
  if (value.is_int64()) return value.get_int64();
  if (value.is_uint64()) return text::fitting_integer<std::int64_t>(value.get_uint64());
  if (value.is_double()) return text::exact_integer<std::int64_t>(value.get_double());
  return std::nullopt;
}

}  // namespace

std::optional<std::int64_t> integer_field(const json::object& body, std::string_view name) {
  const json::value* value = field(body, name);
  if (!value) return std::nullopt;
  auto exact = exact_int64(*value);
  if (!exact) wrong_type(name, "an integer between -9223372036854775808 and 9223372036854775807");
  return exact;
}

std::optional<double> amount_field(const json::object& body, std::string_view name) {
  auto amount = number_field(body, name);
  if (amount && *amount < 0) wrong_type(name, "a number not below 0");
  return amount;
}

std::optional<std::int64_t> count_field(const json::object& body, std::string_view name) {
  const json::value* value = field(body, name);
  if (!value) return std::nullopt;
  auto count = exact_int64(*value);
  if (!count || *count < 0) wrong_type(name, "an integer from 0 to 9223372036854775807");
  return count;
}

std::optional<bool> bool_field(const json::object& body, std::string_view name) {
  const json::value* value = field(body, name);
  if (!value) return std::nullopt;
  if (!value->is_bool()) wrong_type(name, "true or false");
  return value->as_bool();
}

json::value optional_json(const std::optional<std::string>& text) {
  return text ? json::value(*text) : json::value(nullptr);
}
json::value optional_json(const std::optional<double>& number) {
  return number ? json::value(*number) : json::value(nullptr);
}
json::value optional_json(const std::optional<std::int64_t>& number) {
  return number ? json::value(*number) : json::value(nullptr);
}

json::array string_array(const std::vector<std::string>& items) {
  json::array out;
  for (const auto& item : items) out.emplace_back(item);
  return out;
}

json::object string_map_json(const std::map<std::string, std::string>& items) {
  json::object out;
  for (const auto& [name, value] : items) out[name] = value;
  return out;
}

json::value metadata_json(const std::string& text) {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  if (!ec) return value;
  LLMUX_WARN("admin: a stored metadata column is not JSON (" + std::to_string(text.size()) +
             " bytes); answered as {}");
  return json::object{};
}

store::Millis now_millis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

json::value iso_time(const std::optional<store::Millis>& ms) {
  if (!ms) return nullptr;
  const std::time_t seconds = static_cast<std::time_t>(*ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[96];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%06d+00:00", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(*ms % 1000) * 1000);
  return json::value(text);
}

std::optional<store::Millis> parse_iso_date(std::string_view text) {
  int year = 0, month = 0, day = 0;
  if (text.size() < 10 ||
      std::sscanf(std::string(text.substr(0, 10)).c_str(), "%4d-%2d-%2d", &year, &month, &day) != 3)
    return std::nullopt;
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  return static_cast<store::Millis>(timegm(&tm)) * 1000;
}

std::optional<std::int64_t> seconds_of(const std::string& text, store::Millis now, std::string_view field) {
  auto parsed = tenancy::duration_in_seconds(text, tenancy::from_millis(now));
  if (auto* error = std::get_if<tenancy::DurationError>(&parsed))
    throw FieldError{std::string(field) + ": " + error->message, std::string(field)};
  return std::get<std::chrono::seconds>(parsed).count();
}

store::Millis millis_after(store::Millis now, std::int64_t seconds, std::string_view field) {
  const auto ms = text::checked_mul<std::int64_t>(seconds, 1000);
  const auto at = ms ? text::checked_add<std::int64_t>(now, *ms) : std::nullopt;
  if (!at) throw FieldError{std::string(field) + " is too long", std::string(field)};
  return *at;
}

// The limit fields keys, teams and users share, as a patch (only those present). The one place
// they are read: budgets are finite and not negative, limits whole, not negative and within int64,
// durations LiteLLM's text within ~292 years; anything else is a 400 naming the field.
store::LimitsPatch limits_patch(const json::object& body, store::Millis now) {
  store::LimitsPatch patch;
  if (has_field(body, "max_budget")) patch.max_budget = amount_field(body, "max_budget");
  if (has_field(body, "budget_duration")) {
    auto text = string_field(body, "budget_duration");
    patch.budget_duration_s = text ? seconds_of(*text, now, "budget_duration") : std::nullopt;
  }
  if (has_field(body, "rpm_limit")) patch.rpm_limit = count_field(body, "rpm_limit");
  if (has_field(body, "tpm_limit")) patch.tpm_limit = count_field(body, "tpm_limit");
  if (has_field(body, "max_parallel_requests"))
    patch.max_parallel_requests = count_field(body, "max_parallel_requests");
  return patch;
}

std::string metadata_text(const json::object& body) {
  const json::value* metadata = body.if_contains("metadata");
  if (!metadata || metadata->is_null()) return "{}";
  if (!metadata->is_object()) throw FieldError{"metadata must be an object", "metadata"};
  // Serialised, an infinity is the bare word Infinity: text no JSON reader takes back.
  if (holds_non_finite(*metadata)) throw FieldError{"metadata must hold only finite numbers", "metadata"};
  return json::serialize(*metadata);
}

std::string answer_text(const json::value& body) {
  if (!holds_non_finite(body)) return json::serialize(body);
  LLMUX_WARN("admin: a non-finite number in an answer (a stored row?) is written as null");
  json::value copy = body;
  null_non_finite(copy);
  return json::serialize(copy);
}

store::Limits limits_from(const LimitsPatch& patch) {
  store::Limits limits;
  limits.max_budget = patch.max_budget.value_or(std::nullopt);
  limits.budget_duration_s = patch.budget_duration_s.value_or(std::nullopt);
  limits.rpm_limit = patch.rpm_limit.value_or(std::nullopt);
  limits.tpm_limit = patch.tpm_limit.value_or(std::nullopt);
  limits.max_parallel_requests = patch.max_parallel_requests.value_or(std::nullopt);
  return limits;
}

void limits_json(const store::Limits& limits, json::object& out) {
  out["max_budget"] = optional_json(limits.max_budget);
  out["budget_duration"] = limits.budget_duration_s
                               ? json::value(std::to_string(*limits.budget_duration_s) + "s")
                               : json::value(nullptr);
  out["rpm_limit"] = optional_json(limits.rpm_limit);
  out["tpm_limit"] = optional_json(limits.tpm_limit);
  out["max_parallel_requests"] = optional_json(limits.max_parallel_requests);
}

std::optional<store::Millis> budget_reset_at(const store::Limits& limits, store::Millis now) {
  if (!limits.budget_duration_s) return std::nullopt;
  return millis_after(now, *limits.budget_duration_s, "budget_duration");
}

store::Change<std::optional<store::Millis>> budget_reset_change(const LimitsPatch& patch, store::Millis now) {
  if (!patch.budget_duration_s) return std::nullopt;
  const auto& seconds = *patch.budget_duration_s;
  return seconds ? std::optional<store::Millis>(millis_after(now, *seconds, "budget_duration")) : std::nullopt;
}

std::string new_uuid4() {
  std::random_device device;
  std::uniform_int_distribution<int> hex(0, 15);
  std::string id = "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx";
  for (char& c : id) {
    if (c == 'x') c = "0123456789abcdef"[hex(device)];
    if (c == 'y') c = "89ab"[hex(device) & 3];
  }
  return id;
}

boost::asio::awaitable<void> send_json(net::ResponseWriter& writer, int status, const json::value& body) {
  co_await writer.send(status, {}, "application/json", answer_text(body));
}

int status_for(const store::StoreError& error) {
  switch (error.kind) {
    case store::StoreErrorKind::not_found:
      return 404;
    case store::StoreErrorKind::conflict:
    case store::StoreErrorKind::invalid:
      return 400;
    case store::StoreErrorKind::unavailable:
      return 503;
    default:
      return 500;
  }
}

boost::asio::awaitable<void> send_store_error(net::ResponseWriter& writer, const store::StoreError& error) {
  const int status = status_for(error);
  if (error.kind == store::StoreErrorKind::not_found || error.kind == store::StoreErrorKind::invalid) {
    co_await send_error(writer, status, error.message,
                        status == 404 ? "not_found_error" : "bad_request_error");
    co_return;
  }
  if (error.kind == store::StoreErrorKind::conflict) {
    // The database's own text names constraints and values: the admin only needs the cause.
    co_await send_error(writer, status, "An entry with this id or alias already exists.",
                        "bad_request_error");
    co_return;
  }
  LLMUX_WARN("admin: store call failed: " + error.message);
  co_await send_error(writer, status,
                      status == 503 ? "The key and spend store is unavailable; try again."
                                    : "The key and spend store failed; see the llmux log.",
                      status == 503 ? "service_unavailable" : "internal_error");
}

boost::asio::awaitable<void> send_error(net::ResponseWriter& writer, int status, std::string_view message,
                                        std::string_view type, std::optional<std::string_view> param) {
  const std::string body = api::openai_error_body(message, type, param, status);
  co_await writer.send(status, {}, "application/json", body);
}

boost::asio::awaitable<void> send_missing(net::ResponseWriter& writer, std::string_view field) {
  const std::string message = "Missing required field: " + std::string(field);
  co_await send_error(writer, 400, message, "bad_request_error", field);
}

}  // namespace llmux::gateway::admin
