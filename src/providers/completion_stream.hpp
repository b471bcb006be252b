#pragma once

// A chat chunk stream re-told as text_completion chunks (text_completion_bridge.hpp), for legacy
// /v1/completions served by a chat-only deployment.

#include <memory>

#include "providers/provider.hpp"

namespace llmux::providers {

std::unique_ptr<StreamSource> as_completion_stream(std::unique_ptr<StreamSource> chat_stream);

}  // namespace llmux::providers
