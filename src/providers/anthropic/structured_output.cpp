#include "providers/anthropic/structured_output.hpp"

#include <string>
#include <string_view>

#include "providers/anthropic/json_helpers.hpp"

namespace llmux::providers::anthropic {

namespace json = boost::json;

namespace {

TranslationError bad(std::string field, std::string_view expected) {
  std::string message = field + ": Input should be " + std::string(expected);
  return {400, std::move(message), std::move(field)};
}

// `format` (at `where`) checked and mapped.
std::variant<json::object, TranslationError> mapped(const json::value& format, const std::string& where) {
  const json::object* f = format.if_object();
  if (!f) return bad(where, "a valid dictionary");
  const json::value* type = f->if_contains("type");
  if (!type || !type->is_string() || type->get_string() != "json_schema") return bad(where + ".type", "'json_schema'");
  const json::value* schema = f->if_contains("schema");
  if (!schema || !schema->is_object()) return bad(where + ".schema", "a valid dictionary");
  return json::object{
      {"type", "json_schema"},
      {"json_schema", json::object{{"name", "structured_output"}, {"schema", *schema}, {"strict", true}}}};
}

}  // namespace

std::variant<NoStructuredOutput, json::object, TranslationError> response_format_from_anthropic(
    const json::object& request) {
  const json::value* legacy = request.if_contains("output_format");
  if (legacy && legacy->is_null()) legacy = nullptr;
  const json::value* format = nullptr;
  if (const json::value* config = request.if_contains("output_config"); config && !config->is_null()) {
    if (!config->is_object()) return bad("output_config", "a valid dictionary");
    format = config->get_object().if_contains("format");
    if (format && format->is_null()) format = nullptr;
  }
  if (legacy && format) {
    return TranslationError{400,
                            "Both output_format and output_config.format were provided. Please use only "
                            "output_config.format (output_format is deprecated).",
                            "output_format"};
  }
  if (!legacy && !format) return NoStructuredOutput{};
  auto result = legacy ? mapped(*legacy, "output_format") : mapped(*format, "output_config.format");
  if (auto* error = std::get_if<TranslationError>(&result)) return std::move(*error);
  return std::move(std::get<json::object>(result));
}

}  // namespace llmux::providers::anthropic
