#include "providers/anthropic/stream_to_anthropic.hpp"

#include "providers/anthropic/json_helpers.hpp"
#include "providers/anthropic/mapping.hpp"
#include "providers/anthropic/response_to_anthropic.hpp"

namespace llmux::providers::anthropic {

namespace json = boost::json;

StreamToAnthropic::StreamToAnthropic(std::string model_for_client, std::int64_t input_tokens_estimate)
    : model_(std::move(model_for_client)), input_tokens_estimate_(input_tokens_estimate < 0 ? 0 : input_tokens_estimate) {}

void StreamToAnthropic::on_openai_chunk(std::string_view data_json, std::string& out) {
  if (failed_ || done_) return;
  auto parsed = parse_json(data_json);
  if (!parsed || !parsed->is_object()) {
    on_error("upstream sent a stream chunk that is not JSON", out);
    return;
  }
  const json::object& chunk = parsed->get_object();
  if (const json::object* error = object_member(chunk, "error")) {
    on_error(string_member_or(*error, "message", "upstream error"), out);
    return;
  }
  ensure_started(string_member_or(chunk, "id"), out);
  if (const json::object* usage = object_member(chunk, "usage")) {
    usage_ = usage_from_openai(*usage);
    usage_seen_ = true;
  }

  const json::array* choices = array_member(chunk, "choices");
  const json::object* choice = choices && !choices->empty() ? choices->front().if_object() : nullptr;
  if (!choice) return;  // the usage-only chunk
  if (const json::object* delta = object_member(*choice, "delta")) {
    std::string_view reasoning = string_member_or(*delta, "reasoning_content");
    if (reasoning.empty()) reasoning = string_member_or(*delta, "reasoning");
    if (!reasoning.empty()) {
      if (block_ != Block::thinking) {
        open_block(Block::thinking, json::object{{"type", "thinking"}, {"thinking", ""}, {"signature", ""}},
                   out);
      }
      block_delta(json::object{{"type", "thinking_delta"}, {"thinking", reasoning}}, out);
    }
    if (auto text = string_member_or(*delta, "content"); !text.empty()) {
      if (block_ != Block::text) open_block(Block::text, json::object{{"type", "text"}, {"text", ""}}, out);
      block_delta(json::object{{"type", "text_delta"}, {"text", text}}, out);
    }
    if (const json::array* calls = array_member(*delta, "tool_calls")) {
      for (const json::value& v : *calls) {
        if (const json::object* call = v.if_object()) on_tool_call(*call, out);
      }
    }
  }
  // Remembered, not sent: usage usually follows in a later chunk, and message_delta carries both.
  if (auto finish = string_member(*choice, "finish_reason")) {
    stop_reason_ = std::string(stop_reason_from_finish_reason(*finish));
  }
}

void StreamToAnthropic::on_tool_call(const json::object& call, std::string& out) {
  std::int64_t index = int_member_or(call, "index", 0);
  const json::object* function = object_member(call, "function");
  if (block_ != Block::tool || tool_index_ != index) {
    std::string id(string_member_or(call, "id"));
    // Some servers omit the id; derive a stable one so the client can pair its tool_result.
    if (id.empty())
      id = "toolu_" + id_.substr(id_.substr(0, 4) == "msg_" ? 4 : 0) + "_" + std::to_string(index);
    open_block(Block::tool,
               json::object{{"type", "tool_use"},
                            {"id", id},
                            {"name", function ? string_member_or(*function, "name") : ""},
                            {"input", json::object{}}},
               out);
    tool_index_ = index;
  }
  if (auto arguments = function ? string_member_or(*function, "arguments") : ""; !arguments.empty()) {
    block_delta(json::object{{"type", "input_json_delta"}, {"partial_json", arguments}}, out);
  }
}

void StreamToAnthropic::on_done(std::string& out) {
  if (failed_ || done_) return;
  ensure_started("", out);
  close_block(out);
  append_event_frame(
      out, "message_delta",
      json::object{{"type", "message_delta"},
                   {"delta", json::object{{"stop_reason", stop_reason_}, {"stop_sequence", nullptr}}},
                   {"usage", usage_seen_ ? anthropic_usage_json(usage_) : json::object{{"output_tokens", 0}}}});
  append_event_frame(out, "message_stop", json::object{{"type", "message_stop"}});
  done_ = true;
}

void StreamToAnthropic::on_error(std::string_view message, std::string& out, std::string_view error_type) {
  if (failed_ || done_) return;
  append_event_frame(
      out, "error",
      json::object{{"type", "error"}, {"error", json::object{{"type", error_type}, {"message", message}}}});
  failed_ = true;
}

void StreamToAnthropic::ensure_started(std::string_view openai_id, std::string& out) {
  if (started_) return;
  started_ = true;
  id_ = anthropic_message_id(openai_id);
  json::object message{{"id", id_},
                       {"type", "message"},
                       {"role", "assistant"},
                       {"model", model_},
                       {"content", json::array{}},
                       {"stop_reason", nullptr},
                       {"stop_sequence", nullptr},
                       {"usage", anthropic_usage_json(Usage{input_tokens_estimate_, 0, 0, 0})}};
  append_event_frame(out, "message_start",
                     json::object{{"type", "message_start"}, {"message", std::move(message)}});
}

void StreamToAnthropic::open_block(Block kind, json::object content_block, std::string& out) {
  close_block(out);
  block_ = kind;
  ++block_index_;
  append_event_frame(out, "content_block_start",
                     json::object{{"type", "content_block_start"},
                                  {"index", block_index_},
                                  {"content_block", std::move(content_block)}});
}

void StreamToAnthropic::close_block(std::string& out) {
  if (block_ == Block::none) return;
  append_event_frame(out, "content_block_stop",
                     json::object{{"type", "content_block_stop"}, {"index", block_index_}});
  block_ = Block::none;
  tool_index_ = -1;
}

void StreamToAnthropic::block_delta(json::object delta, std::string& out) {
  append_event_frame(
      out, "content_block_delta",
      json::object{{"type", "content_block_delta"}, {"index", block_index_}, {"delta", std::move(delta)}});
}

}  // namespace llmux::providers::anthropic
