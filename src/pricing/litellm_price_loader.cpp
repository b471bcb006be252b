// LiteLLM's model_prices_and_context_window.json → PriceTable (see price_table.hpp).

#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <string>

#include "pricing/price_table.hpp"
#include "text/checked_number.hpp"

namespace llmux::pricing {
namespace {

namespace json = boost::json;

struct FieldError {
  std::string message;
};

std::string describe(const json::value& v) {
  switch (v.kind()) {
    case json::kind::string:
      return "string \"" + std::string(v.get_string()) + "\"";
    case json::kind::bool_:
      return "bool";
    case json::kind::array:
      return "array";
    case json::kind::object:
      return "object";
    default:
      return json::serialize(v);
  }
}

// A number, a numeric string ("2.5e-06"), or null (absent).
std::optional<double> as_number(const json::value& v, bool& ok) {
  ok = true;
  switch (v.kind()) {
    case json::kind::null:
      return std::nullopt;
    case json::kind::int64:
      return static_cast<double>(v.get_int64());
    case json::kind::uint64:
      return static_cast<double>(v.get_uint64());
    case json::kind::double_:
      return v.get_double();
    case json::kind::string: {
      const std::string text(v.get_string());
      char* end = nullptr;
      const double d = std::strtod(text.c_str(), &end);
      if (!text.empty() && end == text.c_str() + text.size() && std::isfinite(d)) return d;
      break;
    }
    default:
      break;
  }
  ok = false;
  return std::nullopt;
}

class EntryReader {
 public:
  EntryReader(std::string_view model, const json::object& entry) : model_(model), entry_(entry) {}

  std::optional<double> price(std::string_view field) {
    const auto n = number(field);
    if (n && *n < 0) fail(field, "must not be negative (got " + describe(*entry_.if_contains(field)) + ")");
    return n;
  }

  std::optional<std::int64_t> count(std::string_view field) {
    const auto n = number(field);
    if (!n) return std::nullopt;
    const auto whole = text::exact_integer<std::int64_t>(*n);
    if (!whole || *whole < 0 || *whole > 9'000'000'000'000'000) {
      fail(field, "must be a non-negative whole token count (got " + describe(*entry_.if_contains(field)) + ")");
      return std::nullopt;
    }
    return whole;
  }

  std::string text(std::string_view field) {
    const json::value* v = entry_.if_contains(field);
    if (!v || v->is_null()) return {};
    if (!v->is_string()) {
      fail(field, "must be a string (got " + describe(*v) + ")");
      return {};
    }
    return std::string(v->get_string());
  }

  const std::optional<FieldError>& error() const { return error_; }

 private:
  std::optional<double> number(std::string_view field) {
    const json::value* v = entry_.if_contains(field);
    if (!v) return std::nullopt;
    bool ok = true;
    auto n = as_number(*v, ok);
    if (!ok) fail(field, "must be a number (got " + describe(*v) + ")");
    return n;
  }

  void fail(std::string_view field, const std::string& what) {
    if (!error_) error_ = FieldError{"\"" + std::string(model_) + "\": " + std::string(field) + " " + what};
  }

