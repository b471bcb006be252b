#pragma once

// A deployment's request presets (config::RequestPresets, written in OpenAI's names) on the two
// Anthropic paths: filled into an OpenAI request before it is translated, or mapped to Anthropic's
// names for an Anthropic client's own body.

#include <boost/json/object.hpp>
#include <string>
#include <utility>
#include <vector>

#include "config/config.hpp"

namespace llmux::providers::anthropic {

// OpenAI client -> Anthropic deployment: every preset the request lacks is added (the request's own
// value wins; max_tokens and max_completion_tokens count as one), and additional_drop_params are
// removed, before to_anthropic_request maps them like the request's own (`stop` -> stop_sequences…).
void fill_presets(boost::json::object& openai_request, const config::RequestPresets& presets);

// Anthropic client -> Anthropic deployment: the presets in Anthropic's names, as top-level members
// to add when the client's body has none of that name (key, JSON text). max_tokens /
// max_completion_tokens -> max_tokens, stop -> stop_sequences (a list), user -> metadata.user_id;
// temperature, top_p, top_k, extra_body members and provider-specific keys as they are. Presets with
// no Anthropic Messages equivalent (seed, n, logit_bias, response_format, tools…) are left out: only
// the OpenAI-shaped paths can translate or refuse them (docs/compatibility.md).
std::vector<std::pair<std::string, std::string>> native_presets(const config::RequestPresets& presets);

}  // namespace llmux::providers::anthropic
