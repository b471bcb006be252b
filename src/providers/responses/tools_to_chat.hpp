#pragma once

// Responses `tools`, `tool_choice`, `parallel_tool_calls` and `text` -> their chat completions
// equivalents, each checked as OpenAI checks it. Function tools map across; built-in tools
// (web_search, file_search, code_interpreter, computer_use_preview, image_generation, mcp, shell,
// custom…) run on OpenAI's side only: each is a blocker naming it, never a silent drop.

#include <boost/json/object.hpp>
#include <optional>
#include <vector>

#include "providers/responses/bridge_types.hpp"

namespace llmux::providers::responses {

// Adds `tools`, `tool_choice`, `parallel_tool_calls` to `chat` and their echoes to `echo`.
std::optional<TranslationError> translate_tools(const boost::json::object& request, boost::json::object& chat,
                                                boost::json::object& echo, std::vector<Blocker>& blockers);

// `text.format` -> `response_format` (json_schema, json_object; text needs nothing), `text.verbosity`
// -> `verbosity`; `echo.text` as OpenAI repeats it.
std::optional<TranslationError> translate_text(const boost::json::object& request, boost::json::object& chat,
                                               boost::json::object& echo);

}  // namespace llmux::providers::responses
