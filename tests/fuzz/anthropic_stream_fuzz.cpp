// An Anthropic upstream's SSE stream -> OpenAI chat.completion.chunk frames, fed as
// AnthropicStream feeds it: SSE parsed from the bytes as they arrive, each event to the
// translator, finish() after message_stop. Whatever the upstream sends, the client gets whole
// frames of JSON.

#include <string>

#include "fuzz_input.hpp"
#include "net/sse_parser.hpp"
#include "providers/anthropic/stream_from_anthropic.hpp"
#include "sse_output_check.hpp"

namespace {

namespace anthropic = llmux::providers::anthropic;

void translate(const std::vector<std::string_view>& pieces, const anthropic::StreamOptions& options) {
  llmux::net::SseParser parser;
  anthropic::StreamFromAnthropic translator(options);
  std::string out;
  bool stopped = false, errored = false;
  for (const std::string_view piece : pieces) {
    parser.feed(piece, [&](const llmux::net::SseEventView& event) {
      if (stopped || errored) return;  // AnthropicStream stops reading at either
      if (event.event == "message_stop") stopped = true;
      if (event.event == "error") errored = true;
      translator.on_event(event.event, event.data, out);
    });
    if (stopped || errored) break;
  }
  if (stopped && !errored) translator.finish(out);
  llmux::fuzz::check_sse_output(out, llmux::fuzz::SseDialect::openai);
  const auto usage = translator.usage();
  (void)usage.total_tokens();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto pieces = llmux::fuzz::split_by_last_byte(llmux::fuzz::as_text(data, size));
  translate(pieces, {"gpt-4o", false, false, 1700000000});
  translate(pieces, {"", true, true, 1700000000});
  return 0;
}
