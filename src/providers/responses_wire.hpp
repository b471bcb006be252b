#pragma once

// The pure parts of passing a /v1/responses call through to a deployment that speaks OpenAI's
// Responses API: the body it is sent (the client's, spliced, never parsed into a DOM), and what
// the gateway reads back from a Response object (its usage, whether it failed).

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "config/config.hpp"
#include "providers/provider.hpp"

namespace llmux::providers {

// The client's Responses body for the upstream: `model` set to `upstream_model`, LiteLLM's
// gateway-only fields removed (api/gateway_params.cpp), the deployment's additional_drop_params
// removed, and its presets the body lacks added under their Responses names: max_tokens and
// max_completion_tokens become max_output_tokens, reasoning_effort becomes reasoning.effort, and
// chat-only parameters the Responses API refuses (stop, n, logit_bias, response_format, …) are
// not sent. A body that is not a JSON object is refused (the client's reader should have said).
std::variant<std::string, AttemptFailure> responses_upstream_body(std::string_view client_body,
                                                                  std::string_view upstream_model,
                                                                  const config::RequestPresets& presets);

// usage.input_tokens / output_tokens (reasoning tokens are part of it) /
// input_tokens_details.cached_tokens / cache_write_tokens of a Response object's usage object.
// Not known when malformed.
Usage responses_usage_of(std::string_view usage_json);

// What the gateway reads of a whole Response: whether the body is a JSON object, its usage, and
// — when its status is "failed" — the failure, classified from its `error` like an error body.
struct SkimmedResponse {
  bool is_json_object = false;
  Usage usage;
  std::optional<AttemptFailure> failure;
};
SkimmedResponse skim_response(std::string_view body);

// A Response whose status is "failed", or an `error` event's payload: the failure it reports,
// classified from the error's code and message.
AttemptFailure failure_from_response_error(std::string_view error_json, std::string_view what);

}  // namespace llmux::providers
