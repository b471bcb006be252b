#include "providers/anthropic/presets_for_anthropic.hpp"

#include <algorithm>
#include <array>
#include <boost/json/serialize.hpp>
#include <string_view>

#include "providers/anthropic/json_helpers.hpp"

namespace llmux::providers::anthropic {

namespace json = boost::json;

namespace {

// OpenAI request keys that to_anthropic_request translates into something else or refuses: on an
// Anthropic client's own body they have no meaning.
constexpr std::array<std::string_view, 23> kOpenAiOnly = {
    "logit_bias", "logprobs", "top_logprobs", "presence_penalty", "frequency_penalty", "seed", "n", "audio",
    "modalities", "prediction", "service_tier", "store", "web_search_options", "functions", "function_call",
    "verbosity", "prompt_cache_key", "safety_identifier", "response_format", "reasoning_effort", "tools",
    "tool_choice", "parallel_tool_calls"};

bool is_output_limit(std::string_view key) { return key == "max_tokens" || key == "max_completion_tokens"; }

}  // namespace

void fill_presets(json::object& request, const config::RequestPresets& presets) {
  for (const std::string& key : presets.drop) request.erase(key);
  for (const auto& [key, value_json] : presets.body) {
    if (request.contains(key)) continue;
    if (is_output_limit(key) && (request.contains("max_tokens") || request.contains("max_completion_tokens"))) {
      continue;
    }
    if (auto value = parse_json(value_json)) request[key] = std::move(*value);  // valid JSON since load
  }
}

std::vector<std::pair<std::string, std::string>> native_presets(const config::RequestPresets& presets) {
  std::vector<std::pair<std::string, std::string>> out;
  const auto add = [&](std::string key, std::string value) {
    const bool taken = std::any_of(out.begin(), out.end(), [&](const auto& m) { return m.first == key; });
    if (!taken) out.emplace_back(std::move(key), std::move(value));
  };
  for (const auto& [key, value_json] : presets.body) {
    if (key == "max_completion_tokens") {
      add("max_tokens", value_json);
    } else if (key == "stop") {
      auto value = parse_json(value_json);
      if (value && value->is_string()) {
        add("stop_sequences", json::serialize(json::array{*value}));
      } else if (value && value->is_array()) {
        add("stop_sequences", value_json);
      }
    } else if (key == "user") {
      auto value = parse_json(value_json);
      if (value && value->is_string()) add("metadata", json::serialize(json::object{{"user_id", *value}}));
    } else if (std::find(kOpenAiOnly.begin(), kOpenAiOnly.end(), key) == kOpenAiOnly.end()) {
      add(key, value_json);
    }
  }
  return out;
}

}  // namespace llmux::providers::anthropic
