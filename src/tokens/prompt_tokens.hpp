#pragma once

// A request's prompt tokens, counted the way LiteLLM's token_counter counts them (reference §2.8),
// from the raw JSON of the OpenAI-shaped body (an Anthropic request is counted after its
// translation), without building a DOM: the pre-call context check runs it once per request, and
// only when router_settings.enable_pre_call_checks is on.
//
//   per message 3, plus every string member (role, content, name — 1 more —, tool_call_id…);
//   multi-part content: its text parts; an image 85 (detail low/auto, LiteLLM's figure) or 1,445
//   (detail high: the most a high-detail image can cost, as the image is not fetched);
//   tool calls: their arguments; 3 for the reply's primer; tools: their definitions as OpenAI
//   renders them to the model (TypeScript-like, LiteLLM's _format_function_definitions) plus 9,
//   4 fewer with a system message; tool_choice "none" 1, a named one 7 plus its name.
//   `prompt` / `input` (completions, embeddings): a string's tokens, or one per token id.
// Text is estimated (tokens/text_tokens.hpp), and the total carries a margin of 2% + 1, so the
// count leans toward "too big". The JSON is the reader's, already validated: what is not the
// expected shape is not counted.

#include <cstdint>
#include <string_view>

namespace llmux::tokens {

// Raw JSON values of the body's top-level members; empty when absent.
struct PromptJson {
  std::string_view messages, tools, functions, tool_choice, prompt, input;
};

std::int64_t prompt_tokens(const PromptJson& request);

// The TypeScript-like text OpenAI shows the model for `tools` (exposed for tests).
void append_function_definitions(std::string& out, std::string_view tools_json);

}  // namespace llmux::tokens
