#include "pricing/image_prices.hpp"

#include <charconv>
#include <string>

namespace llmux::pricing {
namespace {

struct Size {
  std::int64_t width = 1024;
  std::int64_t height = 1024;
};

// "1792x1024" → 1792 × 1024; anything else (auto, junk, absurd) is OpenAI's default square.
Size parse_size(std::string_view text) {
  const auto x = text.find('x');
  if (x == std::string_view::npos) return {};
  Size size;
  const auto read = [](std::string_view digits, std::int64_t& out) {
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
    return ec == std::errc{} && end == digits.data() + digits.size() && out > 0 && out <= 16384;
  };
  if (!read(text.substr(0, x), size.width) || !read(text.substr(x + 1), size.height)) return {};
  return size;
}

PriceLookup with_image_price(PriceLookup found, Size size) {
  Price& price = found.price;
  if (!price.per_image && price.per_pixel) {
    price.per_image = *price.per_pixel * static_cast<double>(size.width) * static_cast<double>(size.height);
  }
  return found;
}

}  // namespace

PriceLookup image_price(const PriceBook& book, const config::Deployment& deployment, std::string_view upstream_model,
                        ImageVariant variant) {
  const std::string_view model = upstream_model.empty() ? std::string_view(deployment.upstream_model) : upstream_model;
  const Size size = parse_size(variant.size);
  const std::string dashed = std::to_string(size.width) + "-x-" + std::to_string(size.height);
  const bool quality_given = !variant.quality.empty() && variant.quality != "auto";
  std::string qualities[2] = {quality_given ? std::string(variant.quality) : "standard", quality_given ? "" : "medium"};
  const PriceOverrides overrides = overrides_from(deployment.model_info);
  for (const std::string& quality : qualities) {
    if (quality.empty()) continue;
    const PriceLookup found = book.find(deployment.provider, quality + "/" + dashed + "/" + std::string(model));
    if (found.known) return with_image_price(apply_overrides(found, overrides), size);
  }
  const PriceLookup sized = book.find(deployment.provider, dashed + "/" + std::string(model));
  if (sized.known) return with_image_price(apply_overrides(sized, overrides), size);
  return with_image_price(book.for_deployment(deployment, upstream_model), size);
}

}  // namespace llmux::pricing
