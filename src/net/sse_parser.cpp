#include "net/sse_parser.hpp"

#include <cstring>

namespace llmux::net {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// Where the first line break ('\r' or '\n') in `text` is, or npos. Two memchr passes: the
// obvious find_first_of("\r\n") calls memchr over the two-byte set for every byte of the
// stream, which was the largest cost of relaying one.
std::size_t find_line_break(std::string_view text) {
  if (text.empty()) return std::string_view::npos;  // memchr must not see a null pointer
  const char* begin = text.data();
  const auto* lf = static_cast<const char*>(std::memchr(begin, '\n', text.size()));
  const std::size_t before_lf = lf ? static_cast<std::size_t>(lf - begin) : text.size();
  // A '\r' also ends a line, alone or before the '\n' (then it is the byte before it).
  if (const auto* cr = static_cast<const char*>(std::memchr(begin, '\r', before_lf))) {
    return static_cast<std::size_t>(cr - begin);
  }
  return lf ? before_lf : std::string_view::npos;
}

}  // namespace

void SseParser::feed(std::string_view bytes, std::vector<SseEvent>& out) {
  if (failed_) return;
  // The spec strips one UTF-8 BOM at the very start of the stream; it may arrive split.
  while (!bom_done_ && !bytes.empty()) {
    if (bytes.front() == kBom[bom_seen_]) {
      bytes.remove_prefix(1);
      bom_done_ = ++bom_seen_ == kBom.size();
    } else {
      bom_done_ = true;
      feed_lines(kBom.substr(0, bom_seen_), out);  // what looked like a BOM was content
    }
  }
  feed_lines(bytes, out);
}

void SseParser::recycle(std::string&& data) {
  if (data_.empty() && data.capacity() > data_.capacity()) {
    data_.swap(data);
    data_.clear();
  }
}

void SseParser::feed_lines(std::string_view bytes, std::vector<SseEvent>& out) {
  if (skip_lf_ && !bytes.empty()) {
    skip_lf_ = false;
    if (bytes.front() == '\n') bytes.remove_prefix(1);
  }
  while (!bytes.empty() && !failed_) {
    const std::size_t end = find_line_break(bytes);
    if (end == std::string_view::npos) {
      line_.append(bytes);
      if (line_.size() + data_.size() > max_pending_bytes_) {
        failed_ = true;
        line_.clear();
        data_.clear();
      }
      return;
    }
    std::size_t next = end + 1;
    if (bytes[end] == '\r') {
      if (next == bytes.size()) {
        skip_lf_ = true;  // a "\r\n" split across feeds must not read as two line ends
      } else if (bytes[next] == '\n') {
        ++next;
      }
    }
    if (line_.empty()) {
      process_line(bytes.substr(0, end), out);  // the common case: no copy
    } else {
      line_.append(bytes.substr(0, end));
      process_line(line_, out);
      line_.clear();
    }
    bytes.remove_prefix(next);
  }
}

void SseParser::process_line(std::string_view line, std::vector<SseEvent>& out) {
  if (line.empty()) {
    dispatch(out);
    return;
  }
  if (line.front() == ':') return;  // comment (keep-alive pings)
  in_event_ = true;
  std::string_view field = line;
  std::string_view value;
  if (const std::size_t colon = line.find(':'); colon != std::string_view::npos) {
    field = line.substr(0, colon);
    value = line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  }
  if (field == "data") {
    data_.reserve(data_.size() + value.size() + 1);  // one allocation, not a second for the '\n'
    data_.append(value);
    data_.push_back('\n');
    if (data_.size() > max_pending_bytes_) {
      failed_ = true;
      data_.clear();
    }
  } else if (field == "event") {
    event_.assign(value);
  } else if (field == "id") {
    if (value.find('\0') == std::string_view::npos) last_id_.assign(value);
  }
  // "retry" only matters to a client that reconnects, which we never do; other fields are
  // ignored by the spec.
}

void SseParser::dispatch(std::vector<SseEvent>& out) {
  in_event_ = false;
  if (data_.empty()) {  // no data line: the spec drops the event (and its type)
    event_.clear();
    return;
  }
  data_.pop_back();  // the '\n' after the last data line
  SseEvent& event = out.emplace_back();
  event.event.swap(event_);
  event.data.swap(data_);
  event.id = last_id_;
}

namespace {

// One "<name>: <line>\n" per line of value, so a line break in a payload cannot end the
// event early.
void append_field_lines(std::string& out, std::string_view name, std::string_view value) {
  for (;;) {
    const std::size_t end = find_line_break(value);
    out.append(name);
    out.append(": ");
    out.append(value.substr(0, end));
    out.push_back('\n');
    if (end == std::string_view::npos) return;
    std::size_t next = end + 1;
    if (value[end] == '\r' && next < value.size() && value[next] == '\n') ++next;
    value.remove_prefix(next);
  }
}

}  // namespace

void append_sse_data(std::string& out, std::string_view data) {
  out.reserve(out.size() + data.size() + 8);
  append_field_lines(out, "data", data);
  out.push_back('\n');
}

void append_sse_event(std::string& out, std::string_view event, std::string_view data) {
  // An event name is ours, never user data; cut it at a line break rather than break framing.
  event = event.substr(0, find_line_break(event));
  out.reserve(out.size() + event.size() + data.size() + 16);
  out.append("event: ");
  out.append(event);
  out.push_back('\n');
  append_field_lines(out, "data", data);
  out.push_back('\n');
}

std::string format_sse_data(std::string_view data) {
  std::string out;
  append_sse_data(out, data);
  return out;
}

std::string format_sse_event(std::string_view event, std::string_view data) {
  std::string out;
  append_sse_event(out, event, data);
  return out;
}

}  // namespace llmux::net
