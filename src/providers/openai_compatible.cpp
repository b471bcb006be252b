#include "providers/openai_compatible.hpp"

#include <algorithm>
#include <unordered_map>

#include "api/media_request.hpp"
#include "config/confidence_lookup.hpp"
#include "net/upstream_client.hpp"
#include "net/url.hpp"
#include "providers/byte_stream.hpp"
#include "providers/error_classification.hpp"
#include "providers/media_answers.hpp"
#include "providers/openai_stream.hpp"
#include "providers/param_support.hpp"
#include "providers/responses_passthrough.hpp"
#include "providers/secret_redaction.hpp"
#include "providers/upstream_call.hpp"
#include "providers/upstream_failures.hpp"

namespace llmux::providers {

std::string_view openai_path_for(api::Endpoint endpoint) {
  switch (endpoint) {
    case api::Endpoint::chat_completions: return "/chat/completions";
    case api::Endpoint::completions: return "/completions";
    case api::Endpoint::embeddings: return "/embeddings";
    default: return api::media_path(endpoint);
  }
}

std::string_view rerank_path(const config::Deployment& deployment, std::string_view base_path) {
  // Cohere's and Jina's api_base is their host (LiteLLM appends /v1/rerank unless it is there);
  // vLLM and other OpenAI-style servers take /rerank under their /v1 base.
  if (deployment.provider != "cohere" && deployment.provider != "jina_ai") return "/rerank";
  if (base_path.ends_with("/v1/rerank")) return "";
  if (base_path.ends_with("/v1")) return "/rerank";
  return "/v1/rerank";
}

namespace {

// The media endpoints whose answer is relayed as raw bytes: speech audio, and an image stream
// (its events are the upstream's own and carry no chat usage).
bool relays_bytes(const AttemptContext& context) {
  return context.endpoint == api::Endpoint::audio_speech ||
         (api::is_media_endpoint(context.endpoint) && context.request.stream);
}

// A 2xx HTML page is a proxy's error page, not audio or a transcript.
bool is_html(const net::UpstreamResponseHead& head) {
  const std::string_view type = head.header("content-type");
  return type.size() >= 9 && (type.substr(0, 9) == "text/html" || type.substr(0, 9) == "TEXT/HTML");
}

// A transcript may be text, srt or vtt (response_format): only the other media answers are JSON.
bool answers_json(api::Endpoint endpoint) {
  return endpoint != api::Endpoint::audio_transcriptions && endpoint != api::Endpoint::audio_translations;
}

api::BodyPresets body_presets(const config::Deployment& deployment) {
  return {deployment.presets.body, deployment.presets.drop};
}

boost::asio::awaitable<AttemptOutcome> attempt_upstream(AttemptContext& context) {
  const config::Deployment& deployment = context.deployment;
  if (!deployment.missing_api_key_env.empty()) {
    co_return missing_key_failure(deployment);
  }
  const std::optional<net::UpstreamTarget>& target = deployment.upstream_target;  // parsed at load
  if (!target) {
    co_return AttemptFailure{router::ErrorKind::connection_failed, 0,
                             "invalid api_base for deployment " + deployment.model_name, std::nullopt};
  }
  // A Responses client at a deployment that speaks the API: its own body, passed through. Any
  // other deployment gets the chat translation in `context.request` (the bridge), as below.
  if (context.client_format == ClientFormat::responses && deployment.speaks_responses_api) {
    co_return co_await attempt_responses_passthrough(context, *target);
  }

  const api::RequestView& request = context.request;
  std::vector<std::string> drop;
  auto unsupported = unsupported_params(deployment.family, deployment.provider, request.present_params);
  // additional_drop_params removes them anyway: nothing to refuse.
  std::erase_if(unsupported, [&](const std::string& param) {
    const auto& always = deployment.presets.drop;
    return std::find(always.begin(), always.end(), param) != always.end();
  });
  if (!unsupported.empty()) {
    const bool drop_params = deployment.drop_params.value_or(context.config.litellm.drop_params);
    if (!drop_params) {
      co_return AttemptFailure{router::ErrorKind::bad_request, 400,
                               unsupported_params_message(deployment.provider, deployment.upstream_model,
                                                          unsupported),
                               std::nullopt};
    }
    drop = unsupported;
  }

  // Everything but the body is borrowed from the config and constants: no string per request.
  net::UpstreamRequest upstream;
  upstream.target_base = target->base_path;
  upstream.target_path = context.endpoint == api::Endpoint::rerank ? rerank_path(deployment, target->base_path)
                                                                   : openai_path_for(context.endpoint);
  upstream.content_type = request.media.multipart() ? request.media.content_type : std::string_view("application/json");
  // A configured Authorization (or api-key) header is the credential then (checked at load).
  if (deployment.api_key && !deployment.presets.sets_credential_header) upstream.bearer_token = *deployment.api_key;
  upstream.extra_headers = deployment.presets.headers;
  // Ask for usage on every stream so spend is known; the stream filter hides it again.
  const bool add_usage = request.stream && !request.include_usage &&
                         context.endpoint != api::Endpoint::embeddings;
  if (request.media.multipart()) {
    const std::string_view model = upstream_model_of(context);
    if (model.find_first_of("\r\n") != std::string_view::npos) {
      co_return AttemptFailure{router::ErrorKind::bad_request, 400,
                               "the model of " + deployment.model_name + " cannot be sent in a multipart form",
                               std::nullopt};
    }
    upstream.body = api::multipart_upstream_body(request, model);
  } else {
    upstream.body =
        api::build_upstream_body(request, upstream_model_of(context), drop, add_usage, body_presets(deployment));
  }

  auto started = co_await start_upstream(context, *target, std::move(upstream));
  if (auto* failure = std::get_if<AttemptFailure>(&started)) co_return std::move(*failure);
  auto exchange = std::move(std::get<std::unique_ptr<net::UpstreamExchange>>(started));
  const auto& head = exchange->head();

  net::HeaderList forwarded =
      forwarded_upstream_headers(head, config::confidence_header(context.config, deployment.model_name));
  if (relays_bytes(context) || (api::is_media_endpoint(context.endpoint) && is_html(head))) {
    if (is_html(head)) co_return unusable_answer_failure(head, "an HTML page", 0);
    std::string type(head.header("content-type"));
    co_return std::make_unique<ByteStream>(std::move(exchange), type.empty() ? "application/octet-stream" : type,
                                           context.stream_idle_limit, std::move(forwarded),
                                           media_request_usage(context.endpoint, request));
  }
  if (request.stream && !api::is_media_endpoint(context.endpoint) && context.endpoint != api::Endpoint::embeddings) {
    if (!announces_event_stream(head)) co_return co_await non_stream_failure(context, *exchange);
    co_return std::make_unique<OpenAiStream>(std::move(exchange), request.include_usage,
                                             context.stream_idle_limit, std::move(forwarded),
                                             deployment_secrets(deployment));
  }

  net::UpstreamExchange* raw = exchange.get();
  *context.cancel_current = [raw] { raw->cancel(); };
  auto body = co_await exchange->read_all(context.deadline, 64u << 20);
  *context.cancel_current = nullptr;
  if (auto* error = std::get_if<net::UpstreamError>(&body)) {
    co_return transport_failure(*error);
  }
  FullResponse response;
  response.status = head.status;
  response.body = std::move(std::get<std::string>(body));
  if (api::is_media_endpoint(context.endpoint)) {
    if (answers_json(context.endpoint) && !skim_answer(response.body).is_json_object) {
      co_return unusable_answer_failure(head, "a body that is not a JSON object", response.body.size());
    }
    const std::string_view type = head.header("content-type");
    if (!type.empty()) response.content_type = std::string(type);
    response.upstream_headers = std::move(forwarded);
    response.usage = media_answer_usage(context.endpoint, request, response.body);
    co_return response;
  }
  SkimmedAnswer answer = skim_answer(response.body);
  if (!answer.is_json_object) {
    co_return unusable_answer_failure(head, "a body that is not a JSON object", response.body.size());
  }
  response.upstream_headers = std::move(forwarded);
  response.usage = answer.usage;
  co_return response;
}

}  // namespace

boost::asio::awaitable<AttemptOutcome> OpenAiCompatibleProvider::attempt(AttemptContext& context) {
  // What the upstream said leaves the adapter only through here (and a stream's own redaction).
  co_return redacted_outcome(co_await attempt_upstream(context), deployment_secrets(context.deployment));
}

}  // namespace llmux::providers
