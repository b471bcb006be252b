#include "net/chunked_decoder.hpp"

#include <algorithm>
#include <cstring>

namespace llmux::net {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

void ChunkedDecoder::fail(std::string_view why) {
  state_ = State::failed;
  error_ = why;
}

// Lines end in CRLF; a bare LF is accepted too (RFC 9112 section 2.2 allows a recipient to).
std::size_t ChunkedDecoder::take_line(std::string_view text, std::size_t& used) {
  const std::size_t window = std::min(text.size(), kMaxLineBytes + 2);
  const auto* lf = window == 0 ? nullptr : static_cast<const char*>(std::memchr(text.data(), '\n', window));
  if (lf == nullptr) {
    if (text.size() > kMaxLineBytes + 1) fail("chunk header or trailer line too long");
    return std::string_view::npos;
  }
  std::size_t length = static_cast<std::size_t>(lf - text.data());
  used = length + 1;
  if (length > 0 && text[length - 1] == '\r') --length;
  return length;
}

// chunk-size [ BWS ";" chunk-ext ]: extensions mean nothing to us and are skipped.
bool ChunkedDecoder::parse_size_line(std::string_view line) {
  std::uint64_t size = 0;
  std::size_t i = 0;
  for (; i < line.size(); ++i) {
    const int digit = hex_value(line[i]);
    if (digit < 0) break;
    if (size >> 60 != 0) {
      fail("chunk size too large");
      return false;
    }
    size = size << 4 | static_cast<std::uint64_t>(digit);
  }
  if (i == 0) {
    fail("bad chunk size");
    return false;
  }
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  if (i < line.size() && line[i] != ';') {
    fail("bad chunk size");
    return false;
  }
  remaining_ = size;
  state_ = size == 0 ? State::trailer : State::data;
  return true;
}

ChunkedDecoder::Step ChunkedDecoder::decode(char* bytes, std::size_t size) {
  std::size_t at = 0;
  char* out = nullptr;  // where the next data run goes: just after the ones before it
  char* out_begin = nullptr;
  while (at < size) {
    const std::string_view rest(bytes + at, size - at);
    if (state_ == State::data) {
      const std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, rest.size()));
      char* from = bytes + at;
      if (out_begin == nullptr) {
        out_begin = out = from;  // the first run stays where it is
      } else if (out != from) {
        std::memmove(out, from, take);
      }
      out += take;
      at += take;
      remaining_ -= take;
      if (remaining_ == 0) state_ = State::data_end;
      continue;
    }
    if (state_ == State::data_end) {
      // The CRLF after a chunk's data: may arrive split from it, or split in two.
      if (rest[0] == '\n') {
        at += 1;
      } else if (rest[0] != '\r') {
        fail("chunk data not followed by CRLF");
      } else if (rest.size() < 2) {
        break;
      } else if (rest[1] == '\n') {
        at += 2;
      } else {
        fail("chunk data not followed by CRLF");
      }
      if (state_ == State::failed) break;
      state_ = State::size_line;
      continue;
    }
    if (state_ == State::size_line) {
      // The usual size line, hex digits and CRLF, read without searching for its end.
      std::uint64_t chunk_size = 0;
      std::size_t digits = 0;
      for (int digit; digits < rest.size() && digits < 15 && (digit = hex_value(rest[digits])) >= 0; ++digits) {
        chunk_size = chunk_size << 4 | static_cast<std::uint64_t>(digit);
      }
      if (digits > 0 && chunk_size > 0 && rest.size() >= digits + 2 && rest[digits] == '\r' &&
          rest[digits + 1] == '\n') {
        remaining_ = chunk_size;
        state_ = State::data;
        at += digits + 2;
        continue;
      }
    }
    if (state_ == State::size_line || state_ == State::trailer) {
      std::size_t used = 0;
      const std::size_t length = take_line(rest, used);
      if (length == std::string_view::npos) break;  // a partial line, or too long (failed)
      if (state_ == State::size_line) {
        if (!parse_size_line(rest.substr(0, length))) break;
      } else if (length == 0) {
        state_ = State::done;  // the blank line after the last chunk (and any trailer fields)
      } else if ((trailer_bytes_ += used) > kMaxTrailerBytes) {
        fail("trailer fields too large");
        break;
      }
      at += used;
      continue;
    }
    break;  // done or failed: what follows is not ours
  }
  Step step;
  step.consumed = at;
  if (out_begin != nullptr) step.data = std::string_view(out_begin, static_cast<std::size_t>(out - out_begin));
  return step;
}

}  // namespace llmux::net
