#include "providers/upstream_call.hpp"

#include <memory>

#include "providers/upstream_failures.hpp"

namespace llmux::providers {

boost::asio::awaitable<std::variant<std::unique_ptr<net::UpstreamExchange>, AttemptFailure>> start_upstream(
    AttemptContext& context, const net::UpstreamTarget& target, net::UpstreamRequest request) {
  // Until the head arrives there is no exchange to cancel: a client that leaves while the upstream
  // is still connecting or thinking cancels the pending start() through `cancel` instead.
  net::UpstreamCancel cancel;
  *context.cancel_current = [&cancel] { cancel.cancel(); };
  auto started = co_await context.pool.start(target, std::move(request), context.deadline, &cancel);
  *context.cancel_current = nullptr;
  if (auto* error = std::get_if<net::UpstreamError>(&started)) {
    co_return transport_failure(*error);
  }
  auto exchange = std::move(std::get<std::unique_ptr<net::UpstreamExchange>>(started));
  if (exchange->head().status < 400) co_return std::move(exchange);

  net::UpstreamExchange* raw = exchange.get();
  *context.cancel_current = [raw] { raw->cancel(); };
  auto body = co_await exchange->read_all(context.deadline, 1u << 20);
  *context.cancel_current = nullptr;
  // A view into the variant itself: `?:` with "" would copy the string into a temporary.
  std::string_view text;
  if (auto* read = std::get_if<std::string>(&body)) text = *read;
  co_return http_failure(context.deployment, exchange->head(), text);
}

boost::asio::awaitable<AttemptFailure> non_stream_failure(AttemptContext& context, net::UpstreamExchange& exchange) {
  net::UpstreamExchange* raw = &exchange;
  *context.cancel_current = [raw] { raw->cancel(); };
  auto body = co_await exchange.read_all(context.deadline, 1u << 20);
  *context.cancel_current = nullptr;
  if (auto* error = std::get_if<net::UpstreamError>(&body)) co_return transport_failure(*error);
  co_return non_stream_answer_failure(context.deployment, exchange.head(), std::get<std::string>(body));
}

AttemptFailure stream_read_failure(const net::UpstreamError& error) {
  const bool timed_out = error.code == net::UpstreamErrc::timeout;
  return AttemptFailure{timed_out ? router::ErrorKind::timeout : router::ErrorKind::connection_failed, 0,
                        "upstream stream broke: " + error.message, std::nullopt};
}

AttemptFailure oversized_event_failure() {
  return AttemptFailure{router::ErrorKind::internal, 0, "upstream stream event exceeds the SSE size limit",
                        std::nullopt};
}

}  // namespace llmux::providers
