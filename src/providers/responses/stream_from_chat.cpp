#include "providers/responses/stream_from_chat.hpp"

#include "providers/anthropic/json_helpers.hpp"
#include "providers/responses/response_object.hpp"

namespace llmux::providers::responses {

namespace json = boost::json;
using anthropic::array_member;
using anthropic::int_member_or;
using anthropic::object_member;
using anthropic::string_member;
using anthropic::string_member_or;

StreamFromChat::StreamFromChat(ResponseContext context) : context_(std::move(context)) {}

void StreamFromChat::emit(std::string_view type, json::object fields, std::string& out) {
  json::object event{{"type", type}, {"sequence_number", sequence_++}};
  for (auto& [key, value] : fields) event[key] = std::move(value);
  anthropic::append_event_frame(out, type, event);
}

json::object StreamFromChat::item_ref() const {
  return json::object{{"item_id", item_.at("id")}, {"output_index", output_.size()}};
}

void StreamFromChat::ensure_started(std::string_view model, std::string& out) {
  if (started_) return;
  started_ = true;
  response_ = response_skeleton(context_, model.empty() ? std::string_view(context_.model) : model,
                                context_.created_at, "in_progress");
  emit("response.created", json::object{{"response", response_}}, out);
  emit("response.in_progress", json::object{{"response", response_}}, out);
}

void StreamFromChat::on_chat_chunk(std::string_view data_json, std::string& out) {
  if (failed_ || done_) return;
  auto parsed = anthropic::parse_json(data_json);
  if (!parsed || !parsed->is_object()) {
    on_error("upstream sent a stream chunk that is not JSON", out);
    return;
  }
  const json::object& chunk = parsed->get_object();
  if (const json::object* error = object_member(chunk, "error")) {
    on_error(string_member_or(*error, "message", "upstream error"), out);
    return;
  }
  ensure_started(string_member_or(chunk, "model"), out);
  if (const json::object* usage = object_member(chunk, "usage")) {
    chat_usage_ = *usage;
    has_usage_ = true;
  }
  const json::array* choices = array_member(chunk, "choices");
  const json::object* choice = choices && !choices->empty() ? choices->front().if_object() : nullptr;
  if (!choice) return;  // the usage-only chunk
  if (const json::object* delta = object_member(*choice, "delta")) {
    std::string_view reasoning = string_member_or(*delta, "reasoning_content");
    if (reasoning.empty()) reasoning = string_member_or(*delta, "reasoning");
    if (!reasoning.empty()) on_reasoning(reasoning, out);
    // An Anthropic thinking block, whole once its signature is known: kept with the reasoning item.
    if (const json::array* blocks = array_member(*delta, "thinking_blocks"); blocks && !blocks->empty()) {
      if (open_ != Item::reasoning) on_reasoning({}, out);
      for (const json::value& block : *blocks) thinking_blocks_.push_back(block);
    }
    if (auto text = string_member_or(*delta, "content"); !text.empty()) on_text(Part::text, text, out);
    if (auto refusal = string_member_or(*delta, "refusal"); !refusal.empty()) on_text(Part::refusal, refusal, out);
    if (const json::array* calls = array_member(*delta, "tool_calls")) {
      for (const json::value& v : *calls) {
        if (const json::object* call = v.if_object()) on_tool_call(*call, out);
      }
    }
  }
  if (auto finish = string_member(*choice, "finish_reason")) finish_reason_ = std::string(*finish);
}

void StreamFromChat::on_reasoning(std::string_view delta, std::string& out) {
  if (open_ != Item::reasoning) {
    open_item(Item::reasoning, "rs",
              json::object{{"type", "reasoning"},
                           {"summary", json::array{}}},
              out);
    json::object fields = item_ref();
    fields["summary_index"] = 0;
    fields["part"] = json::object{{"type", "summary_text"}, {"text", ""}};
    emit("response.reasoning_summary_part.added", std::move(fields), out);
  }
  if (delta.empty()) return;
  json::object fields = item_ref();
  fields["summary_index"] = 0;
  fields["delta"] = delta;
  emit("response.reasoning_summary_text.delta", std::move(fields), out);
  text_ += delta;
}

void StreamFromChat::on_text(Part kind, std::string_view delta, std::string& out) {
  if (open_ != Item::message) {
    open_item(Item::message, "msg",
              json::object{{"type", "message"},
                           {"status", "in_progress"},
                           {"role", "assistant"},
                           {"content", json::array{}}},
              out);
  }
  if (part_ != kind) open_part(kind, out);
  json::object fields = item_ref();
  fields["content_index"] = parts_.size();
  fields["delta"] = delta;
  if (kind == Part::text) fields["logprobs"] = json::array{};
  emit(kind == Part::text ? "response.output_text.delta" : "response.refusal.delta", std::move(fields), out);
  text_ += delta;
}

void StreamFromChat::on_tool_call(const json::object& call, std::string& out) {
  const std::int64_t index = int_member_or(call, "index", 0);
  const json::object* function = object_member(call, "function");
  if (open_ != Item::function_call || tool_index_ != index) {
    close_item(out);
    const std::string id = item_id("fc", context_.response_id, output_.size());
    std::string call_id(string_member_or(call, "id"));
    if (call_id.empty()) call_id = "call_" + id.substr(3);  // some servers omit it; the client pairs by it
    open_item(Item::function_call, "fc",
              json::object{{"type", "function_call"},
                           {"status", "in_progress"},
                           {"call_id", call_id},
                           {"name", function ? string_member_or(*function, "name") : ""},
                           {"arguments", ""}},
              out);
    tool_index_ = index;
  }
  if (auto arguments = function ? string_member_or(*function, "arguments") : ""; !arguments.empty()) {
    json::object fields = item_ref();
    fields["delta"] = arguments;
    emit("response.function_call_arguments.delta", std::move(fields), out);
    text_ += arguments;
  }
}

void StreamFromChat::open_item(Item kind, std::string_view id_prefix, json::object item, std::string& out) {
  close_item(out);
  open_ = kind;
  // The id first, as OpenAI writes items; its number is the item's output index.
  item_ = json::object{{"id", item_id(id_prefix, context_.response_id, output_.size())}};
  for (auto& [key, value] : item) item_[key] = std::move(value);
  text_.clear();
  emit("response.output_item.added", json::object{{"output_index", output_.size()}, {"item", item_}}, out);
}

void StreamFromChat::open_part(Part kind, std::string& out) {
  close_part(out);
  part_ = kind;
  text_.clear();
  json::object fields = item_ref();
  fields["content_index"] = parts_.size();
  fields["part"] = kind == Part::text ? output_text_part("") : json::object{{"type", "refusal"}, {"refusal", ""}};
  emit("response.content_part.added", std::move(fields), out);
}

void StreamFromChat::close_part(std::string& out) {
  if (part_ == Part::none) return;
  json::object fields = item_ref();
  fields["content_index"] = parts_.size();
  json::object part;
  if (part_ == Part::text) {
    fields["text"] = text_;
    fields["logprobs"] = json::array{};
    emit("response.output_text.done", fields, out);
    part = output_text_part(text_);
  } else {
    fields["refusal"] = text_;
    emit("response.refusal.done", fields, out);
    part = json::object{{"type", "refusal"}, {"refusal", text_}};
  }
  fields.erase("text");
  fields.erase("refusal");
  fields.erase("logprobs");
  fields["part"] = part;
  emit("response.content_part.done", std::move(fields), out);
  parts_.push_back(std::move(part));
  part_ = Part::none;
  text_.clear();
}

void StreamFromChat::close_item(std::string& out) {
  if (open_ == Item::none) return;
  const bool incomplete = done_ && !incomplete_reason(finish_reason_).empty();
  if (open_ == Item::reasoning) {
    json::object fields = item_ref();
    fields["summary_index"] = 0;
    fields["text"] = text_;
    emit("response.reasoning_summary_text.done", fields, out);
    fields.erase("text");
    fields["part"] = json::object{{"type", "summary_text"}, {"text", text_}};
    emit("response.reasoning_summary_part.done", std::move(fields), out);
    item_["summary"] = json::array{json::object{{"type", "summary_text"}, {"text", text_}}};
    if (!thinking_blocks_.empty()) {
      item_["encrypted_content"] = thinking_as_encrypted_content(thinking_blocks_);
      thinking_blocks_.clear();
    }
  } else if (open_ == Item::message) {
    close_part(out);
    item_["content"] = std::move(parts_);
    parts_ = json::array{};
    item_["status"] = incomplete ? "incomplete" : "completed";
  } else {
    json::object fields = item_ref();
    fields["name"] = item_.at("name");
    fields["arguments"] = text_;
    emit("response.function_call_arguments.done", std::move(fields), out);
    item_["arguments"] = text_;
    item_["status"] = incomplete ? "incomplete" : "completed";
  }
  emit("response.output_item.done", json::object{{"output_index", output_.size()}, {"item", item_}}, out);
  output_.push_back(std::move(item_));
  item_ = json::object{};
  open_ = Item::none;
  tool_index_ = -1;
  text_.clear();
}

void StreamFromChat::finish_response(std::string_view status) {
  response_["status"] = status;
  response_["output"] = output_;
  response_["usage"] = usage_from_chat(has_usage_ ? &chat_usage_ : nullptr);
}

void StreamFromChat::on_done(std::string& out) {
  if (failed_ || done_) return;
  ensure_started("", out);
  done_ = true;  // from here on, items close with the answer's final status
  // An answer with nothing in it is still one (empty) message, as in a whole answer.
  if (output_.empty() && open_ == Item::none) on_text(Part::text, "", out);
  close_item(out);
  finish_response("completed");
  set_final_status(response_, finish_reason_);
  const bool complete = response_.at("status").as_string() == "completed";
  emit(complete ? "response.completed" : "response.incomplete", json::object{{"response", response_}}, out);
}

void StreamFromChat::on_error(std::string_view message, std::string& out) {
  if (failed_ || done_) return;
  ensure_started("", out);
  failed_ = true;
  // What was under way is kept, marked incomplete: the client sees how far the answer got.
  if (open_ != Item::none) {
    if (open_ == Item::message) {
      if (part_ == Part::text) parts_.push_back(output_text_part(text_));
      if (part_ == Part::refusal) parts_.push_back(json::object{{"type", "refusal"}, {"refusal", text_}});
      item_["content"] = std::move(parts_);
    } else if (open_ == Item::function_call) {
      item_["arguments"] = text_;
    } else {
      item_["summary"] = json::array{json::object{{"type", "summary_text"}, {"text", text_}}};
    if (!thinking_blocks_.empty()) {
      item_["encrypted_content"] = thinking_as_encrypted_content(thinking_blocks_);
      thinking_blocks_.clear();
    }
    }
    if (open_ != Item::reasoning) item_["status"] = "incomplete";
    output_.push_back(std::move(item_));
    open_ = Item::none;
  }
  finish_response("failed");
  response_["error"] = json::object{{"code", "server_error"}, {"message", message}};
  emit("response.failed", json::object{{"response", response_}}, out);
}

}  // namespace llmux::providers::responses
