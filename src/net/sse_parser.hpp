#pragma once

// Server-Sent Events framing, sans I/O: an incremental parser for upstream streams and the
// writer helpers for the streams we send to clients. Follows the WHATWG "event stream
// interpretation" rules (https://html.spec.whatwg.org/multipage/server-sent-events.html).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace llmux::net {

struct SseEvent {
  std::string event;  // empty when the stream named none (WHATWG's default type "message")
  std::string data;   // the event's `data` lines joined with '\n'
  std::string id;     // the last event id seen so far in the stream (it persists across events)
};

// Feed it bytes exactly as they come off the wire, split anywhere; it appends every event
// completed by those bytes. Lines may end in "\n", "\r\n" or "\r".
class SseParser {
 public:
  // A stream that buffers more than this without completing a line or an event is broken
  // (or hostile); the parser then stops and reports failed().
  static constexpr std::size_t kDefaultMaxPendingBytes = 16 * 1024 * 1024;

  explicit SseParser(std::size_t max_pending_bytes = kDefaultMaxPendingBytes)
      : max_pending_bytes_(max_pending_bytes) {}

  void feed(std::string_view bytes, std::vector<SseEvent>& out);

  // Hands back a dispatched event's data string once the caller is done with it: the next
  // event's data reuses its capacity instead of allocating (a stream dispatches one per chunk).
  void recycle(std::string&& data);

  // Bytes or fields are pending that no blank line has dispatched yet: a stream that ends
  // now was cut off mid-event. Comment lines alone do not count.
  bool has_partial() const { return !line_.empty() || in_event_; }

  // The pending-bytes limit was exceeded; everything fed since is ignored.
  bool failed() const { return failed_; }

 private:
  void process_line(std::string_view line, std::vector<SseEvent>& out);
  void dispatch(std::vector<SseEvent>& out);
  void feed_lines(std::string_view bytes, std::vector<SseEvent>& out);

  std::string line_;     // an incomplete line carried over from the previous feed
  std::string data_;     // data buffer: every data line followed by '\n'
  std::string event_;    // event type buffer
  std::string last_id_;  // last event id buffer
  std::size_t max_pending_bytes_;
  unsigned bom_seen_ = 0;  // how many bytes of a leading UTF-8 BOM were consumed
  bool bom_done_ = false;
  bool skip_lf_ = false;  // the last byte fed was '\r': a leading '\n' next completes "\r\n"
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
