// The upstream SSE parser, fed as the stream adapters feed it: bytes as each read brings them.
// Events must not depend on where the bytes were split; a parser with a small pending-bytes limit
// (the failure path) must stop cleanly.

#include <string>
#include <vector>

#include "fuzz_input.hpp"
#include "net/sse_parser.hpp"

namespace {

using llmux::fuzz::require;

struct Parsed {
  std::vector<llmux::net::SseEvent> events;
  bool partial = false;
};

Parsed parse(const std::vector<std::string_view>& pieces) {
  llmux::net::SseParser parser;
  Parsed out;
  for (const std::string_view piece : pieces) {
    // Views handed to the callback must stay readable through the call: copy them out.
    parser.feed(piece, [&](const llmux::net::SseEventView& event) {
      require(!event.one_line || event.data.find_first_of("\r\n") == std::string_view::npos);
      out.events.push_back({std::string(event.event), std::string(event.data), std::string(event.id)});
    });
  }
  require(!parser.failed());  // the default limit is far above -max_len
  out.partial = parser.has_partial();
  return out;
}

bool same(const llmux::net::SseEvent& a, const llmux::net::SseEvent& b) {
  return a.event == b.event && a.data == b.data && a.id == b.id;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = llmux::fuzz::as_text(data, size);
  const auto pieces = llmux::fuzz::split_by_last_byte(text);
  const Parsed whole = parse({text});
  const Parsed split = parse(pieces);
  require(whole.partial == split.partial);
  require(whole.events.size() == split.events.size());
  for (std::size_t i = 0; i < whole.events.size(); ++i) require(same(whole.events[i], split.events[i]));

  // The owned-copy overload, and the pending-bytes limit.
  llmux::net::SseParser small(64);
  std::vector<llmux::net::SseEvent> events;
  for (const std::string_view piece : pieces) small.feed(piece, events);
  if (!small.failed()) require(events.size() == whole.events.size());
  return 0;
}
