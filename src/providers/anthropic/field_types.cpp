#include "providers/anthropic/field_types.hpp"

#include <array>
#include <string>

#include "providers/anthropic/json_helpers.hpp"

namespace llmux::providers::anthropic {

namespace json = boost::json;

namespace {

bool fits(const json::value& v, FieldType type) {
  switch (type) {
    case FieldType::integer: return as_int(v).has_value();
    case FieldType::number: return v.is_number();
    case FieldType::string: return v.is_string();
    case FieldType::boolean: return v.is_bool();
    case FieldType::array: return v.is_array();
    case FieldType::object: return v.is_object();
    case FieldType::string_or_array: return v.is_string() || v.is_array();
    case FieldType::string_or_object: return v.is_string() || v.is_object();
  }
  return false;
}

// OpenAI's names, as request_view.cpp's json_kind gives them.
std::string_view openai_kind(const json::value& v) {
  if (v.is_string()) return "a string";
  if (v.is_bool()) return "a boolean";
  if (v.is_array()) return "an array";
  if (v.is_object()) return "an object";
  if (v.is_int64() || v.is_uint64()) return "an integer";
  return "a decimal number";
}

std::string_view openai_expected(FieldType type) {
  switch (type) {
    case FieldType::integer: return "an integer";
    case FieldType::number: return "a decimal number";
    case FieldType::string: return "a string";
    case FieldType::boolean: return "a boolean";
    case FieldType::array: return "an array";
    case FieldType::object: return "an object";
    case FieldType::string_or_array: return "a string or an array";
    case FieldType::string_or_object: return "a string or an object";
  }
  return "another type";
}

// Anthropic's (pydantic's) names.
std::string_view anthropic_expected(FieldType type) {
  switch (type) {
    case FieldType::integer: return "a valid integer";
    case FieldType::number: return "a valid number";
    case FieldType::string: return "a valid string";
    case FieldType::boolean: return "a valid boolean";
    case FieldType::array: return "a valid list";
    case FieldType::object: return "a valid dictionary";
    case FieldType::string_or_array: return "a valid string or a list of blocks";
    case FieldType::string_or_object: return "a valid string or a dictionary";
  }
  return "of another type";
}

TranslationError type_error(std::string_view field, FieldType type, const json::value& v, ErrorWording wording) {
  std::string message;
  if (wording == ErrorWording::openai) {
    message.append("Invalid type for '").append(field).append("': expected ").append(openai_expected(type));
    message.append(", but got ").append(openai_kind(v)).append(" instead.");
  } else {
    message.append(field).append(": Input should be ").append(anthropic_expected(type));
  }
  return TranslationError{400, std::move(message), std::string(field)};
}

// clang-format off
constexpr std::array<FieldRule, 11> kOpenAiChat{{
    {"max_tokens", FieldType::integer}, {"max_completion_tokens", FieldType::integer},
    {"temperature", FieldType::number}, {"top_p", FieldType::number}, {"top_k", FieldType::integer},
    {"tools", FieldType::array}, {"tool_choice", FieldType::string_or_object},
    {"parallel_tool_calls", FieldType::boolean}, {"thinking", FieldType::object},
    {"reasoning_effort", FieldType::string}, {"response_format", FieldType::object},
}};

constexpr std::array<FieldRule, 13> kAnthropicMessages{{
    {"messages", FieldType::array}, {"max_tokens", FieldType::integer}, {"system", FieldType::string_or_array},
    {"stop_sequences", FieldType::array}, {"stream", FieldType::boolean}, {"temperature", FieldType::number},
    {"top_p", FieldType::number}, {"top_k", FieldType::integer}, {"tools", FieldType::array},
    {"tool_choice", FieldType::object}, {"metadata", FieldType::object}, {"thinking", FieldType::object},
    {"service_tier", FieldType::string},
}};
// clang-format on

}  // namespace

std::optional<TranslationError> check_field_types(const json::object& request, std::span<const FieldRule> rules,
                                                  ErrorWording wording) {
  for (const FieldRule& rule : rules) {
    const json::value* v = request.if_contains(rule.field);
    if (!v || v->is_null() || fits(*v, rule.type)) continue;
    return type_error(rule.field, rule.type, *v, wording);
  }
  return std::nullopt;
}

std::span<const FieldRule> openai_chat_field_rules() { return kOpenAiChat; }
std::span<const FieldRule> anthropic_messages_field_rules() { return kAnthropicMessages; }

}  // namespace llmux::providers::anthropic
