#include "providers/anthropic/mapping.hpp"

#include "providers/anthropic/json_helpers.hpp"

namespace llmux::providers::anthropic {

namespace json = boost::json;

std::string_view finish_reason_from_stop_reason(std::string_view stop_reason) {
  if (stop_reason == "max_tokens" || stop_reason == "model_context_window_exceeded") return "length";
  if (stop_reason == "tool_use") return "tool_calls";
  // LiteLLM passes `refusal` through unchanged; OpenAI clients only know content_filter.
  if (stop_reason == "refusal" || stop_reason == "content_filtered") return "content_filter";
  // end_turn, stop_sequence, pause_turn and anything new: typed OpenAI clients reject
  // unknown finish reasons, so "stop" is the safe reading.
  return "stop";
}

std::string_view stop_reason_from_finish_reason(std::string_view finish_reason) {
  if (finish_reason == "length") return "max_tokens";
  if (finish_reason == "tool_calls" || finish_reason == "function_call") return "tool_use";
  return "end_turn";
}

namespace {

// A token count from an upstream: a negative one would be a refund, so it counts as none.
std::optional<std::int64_t> token_count(const json::object& usage, std::string_view key) {
  auto v = int_member(usage, key);
  if (v && *v < 0) return 0;
  return v;
}

}  // namespace

void merge_anthropic_usage(Usage& into, const json::object& usage) {
  if (auto v = token_count(usage, "input_tokens")) into.input_tokens = *v;
  if (auto v = token_count(usage, "output_tokens")) into.output_tokens = *v;
  if (auto v = token_count(usage, "cache_read_input_tokens")) into.cache_read_input_tokens = *v;
  if (auto v = token_count(usage, "cache_creation_input_tokens")) into.cache_creation_input_tokens = *v;
}

Usage usage_from_openai(const json::object& usage) {
  Usage u;
  std::int64_t prompt = token_count(usage, "prompt_tokens").value_or(0);
  u.output_tokens = token_count(usage, "completion_tokens").value_or(0);
  if (const json::object* details = object_member(usage, "prompt_tokens_details")) {
    u.cache_read_input_tokens = token_count(*details, "cached_tokens").value_or(0);
  }
  // LiteLLM-style upstreams (another gateway) report cache writes at the top level.
  u.cache_creation_input_tokens = token_count(usage, "cache_creation_input_tokens").value_or(0);
  // All three are >= 0, so neither subtraction can overflow.
  u.input_tokens = prompt - u.cache_read_input_tokens - u.cache_creation_input_tokens;
  if (u.input_tokens < 0) u.input_tokens = 0;
  return u;
}

json::object openai_usage_json(const Usage& usage) {
  json::object o;
  o["prompt_tokens"] = usage.prompt_tokens();
  o["completion_tokens"] = usage.completion_tokens();
  o["total_tokens"] = usage.total_tokens();
  o["prompt_tokens_details"] = json::object{{"cached_tokens", usage.cache_read_input_tokens}};
  // Kept at the top level as LiteLLM does, so spend tracking can price cache writes/reads.
  o["cache_creation_input_tokens"] = usage.cache_creation_input_tokens;
  o["cache_read_input_tokens"] = usage.cache_read_input_tokens;
  return o;
}

json::object anthropic_usage_json(const Usage& usage) {
  json::object o;
  o["input_tokens"] = usage.input_tokens;
  o["output_tokens"] = usage.output_tokens;
  o["cache_creation_input_tokens"] = usage.cache_creation_input_tokens;
  o["cache_read_input_tokens"] = usage.cache_read_input_tokens;
  return o;
}

}  // namespace llmux::providers::anthropic
