#pragma once

// The top-level fields of a Responses API request: their types, ranges and values checked as
// OpenAI checks them (a 400 in OpenAI's wording), and the fields a chat deployment cannot honour
// (`background`, `conversation`, `prompt`, `truncation: "auto"`, unknown parameters…) collected as
// blockers. Items, tools and `text` are checked where they are translated.

#include <boost/json/object.hpp>
#include <optional>
#include <vector>

#include "providers/responses/bridge_types.hpp"

namespace llmux::providers::responses {

std::optional<TranslationError> check_request_fields(const boost::json::object& request,
                                                     std::vector<Blocker>& blockers);

}  // namespace llmux::providers::responses