  std::string_view model_;
  const json::object& entry_;
  std::optional<FieldError> error_;
};

// `<field>_above_<N>k_tokens` → N·1000, for the four token prices (LiteLLM's tier fields).
std::optional<std::int64_t> tier_threshold(std::string_view key, std::string_view field) {
  const std::string_view infix = "_above_";
  const std::string_view suffix = "k_tokens";
  if (key.size() <= field.size() + infix.size() + suffix.size()) return std::nullopt;
  if (key.substr(0, field.size()) != field || key.substr(field.size(), infix.size()) != infix)
    return std::nullopt;
  if (key.substr(key.size() - suffix.size()) != suffix) return std::nullopt;
  const std::string_view digits =
      key.substr(field.size() + infix.size(), key.size() - field.size() - infix.size() - suffix.size());
  std::int64_t thousands = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), thousands);
  if (ec != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;
  return thousands * 1000;
}

PriceTier& tier_at(Price& price, std::int64_t threshold) {
  for (auto& t : price.tiers) {
    if (t.above_prompt_tokens == threshold) return t;
  }
  auto it = price.tiers.begin();
  while (it != price.tiers.end() && it->above_prompt_tokens < threshold) ++it;
  PriceTier tier;
  tier.above_prompt_tokens = threshold;
  return *price.tiers.insert(it, tier);
}

std::optional<FieldError> read_tiers(std::string_view model, const json::object& entry, Price& price) {
  EntryReader reader(model, entry);
  for (const auto& kv : entry) {
    const std::string_view key = kv.key();
    if (auto n = tier_threshold(key, "input_cost_per_token")) {
      tier_at(price, *n).input_per_token = reader.price(key);
    } else if (auto n2 = tier_threshold(key, "output_cost_per_token")) {
      tier_at(price, *n2).output_per_token = reader.price(key);
    } else if (auto n3 = tier_threshold(key, "cache_read_input_token_cost")) {
      tier_at(price, *n3).cache_read_per_token = reader.price(key);
    } else if (auto n4 = tier_threshold(key, "cache_creation_input_token_cost")) {
      tier_at(price, *n4).cache_write_per_token = reader.price(key);
    }
  }
  return reader.error();
}

std::optional<double> either(std::optional<double> first, std::optional<double> second) { return first ? first : second; }

std::optional<double> sum(std::optional<double> a, std::optional<double> b) {
  if (!a) return b;
  if (!b) return a;
  return *a + *b;
}

// The per-image, per-second, per-character and per-query fields of the media models.
void read_media_prices(EntryReader& reader, Price& price) {
  price.per_image = either(reader.price("output_cost_per_image"), reader.price("input_cost_per_image"));
  price.per_pixel = sum(reader.price("input_cost_per_pixel"), reader.price("output_cost_per_pixel"));
  price.output_per_second = reader.price("output_cost_per_second");
  price.per_second = either(reader.price("input_cost_per_second"), price.output_per_second);
  price.per_character = reader.price("input_cost_per_character");
  price.per_query = reader.price("input_cost_per_query");
  price.input_per_image_token = reader.price("input_cost_per_image_token");
  price.output_per_image_token = reader.price("output_cost_per_image_token");
}

// nullopt price: the entry is priced by nothing llmux charges (skipped, not an error).
std::variant<std::optional<Price>, FieldError> read_entry(std::string_view model, const json::object& entry) {
  EntryReader reader(model, entry);
  const auto input = reader.price("input_cost_per_token");
  const auto output = reader.price("output_cost_per_token");
  Price price;
  price.cache_read_per_token = reader.price("cache_read_input_token_cost");
  price.cache_write_per_token = reader.price("cache_creation_input_token_cost");
  price.max_input_tokens = reader.count("max_input_tokens");
  price.max_output_tokens = reader.count("max_output_tokens");
  const auto legacy_max = reader.count("max_tokens");
  price.provider = reader.text("litellm_provider");
  price.mode = reader.text("mode");
  read_media_prices(reader, price);
  if (reader.error()) return *reader.error();
  if (auto tier_error = read_tiers(model, entry, price)) return *tier_error;
  if (!input && !output && !price.prices_media()) return std::optional<Price>{};
  price.input_per_token = input.value_or(0);
  price.output_per_token = output.value_or(0);
  // LiteLLM's legacy `max_tokens` means max output tokens where the provider publishes one.
  if (!price.max_output_tokens) price.max_output_tokens = legacy_max;
  return std::optional<Price>{std::move(price)};
}

std::string line_and_column(std::string_view text, std::size_t offset) {
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return std::to_string(line) + ":" + std::to_string(column);
}

PriceLoadError error(std::string what) { return PriceLoadError{"model price map: " + std::move(what)}; }

}  // namespace

std::variant<PriceTable, PriceLoadError> load_litellm_prices(std::string_view json_text) {
  json::stream_parser parser;
  boost::system::error_code ec;
  const std::size_t consumed = parser.write(json_text.data(), json_text.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec) {
    return error("invalid JSON at " + line_and_column(json_text, consumed) + ": " + ec.message());
  }
  const json::value root = parser.release();
  if (!root.is_object())
    return error("expected a JSON object of model name -> prices, got " + describe(root));

  PriceTable table;
  for (const auto& kv : root.get_object()) {
    const std::string_view model = kv.key();
    if (model == "sample_spec") continue;  // LiteLLM's field documentation, not a model
    if (!kv.value().is_object())
      return error("\"" + std::string(model) + "\": expected an object, got " + describe(kv.value()));
    auto entry = read_entry(model, kv.value().get_object());
    if (auto* failed = std::get_if<FieldError>(&entry)) return error(std::move(failed->message));
    if (auto& price = std::get<std::optional<Price>>(entry))
      table.insert_or_assign(std::string(model), std::move(*price));
  }
  if (table.empty()) return error("no model priced (per token, image, second, character or query)");
  return table;
}

}  // namespace llmux::pricing
