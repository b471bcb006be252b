#include "gateway/call_accounting.hpp"

#include <algorithm>

#include "api/json_scan.hpp"
#include "api/media_request.hpp"
#include "pricing/image_prices.hpp"
#include "providers/endpoint_support.hpp"
#include "providers/media_answers.hpp"
#include "router/fallbacks.hpp"
#include "tenancy/litellm_wording.hpp"
#include "tenancy/store_mapping.hpp"

namespace llmux::gateway {

CallAccounting::CallAccounting(TenantServices& tenants, const TenantCaller* caller,
                               std::optional<TenantAdmission> admission, CallIds call_ids,
                               std::string model_group)
    : tenants_(tenants),
      caller_(caller),
      admission_(std::move(admission)),
      call_ids_(std::move(call_ids)),
      model_group_(std::move(model_group)),
      started_(tenancy::Clock::now()) {}

CallAccounting::~CallAccounting() {
  if (!finished_) finish(CallOutcome{});
}

net::HeaderList CallAccounting::limit_headers() const {
  return admission_ ? admission_->headers : net::HeaderList{};
}

void CallAccounting::price_images_as(std::string size, std::string quality) {
  image_call_ = true;
  image_size_ = std::move(size);
  image_quality_ = std::move(quality);
}

namespace {

pricing::Usage pricing_usage(const providers::Usage& usage) {
  pricing::Usage out{usage.prompt_tokens, usage.completion_tokens, usage.cached_tokens, usage.cache_write_tokens};
  out.images = usage.images;
  out.audio_seconds = usage.audio_seconds;
  out.speech_seconds = usage.speech_seconds;
  out.characters = usage.characters;
  out.queries = usage.queries;
  out.image_input_tokens = usage.image_input_tokens;
  return out;
}

pricing::Cost image_cost(const pricing::PriceBook& prices, const config::Deployment& deployment,
                         const providers::Usage& usage, std::string_view upstream_model, std::string_view size,
                         std::string_view quality) {
  const pricing::Usage billed = pricing_usage(usage);
  // An answer that reports image tokens (gpt-image-1) is billed by them, at the model's token
  // prices, as LiteLLM does; otherwise per image at the size/quality entry's price.
  const auto base = prices.for_deployment(deployment, upstream_model);
  if (base.known && base.price.output_per_image_token && (usage.completion_tokens > 0 || usage.image_input_tokens > 0)) {
    return {pricing::cost(base.price, billed), true};
  }
  const auto variant = pricing::image_price(prices, deployment, upstream_model, {size, quality});
  return variant.known ? pricing::Cost{pricing::cost(variant.price, billed), true} : pricing::Cost{};
}

}  // namespace

pricing::Cost call_cost(const pricing::PriceBook& prices, const config::Deployment& deployment,
                        const providers::Usage& usage, std::string_view upstream_model, const api::MediaFacts* images) {
  if (images) return image_cost(prices, deployment, usage, upstream_model, images->image_size, images->image_quality);
  return prices.cost(deployment, pricing_usage(usage), upstream_model);
}

net::HeaderList CallAccounting::finish(const CallOutcome& outcome) {
  net::HeaderList headers;
  if (finished_) return headers;
  finished_ = true;
  const auto now = tenancy::Clock::now();

  double cost = 0;
  // A stream that broke after it started is a failure, yet the tokens it reported were used:
  // they are priced and charged like a success's.
  if (outcome.deployment && outcome.usage.known) {
    const auto priced = image_call_ ? image_cost(tenants_.prices, *outcome.deployment, outcome.usage,
                                                 outcome.upstream_model, image_size_, image_quality_)
                                    : call_cost(tenants_.prices, *outcome.deployment, outcome.usage,
                                                outcome.upstream_model, nullptr);
    cost = priced.usd;
    // LiteLLM omits the header when it cannot price the model (reference §7).
    if (priced.known && outcome.success)
      headers.emplace_back("x-litellm-response-cost", tenancy::wording::python_float(cost));
  }
  if (caller_ && admission_)
    settle_call(tenants_, *caller_, *admission_, outcome.usage, cost, outcome.success, now);

  // finished_ is set: this is the last use of the call's ids and group, so the row takes them.
  store::SpendRow row;
  row.call_id = std::move(call_ids_.own);
  if (!call_ids_.client.empty()) row.client_call_id = std::move(call_ids_.client);
  if (caller_) {
    const auto& key = *caller_->key;
    row.key_hash = key.token_hash;
    row.key_alias = key.key_alias;
    row.team_id = key.team_id;
    row.user_id = key.user_id;
    row.tags = key.tags;
  }
  row.model_group = std::move(model_group_);
  if (outcome.deployment) {
    row.deployment_id = outcome.deployment->id();
    row.model = outcome.upstream_model.empty() ? outcome.deployment->upstream_model : std::string(outcome.upstream_model);
  }
  row.prompt_tokens = outcome.usage.prompt_tokens;
  row.completion_tokens = outcome.usage.completion_tokens;
  row.cached_tokens = outcome.usage.cached_tokens;
  row.cache_write_tokens = outcome.usage.cache_write_tokens;
  row.cost = cost;
  row.status = outcome.success ? "success" : "failure";
  row.start_time = tenancy::to_millis(started_);
  row.end_time = tenancy::to_millis(now);
  row.latency_ms = row.end_time - row.start_time;
  tenants_.spend_writer.enqueue(std::move(row));
  return headers;
}

std::int64_t estimated_prompt_tokens(const api::RequestView& view) {
  std::size_t bytes = 0;
  for (const auto& member : view.members) {
    for (std::string_view key : {"messages", "prompt", "input", "system", "tools", "functions"}) {
      if (api::key_equals(member.key_raw, key)) bytes += member.value(view.body).size();
    }
  }
  return static_cast<std::int64_t>((bytes + 3) / 4);
}

namespace {

// A media call's reservation: the units its request implies (n images, the upload's seconds at a
// low bitrate, the speech input, one rerank query) at the dearest capable deployment it can reach.
double estimated_media_cost(const SharedState& shared, const api::RequestView& view, api::Endpoint endpoint,
                            std::string_view routed_model) {
  const providers::Usage likely = providers::media_request_usage(endpoint, view);
  const bool images = endpoint == api::Endpoint::image_generations || endpoint == api::Endpoint::image_edits;
  double dearest = 0;
  for (const auto& group : router::reachable_groups(*shared.router, overrides_from(view), routed_model)) {
    for (const config::Deployment* deployment : shared.router->group(group)) {
      if (!providers::serves_endpoint(*deployment, endpoint)) continue;
      const auto cost = call_cost(shared.tenants->prices, *deployment, likely, {}, images ? &view.media : nullptr);
      dearest = std::max(dearest, cost.usd);
    }
  }
  return dearest;
}

}  // namespace

double estimated_call_cost(const SharedState& shared, const api::RequestView& view, api::Endpoint endpoint,
                           std::string_view routed_model) {
  if (!shared.tenants) return 0;
  if (api::is_media_endpoint(endpoint)) return estimated_media_cost(shared, view, endpoint, routed_model);
  const std::int64_t prompt_tokens = estimated_prompt_tokens(view);
  std::optional<std::int64_t> completion_tokens;
  if (endpoint == api::Endpoint::embeddings) {
    completion_tokens = 0;
  } else {
    for (std::string_view key : {"max_completion_tokens", "max_tokens"}) {
      const auto value = api::find_member(view.body, key);
      const auto limit = value ? api::decode_int64(*value) : std::nullopt;
      if (limit && *limit >= 0) {
        completion_tokens = *limit;
        break;
      }
    }
  }
  // The deployment is chosen only after admission (and may change with retries and fallbacks), so
  // the reservation assumes the dearest one the call can reach: a burst then cannot overshoot the
  // budget whichever deployments end up serving it. The price is that a key close to its budget
  // is refused a call a cheaper deployment could still have served.
  double dearest = 0;
  for (const auto& group : router::reachable_groups(*shared.router, overrides_from(view), routed_model)) {
    for (const config::Deployment* deployment : shared.router->group(group)) {
      const auto found = shared.tenants->prices.for_deployment(*deployment);
      if (!found.known) continue;
      dearest = std::max(dearest, pricing::estimate_cost(found.price, prompt_tokens, completion_tokens));
    }
  }
  return dearest;
}

TenantGate gate_call(const SharedState& shared, const TenantCaller* caller, const api::RequestView& view,
                     api::Endpoint endpoint, std::string_view requested_model) {
  TenantGate gate;
  gate.model = std::string(requested_model);
  if (!caller || !shared.tenants) return gate;
  const CostEstimator estimate = [&shared, &view, endpoint](std::string_view routed_model) {
    return estimated_call_cost(shared, view, endpoint, routed_model);
  };
  const tenancy::AccessLookups access = access_lookups(*shared.router);
  auto admitted = admit_call(*shared.tenants, *caller, requested_model, tenancy::Clock::now(),
                             gate.denial_headers, estimate, access);
  if (auto* denial = std::get_if<tenancy::Denial>(&admitted)) {
    gate.denial = std::move(*denial);
    if (gate.denial->retry_after && gate.denial_headers.empty())
      gate.denial_headers.emplace_back("Retry-After", std::to_string(gate.denial->retry_after->count()));
    return gate;
  }
  gate.admission = std::move(std::get<TenantAdmission>(admitted));
  gate.model = gate.admission->model;
  return gate;
}

void attach_accounting(const SharedState& shared, const TenantCaller* caller, TenantGate& gate,
                       CallRequest& call, std::optional<CallAccounting>& holder) {
  if (!shared.tenants) return;
  holder.emplace(*shared.tenants, caller, std::move(gate.admission), call.ids, call.group);
  if (call.endpoint == api::Endpoint::image_generations || call.endpoint == api::Endpoint::image_edits) {
    holder->price_images_as(call.view->media.image_size, call.view->media.image_quality);
  }
  call.extra_headers = holder->limit_headers();
  call.on_finished = [&holder](const CallOutcome& outcome) { return holder->finish(outcome); };
}

}  // namespace llmux::gateway
