#pragma once

// LiteLLM config keys that llmux recognises but does not act on yet. They earn a softer
// warning than a key nobody knows, so a user can tell a typo from a missing feature.

#include <string_view>

#include "config/parse_context.hpp"

namespace llmux::config::detail {

bool is_known_not_implemented(Section section, std::string_view key);

// For a known-not-implemented key a user may rely on for money or security: what does NOT happen
// because llmux ignores it ("this deployment's spend is NOT capped"); "" for the others.
std::string_view unhonoured_consequence(Section section, std::string_view key);

// OpenAI request parameters that LiteLLM lets a deployment preset in litellm_params
// (`temperature: 0.2`) and sends upstream with every call: presets, written without a warning.
bool is_request_param(std::string_view key);

// A LiteLLM request control or internal call argument (metadata, caching, fallbacks, litellm_*…):
// never sent upstream as a preset.
bool is_gateway_only_param(std::string_view key);

}  // namespace llmux::config::detail
