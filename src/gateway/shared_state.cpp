#include "gateway/shared_state.hpp"

#include <chrono>

#include "api/json_scan.hpp"
#include "pricing/price_book.hpp"

namespace llmux::gateway {

std::string model_json(std::string_view name) {
  // LiteLLM lists every model with a fixed `created` and owned_by "openai".
  std::string out = R"({"id":)";
  api::append_json_string(out, name);
  out += R"(,"object":"model","created":1677610602,"owned_by":"openai"})";
  return out;
}

std::string models_list_json(const std::vector<std::string>& names) {
  std::string out = R"({"data":[)";
  bool first = true;
  for (const auto& name : names) {
    if (!first) out += ',';
    first = false;
    out += model_json(name);
  }
  out += R"(],"object":"list"})";
  return out;
}

namespace {

// The context window of each deployment, for the pre-call check: model_info.max_input_tokens,
// else the price table's entry (LiteLLM merges model_info over the price map the same way).
std::vector<std::optional<std::int64_t>> max_input_tokens(const config::Config& config,
                                                          const pricing::PriceBook* prices) {
  std::vector<std::optional<std::int64_t>> limits;
  limits.reserve(config.deployments.size());
  for (const auto& deployment : config.deployments) {
    std::optional<std::int64_t> limit = deployment.model_info.max_input_tokens;
    if (!limit && prices) {
      const auto found = prices->for_deployment(deployment);
      if (found.known) limit = found.price.max_input_tokens;
    }
    limits.push_back(limit);
  }
  return limits;
}

// What the router is handed beside the config: cost-based-routing's price per token of each
// deployment (LiteLLM: the deployment's own prices, else the price table's, else 5.0 each) and
// the offset that turns steady-clock readings into UTC minutes.
router::RouterInputs router_inputs(const config::Config& config, const pricing::PriceBook* prices) {
  router::RouterInputs inputs;
  if (prices != nullptr) {
    inputs.costs_per_token.reserve(config.deployments.size());
    for (const auto& deployment : config.deployments) {
      const pricing::PriceLookup found = prices->for_deployment(deployment);
      inputs.costs_per_token.push_back(found.known ? found.price.input_per_token + found.price.output_per_token
                                                   : deployment.model_info.input_cost_per_token.value_or(5.0) +
                                                         deployment.model_info.output_cost_per_token.value_or(5.0));
    }
  }
  inputs.max_input_tokens = max_input_tokens(config, prices);
  inputs.utc_minus_steady = std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::system_clock::now().time_since_epoch() - std::chrono::steady_clock::now().time_since_epoch());
  return inputs;
}

}  // namespace

SharedState::SharedState(config::ConfigPtr snapshot, const pricing::PriceBook* prices)
    : config(std::move(snapshot)),
      router(std::make_unique<router::Router>(config, router_inputs(*config, prices))),
      models_json(models_list_json(router->listed_models())) {}

}  // namespace llmux::gateway
