#pragma once

#include "pricing/price_table.hpp"

namespace llmux::pricing {

// Adds the built-in media model prices (price_table_media.cpp) to `table`.
void add_media_prices(PriceTable& table);

}  // namespace llmux::pricing
