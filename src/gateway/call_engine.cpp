#include "gateway/call_engine.hpp"

#include "text/checked_number.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cmath>

#include "api/error_body.hpp"
#include "gateway/attempt_stats.hpp"
#include "gateway/attempt_timeouts.hpp"
#include "gateway/prompt_count.hpp"
#include "observe/log.hpp"
#include "providers/mock_provider.hpp"

namespace llmux::gateway {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using providers::AttemptFailure;
using providers::AttemptOutcome;

namespace {

// LiteLLM's mock_testing_* flags fail the requested group, so its fallbacks are exercised.
std::optional<AttemptFailure> mock_testing_failure(const api::RequestView& view, std::string_view group) {
  using router::ErrorKind;
  // Built only when a flag asks for it: this runs on every attempt.
  const auto note = [&] { return "This is a mock exception for model=" + std::string(group) + ", to trigger a fallback."; };
  if (view.mock_testing_fallbacks) return AttemptFailure{ErrorKind::internal, 500, note(), std::nullopt};
  if (view.mock_testing_context_fallbacks)
    return AttemptFailure{ErrorKind::context_window_exceeded, 400, note(), std::nullopt};
  if (view.mock_testing_content_policy_fallbacks)
    return AttemptFailure{ErrorKind::content_policy, 400, note(), std::nullopt};
  if (view.mock_testing_rate_limit_error)
    return AttemptFailure{ErrorKind::rate_limited, 429, "This is a mock rate limit error", std::nullopt};
  if (view.mock_timeout) return AttemptFailure{ErrorKind::timeout, 408, "Request timed out (mock_timeout)", std::nullopt};
  return std::nullopt;
}

// `digits` lower-case hex digits of `value`, zero-padded, at `out`.
void put_hex(char* out, std::uint64_t value, int digits) {
  static constexpr char hex[] = "0123456789abcdef";
  for (int i = digits - 1; i >= 0; --i) {
    out[i] = hex[value & 0xf];
    value >>= 4;
  }
}

router::Failure to_router_failure(const AttemptFailure& failure) {
  return router::Failure{failure.kind, failure.status, failure.retry_after};
}

// What the call is waiting on, so a client that goes away cancels it (and every pending retry).
struct CancelState {
  bool cancelled = false;
  std::function<void()> cancel_current;
  asio::steady_timer* backoff = nullptr;
};

providers::Provider* provider_for(WorkerResources& worker, const config::Deployment& deployment) {
  switch (deployment.family) {
    case config::ProviderFamily::mock: return &worker.mock;
    case config::ProviderFamily::anthropic: return &worker.anthropic;
    case config::ProviderFamily::openai_compatible: return &worker.openai_compatible;
  }
  return &worker.openai_compatible;
}

// How a stream that reached the client ended: it decides the spend row's status, and whether the
// deployment is to blame.
enum class StreamEnd {
  completed,       // the upstream finished it
  upstream_broke,  // the upstream failed after bytes reached the client: ended with an error event
  client_gone,     // the client went away; the upstream was cancelled, and is not to blame
};

// Streams an answer whose first piece is already in hand. Once bytes have reached the client, a
// failure can no longer be failed over (DESIGN decision 5): it ends the stream with an error event.
// `piece` holds the first piece, and then each next one (the caller's, not a copy in this frame).
asio::awaitable<StreamEnd> relay_stream(providers::StreamSource& stream, providers::StreamPiece& piece,
                                        net::ResponseWriter& writer, net::HeaderList headers,
                                        const SharedState& shared, const config::Deployment& deployment,
                                        const ClientWire& wire) {
  headers.append(stream.upstream_headers());
  // The head travels with the first piece; the last piece travels with the end of the body; a
  // stream whose every event came in the first read goes out whole, in one write.
  const std::string_view content_type = stream.content_type();
  const bool events = content_type == "text/event-stream";
  if (piece.finished && !piece.failure) {
    const bool sent = co_await writer.send_stream(200, headers, content_type, piece.bytes);
    co_return sent ? StreamEnd::completed : StreamEnd::client_gone;
  }
  const bool started = co_await writer.begin_stream(200, headers, content_type, piece.bytes);
  // The head is out: its headers need not live as long as the stream does.
  net::HeaderList().swap(headers);
  if (!started) {
    stream.cancel();
    co_return StreamEnd::client_gone;
  }
  piece.bytes.clear();
  for (;;) {
    if (piece.failure) {
      // A client that hung up cancelled the upstream itself: that says nothing about the deployment.
      if (writer.client_gone()) co_return StreamEnd::client_gone;
      shared.router->record_failure(deployment, to_router_failure(*piece.failure), Clock::now());
      LLMUX_WARN("stream from " + deployment.model_name + " [" + deployment.litellm_model +
                 "] broke after it started: " + piece.failure->message);
      if (!events) {
        // Raw bytes (audio) have no error frame: ending the body would pass a truncated file off
        // as whole, so the response is left unfinished and the connection closes.
        if (!piece.bytes.empty()) co_await writer.write_chunk(piece.bytes);
        co_return StreamEnd::upstream_broke;
      }
      if (!piece.failure_framed) {
        wire.append_stream_error(piece.bytes, "The upstream stream failed after it started: " + piece.failure->message);
      }
      co_await writer.end_stream(piece.bytes);
      co_return StreamEnd::upstream_broke;
    }
    if (piece.finished) {
      const bool ended = co_await writer.end_stream(piece.bytes);
      co_return ended ? StreamEnd::completed : StreamEnd::client_gone;
    }
    if (!piece.bytes.empty() && !co_await writer.write_chunk(piece.bytes)) {
      stream.cancel();  // the client went away: stop the upstream too
      co_return StreamEnd::client_gone;
    }
    piece = co_await stream.next();
  }
}

// A failed call's answer: sent, or kept for the caller that asked (confidence escalation).
asio::awaitable<void> send_or_keep_error(net::ResponseWriter& writer, int status, net::HeaderList headers,
                                         std::string body, KeptAnswer* keep) {
  if (keep) {
    *keep = KeptAnswer{true, false, status, std::move(headers), "application/json", std::move(body), nullptr};
    co_return;
  }
  co_await writer.send(status, headers, "application/json", body);
}

asio::awaitable<void> send_failure(net::ResponseWriter& writer, const ClientWire& wire, const AttemptFailure& last,
                                   std::string_view requested_model, const router::RequestPlan& plan,
                                   net::HeaderList headers, KeptAnswer* keep) {
  if (last.retry_after) {
    const auto seconds = std::chrono::duration<double>(*last.retry_after).count();
    headers.emplace_back("Retry-After", std::to_string(text::clamped_integer<long long>(std::ceil(seconds)).value_or(0)));
  }
  const int status = api::status_for(last.kind, last.status);
  co_await send_or_keep_error(writer, status, std::move(headers),
                              wire.error_body(status, last.kind, all_attempts_failed_message(requested_model, plan, last)),
                              keep);
}

// Tenancy's hook (accounting, per-key headers), called once per answered call.
void append_accounting(CallRequest& call, const CallOutcome& outcome, net::HeaderList& headers) {
  headers.append(call.extra_headers);
  if (!call.on_finished) return;
  headers.append(call.on_finished(outcome));
}

// One attempt at a deployment: a failure the request's mock_testing_* flags inject, a mock answer,
// or the provider's call. Its own coroutine, so that what the attempt needs (its context) is not
// kept in execute_call's frame for as long as a stream lasts.
asio::awaitable<AttemptOutcome> attempt_deployment(const SharedState& shared, WorkerResources& worker,
                                                   const CallRequest& call, const router::RequestPlan& plan,
                                                   const config::Deployment& deployment, std::string_view upstream_model,
                                                   CancelState& cancel, Clock::time_point attempt_started) {
  const config::Config& config = *shared.config;
  const api::RequestView& view = *call.view;
  if (plan.current_group() == call.group) {
    if (auto injected = mock_testing_failure(view, call.group)) co_return AttemptOutcome{std::move(*injected)};
  }
  if (view.mock_response) co_return providers::mock_answer(deployment, call.endpoint, view, upstream_model);
  const AttemptTimeouts timeouts = attempt_timeouts(view, deployment, config);
  providers::AttemptContext context{deployment,
                                    call.endpoint,
                                    view,
                                    config,
                                    worker.pool,
                                    attempt_started + timeouts.whole,
                                    timeouts.first_byte,
                                    &cancel.cancel_current,
                                    call.wire->format(),
                                    call.client_body,
                                    call.anthropic_beta,
                                    upstream_model};
  AttemptOutcome outcome = co_await provider_for(worker, deployment)->attempt(context);
  cancel.cancel_current = nullptr;
  co_return outcome;
}

// A whole answer as the client's wire shapes it; a failure if it cannot be.
AttemptOutcome adapt_whole(const ClientWire& wire, providers::FullResponse response,
                           const config::Deployment& deployment) {
  auto adapted = wire.adapt(std::move(response), deployment);
  if (auto* failure = std::get_if<AttemptFailure>(&adapted)) return std::move(*failure);
  return std::move(std::get<providers::FullResponse>(adapted));
}

// A fallback that named nothing routable was passed over; the operator should hear of it (the
// client sees it in x-llmux-route).
void warn_unknown_fallbacks(const CallRequest& call, const router::RequestPlan& plan) {
  for (const auto& unknown : plan.unknown_fallbacks()) {
    LLMUX_WARN("call " + call.ids.own + ": fallback \"" + unknown + "\" names no model group; skipped");
  }
}

asio::awaitable<void> send_whole(net::ResponseWriter& writer, CallRequest& call, const router::RequestPlan& plan,
                                 const config::Deployment& deployment, providers::FullResponse& response) {
  warn_unknown_fallbacks(call, plan);
  net::HeaderList headers = route_headers(call.ids.echoed(), plan, &deployment, call.timing);
  headers.append(response.upstream_headers);
  append_accounting(call, CallOutcome{&deployment, response.usage, true, plan.attempts().back().upstream_model},
                    headers);  // tenancy hook
  if (call.keep) {
    *call.keep = KeptAnswer{true,          true, response.status, std::move(headers), std::move(response.content_type),
                            std::move(response.body), &deployment};
    co_return;
  }
  co_await writer.send(response.status, headers, response.content_type, response.body);
}

// Nothing worked: the last upstream error's status, and what was tried.
asio::awaitable<void> send_all_failed(net::ResponseWriter& writer, CallRequest& call, const router::RequestPlan& plan,
                                      const std::optional<AttemptFailure>& last_failure, bool pre_call_checks) {
  LLMUX_INFO("call " + call.ids.own + " failed: " + describe_route(plan));
  warn_unknown_fallbacks(call, plan);
  net::HeaderList failure_headers = route_headers(call.ids.echoed(), plan, nullptr, call.timing);
  // The failure row names the deployment tried last, so a report per deployment counts its errors.
  const bool tried = !plan.attempts().empty();
  const config::Deployment* last_tried = tried ? plan.attempts().back().deployment : nullptr;
  const std::string_view last_model = tried ? std::string_view(plan.attempts().back().upstream_model) : std::string_view();
  append_accounting(call, CallOutcome{last_tried, {}, false, last_model}, failure_headers);  // tenancy hook
  if (!last_failure && plan.limits_free_at()) {
    // Every deployment was over a limit and nothing was sent: LiteLLM's 429, Retry-After being
    // when the first of them frees up (the next UTC minute for rpm/tpm).
    const auto wait = std::chrono::duration<double>(*plan.limits_free_at() - Clock::now()).count();
    const long long seconds = std::max(1LL, text::clamped_integer<long long>(std::ceil(wait)).value_or(1));
    failure_headers.emplace_back("Retry-After", std::to_string(seconds));
    const std::string message = no_deployments_message(call.view->model, plan, seconds,
                                                       pre_call_checks);
    co_await send_or_keep_error(writer, 429, std::move(failure_headers),
                                call.wire->error_body(429, router::ErrorKind::rate_limited, message), call.keep);
    co_return;
  }
  if (!last_failure && plan.attempts().empty() && plan.context_window_miss()) {
    // The pre-call check left out every deployment the route could reach (and none was merely
    // over a limit, which the 429 above says): LiteLLM's ContextWindowExceededError, and no
    // upstream was called.
    co_await send_or_keep_error(writer, 400, std::move(failure_headers),
                                call.wire->error_body(400, router::ErrorKind::context_window_exceeded,
                                                      router::context_window_exceeded_message(*plan.context_window_miss())),
                                call.keep);
    co_return;
  }
  const AttemptFailure last = last_failure.value_or(
      AttemptFailure{router::ErrorKind::unavailable, 503, "no deployment could be tried", std::nullopt});
  co_await send_failure(writer, *call.wire, last, call.view->model, plan, std::move(failure_headers), call.keep);
}

}  // namespace

router::RequestOverrides overrides_from(const api::RequestView& view) {
  router::RequestOverrides overrides;
  overrides.num_retries = view.num_retries;
  overrides.fallbacks = view.fallbacks;
  overrides.context_window_fallbacks = view.context_window_fallbacks;
  overrides.content_policy_fallbacks = view.content_policy_fallbacks;
  overrides.disable_fallbacks = view.disable_fallbacks;
  overrides.max_fallbacks = view.max_fallbacks;
  return overrides;
}

namespace {

// The request's overrides plus tenancy's tag routing filter, as the call's plan takes them.
router::RequestOverrides overrides_with_filter(const SharedState& shared, const api::RequestView& view,
                                               const CallRequest& call) {
  router::RequestOverrides overrides = overrides_from(view);
  overrides.deployment_filter = call.deployment_filter;
  // Counted only when the check is on: the pass-through path pays nothing for it otherwise.
  if (shared.config->router.enable_pre_call_checks) overrides.prompt_tokens = request_prompt_tokens(view);
  overrides.stream = view.stream;
  overrides.body_bytes = static_cast<std::int64_t>(call.client_body.empty() ? view.body.size() : call.client_body.size());
  overrides.affinity = call.affinity;
  return overrides;
}

}  // namespace

CallIds call_ids_for(const net::InboundRequest& request, std::mt19937_64& rng) {
  CallIds ids;
  const std::string_view given = request.header("x-litellm-call-id");
  const bool usable = !given.empty() && given.size() <= 128 &&
                      given.find_first_not_of("abcdefABCDEF0123456789-_.") == std::string_view::npos;
  if (usable) ids.client = std::string(given);
  // A version 4 UUID: "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", y in 8..b.
  const std::uint64_t high = rng(), low = rng();
  std::string text(36, '-');
  put_hex(text.data(), high >> 32, 8);
  put_hex(text.data() + 9, (high >> 16) & 0xffff, 4);
  text[14] = '4';
  put_hex(text.data() + 15, high & 0x0fff, 3);
  put_hex(text.data() + 19, ((low >> 48) & 0x3fff) | 0x8000, 4);
  put_hex(text.data() + 24, low & 0xffffffffffffULL, 12);
  ids.own = std::move(text);
  return ids;
}

// Every local here lives as long as the call, a stream's included: what only one path needs
// lives in that path's own coroutine (attempt_deployment, send_whole, send_all_failed).
asio::awaitable<void> execute_call(const SharedState& shared, WorkerResources& worker, CallRequest& call,
                                   net::ResponseWriter& writer) {
  const ClientWire& wire = *call.wire;
  router::RequestPlan plan(*shared.router, call.group, overrides_with_filter(shared, *call.view, call), worker.rng());

  CancelState cancel;
  writer.on_disconnect([&cancel] {
    cancel.cancelled = true;
    if (cancel.cancel_current) cancel.cancel_current();
    if (cancel.backoff) cancel.backoff->cancel();
  });

  // A stream's first byte may be long in coming, and the stream long after it: the connection
  // holds as little as it can meanwhile.
  if (call.view->stream) writer.expect_stream();
  std::optional<AttemptFailure> last_failure;
  asio::steady_timer backoff(worker.io);
  for (;;) {
    const auto step = plan.next(Clock::now());
    if (step.type == router::RequestPlan::Step::Type::give_up) break;
    if (step.type == router::RequestPlan::Step::Type::wait) {
      const auto sleep_started = Clock::now();
      backoff.expires_after(step.wait);
      cancel.backoff = &backoff;
      co_await backoff.async_wait(asio::as_tuple(asio::use_awaitable));
      cancel.backoff = nullptr;
      call.timing.upstream += Clock::now() - sleep_started;
      if (cancel.cancelled) co_return;
      continue;
    }

    const config::Deployment& deployment = *step.deployment;
    const auto attempt_started = Clock::now();
    // Lives as long as the attempt does, a stream's whole relay included.
    AttemptStats stats(*shared.router, deployment, attempt_started);
    if (auto refused = stats.rpm_refusal()) {
      stats.failed(refused->kind, {}, attempt_started);
      plan.report_failure(to_router_failure(*refused), attempt_started);
      last_failure = std::move(*refused);
      continue;
    }
    AttemptOutcome outcome =
        co_await attempt_deployment(shared, worker, call, plan, deployment, step.upstream_model, cancel, attempt_started);
    if (cancel.cancelled) {
      if (auto* stream = std::get_if<std::unique_ptr<providers::StreamSource>>(&outcome)) (*stream)->cancel();
      co_return;
    }

    if (auto* full = std::get_if<providers::FullResponse>(&outcome)) outcome = adapt_whole(wire, std::move(*full), deployment);
    if (auto* response = std::get_if<providers::FullResponse>(&outcome)) {
      call.timing.upstream += Clock::now() - attempt_started;
      stats.answered(response->usage, response->upstream_headers, Clock::now());
      plan.report_success(Clock::now());
      co_await send_whole(writer, call, plan, deployment, *response);
      co_return;
    }

    if (auto* failure = std::get_if<AttemptFailure>(&outcome)) {
      call.timing.upstream += Clock::now() - attempt_started;
      LLMUX_DEBUG("call " + call.ids.own + ": " + deployment.model_name + " [" + deployment.litellm_model +
                  "] failed: " + std::string(router::to_string(failure->kind)) + " " + failure->message);
      stats.failed(failure->kind, {}, Clock::now());
      plan.report_failure(to_router_failure(*failure), Clock::now());
      last_failure = std::move(*failure);
      continue;
    }

    // A stream: read its first piece before answering, so one that dies now is still failed over
    // (nothing has reached the client yet, whatever the upstream sent).
    auto stream = wire.adapt(std::move(std::get<std::unique_ptr<providers::StreamSource>>(outcome)), deployment);
    providers::StreamSource* raw_stream = stream.get();
    cancel.cancel_current = [raw_stream] { raw_stream->cancel(); };
    providers::StreamPiece piece = co_await stream->next();
    cancel.cancel_current = nullptr;
    call.timing.upstream += Clock::now() - attempt_started;
    if (cancel.cancelled) co_return;
    if (piece.failure) {
      stats.failed(piece.failure->kind, stream->usage(), Clock::now());
      plan.report_failure(to_router_failure(*piece.failure), Clock::now());
      last_failure = std::move(*piece.failure);
      continue;
    }
    if (stats.active()) stats.first_piece(stream->upstream_headers(), Clock::now());
    plan.report_success(Clock::now());
    writer.on_disconnect([raw_stream] { raw_stream->cancel(); });
    warn_unknown_fallbacks(call, plan);
    net::HeaderList stream_headers = route_headers(call.ids.echoed(), plan, &deployment, call.timing);
    // tenancy: a key's x-ratelimit-* headers, and its accounting once the stream is over
    stream_headers.append(call.extra_headers);
    const StreamEnd end =
        co_await relay_stream(*stream, piece, writer, std::move(stream_headers), shared, deployment, wire);
    // tenancy hook: a stream that did not complete is a failed call, charged for the usage it
    // reported before it ended (Anthropic reports input tokens first; OpenAI usage comes last).
    const bool completed = end == StreamEnd::completed;
    if (completed) stats.answered(stream->usage(), {}, Clock::now());
    if (end == StreamEnd::upstream_broke) stats.failed(router::ErrorKind::unavailable, stream->usage(), Clock::now());
    if (call.on_finished) {
      call.on_finished(CallOutcome{&deployment, stream->usage(), completed, plan.attempts().back().upstream_model});
    }
    co_return;
  }
  co_await send_all_failed(writer, call, plan, last_failure, shared.config->router.enable_pre_call_checks);
}

}  // namespace llmux::gateway
