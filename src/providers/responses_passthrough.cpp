#include "providers/responses_passthrough.hpp"

#include "api/json_scan.hpp"
#include "api/json_skim.hpp"
#include "config/confidence_lookup.hpp"
#include "net/upstream_client.hpp"
#include "providers/responses_stream.hpp"
#include "providers/responses_wire.hpp"
#include "providers/secret_redaction.hpp"
#include "providers/upstream_call.hpp"
#include "providers/upstream_failures.hpp"

namespace llmux::providers {
namespace {

constexpr std::size_t kMaxWholeAnswer = 64u << 20;

void set_credentials(net::UpstreamRequest& upstream, const config::Deployment& deployment) {
  // A configured Authorization (or api-key) header is the credential then (checked at load).
  if (deployment.api_key && !deployment.presets.sets_credential_header) upstream.bearer_token = *deployment.api_key;
  upstream.extra_headers = deployment.presets.headers;
}

bool client_streams(std::string_view client_body) {
  const auto value = api::skim_member(client_body, "stream");
  return value && api::decode_bool(*value).value_or(false);
}

}  // namespace

boost::asio::awaitable<AttemptOutcome> attempt_responses_passthrough(AttemptContext& context,
                                                                     const net::UpstreamTarget& target) {
  const config::Deployment& deployment = context.deployment;
  auto body = responses_upstream_body(context.client_body, upstream_model_of(context), deployment.presets);
  if (auto* refused = std::get_if<AttemptFailure>(&body)) co_return std::move(*refused);

  net::UpstreamRequest upstream;
  upstream.target_base = target.base_path;
  upstream.target_path = "/responses";
  upstream.content_type = "application/json";
  set_credentials(upstream, deployment);
  upstream.body = std::move(std::get<std::string>(body));

  const bool stream = client_streams(context.client_body);
  auto started = co_await start_upstream(context, target, std::move(upstream));
  if (auto* failure = std::get_if<AttemptFailure>(&started)) co_return std::move(*failure);
  auto exchange = std::move(std::get<std::unique_ptr<net::UpstreamExchange>>(started));
  const auto& head = exchange->head();
  net::HeaderList forwarded =
      forwarded_upstream_headers(head, config::confidence_header(context.config, deployment.model_name));
  if (stream) {
    if (!announces_event_stream(head)) co_return co_await non_stream_failure(context, *exchange);
    co_return std::make_unique<ResponsesStream>(std::move(exchange), context.stream_idle_limit, std::move(forwarded),
                                                deployment_secrets(deployment));
  }

  net::UpstreamExchange* raw = exchange.get();
  *context.cancel_current = [raw] { raw->cancel(); };
  auto read = co_await exchange->read_all(context.deadline, kMaxWholeAnswer);
  *context.cancel_current = nullptr;
  if (auto* error = std::get_if<net::UpstreamError>(&read)) co_return transport_failure(*error);
  FullResponse response;
  response.status = head.status;
  response.body = std::move(std::get<std::string>(read));
  const SkimmedResponse answer = skim_response(response.body);
  if (!answer.is_json_object) {
    co_return unusable_answer_failure(head, "a body that is not a JSON object", response.body.size());
  }
  // A 200 whose Response failed is a failure like any other: never passed off as an answer.
  if (answer.failure) co_return *answer.failure;
  response.upstream_headers = std::move(forwarded);
  response.usage = answer.usage;
  response.responses_wire = true;
  co_return response;
}

boost::asio::awaitable<std::variant<RelayedAnswer, AttemptFailure>> forward_response_request(
    net::UpstreamPool& pool, const config::Deployment& deployment, std::string method, std::string path,
    Deadline deadline, std::function<void()>* cancel_current) {
  const Secrets secrets = deployment_secrets(deployment);
  const auto failed = [&](AttemptFailure failure) {
    redact_failure(failure, secrets);
    return std::variant<RelayedAnswer, AttemptFailure>(std::move(failure));
  };
  if (!deployment.missing_api_key_env.empty()) co_return failed(missing_key_failure(deployment));
  if (!deployment.upstream_target) {
    co_return failed(AttemptFailure{router::ErrorKind::connection_failed, 0,
                                    "invalid api_base for deployment " + deployment.model_name, std::nullopt});
  }
  const net::UpstreamTarget& target = *deployment.upstream_target;
  net::UpstreamRequest upstream;
  upstream.method = std::move(method);
  upstream.target_base = target.base_path;
  upstream.target = std::move(path);
  if (upstream.method == "POST") {
    upstream.content_type = "application/json";
    upstream.body = "{}";
  }
  set_credentials(upstream, deployment);

  net::UpstreamCancel cancel;
  *cancel_current = [&cancel] { cancel.cancel(); };
  auto started = co_await pool.start(target, std::move(upstream), deadline, &cancel);
  *cancel_current = nullptr;
  if (auto* error = std::get_if<net::UpstreamError>(&started)) co_return failed(transport_failure(*error));
  auto exchange = std::move(std::get<std::unique_ptr<net::UpstreamExchange>>(started));
  net::UpstreamExchange* raw = exchange.get();
  *cancel_current = [raw] { raw->cancel(); };
  auto read = co_await exchange->read_all(deadline, kMaxWholeAnswer);
  *cancel_current = nullptr;
  if (auto* error = std::get_if<net::UpstreamError>(&read)) co_return failed(transport_failure(*error));
  RelayedAnswer answer;
  answer.status = exchange->head().status;
  answer.content_type = "application/json";
  answer.body = std::move(std::get<std::string>(read));
  if (!api::top_level_members(answer.body)) {
    co_return failed(unusable_answer_failure(exchange->head(), "a body that is not a JSON object", answer.body.size()));
  }
  // An error body may quote the request it was sent, and that carried the key.
  if (answer.status >= 400) answer.body = redact_secrets(std::move(answer.body), secrets);
  co_return answer;
}

}  // namespace llmux::providers
