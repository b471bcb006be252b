#pragma once

// The account phase (DESIGN phase 7) for one call: when the engine says the call is over, price it
// (pricing::PriceBook), settle the key's rate-limit slot and budget reservation, and queue one
// spend row for the store's writer — never waiting on the database. A call that ends without the
// engine saying so (the client went away) is still logged, as a failure, when this is destroyed.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "gateway/call_engine.hpp"
#include "gateway/tenant_admission.hpp"
#include "pricing/price_book.hpp"

namespace llmux::gateway {

class CallAccounting {
 public:
  // `caller`/`admission` are absent for master-key (or auth-off) calls: those are logged with no key.
  CallAccounting(TenantServices& tenants, const TenantCaller* caller,
                 std::optional<TenantAdmission> admission, CallIds call_ids, std::string model_group);
  ~CallAccounting();
  CallAccounting(const CallAccounting&) = delete;
  CallAccounting& operator=(const CallAccounting&) = delete;

  // CallRequest::on_finished: the headers to add (x-litellm-response-cost on success).
  net::HeaderList finish(const CallOutcome& outcome);
  // CallRequest::extra_headers: the key's x-ratelimit-* headers.
  net::HeaderList limit_headers() const;
  // The call is an image call of this size and quality: priced per image by LiteLLM's
  // size/quality entries unless its answer reports image tokens (pricing/image_prices.hpp).
  void price_images_as(std::string size, std::string quality);

 private:
  TenantServices& tenants_;
  const TenantCaller* caller_;
  std::optional<TenantAdmission> admission_;
  CallIds call_ids_;
  std::string model_group_;
  tenancy::Timestamp started_;
  bool finished_ = false;
  bool image_call_ = false;
  std::string image_size_, image_quality_;
};

// What a call costs for its usage at a deployment (an image call by its variant when it has no
// image tokens to bill).
pricing::Cost call_cost(const pricing::PriceBook& prices, const config::Deployment& deployment,
                        const providers::Usage& usage, std::string_view upstream_model, const api::MediaFacts* images);

// Tenancy for one call at its entry point: admission for a virtual key (model after aliases, or a
// denial with its headers), then accounting wired into the CallRequest.
struct TenantGate {
  std::string model;  // what to route: the requested model after the key's aliases
  std::optional<tenancy::Denial> denial;
  net::HeaderList denial_headers;
  std::optional<TenantAdmission> admission;
};

// The call is read (`view`: OpenAI-shaped, an Anthropic body already translated), not yet routed.
TenantGate gate_call(const SharedState& shared, const TenantCaller* caller, const api::RequestView& view,
                     api::Endpoint endpoint, std::string_view requested_model);

// What a call is likely to cost before it runs, for its budget reservation: prompt tokens
// estimated from the body's size, plus its max_tokens / max_completion_tokens (or
// pricing::kDefaultCompletionEstimate; none for embeddings), priced at the most expensive
// deployment of every group the call may reach (its group and, transitively, its fallbacks).
// Unpriced deployments count as 0, as their calls are logged at cost 0.
double estimated_call_cost(const SharedState& shared, const api::RequestView& view, api::Endpoint endpoint,
                           std::string_view routed_model);

// Prompt tokens a body is likely to hold: about four bytes per token over the members that carry
// the prompt (messages, prompt, input, system, tools, functions) — JSON punctuation included, so
// it leans high for English text, which is the side a budget reservation should err on.
std::int64_t estimated_prompt_tokens(const api::RequestView& view);

// Sets call.on_finished / call.extra_headers (call.ids and call.group must be set). `holder`
// must outlive execute_call. Without a store, nothing is accounted.
void attach_accounting(const SharedState& shared, const TenantCaller* caller, TenantGate& gate,
                       CallRequest& call, std::optional<CallAccounting>& holder);

}  // namespace llmux::gateway
