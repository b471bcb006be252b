#pragma once

// The execute and respond phases, shared by every LLM route: run the router's plan (attempts,
// backoff waits, fallbacks) against the provider adapters, then answer the client — whole, or
// streamed chunk by chunk as it arrives — in the client's wire format.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include <functional>
#include <random>
#include <string>

#include "api/request_view.hpp"
#include "gateway/client_wire.hpp"
#include "gateway/route_report.hpp"
#include "gateway/shared_state.hpp"
#include "net/http_server.hpp"
#include "providers/provider.hpp"

namespace llmux::net {
class UpstreamPool;
}

namespace llmux::gateway {

// A worker's own tools for calling upstreams; never shared between threads.
struct WorkerResources {
  boost::asio::io_context& io;
  net::UpstreamPool& pool;
  providers::Provider& openai_compatible;
  providers::Provider& mock;
  providers::Provider& anthropic;
  std::mt19937_64& rng;
};

// What accounting needs to know when a call is over (tenancy and spend stay outside the engine).
struct CallOutcome {
  // The deployment that answered; when every attempt failed, the one tried last (null when none
  // was). Set with success false for a stream that started and then broke or lost its client: the
  // call failed, yet may have used tokens.
  const config::Deployment* deployment = nullptr;
  providers::Usage usage;  // as the upstream reported it (a broken stream: what it reported so far)
  bool success = false;
  std::string_view upstream_model;  // a wildcard's model for this call (priced as such); empty = the deployment's
};

// A call's two ids. `own` is always a new version-4 UUID the gateway made: it keys the call's
// spend row (and the idempotency of the batch that writes it), so no client can make two calls
// share a row and have one charge dropped. `client` is the client's own x-litellm-call-id when it
// sent a sane one, else empty: answers echo it and its spend row keeps it, searchable, not unique.
struct CallIds {
  std::string own;
  std::string client;

  // What answers carry in x-litellm-call-id: LiteLLM reuses the client's id when it sent one.
  const std::string& echoed() const { return client.empty() ? own : client; }
};

// A call's answer held back rather than sent, for a caller that decides what the client gets
// (gateway/confidence_call.cpp): the whole answer, or the error when every attempt failed, with
// the headers it would have gone out with. Accounting has run for it, as for a sent one.
struct KeptAnswer {
  bool kept = false;  // false: the client went away before an answer was decided
  bool success = false;
  int status = 0;
  net::HeaderList headers;
  std::string content_type;
  std::string body;
  const config::Deployment* deployment = nullptr;  // the one that answered; null on failure
};

struct CallRequest {
  CallIds ids;
  CallTiming timing;
  api::Endpoint endpoint = api::Endpoint::chat_completions;
  const api::RequestView* view = nullptr;  // OpenAI-shaped (translated for an Anthropic client)
  std::string group;                       // resolved by the router
  const ClientWire* wire = nullptr;
  std::string_view client_body;     // an Anthropic client's own body
  std::string_view anthropic_beta;  // passed through to Anthropic deployments
  // Called once when the answer is decided (before a whole answer is sent, after a stream ends);
  // the headers it returns go on a whole answer (x-litellm-response-cost).
  std::function<net::HeaderList(const CallOutcome&)> on_finished;
  net::HeaderList extra_headers;  // on every answer (a key's x-ratelimit-* headers)
  std::function<bool(const config::Deployment&)> deployment_filter;  // tenancy's tag routing; empty = all
  router::AffinityKeys affinity;  // who is calling, for sticky picks (gateway/affinity_keys.hpp)
  // Set: a whole answer (or the all-failed error) goes here instead of to the client. Streams
  // are sent as usual.
  KeptAnswer* keep = nullptr;
};

boost::asio::awaitable<void> execute_call(const SharedState& shared, WorkerResources& worker, CallRequest& call,
                                          net::ResponseWriter& writer);

// The request's own routing controls (num_retries, fallbacks, …) as the router takes them.
router::RequestOverrides overrides_from(const api::RequestView& view);

// A new version-4 UUID as `own`, and the client's `x-litellm-call-id` as `client` when it is sane
// to echo in a header (1-128 of [0-9a-fA-F._-]).
CallIds call_ids_for(const net::InboundRequest& request, std::mt19937_64& rng);

}  // namespace llmux::gateway
