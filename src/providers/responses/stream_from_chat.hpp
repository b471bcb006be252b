#pragma once

// chat.completion.chunk stream -> the Responses API event stream, for a streamed bridged answer.
// Sans-I/O: the caller feeds each upstream `data:` payload and appends what comes out; every
// event goes out as `event: <type>` + `data: {…,"sequence_number":n}`, n counting from 0:
//   response.created, response.in_progress
//   per item: response.output_item.added … response.output_item.done, with
//     reasoning:     response.reasoning_summary_part.added, response.reasoning_summary_text.delta/.done,
//                    response.reasoning_summary_part.done (the summary events, which the openai, Agents
//                    and Vercel AI SDKs all read; reasoning_text events only the first)
//     message:       response.content_part.added, response.output_text.delta/.done (or
//                    response.refusal.delta/.done), response.content_part.done
//     function_call: response.function_call_arguments.delta/.done
//   response.completed (response.incomplete for finish_reason length / content_filter), carrying
//   the whole Response with usage; or response.failed (status failed, error set) when the stream
//   breaks after it started.
//
// Like stream_to_anthropic, assumes each tool call's fragments arrive together (OpenAI and vLLM
// send them so): a fragment for an earlier call after a later one started opens a new item.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "providers/responses/bridge_types.hpp"

namespace llmux::providers::responses {

class StreamFromChat {
 public:
  explicit StreamFromChat(ResponseContext context);

  // One upstream `data:` payload (not `[DONE]`). An upstream `{"error":…}` payload or an
  // unreadable one ends the stream with response.failed.
  void on_chat_chunk(std::string_view data_json, std::string& out);
  // `data: [DONE]`, or a clean end without it: closes the open item, then response.completed.
  void on_done(std::string& out);
  // A failure after the stream started (timeout, reset, upstream error): response.failed.
  void on_error(std::string_view message, std::string& out);

  bool failed() const { return failed_; }
  bool finished() const { return done_; }
  // Once finished() or failed(): the Response object the last event carried.
  const boost::json::object& final_response() const { return response_; }

 private:
  enum class Item { none, reasoning, message, function_call };
  enum class Part { none, text, refusal };

  void emit(std::string_view type, boost::json::object fields, std::string& out);
  void ensure_started(std::string_view model, std::string& out);
  void open_item(Item kind, std::string_view id_prefix, boost::json::object item, std::string& out);
  void close_item(std::string& out);
  void open_part(Part kind, std::string& out);
  void close_part(std::string& out);
  void on_reasoning(std::string_view delta, std::string& out);
  void on_text(Part kind, std::string_view delta, std::string& out);
  void on_tool_call(const boost::json::object& call, std::string& out);
  boost::json::object item_ref() const;  // {"item_id","output_index"}
  void finish_response(std::string_view status);

  ResponseContext context_;
  boost::json::object response_;
  boost::json::array output_;  // closed items
  std::int64_t sequence_ = 0;
  bool started_ = false;
  bool failed_ = false;
  bool done_ = false;

  Item open_ = Item::none;
  boost::json::object item_;  // the open item
  Part part_ = Part::none;
  boost::json::array parts_;  // the open message's closed parts
  std::string text_;          // the open part's text, reasoning text, or call arguments
  boost::json::array thinking_blocks_;  // the open reasoning item's signed blocks (thinking_blocks deltas)
  std::int64_t tool_index_ = -1;
  std::string finish_reason_ = "stop";
  boost::json::object chat_usage_;
  bool has_usage_ = false;
};

}  // namespace llmux::providers::responses
