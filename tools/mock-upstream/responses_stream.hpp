#pragma once
// A Response as the event stream OpenAI sends for `stream: true`: response.created,
// response.in_progress, per output item its added / part / delta / done events, then
// response.completed (or response.incomplete), each `event: <type>` + `data: <json>` with a
// sequence_number. The deltas are the content frames the stream faults count.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <memory>
#include <string>

#include "mock_request.hpp"
#include "reply.hpp"

namespace llmux::mock {

struct ResponsesAnswer {
  std::string id;
  boost::json::object response;  // the final Response
  boost::json::array output;
  std::string reasoning_id, reasoning_text;  // empty: no reasoning item
  std::string message_id, text;              // the message item (when no function call)
  std::string function_item_id, call_id, function_name, function_arguments;
};

// The faults: break_after (cut, connection closed), stream_error=<code> (an `error` event),
// response_failed=<code> (response.failed instead of response.completed), no_final_event (the
// stream ends cleanly without its terminal event), chunk_delay_ms.
Reply responses_stream_reply(std::shared_ptr<const ResponsesAnswer> answer, const MockRequest& request);

}  // namespace llmux::mock
