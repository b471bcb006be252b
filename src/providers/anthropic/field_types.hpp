#pragma once

// The JSON type each translated request field must have, checked before translation: a field of
// the wrong type is a 400 naming it, never silently dropped or forwarded for the upstream to choke
// on. Each direction words the error as its client's API does: OpenAI's "Invalid type for 'x'"
// (as api/request_view.cpp words it for the pass-through), or Anthropic's "x: Input should be …".

#include <boost/json/object.hpp>
#include <optional>
#include <span>
#include <string_view>

#include "providers/anthropic/translation_types.hpp"

namespace llmux::providers::anthropic {

enum class FieldType { integer, number, string, boolean, array, object, string_or_array, string_or_object };

struct FieldRule {
  std::string_view field;
  FieldType type;
};

enum class ErrorWording { openai, anthropic };

// The first top-level field of `request` (in `rules` order) that is present, not null, and not of
// its rule's type; nullopt when every one fits. Integers may be written as integral decimals
// (`10.0`), as both APIs accept.
std::optional<TranslationError> check_field_types(const boost::json::object& request,
                                                  std::span<const FieldRule> rules, ErrorWording wording);

// The fields of an OpenAI chat request the Anthropic translation reads (request_to_anthropic).
std::span<const FieldRule> openai_chat_field_rules();
// The fields of an Anthropic Messages request the gateway reads or forwards (request_from_anthropic).
std::span<const FieldRule> anthropic_messages_field_rules();

}  // namespace llmux::providers::anthropic
