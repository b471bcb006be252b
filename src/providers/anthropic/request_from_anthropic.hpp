#pragma once

// Inbound `/v1/messages` in front of an OpenAI-compatible deployment: Anthropic Messages
// request -> OpenAI chat request (LiteLLM's translate_anthropic_to_openai).

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <variant>

#include "providers/anthropic/translation_types.hpp"

namespace llmux::providers::anthropic {

struct OpenAiTranslation {
  std::string body;  // the OpenAI chat request
  // Set when the request uses what only Anthropic can serve (a server tool, a `file_id` source,
  // a server-held thread, …; anthropic_only_fields.hpp): the 400 an OpenAI-compatible deployment
  // would get. `body` then leaves those parts out and is fit for routing and budgets only.
  std::optional<TranslationError> needs_anthropic;
};

// A TranslationError for a request no deployment could take (missing or mistyped fields).
std::variant<OpenAiTranslation, TranslationError> to_openai_request(const boost::json::object& anthropic_request,
                                                                   std::string upstream_model);

}  // namespace llmux::providers::anthropic
