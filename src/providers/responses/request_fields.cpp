#include "providers/responses/request_fields.hpp"

#include <array>
#include <string>

#include "api/request_view.hpp"
#include "providers/anthropic/field_types.hpp"
#include "providers/anthropic/json_helpers.hpp"
#include "providers/responses/field_errors.hpp"

namespace llmux::providers::responses {

namespace json = boost::json;
using anthropic::FieldRule;
using anthropic::FieldType;

namespace {

// clang-format off
constexpr std::array<FieldRule, 28> kFieldTypes{{
    {"model", FieldType::string}, {"input", FieldType::string_or_array}, {"instructions", FieldType::string},
    {"tools", FieldType::array}, {"tool_choice", FieldType::string_or_object},
    {"parallel_tool_calls", FieldType::boolean}, {"text", FieldType::object},
    {"max_output_tokens", FieldType::integer}, {"temperature", FieldType::number}, {"top_p", FieldType::number},
    {"reasoning", FieldType::object}, {"user", FieldType::string}, {"metadata", FieldType::object},
    {"stream", FieldType::boolean}, {"store", FieldType::boolean}, {"include", FieldType::array},
    {"stream_options", FieldType::object}, {"service_tier", FieldType::string},
    {"safety_identifier", FieldType::string}, {"prompt_cache_key", FieldType::string},
    {"prompt_cache_retention", FieldType::string}, {"truncation", FieldType::string},
    {"background", FieldType::boolean}, {"previous_response_id", FieldType::string},
    {"max_tool_calls", FieldType::integer}, {"top_logprobs", FieldType::integer},
    {"conversation", FieldType::string_or_object}, {"prompt", FieldType::object},
}};
// clang-format on

bool is_known_field(std::string_view key) {
  for (const FieldRule& rule : kFieldTypes) {
    if (rule.field == key) return true;
  }
  return false;
}

// The value of `key` when present and not null.
const json::value* given(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && !v->is_null() ? v : nullptr;
}

std::optional<TranslationError> check_range(const json::object& request, std::string_view key, bool integer,
                                            std::optional<double> min, std::optional<double> max) {
  const json::value* v = given(request, key);
  if (!v) return std::nullopt;
  const double x = v->to_number<double>();
  if (min && x < *min) return out_of_range(key, *v, integer, false, *min);
  if (max && x > *max) return out_of_range(key, *v, integer, true, *max);
  return std::nullopt;
}

std::optional<TranslationError> check_enum(const json::object& o, std::string_view key, std::string_view param,
                                           std::initializer_list<std::string_view> supported) {
  const json::value* v = given(o, key);
  if (!v) return std::nullopt;
  if (!v->is_string()) return invalid_type(param, "a string", *v);
  if (!one_of(v->get_string(), supported)) return invalid_value(param, v->get_string(), supported);
  return std::nullopt;
}

// OpenAI's limits: at most 16 pairs, keys up to 64 characters, values strings up to 512.
std::optional<TranslationError> check_metadata(const json::object& request) {
  const json::value* v = given(request, "metadata");
  if (!v) return std::nullopt;
  const json::object& metadata = v->get_object();
  if (metadata.size() > 16) {
    return TranslationError{400,
                            "Invalid 'metadata': too many properties. Expected an object with at most 16 "
                            "properties, but got an object with " +
                                std::to_string(metadata.size()) + " properties instead.",
                            "metadata"};
  }
  for (const auto& [key, value] : metadata) {
    if (key.size() > 64) {
      return TranslationError{400,
                              "Invalid 'metadata': string too long. Expected a key with maximum length 64, but got "
                              "a key with length " +
                                  std::to_string(key.size()) + " instead.",
                              "metadata"};
    }
    const std::string param = "metadata." + std::string(key);
    if (!value.is_string()) return invalid_type(param, "a string", value);
    if (value.get_string().size() > 512) {
      return TranslationError{400,
                              "Invalid '" + param +
                                  "': string too long. Expected a string with maximum length 512, but got a string "
                                  "with length " +
                                  std::to_string(value.get_string().size()) + " instead.",
                              param};
    }
  }
  return std::nullopt;
}

std::optional<TranslationError> check_reasoning(const json::object& request) {
  const json::value* v = given(request, "reasoning");
  if (!v) return std::nullopt;
  const json::object& reasoning = v->get_object();
  if (auto e = check_enum(reasoning, "effort", "reasoning.effort",
                          {"none", "minimal", "low", "medium", "high", "xhigh"}))
    return e;
  for (std::string_view key : {"summary", "generate_summary"}) {
    const std::string param = "reasoning." + std::string(key);
    if (auto e = check_enum(reasoning, key, param, {"auto", "concise", "detailed"})) return e;
  }
  return std::nullopt;
}

// `include` asks for extra output data. Most of it belongs to built-in tools (refused anyway) or
// is harmless to grant by absence (`reasoning.encrypted_content`: a bridged reasoning item has
// none); output logprobs cannot be bridged.
std::optional<TranslationError> check_include(const json::object& request, std::vector<Blocker>& blockers) {
  const json::value* v = given(request, "include");
  if (!v) return std::nullopt;
  static const std::initializer_list<std::string_view> kIncludable = {
      "file_search_call.results",      "web_search_call.results",     "web_search_call.action.sources",
      "message.input_image.image_url", "computer_call_output.output.image_url", "code_interpreter_call.outputs",
      "reasoning.encrypted_content",   "message.output_text.logprobs"};
  const json::array& include = v->get_array();
  for (std::size_t i = 0; i < include.size(); ++i) {
    const std::string param = "include[" + std::to_string(i) + "]";
    if (!include[i].is_string()) return invalid_type(param, "a string", include[i]);
    const std::string_view value = include[i].get_string();
    if (!one_of(value, kIncludable)) return invalid_value(param, value, kIncludable);
    if (value == "message.output_text.logprobs") {
      blockers.push_back({param, "include 'message.output_text.logprobs' cannot be served through a chat "
                                 "completions deployment (the bridge returns no logprobs)"});
    }
  }
  return std::nullopt;
}

void collect_blockers(const json::object& request, std::vector<Blocker>& blockers) {
  for (const auto& [key, value] : request) {
    // LiteLLM's own controls (num_retries, fallbacks, mock_response, tags…) are the gateway's.
    if (is_known_field(key) || api::is_gateway_control_param(key)) continue;
    blockers.push_back({std::string(key), unknown_parameter(key).message});
  }
  if (const json::value* v = given(request, "background"); v && v->get_bool()) {
    blockers.push_back({"background", "background: true cannot be served by a chat completions deployment "
                                      "(there is no background mode to run it in)"});
  }
  if (given(request, "conversation")) {
    blockers.push_back({"conversation", "conversation needs server-side conversation state, which a chat "
                                        "completions deployment does not keep"});
  }
  if (given(request, "prompt")) {
    blockers.push_back({"prompt", "prompt templates live on OpenAI's side; a chat completions deployment "
                                  "cannot expand them"});
  }
  if (const json::value* v = given(request, "truncation"); v && v->get_string() == "auto") {
    blockers.push_back({"truncation", "truncation: 'auto' cannot be served by a chat completions deployment "
                                      "(it does not drop input items to fit its context window)"});
  }
  if (given(request, "max_tool_calls")) {
    blockers.push_back({"max_tool_calls", "max_tool_calls cannot be enforced through a chat completions "
                                          "deployment"});
  }
  if (const json::value* v = given(request, "top_logprobs"); v && v->to_number<double>() > 0) {
    blockers.push_back({"top_logprobs", "top_logprobs cannot be served through a chat completions deployment "
                                        "(the bridge returns no logprobs)"});
  }
}

}  // namespace

std::optional<TranslationError> check_request_fields(const json::object& request, std::vector<Blocker>& blockers) {
  const json::value* model = request.if_contains("model");
  if (!model || model->is_null()) return missing_parameter("model");
  if (auto wrong = anthropic::check_field_types(request, kFieldTypes, anthropic::ErrorWording::openai)) return wrong;
  if (auto e = check_range(request, "temperature", false, 0.0, 2.0)) return e;
  if (auto e = check_range(request, "top_p", false, 0.0, 1.0)) return e;
  // OpenAI's own minimum: fewer tokens than this cannot hold a useful answer.
  if (auto e = check_range(request, "max_output_tokens", true, 16.0, std::nullopt)) return e;
  if (auto e = check_range(request, "top_logprobs", true, 0.0, 20.0)) return e;
  if (auto e = check_range(request, "max_tool_calls", true, 1.0, std::nullopt)) return e;
  if (auto e = check_enum(request, "truncation", "truncation", {"auto", "disabled"})) return e;
  if (auto e = check_enum(request, "service_tier", "service_tier", {"auto", "default", "flex", "scale", "priority"}))
    return e;
  if (auto e = check_enum(request, "prompt_cache_retention", "prompt_cache_retention", {"in_memory", "24h"}))
    return e;
  if (const json::value* id = given(request, "safety_identifier"); id && id->get_string().size() > 64) {
    return TranslationError{400,
                            "Invalid 'safety_identifier': string too long. Expected a string with maximum length "
                            "64, but got a string with length " +
                                std::to_string(id->get_string().size()) + " instead.",
                            "safety_identifier"};
  }
  if (auto e = check_metadata(request)) return e;
  if (auto e = check_reasoning(request)) return e;
  if (auto e = check_include(request, blockers)) return e;
  collect_blockers(request, blockers);
  return std::nullopt;
}

}  // namespace llmux::providers::responses
