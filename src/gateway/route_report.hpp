#pragma once

// What the client is told about the route a request took: LiteLLM's x-litellm-* headers,
// x-llmux-route (each attempt and its outcome), and the message when every attempt failed.

#include <chrono>
#include <string>
#include <string_view>

#include "net/http_server.hpp"
#include "providers/provider.hpp"
#include "router/router.hpp"

namespace llmux::gateway {

struct CallTiming {
  std::chrono::steady_clock::time_point started;
  std::chrono::steady_clock::duration upstream{};  // waiting on upstreams and backoff sleeps
};

// A short text made on the stack: numbers written into a header with no string allocated.
struct ShortText {
  char data[32];
  std::size_t size = 0;
  std::string_view view() const { return {data, size}; }
};

// A duration in milliseconds with three decimals ("12.345"), byte for byte what printf's "%.3f"
// writes, without printf's cost on every answer.
ShortText milliseconds_text(std::chrono::steady_clock::duration d);

// "group[provider/model]:outcome, …" — outcome is `ok` or the error kind with its status.
std::string describe_route(const router::RequestPlan& plan);

// x-litellm-call-id and x-request-id (LiteLLM sends both): every answer carries them, refusals
// before routing included.
void append_call_id_headers(net::HeaderList& headers, std::string_view call_id);

// The call ids, the x-litellm-* route and timing headers and x-llmux-route, in one buffer with
// room for the upstream's and tenancy's headers that callers add after them.
net::HeaderList route_headers(const std::string& call_id, const router::RequestPlan& plan,
                              const config::Deployment* served_by, const CallTiming& timing);

std::string all_attempts_failed_message(std::string_view requested_model, const router::RequestPlan& plan,
                                        const providers::AttemptFailure& last);

// LiteLLM's 429 when every deployment was left out by a limit (rpm/tpm, an upstream's own) before
// any call: "No deployments available for selected model, Try again in N seconds. Passed model=…".
std::string no_deployments_message(std::string_view requested_model, const router::RequestPlan& plan,
                                   long long retry_seconds, bool pre_call_checks);

}  // namespace llmux::gateway
