#include "providers/upstream_failures.hpp"

#include <algorithm>

#include "api/json_scan.hpp"
#include "api/json_skim.hpp"
#include "providers/error_classification.hpp"

namespace llmux::providers {

AttemptFailure missing_key_failure(const config::Deployment& deployment) {
  return AttemptFailure{router::ErrorKind::authentication, 401,
                        "no API key for deployment " + deployment.model_name + " (" + deployment.litellm_model +
                            "): environment variable " + deployment.missing_api_key_env + " is not set",
                        std::nullopt};
}

AttemptFailure transport_failure(const net::UpstreamError& error) {
  const bool timed_out = error.code == net::UpstreamErrc::timeout;
  return AttemptFailure{timed_out ? router::ErrorKind::timeout : router::ErrorKind::connection_failed, 0,
                        error.message, std::nullopt};
}

AttemptFailure http_failure(const config::Deployment& deployment, const net::UpstreamResponseHead& head,
                            std::string_view body) {
  auto classified = classify_http_error(deployment.family, head.status, body);
  AttemptFailure failure{classified.kind, head.status, std::move(classified.message), std::nullopt};
  const auto now = std::chrono::system_clock::now();
  if (auto ms = head.header("retry-after-ms"); !ms.empty()) {
    failure.retry_after = parse_retry_after_ms(ms);
  }
  if (!failure.retry_after) {
    if (auto seconds = head.header("retry-after"); !seconds.empty()) {
      failure.retry_after = parse_retry_after(seconds, now);
    }
  }
  return failure;
}

net::HeaderList forwarded_upstream_headers(const net::UpstreamResponseHead& head, std::string_view also_forward) {
  net::HeaderList out;
  for (const auto& [name, value] : head.headers) {
    if (name.starts_with("x-ratelimit-") || name == "openai-processing-ms" || name == "x-request-id" ||
        name == "openai-organization" || name == "request-id" || name.starts_with("anthropic-ratelimit-") ||
        name == "retry-after" || name == "retry-after-ms" || (!also_forward.empty() && name == also_forward)) {
      out.emplace_back("llm_provider-" + name, value);
    }
  }
  return out;
}

namespace {

// The counts of a usage object, read with the validating cursor in one pass over its members (the
// last duplicate of a key counts). Not known when the object is malformed.
Usage usage_of(std::string_view value) {
  // A negative count from an upstream would be a refund: it counts as none.
  const auto count = [](std::string_view text) { return std::max<std::int64_t>(0, api::decode_int64(text).value_or(0)); };
  Usage usage;
  std::optional<std::string_view> details;
  api::MemberCursor cursor(value);
  api::Member member;
  while (cursor.next(member)) {
    const std::string_view field = member.value(value);
    if (member.key_is("prompt_tokens")) {
      usage.prompt_tokens = count(field);
    } else if (member.key_is("completion_tokens")) {
      usage.completion_tokens = count(field);
    } else if (member.key_is("prompt_tokens_details")) {
      details = field;
    } else if (member.key_is("cache_creation_input_tokens")) {  // LiteLLM-shaped upstreams
      usage.cache_write_tokens = count(field);
    }
  }
  if (cursor.error()) return Usage{};
  if (details) {
    if (const auto cached = api::find_member(*details, "cached_tokens")) usage.cached_tokens = count(*cached);
  }
  usage.known = true;
  return usage;
}

bool ends_with_closing_brace(std::string_view body) {
  const auto last = body.find_last_not_of(" \t\r\n");
  return last != std::string_view::npos && body[last] == '}';
}

}  // namespace

Usage usage_from_body(std::string_view body) {
  // The answer goes to the client unread: only `usage` is needed, so the body is skimmed (not
  // validated) to find it, and the usage object alone is read with the validating cursor.
  const auto value = api::skim_member(body, "usage");
  if (!value || !api::is_object(*value)) return Usage{};
  return usage_of(*value);
}

SkimmedAnswer skim_answer(std::string_view body) {
  SkimmedAnswer answer;
  // The skim walks the whole top-level object to find `usage` and finds it only when the
  // object's brackets, quotes and commas hold up to its closing brace: for the usual answer,
  // telling JSON from garbage costs one look at the last byte.
  if (const auto value = api::skim_member(body, "usage")) {
    answer.is_json_object = ends_with_closing_brace(body);
    if (api::is_object(*value)) answer.usage = usage_of(*value);
    return answer;
  }
  // No usage (some servers send none) or a broken body: the rare case pays for a validating walk.
  api::MemberCursor cursor(body);
  api::Member member;
  while (cursor.next(member)) {
  }
  answer.is_json_object = !cursor.error();
  return answer;
}

AttemptFailure unusable_answer_failure(const net::UpstreamResponseHead& head, std::string_view what,
                                       std::size_t body_bytes) {
  // The body itself is not quoted: it is no message, and could be anything.
  const std::string_view type = head.header("content-type");
  std::string message = "upstream answered " + std::to_string(head.status) + " with " + std::string(what) + " (" +
                        (type.empty() ? std::string("no content-type") : "content-type " + std::string(type)) +
                        ", " + std::to_string(body_bytes) + " bytes)";
  return AttemptFailure{router::ErrorKind::unavailable, 502, std::move(message), std::nullopt};
}

bool announces_event_stream(const net::UpstreamResponseHead& head) {
  const std::string_view type = head.header("content-type");
  if (type.empty()) return true;
  static constexpr std::string_view kEventStream = "text/event-stream";
  if (type.size() < kEventStream.size()) return false;
  for (std::size_t i = 0; i < kEventStream.size(); ++i) {
    const char c = type[i];
    if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c) != kEventStream[i]) return false;
  }
  return true;
}

AttemptFailure non_stream_answer_failure(const config::Deployment& deployment, const net::UpstreamResponseHead& head,
                                         std::string_view body) {
  if (api::skim_member(body, "error")) {
    auto classified = classify_http_error(deployment.family, head.status, body);
    // An error the body does not classify says no more than "this upstream cannot answer now".
    if (classified.kind == router::ErrorKind::internal) classified.kind = router::ErrorKind::unavailable;
    const int status = classified.status >= 400 ? classified.status : 502;
    return AttemptFailure{classified.kind, status, "upstream answered a stream with an error: " + classified.message,
                          std::nullopt};
  }
  return unusable_answer_failure(head, "a body that is not an event stream", body.size());
}

}  // namespace llmux::providers
