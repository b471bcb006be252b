#pragma once

// OpenAI chat.completion.chunk stream -> Anthropic Messages SSE events, for inbound
// `/v1/messages` served by an OpenAI-compatible deployment (LiteLLM's AnthropicStreamWrapper).
// Sans-I/O: the caller feeds each `data:` payload and appends what comes out.
//
// Assumes the upstream sends each tool call's fragments contiguously (OpenAI and vLLM do):
// Anthropic blocks cannot interleave, so a fragment for an earlier tool call after a later
// one started opens a new block for it.

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "providers/anthropic/translation_types.hpp"

namespace llmux::providers::anthropic {

class StreamToAnthropic {
 public:
  // `input_tokens_estimate`: message_start's `usage.input_tokens`, before the upstream has said
  // (clients may read input tokens from message_start alone, as Anthropic's API allows).
  explicit StreamToAnthropic(std::string model_for_client, std::int64_t input_tokens_estimate = 0);

  // One upstream `data:` payload (not `[DONE]`). An upstream `{"error":...}` payload or an
  // unreadable one becomes an Anthropic `error` event.
  void on_openai_chunk(std::string_view data_json, std::string& out);
  // Upstream `data: [DONE]` (or a clean end): closes the open block, message_delta, message_stop.
  // message_delta's usage is the upstream's (its input_tokens replace the estimate, as the
  // official SDKs' accumulators do); without upstream usage only output_tokens (0) is sent, so
  // the estimate stands.
  void on_done(std::string& out);
  // A failure after the stream started (timeout, reset, upstream error).
  void on_error(std::string_view message, std::string& out, std::string_view error_type = "api_error");

  bool failed() const { return failed_; }
  bool finished() const { return done_; }
  Usage usage() const { return usage_; }  // the upstream's (zero until it reports)

 private:
  enum class Block { none, text, thinking, tool };

  void ensure_started(std::string_view openai_id, std::string& out);
  void open_block(Block kind, boost::json::object content_block, std::string& out);
  void close_block(std::string& out);
  void block_delta(boost::json::object delta, std::string& out);
  void on_tool_call(const boost::json::object& call, std::string& out);

  std::string model_;
  std::string id_;
  bool started_ = false;
  bool failed_ = false;
  bool done_ = false;

  Block block_ = Block::none;
  int block_index_ = -1;          // Anthropic content block index
  std::int64_t tool_index_ = -1;  // OpenAI tool_calls index of the open tool block
  std::string stop_reason_ = "end_turn";
  std::int64_t input_tokens_estimate_;
  Usage usage_;
  bool usage_seen_ = false;
};

}  // namespace llmux::providers::anthropic
