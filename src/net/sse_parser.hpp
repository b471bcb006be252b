#pragma once

// Server-Sent Events framing, sans I/O: an incremental parser for upstream streams and the
// writer helpers for the streams we send to clients. Follows the WHATWG "event stream
// interpretation" rules (https://html.spec.whatwg.org/multipage/server-sent-events.html).

#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace llmux::net {

struct SseEvent {
  std::string event;  // empty when the stream named none (WHATWG's default type "message")
  std::string data;   // the event's `data` lines joined with '\n'
  std::string id;     // the last event id seen so far in the stream (it persists across events)
};

// An event as the parser hands it to a callback: views valid only during the call. `data` points
// straight into the fed bytes when the event has one data line that arrived in one feed (the
// usual case: no copy, no allocation); otherwise into the parser's own buffer.
struct SseEventView {
  std::string_view event;
  std::string_view data;
  std::string_view id;
  bool one_line = false;  // data came from a single `data:` line, so it holds no line break
};

// Feed it bytes exactly as they come off the wire, split anywhere; it reports every event
// completed by those bytes. Lines may end in "\n", "\r\n" or "\r".
class SseParser {
 public:
  // A stream that buffers more than this without completing a line or an event is broken
  // (or hostile); the parser then stops and reports failed().
  static constexpr std::size_t kDefaultMaxPendingBytes = 16 * 1024 * 1024;

  explicit SseParser(std::size_t max_pending_bytes = kDefaultMaxPendingBytes)
      : max_pending_bytes_(max_pending_bytes) {}

  // Calls on_event(const SseEventView&) for each event, in order. It must not feed this parser.
  template <class OnEvent>
  void feed(std::string_view bytes, OnEvent&& on_event) {
    feed_to(bytes, Sink{&on_event, [](void* target, const SseEventView& event) {
                          (*static_cast<std::remove_reference_t<OnEvent>*>(target))(event);
                        }});
  }
  // Appends owned copies: for callers that keep events past the feed.
  void feed(std::string_view bytes, std::vector<SseEvent>& out);

  // Bytes or fields are pending that no blank line has dispatched yet: a stream that ends
  // now was cut off mid-event. Comment lines alone do not count.
  bool has_partial() const { return !line_.empty() || in_event_; }

  // The pending-bytes limit was exceeded; everything fed since is ignored.
  bool failed() const { return failed_; }

 private:
  // A callback without a template parameter, so the parsing itself lives in the .cpp.
  struct Sink {
    void* target;
    void (*call)(void* target, const SseEventView& event);
  };

  void feed_to(std::string_view bytes, Sink sink);
  void feed_lines(std::string_view bytes, Sink sink);
  // `stable` says the line is part of the bytes being fed (not the carried-over line_), so a
  // view of it lives until the feed returns.
  void process_line(std::string_view line, bool stable, Sink sink);
  void add_data(std::string_view value, bool stable);
  void dispatch(Sink sink);
  void keep_view_data();  // copies a data view into data_ before the fed bytes go away

  std::string line_;            // an incomplete line carried over from the previous feed
  std::string data_;            // data lines joined with '\n', when they could not stay a view
  std::string_view data_view_;  // the event's one data line, inside the bytes being fed
  std::string event_;           // event type buffer
  std::string last_id_;         // last event id buffer
  std::size_t max_pending_bytes_;
  std::size_t data_lines_ = 0;  // data lines in the pending event
  unsigned bom_seen_ = 0;       // how many bytes of a leading UTF-8 BOM were consumed
  bool bom_done_ = false;
  bool data_in_view_ = false;  // the pending event's data is data_view_, not data_
  bool skip_lf_ = false;       // the last byte fed was '\r': a leading '\n' next completes "\r\n"
  bool in_event_ = false;
  bool failed_ = false;
};

// Writers for the streams we send. A payload with line breaks becomes several `data:`
// lines, which a conforming reader joins back with '\n'.
std::string format_sse_data(std::string_view data);                           // "data: <data>\n\n"
std::string format_sse_event(std::string_view event, std::string_view data);  // "event: X\ndata: Y\n\n"
void append_sse_data(std::string& out, std::string_view data);
void append_sse_event(std::string& out, std::string_view event, std::string_view data);

}  // namespace llmux::net
