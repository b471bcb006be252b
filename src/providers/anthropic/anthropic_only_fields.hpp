#pragma once

// Inbound `/v1/messages`: the top-level fields of newer Anthropic APIs and betas that a
// translation to an OpenAI-compatible deployment cannot honour. Most imply state Anthropic holds
// for the client (a thread, a container, an MCP connection, a token it issued); dropping them
// would let the client believe that state exists. Such a request can only be served by an
// Anthropic deployment, which gets the body as-is. The fields a translation can ignore without
// misleading the client (a capacity or speed hint, cache hints) are listed in
// docs/compatibility.md, with the ones mapped (request_from_anthropic, structured_output).

#include <boost/json/object.hpp>
#include <optional>

#include "providers/anthropic/translation_types.hpp"

namespace llmux::providers::anthropic {

// The first such field present and not null (nor an empty list), as a 400 naming it (`param`).
std::optional<TranslationError> anthropic_only_field(const boost::json::object& request);

}  // namespace llmux::providers::anthropic
