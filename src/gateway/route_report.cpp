#include "gateway/route_report.hpp"

#include <charconv>

namespace llmux::gateway {
namespace {

// Header values come from config text: keep them to printable ASCII so no header can be split.
void append_header_safe(std::string& out, std::string_view text) {
  const std::size_t from = out.size();
  out.append(text);
  for (std::size_t i = from; i < out.size(); ++i) {
    if (out[i] < 0x20 || out[i] >= 0x7f) out[i] = '?';
  }
}

std::string decimal_text(int value) {
  char buffer[16];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, end);
}

std::string_view strip_query(std::string_view url) { return url.substr(0, url.find('?')); }

}  // namespace

std::string milliseconds_text(std::chrono::steady_clock::duration d) {
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer,
                                       std::chrono::duration<double, std::milli>(d).count(),
                                       std::chars_format::fixed, 3);
  return ec == std::errc{} ? std::string(buffer, end) : std::string("0.000");
}

std::string describe_route(const router::RequestPlan& plan) {
  std::string out;
  // One allocation for the usual route: a group, a provider/model and an outcome per attempt.
  out.reserve(plan.attempts().size() * 96);
  for (const auto& attempt : plan.attempts()) {
    if (!out.empty()) out += ", ";
    append_header_safe(out, attempt.group);
    out += '[';
    append_header_safe(out, attempt.deployment->litellm_model);
    out += "]:";
    if (!attempt.failure) {
      out += "ok";
    } else {
      out += router::to_string(attempt.failure->kind);
      if (attempt.failure->status) {
        out += '(';
        out += decimal_text(attempt.failure->status);
        out += ')';
      }
    }
    if (attempt.cooldown_bypassed) out += "(cooldown-bypassed)";
  }
  return out;
}

void append_call_id_headers(net::HeaderList& headers, const std::string& call_id) {
  headers.emplace_back("x-litellm-call-id", call_id);
  headers.emplace_back("x-request-id", call_id);
}

net::HeaderList route_headers(const std::string& call_id, const router::RequestPlan& plan,
                              const config::Deployment* served_by, const CallTiming& timing) {
  net::HeaderList headers;
  headers.reserve(14);  // these ten, and room for the upstream and accounting headers callers add
  append_call_id_headers(headers, call_id);
  if (served_by) {
    headers.emplace_back("x-litellm-model-id", served_by->id());
    if (!served_by->api_base.empty()) {
      std::string base;
      const std::string_view shown = strip_query(served_by->api_base);
      base.reserve(shown.size());
      append_header_safe(base, shown);
      headers.emplace_back("x-litellm-model-api-base", std::move(base));
    }
  }
  std::string group;
  append_header_safe(group, plan.current_group());
  headers.emplace_back("x-litellm-model-group", std::move(group));
  headers.emplace_back("x-litellm-attempted-retries", decimal_text(plan.attempted_retries()));
  headers.emplace_back("x-litellm-attempted-fallbacks", decimal_text(plan.attempted_fallbacks()));
  const auto elapsed = std::chrono::steady_clock::now() - timing.started;
  headers.emplace_back("x-litellm-response-duration-ms", milliseconds_text(elapsed));
  headers.emplace_back("x-litellm-overhead-duration-ms", milliseconds_text(elapsed - timing.upstream));
  headers.emplace_back("x-llmux-route", describe_route(plan));
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

}  // namespace llmux::gateway
