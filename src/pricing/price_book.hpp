#pragma once

// Which price applies to a call: a PriceTable looked up the way LiteLLM looks up its map, with a
// deployment's own `model_info` prices on top. Built once at start (or config reload), then shared
// read-only by every worker (`std::shared_ptr<const PriceBook>`); lookups take no lock.

#include <optional>
#include <string>
#include <string_view>

#include "config/config.hpp"
#include "pricing/price.hpp"
#include "pricing/price_table.hpp"

namespace llmux::pricing {

// Prices a deployment sets for itself (LiteLLM registers them under the deployment id and they
// win over the map). Only the fields set replace the table's; the rest still come from the table.
struct PriceOverrides {
  std::optional<double> input_per_token;
  std::optional<double> output_per_token;
  std::optional<double> cache_read_per_token;
  std::optional<double> cache_write_per_token;
  std::optional<std::int64_t> max_input_tokens;
  std::optional<std::int64_t> max_output_tokens;

  bool sets_a_price() const;
};

// `model_info.input_cost_per_token` / `output_cost_per_token` (the config loader already folds in
// the litellm_params copies) and `max_input_tokens` / `max_output_tokens` (else `max_tokens`).
PriceOverrides overrides_from(const config::ModelInfo& info);

struct PriceLookup {
  Price price;
  bool known = false;       // false: no table entry and no override; price is all zeros
  std::string matched_key;  // the table key used ("" when only overrides priced it)
};

struct Cost {
  double usd = 0;
  bool known = false;  // false: unknown model; LiteLLM logs such calls with cost 0, and so do we
};

class PriceBook {
 public:
  // The built-in table (builtin_prices()).
  PriceBook();
  explicit PriceBook(PriceTable prices);

  // Entries of `overlay` replace same-named entries (a LiteLLM price file over the built-ins).
  void add(const PriceTable& overlay);

  // LiteLLM's order (`get_model_info`): "<provider>/<model>", then bare "<model>" provided the
  // entry's litellm_provider agrees with `provider`; then the same two for the model without a
  // date suffix ("-2024-08-06", "-20241022", "@20241022", "-0125"), which LiteLLM does not do
  // (it prices dated snapshots only when its map lists them). Empty `provider` matches any entry.
  PriceLookup find(std::string_view provider, std::string_view model) const;

  // find(provider, upstream model) with the deployment's overrides applied. `upstream_model`, when
  // given, is what a wildcard deployment was asked for ("gpt-4o-mini" by `openai/*`): its price, not
  // the pattern's.
  PriceLookup for_deployment(const config::Deployment& deployment, std::string_view upstream_model = {}) const;

  Cost cost(std::string_view provider, std::string_view model, const Usage& usage) const;
  Cost cost(const config::Deployment& deployment, const Usage& usage, std::string_view upstream_model = {}) const;

  std::size_t size() const { return prices_.size(); }

 private:
  const Price* entry(std::string_view key, std::string_view provider, bool check_provider) const;

  PriceTable prices_;
};

PriceLookup apply_overrides(PriceLookup base, const PriceOverrides& overrides);

// The model name without a trailing date stamp, or nullopt when it has none.
std::optional<std::string> strip_date_suffix(std::string_view model);

}  // namespace llmux::pricing
