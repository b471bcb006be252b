// Inbound /v1/messages served by an OpenAI-compatible deployment: the upstream's chunk stream ->
// Anthropic events, fed as OpenAiToAnthropicStream feeds it (SSE parsed as bytes arrive, [DONE]
// or a clean end closes the message). Whatever the upstream sends, the client gets whole events
// of JSON whose type is the event's name.

#include <string>
#include <vector>

#include "fuzz_input.hpp"
#include "net/sse_parser.hpp"
#include "providers/anthropic/stream_to_anthropic.hpp"
#include "sse_output_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto pieces = llmux::fuzz::split_by_last_byte(llmux::fuzz::as_text(data, size));
  llmux::net::SseParser parser;
  llmux::providers::anthropic::StreamToAnthropic translator("claude-3-5-sonnet");
  std::vector<llmux::net::SseEvent> events;
  std::string out;
  for (const std::string_view piece : pieces) {
    events.clear();
    parser.feed(piece, events);
    for (const auto& event : events) {
      if (event.data == "[DONE]") {
        translator.on_done(out);
      } else if (!event.data.empty()) {
        translator.on_openai_chunk(event.data, out);
      }
    }
  }
  // The upstream's last byte came with its size odd or even: a cut-off stream, or a clean end.
  if (size % 2 == 1 && !translator.failed()) {
    translator.on_error("upstream stream ended before [DONE]", out);
  } else if (!translator.finished()) {
    translator.on_done(out);
  }
  llmux::fuzz::check_sse_output(out, llmux::fuzz::SseDialect::anthropic);
  return 0;
}
