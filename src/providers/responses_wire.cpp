#include "providers/responses_wire.hpp"

#include <algorithm>
#include <array>

#include "api/json_scan.hpp"
#include "api/json_skim.hpp"
#include "api/request_view.hpp"
#include "providers/error_classification.hpp"

namespace llmux::providers {
namespace {

// Chat-completions parameters a deployment may preset that the Responses API has no field for:
// sending them would make every pass-through call a 400.
constexpr std::array<std::string_view, 14> kChatOnlyPresets{
    "stop",           "n",        "logit_bias", "response_format",   "presence_penalty", "frequency_penalty",
    "seed",           "logprobs", "functions",  "function_call",     "modalities",       "audio",
    "prediction",     "web_search_options"};

bool is_chat_only(std::string_view key) {
  return std::find(kChatOnlyPresets.begin(), kChatOnlyPresets.end(), key) != kChatOnlyPresets.end();
}

// The presets under their Responses names (only a deployment with presets pays for this list).
std::vector<std::pair<std::string, std::string>> responses_presets(const config::RequestPresets& presets) {
  std::vector<std::pair<std::string, std::string>> adapted;
  bool have_output_limit = false;
  for (const auto& [key, value_json] : presets.body) {
    if (std::find(presets.drop.begin(), presets.drop.end(), key) != presets.drop.end()) continue;
    if (key == "max_tokens" || key == "max_completion_tokens") {
      if (have_output_limit) continue;
      have_output_limit = true;
      adapted.emplace_back("max_output_tokens", value_json);
    } else if (key == "reasoning_effort") {
      adapted.emplace_back("reasoning", "{\"effort\":" + value_json + "}");
    } else if (!is_chat_only(key)) {
      adapted.emplace_back(key, value_json);
    }
  }
  return adapted;
}

// `metadata` is one of LiteLLM's gateway fields on chat routes (its newer routes read
// `litellm_metadata` instead), but on the Responses API it is OpenAI's own: key-value pairs kept
// with the response. The splice removed it with the gateway fields; it is put back.
std::string with_responses_metadata(const api::RequestView& view, std::string built, const config::RequestPresets& presets) {
  std::optional<std::string_view> metadata;
  for (const api::Member& m : view.members) {
    if (m.key_is("metadata")) metadata = m.value(view.body);
  }
  const bool dropped = std::find(presets.drop.begin(), presets.drop.end(), "metadata") != presets.drop.end();
  if (!metadata || dropped) return built;
  const auto members = api::top_level_members(built);
  if (!members) return built;
  const api::MemberAddition add[] = {{"metadata", *metadata}};
  return api::splice(built, *members, api::Edits{{}, {}, add});
}

std::int64_t count(std::string_view text) { return std::max<std::int64_t>(0, api::decode_int64(text).value_or(0)); }

}  // namespace

std::variant<std::string, AttemptFailure> responses_upstream_body(std::string_view client_body,
                                                                  std::string_view upstream_model,
                                                                  const config::RequestPresets& presets) {
  api::RequestView view;
  view.body = client_body;
  api::MemberCursor cursor(client_body);
  api::Member member;
  while (cursor.next(member)) view.members.push_back(member);
  if (cursor.error()) {
    return AttemptFailure{router::ErrorKind::bad_request, 400, "Invalid request body: expected a JSON object.",
                          std::nullopt};
  }
  // present_params decides which presets the request already sets.
  for (const api::Member& m : view.members) {
    std::string key = m.key_escaped ? api::decode_key(m.key_raw).value_or(std::string()) : std::string(m.key_raw);
    if (key != "model" && !api::is_gateway_control_param(key)) view.present_params.push_back(std::move(key));
  }
  std::string built;
  if (presets.body.empty()) {
    built = api::build_upstream_body(view, upstream_model, {}, false, api::BodyPresets{{}, presets.drop});
  } else {
    const auto adapted = responses_presets(presets);
    built = api::build_upstream_body(view, upstream_model, {}, false, api::BodyPresets{adapted, presets.drop});
  }
  return with_responses_metadata(view, std::move(built), presets);
}

Usage responses_usage_of(std::string_view usage_json) {
  Usage usage;
  std::optional<std::string_view> details;
  api::MemberCursor cursor(usage_json);
  api::Member member;
  while (cursor.next(member)) {
    const std::string_view value = member.value(usage_json);
    if (member.key_is("input_tokens")) {
      usage.prompt_tokens = count(value);
    } else if (member.key_is("output_tokens")) {
      usage.completion_tokens = count(value);
    } else if (member.key_is("input_tokens_details")) {
      details = value;
    }
  }
  if (cursor.error()) return Usage{};
  if (details && api::is_object(*details)) {
    if (const auto cached = api::find_member(*details, "cached_tokens")) usage.cached_tokens = count(*cached);
    if (const auto written = api::find_member(*details, "cache_write_tokens")) {
      usage.cache_write_tokens = count(*written);
    }
  }
  // Cached and written tokens are part of the input; an upstream claiming more is not believed.
  usage.cached_tokens = std::min(usage.cached_tokens, usage.prompt_tokens);
  usage.cache_write_tokens = std::min(usage.cache_write_tokens, usage.prompt_tokens - usage.cached_tokens);
  usage.known = true;
  return usage;
}

AttemptFailure failure_from_response_error(std::string_view error_json, std::string_view what) {
  std::string wrapped = "{\"error\":";
  wrapped += api::is_object(error_json) ? error_json : std::string_view("{}");
  wrapped += "}";
  ClassifiedError classified = classify_http_error(config::ProviderFamily::openai_compatible, 0, wrapped);
  return AttemptFailure{classified.kind, classified.status, std::string(what) + ": " + classified.message,
                        std::nullopt};
}

SkimmedResponse skim_response(std::string_view body) {
  SkimmedResponse answer;
  auto members = api::top_level_members(body);
  if (!members) return answer;
  answer.is_json_object = true;
  std::optional<std::string_view> status, error;
  for (const api::Member& m : *members) {
    const std::string_view value = m.value(body);
    if (m.key_is("usage") && api::is_object(value)) {
      answer.usage = responses_usage_of(value);
    } else if (m.key_is("status")) {
      status = value;
    } else if (m.key_is("error")) {
      error = value;
    }
  }
  if (status && api::decode_string(*status).value_or("") == "failed") {
    answer.failure = failure_from_response_error(error.value_or("{}"), "the upstream Response failed");
  }
  return answer;
}

}  // namespace llmux::providers
