#include "gateway/route_report.hpp"

#include <charconv>

namespace llmux::gateway {
namespace {

// Config text (group and model names, api_base) in a message or log line: printable ASCII only, as
// in a header, so the same text reads the same everywhere.
void append_printable(std::string& out, std::string_view text) {
  const std::size_t from = out.size();
  out.append(text);
  for (std::size_t i = from; i < out.size(); ++i) {
    if (out[i] < 0x20 || out[i] >= 0x7f) out[i] = '?';
  }
}

// In a header value the list itself keeps every byte printable.
void append_printable(net::HeaderList::ValueWriter& out, std::string_view text) { out += text; }

ShortText decimal_text(long long value) {
  ShortText text;
  const auto [end, ec] = std::to_chars(text.data, text.data + sizeof text.data, value);
  text.size = static_cast<std::size_t>(end - text.data);
  return text;
}

std::string_view strip_query(std::string_view url) { return url.substr(0, url.find('?')); }

// "group[provider/model]:outcome, …" into a string or straight into a header value.
template <class Text>
void write_route(Text& out, const router::RequestPlan& plan) {
  bool first = true;
  for (const auto& attempt : plan.attempts()) {
    if (!first) out += ", ";
    first = false;
    append_printable(out, attempt.group);
    out += '[';
    if (attempt.upstream_model.empty()) {
      append_printable(out, attempt.deployment->litellm_model);
    } else {  // a wildcard: what it was asked for, not its pattern
      append_printable(out, attempt.deployment->provider);
      out += '/';
      append_printable(out, attempt.upstream_model);
    }
    out += "]:";
    if (!attempt.failure) {
      out += "ok";
    } else {
      out += router::to_string(attempt.failure->kind);
      if (attempt.failure->status) {
        out += '(';
        out += decimal_text(attempt.failure->status).view();
        out += ')';
      }
    }
    if (attempt.cooldown_bypassed) out += "(cooldown-bypassed)";
  }
  for (const auto& skipped : plan.skipped()) {
    if (!first) out += ", ";
    first = false;
    append_printable(out, skipped.group);
    out += '[';
    append_printable(out, skipped.deployment->litellm_model);
    out += "]:skipped(";
    out += router::to_string(skipped.reason);
    out += ')';
  }
  for (const auto& unknown : plan.unknown_fallbacks()) {
    if (!first) out += ", ";
    first = false;
    append_printable(out, unknown);
    out += ":unknown_fallback";
  }
}

// Bytes of x-llmux-route: the names, and room for the punctuation and an outcome per attempt.
std::size_t route_bytes(const router::RequestPlan& plan) {
  std::size_t bytes = 0;
  for (const auto& attempt : plan.attempts()) {
    bytes += attempt.group.size() + attempt.deployment->litellm_model.size() + attempt.upstream_model.size() +
             attempt.deployment->provider.size() + 48;
  }
  for (const auto& unknown : plan.unknown_fallbacks()) bytes += unknown.size() + 20;
  for (const auto& skipped : plan.skipped()) bytes += skipped.group.size() + skipped.deployment->litellm_model.size() + 40;
  return bytes;
}

// The header names route_headers writes, their framing, its numbers and durations.
constexpr std::size_t kFixedRouteHeaderBytes = 416;
// What callers add after them: the upstream's forwarded headers, the cost, a key's x-ratelimit-*.
constexpr std::size_t kRoomForCallers = 320;

}  // namespace

ShortText milliseconds_text(std::chrono::steady_clock::duration d) {
  ShortText text;
  const long long ns = std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
  // In integers when the rounding cannot differ from printf's: nanoseconds not exactly half-way
  // between two microseconds (printf rounds the double there, whose binary value may fall either
  // side), and below 10^15 ns, where the double is far closer than 1 ns to the exact value.
  if (ns >= 0 && ns < 1'000'000'000'000'000LL && ns % 1000 != 500) {
    const long long us = ns / 1000 + (ns % 1000 > 500 ? 1 : 0);
    auto [end, ec] = std::to_chars(text.data, text.data + sizeof text.data - 4, us / 1000);
    *end++ = '.';
    const int fraction = static_cast<int>(us % 1000);
    *end++ = static_cast<char>('0' + fraction / 100);
    *end++ = static_cast<char>('0' + fraction / 10 % 10);
    *end++ = static_cast<char>('0' + fraction % 10);
    text.size = static_cast<std::size_t>(end - text.data);
    return text;
  }
  const auto [end, ec] = std::to_chars(text.data, text.data + sizeof text.data,
                                       std::chrono::duration<double, std::milli>(d).count(),
                                       std::chars_format::fixed, 3);
  if (ec != std::errc{}) {
    constexpr std::string_view kZero = "0.000";
    kZero.copy(text.data, kZero.size());
    text.size = kZero.size();
    return text;
  }
  text.size = static_cast<std::size_t>(end - text.data);
  return text;
}

std::string describe_route(const router::RequestPlan& plan) {
  std::string out;
  out.reserve(route_bytes(plan));  // one allocation
  write_route(out, plan);
  return out;
}

void append_call_id_headers(net::HeaderList& headers, std::string_view call_id) {
  headers.emplace_back("x-litellm-call-id", call_id);
  headers.emplace_back("x-request-id", call_id);
}

net::HeaderList route_headers(const std::string& call_id, const router::RequestPlan& plan,
                              const config::Deployment* served_by, const CallTiming& timing) {
  const std::string group = plan.current_group();
  const std::string_view api_base = served_by ? strip_query(served_by->api_base) : std::string_view();
  net::HeaderList headers;
  // One allocation for the answer's headers, these and the ones callers add.
  headers.reserve(kFixedRouteHeaderBytes + 2 * call_id.size() + (served_by ? served_by->id().size() : 0) +
                  api_base.size() + group.size() + route_bytes(plan) + kRoomForCallers);
  append_call_id_headers(headers, call_id);
  if (served_by) {
    headers.emplace_back("x-litellm-model-id", served_by->id());
    if (!api_base.empty()) headers.emplace_back("x-litellm-model-api-base", api_base);
  }
  headers.emplace_back("x-litellm-model-group", group);
  headers.emplace_back("x-litellm-attempted-retries", decimal_text(plan.attempted_retries()).view());
  // LiteLLM adds the retry budget only to an answer that needed a retry (reference §3.5).
  if (plan.attempted_retries() > 0) {
    headers.emplace_back("x-litellm-max-retries", decimal_text(plan.max_retries()).view());
  }
  headers.emplace_back("x-litellm-attempted-fallbacks", decimal_text(plan.attempted_fallbacks()).view());
  const auto elapsed = std::chrono::steady_clock::now() - timing.started;
  headers.emplace_back("x-litellm-response-duration-ms", milliseconds_text(elapsed).view());
  headers.emplace_back("x-litellm-overhead-duration-ms", milliseconds_text(elapsed - timing.upstream).view());
  {
    auto route = headers.add("x-llmux-route");
    write_route(route, plan);
  }
  // The variant of a sticky A/B split is x-litellm-model-id; this says it was sticky, and by what.
  if (served_by && plan.last_pick_affinity()) {
    headers.emplace_back("x-llmux-affinity", router::to_string(*plan.last_pick_affinity()));
  }
  return headers;
}

std::string all_attempts_failed_message(std::string_view requested_model, const router::RequestPlan& plan,
                                        const providers::AttemptFailure& last) {
  std::string message = "Every attempt failed for model=";
  message += requested_model;
  message += ". Last error: ";
  message += router::to_string(last.kind);
  if (last.status) message += " (" + std::to_string(last.status) + ")";
  message += ": ";
  message += last.message;
  message += ". Tried: ";
  message += describe_route(plan);
  // LiteLLM appends the group and its fallbacks; clients and dashboards grep for these.
  message += ". Received Model Group=";
  message += plan.current_group();
  message += "\nAvailable Model Group Fallbacks=";
  const auto fallbacks = plan.fallbacks_tried();
  if (fallbacks.empty()) {
    message += "None";
  } else {
    message += '[';
    for (std::size_t i = 0; i < fallbacks.size(); ++i) {
      if (i) message += ", ";
      message += fallbacks[i];
    }
    message += ']';
  }
  return message;
}

std::string no_deployments_message(std::string_view requested_model, const router::RequestPlan& plan,
                                   long long retry_seconds, bool pre_call_checks) {
  std::string message = "No deployments available for selected model, Try again in ";
  message += std::to_string(retry_seconds);
  message += " seconds. Passed model=";
  message += requested_model;
  message += ". pre-call-checks=";
  message += pre_call_checks ? "True" : "False";
  message += ". Skipped: ";
  message += describe_route(plan);
  return message;
}

}  // namespace llmux::gateway
