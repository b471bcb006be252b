#pragma once

// One step of re-telling an OpenAI chat chunk stream in another client format (Anthropic events
// for /v1/messages, Responses events for /v1/responses): the piece's SSE events go through the
// translator, an upstream failure becomes the translator's own error event, and a stream that ends
// cleanly without [DONE] is finished as if it had sent one. The piece then holds the re-told bytes.
// A translator has on_done(out), on_error(message, out), failed() and finished(); `on_chunk(data,
// out)` feeds it one chunk's JSON.

#include <string>
#include <vector>

#include "net/sse_parser.hpp"
#include "providers/provider.hpp"

namespace llmux::gateway {

template <class Translator, class OnChunk>
void retell_chat_piece(providers::StreamPiece& piece, net::SseParser& parser, std::vector<net::SseEvent>& events,
                       Translator& translator, OnChunk&& on_chunk) {
  std::string out;
  events.clear();
  parser.feed(piece.bytes, events);
  for (const auto& event : events) {
    if (event.data == "[DONE]") {
      translator.on_done(out);
    } else if (!event.data.empty()) {
      on_chunk(event.data, out);
    }
  }
  if (piece.failure && !translator.failed()) {
    translator.on_error(piece.failure->message, out);
    piece.failure_framed = true;
  } else if (piece.finished && !piece.failure && !translator.finished()) {
    translator.on_done(out);  // a clean end without [DONE]
  }
  piece.bytes = std::move(out);
}

}  // namespace llmux::gateway
