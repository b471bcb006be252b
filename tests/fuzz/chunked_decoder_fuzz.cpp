// The upstream response's chunked-body decoder, fed as UpstreamConnection feeds it: decoding in
// place in the read buffer, the unconsumed rest (a partial line) kept for the next read. However
// the bytes are split, it must hand out the same body and end in the same state as when they
// arrive in one read.

#include <string>

#include "fuzz_input.hpp"
#include "net/chunked_decoder.hpp"

namespace {

using llmux::fuzz::require;

struct Decoded {
  std::string body;
  bool done = false;
  bool failed = false;
};

Decoded decode(const std::vector<std::string_view>& pieces) {
  llmux::net::ChunkedDecoder decoder;
  Decoded out;
  std::string buffer;
  for (const std::string_view piece : pieces) {
    buffer.append(piece);
    const auto step = decoder.decode(buffer.data(), buffer.size());
    require(step.consumed <= buffer.size());
    if (!step.data.empty()) {
      require(step.data.data() >= buffer.data() && step.data.data() + step.data.size() <= buffer.data() + step.consumed);
    }
    out.body.append(step.data);
    buffer.erase(0, step.consumed);
    if (decoder.done() || decoder.failed()) break;
  }
  out.done = decoder.done();
  out.failed = decoder.failed();
  require(out.failed == !decoder.error().empty());
  require(!(out.done && out.failed));
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = llmux::fuzz::as_text(data, size);
  const Decoded whole = decode({text});
  const Decoded split = decode(llmux::fuzz::split_by_last_byte(text));
  // The split feed stops early only where the whole one saw the end of the input too.
  require(whole.done == split.done && whole.failed == split.failed);
  require(whole.body == split.body);
  return 0;
}
