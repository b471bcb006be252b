#include "providers/anthropic_provider.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <cctype>

#include "api/json_scan.hpp"
#include "api/json_skim.hpp"
#include "net/upstream_client.hpp"
#include "net/url.hpp"
#include "providers/anthropic/json_helpers.hpp"
#include "providers/anthropic/presets_for_anthropic.hpp"
#include "providers/anthropic/request_to_anthropic.hpp"
#include "providers/anthropic/response_from_anthropic.hpp"
#include "providers/anthropic_stream.hpp"
#include "providers/completion_stream.hpp"
#include "providers/endpoint_support.hpp"
#include "providers/text_completion_bridge.hpp"
#include "providers/secret_redaction.hpp"
#include "providers/upstream_call.hpp"
#include "providers/upstream_failures.hpp"
#include "text/checked_number.hpp"

namespace llmux::providers {
namespace {

AttemptFailure bad_request(std::string message) {
  return AttemptFailure{router::ErrorKind::bad_request, 400, std::move(message), std::nullopt};
}

// What goes upstream for this attempt: translated from OpenAI's shape, or the Anthropic client's
// own body with the model swapped.
struct PreparedBody {
  std::string body;
  bool stream = false;
  bool include_usage = false;
  bool json_mode_tool = false;
};

// An Anthropic client's body for this deployment: its model, without the gateway's own fields and
// additional_drop_params, with the presets it lacks (in Anthropic's names).
// `upstream_model` is what this attempt asks for (a wildcard's substituted name, else the
// deployment's own). count_tokens takes no sampling parameters: `with_presets` is false there.
std::optional<std::string> with_upstream_model(std::string_view client_body, const config::Deployment& deployment,
                                               std::string_view upstream_model, bool with_presets = true) {
  auto members = api::top_level_members(client_body);
  if (!members) return std::nullopt;
  std::string model_json;
  api::append_json_string(model_json, upstream_model);
  const auto& always_drop = deployment.presets.drop;
  const auto presets = with_presets ? anthropic::native_presets(deployment.presets)
                                    : std::vector<std::pair<std::string, std::string>>{};
  std::vector<bool> preset_taken(presets.size(), false);
  std::vector<api::ValueReplacement> replace;
  std::vector<std::size_t> remove;
  for (std::size_t i = 0; i < members->size(); ++i) {
    const auto& member = (*members)[i];
    if (api::key_equals(member.key_raw, "model")) {
      replace.push_back({i, model_json});
      continue;
    }
    const auto key = api::decode_key(member.key_raw);
    if (!key) continue;
    // `metadata` is Anthropic's own field here (metadata.user_id), not LiteLLM's.
    const bool control = *key != "metadata" && api::is_gateway_control_param(*key);
    if (control || std::find(always_drop.begin(), always_drop.end(), *key) != always_drop.end()) {
      remove.push_back(i);
      continue;
    }
    for (std::size_t p = 0; p < presets.size(); ++p) preset_taken[p] = preset_taken[p] || presets[p].first == *key;
  }
  std::vector<api::MemberAddition> add;
  for (std::size_t p = 0; p < presets.size(); ++p) {
    if (!preset_taken[p]) add.push_back({presets[p].first, presets[p].second});
  }
  return api::splice(client_body, *members, api::Edits{replace, remove, add});
}

bool same_header_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

net::UpstreamRequest anthropic_request(std::string target, std::string body, const config::Deployment& deployment,
                                       const config::Config& config, std::string_view anthropic_beta) {
  net::UpstreamRequest upstream;
  upstream.target = std::move(target);
  upstream.body = std::move(body);
  auto& headers = upstream.headers;
  headers.emplace_back("Content-Type", "application/json");
  headers.emplace_back("anthropic-version", config.server.anthropic_version);
  if (!anthropic_beta.empty()) headers.emplace_back("anthropic-beta", std::string(anthropic_beta));
  // A configured credential header replaces api_key's (the config cannot set both).
  if (deployment.api_key && !deployment.api_key->empty() && !deployment.presets.sets_credential_header) {
    headers.emplace_back("x-api-key", *deployment.api_key);
  }
  // Configured headers replace the adapter's of the same name (anthropic-version pinned per
  // deployment), except anthropic-beta, whose values are joined with the client's as LiteLLM does.
  for (const auto& configured : deployment.presets.headers) {
    // Not a structured binding: clang 14 (the sanitizer build) cannot capture one in a lambda.
    const auto& name = configured.first;
    const auto& value = configured.second;
    const auto same = std::find_if(headers.begin(), headers.end(),
                                   [&](const auto& header) { return same_header_name(header.first, name); });
    if (same == headers.end()) {
      headers.emplace_back(name, value);
    } else if (same_header_name(name, "anthropic-beta")) {
      same->second = value + "," + same->second;
    } else {
      same->second = value;
    }
  }
  return upstream;
}

std::variant<PreparedBody, AttemptFailure> prepare_body(const AttemptContext& context) {
  const config::Deployment& deployment = context.deployment;
  if (context.client_format == ClientFormat::anthropic) {
    auto body = with_upstream_model(context.client_body, deployment, upstream_model_of(context));
    if (!body) return bad_request("request body is not a JSON object");
    return PreparedBody{std::move(*body), context.request.stream, false, false};
  }

  boost::system::error_code ec;
  auto parsed = boost::json::parse(context.request.body, ec);
  if (ec || !parsed.is_object()) return bad_request("request body is not a JSON object");
  if (context.endpoint == api::Endpoint::completions) {
    // Legacy completions: the prompt is sent as one user message (LiteLLM's text_completion).
    const auto* asked = parsed.as_object().if_contains("drop_params");
    const bool drop = (asked && asked->is_bool() && asked->get_bool()) ||
                      deployment.drop_params.value_or(context.config.litellm.drop_params);
    auto chat = chat_request_from_completion(parsed.as_object(), drop);
    if (auto* error = std::get_if<BridgeError>(&chat)) return bad_request(std::move(error->message));
    parsed = std::move(std::get<boost::json::object>(chat));
  }
  // The translation would write it back as Infinity or NaN (anthropic/json_helpers.hpp).
  if (anthropic::has_non_finite_number(parsed)) return bad_request("request body has a number out of range");
  anthropic::fill_presets(parsed.as_object(), deployment.presets);
  auto options = anthropic::translate_options_for(deployment, context.config.litellm.drop_params);
  options.upstream_model = std::string(upstream_model_of(context));
  auto translated = anthropic::to_anthropic_request(parsed.as_object(), std::move(options));
  if (auto* error = std::get_if<anthropic::TranslationError>(&translated)) {
    return AttemptFailure{router::ErrorKind::bad_request, error->status, error->message, std::nullopt};
  }
  auto& request = std::get<anthropic::TranslatedRequest>(translated);
  return PreparedBody{std::move(request.body), request.stream, request.include_usage, request.json_mode_tool};
}

// usage of an Anthropic message: input_tokens excludes the cached parts, which count as prompt.
Usage anthropic_usage(std::string_view message) {
  Usage usage;
  const auto value = api::skim_member(message, "usage");  // the answer itself is forwarded unread
  if (!value) return usage;
  auto read = [&](std::string_view key) -> std::int64_t {  // negative counts would be refunds
    const auto member = api::find_member(*value, key);
    return member ? std::max<std::int64_t>(0, api::decode_int64(*member).value_or(0)) : 0;
  };
  usage.cached_tokens = read("cache_read_input_tokens");
  usage.cache_write_tokens = read("cache_creation_input_tokens");
  usage.prompt_tokens = text::saturating_add(text::saturating_add(read("input_tokens"), usage.cached_tokens),
                                             usage.cache_write_tokens);
  usage.completion_tokens = read("output_tokens");
  usage.known = true;
  return usage;
}

}  // namespace

std::string anthropic_messages_path(std::string_view base_path) {
  std::string path(base_path);
  if (path.ends_with("/v1/messages")) return path;
  if (path.ends_with("/v1")) return path + "/messages";
  return path + "/v1/messages";
}

namespace {

boost::asio::awaitable<AttemptOutcome> attempt_upstream(AttemptContext& context) {
  const config::Deployment& deployment = context.deployment;
  if (!deployment.missing_api_key_env.empty()) co_return missing_key_failure(deployment);
  if (!serves_endpoint(deployment, context.endpoint)) {
    co_return bad_request(unsupported_endpoint_message(context.endpoint, deployment));
  }
  const bool legacy_completion = context.endpoint == api::Endpoint::completions;
  const std::optional<net::UpstreamTarget>& target = deployment.upstream_target;  // parsed at load
  if (!target) co_return AttemptFailure{router::ErrorKind::connection_failed, 0, "invalid api_base", std::nullopt};

  auto prepared_or_failure = prepare_body(context);
  if (auto* failure = std::get_if<AttemptFailure>(&prepared_or_failure)) co_return std::move(*failure);
  PreparedBody prepared = std::move(std::get<PreparedBody>(prepared_or_failure));

  net::UpstreamRequest upstream = anthropic_request(anthropic_messages_path(target->base_path),
                                                     std::move(prepared.body), deployment, context.config,
                                                     context.anthropic_beta);

  auto started = co_await start_upstream(context, *target, std::move(upstream));
  if (auto* failure = std::get_if<AttemptFailure>(&started)) co_return std::move(*failure);
  auto exchange = std::move(std::get<std::unique_ptr<net::UpstreamExchange>>(started));
  const auto& head = exchange->head();

  net::HeaderList forwarded = forwarded_upstream_headers(head);
  const bool passthrough = context.client_format == ClientFormat::anthropic;
  if (prepared.stream) {
    if (!announces_event_stream(head)) co_return co_await non_stream_failure(context, *exchange);
    std::optional<anthropic::StreamOptions> to_openai;
    if (!passthrough) {
      to_openai = anthropic::StreamOptions{std::string(upstream_model_of(context)), prepared.include_usage,
                                           prepared.json_mode_tool, 0};
    }
    auto stream = std::make_unique<AnthropicStream>(std::move(exchange), std::move(to_openai),
                                                    context.stream_idle_limit, std::move(forwarded),
                                                    deployment_secrets(deployment));
    if (legacy_completion) co_return as_completion_stream(std::move(stream));
    co_return stream;
  }

  net::UpstreamExchange* raw = exchange.get();
  *context.cancel_current = [raw] { raw->cancel(); };
  auto body = co_await exchange->read_all(context.deadline, 64u << 20);
  *context.cancel_current = nullptr;
  if (auto* error = std::get_if<net::UpstreamError>(&body)) co_return transport_failure(*error);
  std::string& anthropic_body = std::get<std::string>(body);

  FullResponse response;
  response.upstream_headers = std::move(forwarded);
  if (passthrough) {
    if (!skim_answer(anthropic_body).is_json_object) {
      co_return unusable_answer_failure(head, "a body that is not a JSON object", anthropic_body.size());
    }
    response.anthropic_wire = true;
    response.body = std::move(anthropic_body);
  } else {
    auto translated =
        anthropic::from_anthropic_response(anthropic_body, {std::string(upstream_model_of(context)), prepared.json_mode_tool, 0});
    if (auto* error = std::get_if<anthropic::TranslationError>(&translated)) {
      co_return AttemptFailure{router::ErrorKind::internal, 502,
                               "unreadable answer from Anthropic: " + error->message, std::nullopt};
    }
    response.body = std::move(std::get<std::string>(translated));
  }
  response.usage = passthrough ? anthropic_usage(response.body) : usage_from_body(response.body);
  if (legacy_completion) {
    auto completion = completion_from_chat(response.body);
    if (auto* error = std::get_if<BridgeError>(&completion)) {
      co_return AttemptFailure{router::ErrorKind::internal, 502, "unreadable chat answer: " + error->message,
                               std::nullopt};
    }
    response.body = std::move(std::get<std::string>(completion));
  }
  co_return response;
}

boost::asio::awaitable<std::variant<std::string, AttemptFailure>> count_tokens_upstream(
    net::UpstreamPool& pool, const config::Deployment& deployment, const config::Config& config,
    std::string_view client_body, std::string_view anthropic_beta, Deadline deadline, std::string_view upstream_model) {
  if (!deployment.missing_api_key_env.empty()) co_return missing_key_failure(deployment);
  const std::optional<net::UpstreamTarget>& target = deployment.upstream_target;  // parsed at load
  if (!target) co_return AttemptFailure{router::ErrorKind::connection_failed, 0, "invalid api_base", std::nullopt};
  auto body = with_upstream_model(client_body, deployment,
                                  upstream_model.empty() ? std::string_view(deployment.upstream_model) : upstream_model,
                                  /*with_presets=*/false);
  if (!body) co_return bad_request("request body is not a JSON object");
  auto upstream = anthropic_request(anthropic_messages_path(target->base_path) + "/count_tokens", std::move(*body),
                                    deployment, config, anthropic_beta);
  auto started = co_await pool.start(*target, std::move(upstream), deadline);
  if (auto* error = std::get_if<net::UpstreamError>(&started)) co_return transport_failure(*error);
  auto exchange = std::move(std::get<std::unique_ptr<net::UpstreamExchange>>(started));
  auto answer = co_await exchange->read_all(deadline, 1u << 20);
  if (auto* error = std::get_if<net::UpstreamError>(&answer)) co_return transport_failure(*error);
  if (exchange->head().status >= 400) co_return http_failure(deployment, exchange->head(), std::get<std::string>(answer));
  co_return std::move(std::get<std::string>(answer));
}

}  // namespace

boost::asio::awaitable<AttemptOutcome> AnthropicProvider::attempt(AttemptContext& context) {
  // What the upstream said leaves the adapter only through here (and a stream's own redaction).
  co_return redacted_outcome(co_await attempt_upstream(context), deployment_secrets(context.deployment));
}

boost::asio::awaitable<std::variant<std::string, AttemptFailure>> anthropic_count_tokens(
    net::UpstreamPool& pool, const config::Deployment& deployment, const config::Config& config,
    std::string_view client_body, std::string_view anthropic_beta, Deadline deadline, std::string_view upstream_model) {
  auto answer =
      co_await count_tokens_upstream(pool, deployment, config, client_body, anthropic_beta, deadline, upstream_model);
  if (auto* failure = std::get_if<AttemptFailure>(&answer)) redact_failure(*failure, deployment_secrets(deployment));
  co_return answer;
}

}  // namespace llmux::providers
