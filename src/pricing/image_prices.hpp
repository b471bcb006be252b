#pragma once

// Image prices as LiteLLM keys them: per quality and size ("hd/1024-x-1792/dall-e-3",
// "medium/1024-x-1024/gpt-image-1", "256-x-256/dall-e-2"), priced per image
// (`input_cost_per_image`) or per pixel (`input_cost_per_pixel` × width × height, LiteLLM's
// older dall-e entries), before the model's own entry.

#include <string_view>

#include "pricing/price_book.hpp"

namespace llmux::pricing {

struct ImageVariant {
  std::string_view size;     // "1024x1024"; empty or "auto": 1024x1024
  std::string_view quality;  // "hd", "low", …; empty or "auto": "standard", then "medium"
};

// The entry for this variant with `per_image` set (from its per-pixel price when it has only
// that), else the model's own entry (for_deployment) with the same treatment.
PriceLookup image_price(const PriceBook& book, const config::Deployment& deployment, std::string_view upstream_model,
                        ImageVariant variant);

}  // namespace llmux::pricing
