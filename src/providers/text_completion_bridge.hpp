#pragma once

// Legacy /v1/completions on a chat-only deployment (Anthropic), as LiteLLM's text_completion()
// does it: the prompt becomes one user message, the chat request goes to the deployment, and the
// chat answer comes back as a `text_completion` — whole, or chunk by chunk as it streams. Pure
// translations: JSON in, JSON (or SSE) out.
//
// Differences from LiteLLM: a list of several prompts is refused (LiteLLM makes each one a user
// message of ONE conversation, answering one choice where OpenAI answers one per prompt), and so
// are token-id prompts (LiteLLM raises for them too, less clearly). `echo`, `suffix` and
// `best_of` > 1 cannot be honoured by a chat model: refused, or dropped under drop_params.

#include <boost/json/object.hpp>

#include <string>
#include <string_view>
#include <variant>

#include "net/sse_parser.hpp"

namespace llmux::providers {

struct BridgeError {
  std::string message;
  std::string param;
};

// The chat request for a completions request: `prompt` → `messages: [{role: user, content}]`,
// the completion-only parameters checked and removed, everything else as it was.
std::variant<boost::json::object, BridgeError> chat_request_from_completion(const boost::json::object& completion,
                                                                           bool drop_params);

// A chat.completion → text_completion: each choice's message content as `text`, `logprobs` null,
// finish_reason mapped into the completions API's (tool_calls → stop), id/created/model/usage kept.
std::variant<std::string, BridgeError> completion_from_chat(std::string_view chat_completion_json);

// chat.completion.chunk events → text_completion chunks (sans-I/O): content deltas become `text`,
// role-only and empty deltas are not sent, usage chunks and [DONE] pass, error frames pass as is.
class ChatChunksToCompletion {
 public:
  void feed(std::string_view sse_bytes, std::string& out);
  bool overflowed() const { return parser_.failed(); }

 private:
  void on_data(std::string_view data, std::string& out);

  net::SseParser parser_;
};

}  // namespace llmux::providers
