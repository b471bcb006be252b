#pragma once

// The chunked transfer coding of an HTTP/1.1 response body (RFC 9112 section 7.1), decoded in
// place, sans I/O. Beast's parser did this through a virtual callback per chunk and re-parsed a
// partial chunk header on every put(); a stream of small chunks spent more instructions there than
// on anything it does with the events. This one finds each line end with memchr, skips chunk data
// by its declared size without reading it, and moves the data of several chunks together so that
// what one read brought leaves as one contiguous piece.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace llmux::net {

class ChunkedDecoder {
 public:
  // A size or trailer line longer than this is not HTTP we will parse.
  static constexpr std::size_t kMaxLineBytes = 4096;
  // Trailer fields are read past and dropped; this bounds how many bytes of them.
  static constexpr std::size_t kMaxTrailerBytes = 16 * 1024;

  struct Step {
    std::size_t consumed = 0;  // bytes of input used; the rest (a partial line) must be fed again
    std::string_view data;     // the body bytes these completed, inside the input buffer
  };

  // Decodes what `size` bytes at `bytes` complete. Chunk data is moved down inside that buffer so
  // `data` is one contiguous run; nothing at or after `bytes + consumed` is touched. Bytes are
  // handed out as soon as they are here: part of a chunk is not held for the rest. After done()
  // or failed() nothing more is consumed (what follows the body is not the body's).
  Step decode(char* bytes, std::size_t size);

  bool done() const { return state_ == State::done; }
  bool failed() const { return state_ == State::failed; }
  // Why it failed, for the error message; empty while it has not.
  std::string_view error() const { return error_; }

  // Ready for the next response's body.
  void reset() { *this = ChunkedDecoder(); }

 private:
  enum class State { size_line, data, data_end, trailer, done, failed };

  // Returns the length of the line at `text` without its terminator, and sets `used` to include
  // it; npos while no line end is there (or failed, when the line is too long for that).
  std::size_t take_line(std::string_view text, std::size_t& used);
  bool parse_size_line(std::string_view line);
  void fail(std::string_view why);

  State state_ = State::size_line;
  std::uint64_t remaining_ = 0;  // data bytes of the current chunk not yet seen
  std::size_t trailer_bytes_ = 0;
  std::string_view error_;
};

}  // namespace llmux::net
