#include "pricing/price_book.hpp"

#include <algorithm>
#include <cctype>

namespace llmux::pricing {
namespace {

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

int number(std::string_view digits) {
  int n = 0;
  for (char c : digits) n = n * 10 + (c - '0');
  return n;
}

bool plausible_month_day(std::string_view mmdd) {
  const int month = number(mmdd.substr(0, 2));
  const int day = number(mmdd.substr(2, 2));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

// LiteLLM `_check_provider_match`, simplified: a bare key serves another provider's request only
// when their names agree ("vertex_ai" ~ "vertex_ai-language-models", "openai" ~
// "text-completion-openai"). This keeps a self-hosted "hosted_vllm" model from picking up a
// hosted API's price because its name happens to be in the table.
bool provider_matches(std::string_view wanted, std::string_view entry) {
  if (wanted.empty() || entry.empty() || wanted == entry) return true;
  const auto starts = [](std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; };
  const auto ends = [](std::string_view s, std::string_view p) {
    return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
  };
  return starts(entry, std::string(wanted) + "-") || ends(entry, "-" + std::string(wanted));
}

}  // namespace

bool PriceOverrides::sets_a_price() const {
  return input_per_token || output_per_token || cache_read_per_token || cache_write_per_token;
}

PriceOverrides overrides_from(const config::ModelInfo& info) {
  PriceOverrides o;
  o.input_per_token = info.input_cost_per_token;
  o.output_per_token = info.output_cost_per_token;
  o.cache_read_per_token = info.cache_read_input_token_cost;
  o.cache_write_per_token = info.cache_creation_input_token_cost;
  o.max_input_tokens = info.max_input_tokens;
  o.max_output_tokens = info.max_output_tokens ? info.max_output_tokens : info.max_tokens;
  return o;
}

std::optional<std::string> strip_date_suffix(std::string_view model) {
  const std::size_t n = model.size();
  // -YYYY-MM-DD (OpenAI snapshots)
  if (n > 11 && model[n - 11] == '-' && model[n - 6] == '-' && model[n - 3] == '-' &&
      all_digits(model.substr(n - 10, 4)) && all_digits(model.substr(n - 5, 2)) &&
      all_digits(model.substr(n - 2, 2))) {
    return std::string(model.substr(0, n - 11));
  }
  // -YYYYMMDD (Anthropic) or @YYYYMMDD (Vertex AI)
  if (n > 9 && (model[n - 9] == '-' || model[n - 9] == '@') && all_digits(model.substr(n - 8)) &&
      (model.substr(n - 8, 2) == "20") && plausible_month_day(model.substr(n - 4))) {
    return std::string(model.substr(0, n - 9));
  }
  // -MMDD (older OpenAI snapshots: gpt-4-0613, gpt-3.5-turbo-0125)
  if (n > 5 && model[n - 5] == '-' && all_digits(model.substr(n - 4)) &&
      plausible_month_day(model.substr(n - 4))) {
    return std::string(model.substr(0, n - 5));
  }
  return std::nullopt;
}

PriceBook::PriceBook() : prices_(builtin_prices()) {}

PriceBook::PriceBook(PriceTable prices) : prices_(std::move(prices)) {}

void PriceBook::add(const PriceTable& overlay) {
  for (const auto& [key, price] : overlay) prices_.insert_or_assign(key, price);
}

const Price* PriceBook::entry(std::string_view key, std::string_view provider, bool check_provider) const {
  const auto it = prices_.find(key);
  if (it == prices_.end()) return nullptr;
  if (check_provider && !provider_matches(provider, it->second.provider)) return nullptr;
  return &it->second;
}

PriceLookup PriceBook::find(std::string_view provider, std::string_view model) const {
  const auto try_name = [&](std::string_view name) -> std::optional<PriceLookup> {
    if (!provider.empty()) {
      // Every answer is priced: the "<provider>/<model>" key is joined on the stack, not the heap.
      char joined[256];
      std::string heap_joined;
      std::string_view prefixed;
      if (provider.size() + 1 + name.size() <= sizeof joined) {
        char* end = std::copy(provider.begin(), provider.end(), joined);
        *end++ = '/';
        end = std::copy(name.begin(), name.end(), end);
        prefixed = std::string_view(joined, static_cast<std::size_t>(end - joined));
      } else {
        heap_joined = std::string(provider) + "/" + std::string(name);
        prefixed = heap_joined;
      }
      if (const Price* p = entry(prefixed, provider, /*check_provider=*/false)) {
        return PriceLookup{*p, true, std::string(prefixed)};
      }
    }
    if (const Price* p = entry(name, provider, /*check_provider=*/true))
      return PriceLookup{*p, true, std::string(name)};
    return std::nullopt;
  };
  if (auto found = try_name(model)) return *found;
  if (const auto undated = strip_date_suffix(model)) {
    if (auto found = try_name(*undated)) return *found;
  }
  return PriceLookup{};
}

PriceLookup apply_overrides(PriceLookup base, const PriceOverrides& o) {
  Price& p = base.price;
  if (o.input_per_token) p.input_per_token = *o.input_per_token;
  if (o.output_per_token) p.output_per_token = *o.output_per_token;
  if (o.cache_read_per_token) p.cache_read_per_token = o.cache_read_per_token;
  if (o.cache_write_per_token) p.cache_write_per_token = o.cache_write_per_token;
  if (o.max_input_tokens) p.max_input_tokens = o.max_input_tokens;
  if (o.max_output_tokens) p.max_output_tokens = o.max_output_tokens;
  // A deployment's own price is flat: the table's long-context tiers were for the list price.
  if (o.input_per_token || o.output_per_token) p.tiers.clear();
  base.known = base.known || o.sets_a_price();
  return base;
}

PriceLookup PriceBook::for_deployment(const config::Deployment& deployment, std::string_view upstream_model) const {
  return apply_overrides(find(deployment.provider, upstream_model.empty() ? std::string_view(deployment.upstream_model)
                                                                          : upstream_model),
                         overrides_from(deployment.model_info));
}

Cost PriceBook::cost(std::string_view provider, std::string_view model, const Usage& usage) const {
  const PriceLookup found = find(provider, model);
  return found.known ? Cost{pricing::cost(found.price, usage), true} : Cost{};
}

Cost PriceBook::cost(const config::Deployment& deployment, const Usage& usage, std::string_view upstream_model) const {
  const PriceLookup found = for_deployment(deployment, upstream_model);
  return found.known ? Cost{pricing::cost(found.price, usage), true} : Cost{};
}

}  // namespace llmux::pricing
