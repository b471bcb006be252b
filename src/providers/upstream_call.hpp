#pragma once

// The HTTP part every upstream adapter shares: send the request on a pooled connection and read
// the response head; an error status is read and classified here, so an adapter only sees a
// successful exchange or an AttemptFailure.

#include <memory>
#include <variant>

#include "net/upstream_client.hpp"
#include "providers/provider.hpp"

namespace llmux::providers {

boost::asio::awaitable<std::variant<std::unique_ptr<net::UpstreamExchange>, AttemptFailure>> start_upstream(
    AttemptContext& context, const net::UpstreamTarget& target, net::UpstreamRequest request);

// A stream request answered with something other than an event stream (announces_event_stream is
// false): its body is read (up to 1 MiB) and becomes the attempt's failure, before any byte reaches
// the client, so the router can still fail over.
boost::asio::awaitable<AttemptFailure> non_stream_failure(AttemptContext& context, net::UpstreamExchange& exchange);

// A stream that could not be read on (reset, idle timeout) after it started.
AttemptFailure stream_read_failure(const net::UpstreamError& error);

// A stream whose event grew past the SSE parser's limit (a line that never ends): a broken
// upstream, not something to wait out.
AttemptFailure oversized_event_failure();

}  // namespace llmux::providers
