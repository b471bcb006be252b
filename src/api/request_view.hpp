#pragma once

// What the gateway needs from an OpenAI request body, read without a DOM (DESIGN.md,
// decision 3), and the body it forwards upstream, spliced from the original bytes.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "api/json_scan.hpp"
#include "api/media_facts.hpp"

namespace llmux::api {

enum class Endpoint {
  chat_completions,
  completions,
  embeddings,
  // The other OpenAI endpoints, passed through to OpenAI-compatible deployments
  // (api/media_request.hpp): JSON bodies, except the three multipart ones.
  image_generations,
  image_edits,           // multipart/form-data
  audio_transcriptions,  // multipart/form-data
  audio_translations,    // multipart/form-data
  audio_speech,
  moderations,
  rerank,
};

struct RequestView {
  std::string model;  // decoded
  bool stream = false;
  bool include_usage = false;  // stream_options.include_usage

  // LiteLLM request-level controls (reference §2.10, §3.6); all stripped before the
  // upstream call (see is_gateway_control_param).
  std::optional<int> num_retries;  // `max_retries` is read as an alias; num_retries wins
  std::optional<double> timeout_seconds, stream_timeout_seconds;
  // A list of group names; [{"model": "x"}] entries are accepted as "x".
  std::optional<std::vector<std::string>> fallbacks, context_window_fallbacks, content_policy_fallbacks;
  bool disable_fallbacks = false;
  std::optional<int> max_fallbacks;
  std::optional<std::string> mock_response;
  // true/false or the strings "true"/"false" (reference §2.10). The context flag is also set
  // by `mock_testing_context_window_fallbacks`, the name LiteLLM's docs use (corrections B9).
  bool mock_testing_fallbacks = false, mock_testing_context_fallbacks = false,
       mock_testing_content_policy_fallbacks = false, mock_testing_rate_limit_error = false;
  bool mock_timeout = false;  // with `timeout`: simulate a timeout (reference §2.10)

  std::optional<std::string> user;  // forwarded upstream (an OpenAI param)
  std::vector<std::string> tags;    // top-level "tags", then metadata.tags; no duplicates
  // Every top-level key forwarded upstream except `model` (decoded, no duplicates, body
  // order), for drop_params: `user`, `messages`, `stream`… included; control params not.
  std::vector<std::string> present_params;

  std::string_view body;        // the original bytes; must outlive the view
  std::vector<Member> members;  // spans into body, for splicing later (empty for multipart)
  MediaFacts media;             // the media endpoints' facts: pricing, multipart framing
};

// What one body may make the reader (and everything after it that walks the body) do. The
// gateway fills these from llmux_settings (config::ServerSettings, same defaults, a test checks).
struct ReadLimits {
  std::size_t max_object_keys = 10000;  // members of any one object, duplicates counted
  std::size_t max_list_items = 1000;    // entries of `tags`, `metadata.tags` and each fallbacks list
};

struct RequestError {
  int status = 400;
  // LiteLLM's wording where it has one (corrections B1: "Missing required parameter:
  // 'messages'."), else OpenAI's ("Invalid type for 'stream': expected a boolean, but got a
  // string instead."). Without LiteLLM's "<route>: " prefix: the caller adds it
  // (api::canonical_route_name).
  std::string message;
  std::string param;  // empty: the error body carries "param": null
  std::string type = "invalid_request_error";
};

// Validates the body once (one pass) and reads what routing needs. Duplicate keys: the last
// one counts, as in Python (what LiteLLM and most upstreams see). `model_from_path` is the
// model an Azure-style URL names (/openai/deployments/{model}/…): when not empty it is the
// model, and a body without `model` is accepted. A body past `limits` is a 400 naming the
// limit.
std::variant<RequestView, RequestError> read_request(Endpoint endpoint, std::string_view body,
                                                     std::string_view model_from_path = {},
                                                     const ReadLimits& limits = {});

// Whether a top-level key is one of LiteLLM's request-level controls or internal arguments
// (metadata, caching, fallbacks, litellm_*, user_api_key_*…) that never go upstream.
bool is_gateway_control_param(std::string_view key);

// What a deployment adds to and removes from every body sent to it (config::RequestPresets,
// borrowed: it must outlive the call). Empty for most deployments, which then pay nothing.
struct BodyPresets {
  // Members added when the request has no member of that name: key, JSON value text. The request's
  // own value wins (LiteLLM: `{**deployment.litellm_params, **request_kwargs}`); max_tokens and
  // max_completion_tokens count as one (a request setting either keeps the preset of the other out).
  std::span<const std::pair<std::string, std::string>> add_when_absent;
  std::span<const std::string> drop;  // additional_drop_params: removed from every request
};

// The body to send upstream: `model` set to upstream_model (added when the body has none;
// earlier duplicates removed),
// every gateway control param removed, every param named in `drop` or presets.drop removed, the
// presets the request lacks added, and — when
// add_include_usage is set and the request streams without include_usage —
// stream_options set (or merged) to include {"include_usage":true}, so usage always comes
// back (the gateway hides that chunk from a client that did not ask; corrections C2).
// Everything else, unknown fields included, is forwarded byte for byte.
std::string build_upstream_body(const RequestView& view, std::string_view upstream_model,
                                const std::vector<std::string>& drop, bool add_include_usage,
                                const BodyPresets& presets = {});

}  // namespace llmux::api
