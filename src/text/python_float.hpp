#pragma once

// Python's repr(float), which LiteLLM's wording and ids print numbers with: both the config
// loader (deployment ids) and tenancy (budget messages, the cost header) need it byte for byte.

#include <string>

namespace llmux::text {

// repr(float) for a double: shortest round-trip digits, "1.0", "0.0001", "1e-05", "1e+16".
std::string python_float_repr(double value);

}  // namespace llmux::text
