#include "providers/upstream_failures.hpp"

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

net::HeaderList forwarded_upstream_headers(const net::UpstreamResponseHead& head) {
  net::HeaderList out;
  for (const auto& [name, value] : head.headers) {
    if (name.starts_with("x-ratelimit-") || name == "openai-processing-ms" || name == "x-request-id" ||
        name == "openai-organization" || name == "request-id" || name.starts_with("anthropic-ratelimit-")) {
      out.emplace_back("llm_provider-" + name, value);
    }
  }
  return out;
}

Usage usage_from_body(std::string_view body) {
  // The answer goes to the client unread: only `usage` is needed, so the body is skimmed (not
  // validated) to find it, and the usage object alone is read with the validating cursor, in
  // one pass over its members (the last duplicate of a key counts).
  const auto value = api::skim_member(body, "usage");
  if (!value || !api::is_object(*value)) return Usage{};
  const auto count = [](std::string_view text) { return api::decode_int64(text).value_or(0); };
  Usage usage;
  std::optional<std::string_view> details;
  api::MemberCursor cursor(*value);
  api::Member member;
  while (cursor.next(member)) {
    const std::string_view field = member.value(*value);
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

}  // namespace llmux::providers
