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
  feed(bytes, [&out](const SseEventView& view) {
    SseEvent& event = out.emplace_back();
    event.event.assign(view.event);
    event.data.assign(view.data);
    event.id.assign(view.id);
  });
}

void SseParser::feed_to(std::string_view bytes, Sink sink) {
  if (failed_) return;
  // The spec strips one UTF-8 BOM at the very start of the stream; it may arrive split.
  while (!bom_done_ && !bytes.empty()) {
    if (bytes.front() == kBom[bom_seen_]) {
      bytes.remove_prefix(1);
      bom_done_ = ++bom_seen_ == kBom.size();
    } else {
      bom_done_ = true;
      feed_lines(kBom.substr(0, bom_seen_), sink);  // what looked like a BOM was content
    }
  }
  feed_lines(bytes, sink);
}

void SseParser::feed_lines(std::string_view bytes, Sink sink) {
  if (skip_lf_ && !bytes.empty()) {
    skip_lf_ = false;
    if (bytes.front() == '\n') bytes.remove_prefix(1);
  }
  while (!bytes.empty() && !failed_) {
    // The blank line that ends an event needs no search.
    const std::size_t end = bytes.front() == '\n' ? 0 : find_line_break(bytes);
    if (end == std::string_view::npos) {
      line_.append(bytes);
      break;
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
      process_line(bytes.substr(0, end), /*stable=*/true, sink);  // the common case: no copy
    } else {
      line_.append(bytes.substr(0, end));
      process_line(line_, /*stable=*/false, sink);
      line_.clear();
    }
    bytes.remove_prefix(next);
  }
  keep_view_data();
  if (!failed_ && line_.size() + data_.size() > max_pending_bytes_) failed_ = true;
  if (failed_) {
    line_.clear();
    data_.clear();
  }
}

void SseParser::keep_view_data() {
  if (!data_in_view_) return;
  data_.assign(data_view_);
  data_view_ = {};
  data_in_view_ = false;
}

void SseParser::process_line(std::string_view line, bool stable, Sink sink) {
  if (line.empty()) {
    dispatch(sink);
    return;
  }
  if (line.front() == ':') return;  // comment (keep-alive pings)
  in_event_ = true;
  // Nearly every line of a stream is a data line: no search for its colon.
  if (line.size() >= 6 && std::memcmp(line.data(), "data: ", 6) == 0) {
    add_data(line.substr(6), stable);
    return;
  }
  std::string_view field = line;
  std::string_view value;
  if (const std::size_t colon = line.find(':'); colon != std::string_view::npos) {
    field = line.substr(0, colon);
    value = line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  }
  if (field == "data") {
    add_data(value, stable);
  } else if (field == "event") {
    event_.assign(value);
  } else if (field == "id") {
    if (value.find('\0') == std::string_view::npos) last_id_.assign(value);
  }
  // "retry" only matters to a client that reconnects, which we never do; other fields are
  // ignored by the spec.
}

void SseParser::add_data(std::string_view value, bool stable) {
  if (data_lines_++ == 0 && stable) {
    data_view_ = value;
    data_in_view_ = true;
    return;
  }
  keep_view_data();  // a second line: the lines are joined in data_
  if (data_lines_ > 1) data_.push_back('\n');
  data_.append(value);
  if (data_.size() > max_pending_bytes_) failed_ = true;
}

void SseParser::dispatch(Sink sink) {
  in_event_ = false;
  if (data_lines_ == 0) {  // no data line: the spec drops the event (and its type)
    event_.clear();
    return;
  }
  const SseEventView view{event_, data_in_view_ ? data_view_ : std::string_view(data_), last_id_,
                          data_lines_ == 1};
  sink.call(sink.target, view);
  event_.clear();
  data_.clear();
  data_view_ = {};
  data_in_view_ = false;
  data_lines_ = 0;
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
