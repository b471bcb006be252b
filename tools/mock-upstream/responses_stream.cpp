#include "responses_stream.hpp"

#include <boost/json/serialize.hpp>

#include "mock_text.hpp"
#include "openai_common.hpp"
#include "sse_script.hpp"

namespace llmux::mock {
namespace {

// `type` first and `sequence_number` last, as OpenAI writes them.
std::string event_frame(std::string_view type, const boost::json::object& data, std::size_t sequence) {
  boost::json::object event{{"type", type}};
  for (const auto& [key, value] : data) event[key] = value;
  event["sequence_number"] = sequence;
  return sse_event(type, boost::json::serialize(event));
}

// Frames numbered as they are added; the one run of deltas is numbered lazily.
class EventScript {
 public:
  explicit EventScript(SseScript& script) : script_(script) {}

  void add(std::string_view type, boost::json::object data) {
    script_.add_frame(event_frame(type, std::move(data), next_++));
  }
  // `count` deltas made by `make(i)`, numbered from here on.
  void add_deltas(std::size_t count, std::function<boost::json::object(std::size_t)> make, std::string type) {
    const std::size_t first = next_;
    script_.add_content(count, [make = std::move(make), type = std::move(type), first](std::size_t i) {
      return event_frame(type, make(i), first + i);
    });
    deltas_from_ = first;
    next_ += count;
  }
  std::size_t next() const { return next_; }
  std::size_t deltas_from() const { return deltas_from_; }

 private:
  SseScript& script_;
  std::size_t next_ = 0;
  std::size_t deltas_from_ = 0;
};

boost::json::object in_progress(const boost::json::object& response) {
  boost::json::object copy = response;
  copy["status"] = "in_progress";
  copy["output"] = boost::json::array{};
  copy["usage"] = nullptr;
  copy["completed_at"] = nullptr;
  copy["incomplete_details"] = nullptr;
  return copy;
}

void add_reasoning(EventScript& events, const ResponsesAnswer& a, std::size_t index) {
  const boost::json::object& done = a.output[index].get_object();
  boost::json::object added = done;
  added["summary"] = boost::json::array{};
  added["status"] = "in_progress";
  events.add("response.output_item.added", {{"output_index", index}, {"item", added}});
  const boost::json::object part{{"type", "summary_text"}, {"text", ""}};
  const boost::json::object base{{"item_id", a.reasoning_id}, {"output_index", index}, {"summary_index", 0}};
  auto with = [&](boost::json::object extra) {
    boost::json::object data = base;
    for (auto& [k, v] : extra) data[k] = v;
    return data;
  };
  events.add("response.reasoning_summary_part.added", with({{"part", part}}));
  events.add("response.reasoning_summary_text.delta", with({{"delta", a.reasoning_text}}));
  events.add("response.reasoning_summary_text.done", with({{"text", a.reasoning_text}}));
  events.add("response.reasoning_summary_part.done",
             with({{"part", {{"type", "summary_text"}, {"text", a.reasoning_text}}}}));
  events.add("response.output_item.done", {{"output_index", index}, {"item", done}});
}

void add_message(EventScript& events, std::shared_ptr<const ResponsesAnswer> a, std::size_t index,
                 std::size_t chunks) {
  const boost::json::object& done = a->output[index].get_object();
  boost::json::object added = done;
  added["content"] = boost::json::array{};
  added["status"] = "in_progress";
  events.add("response.output_item.added", {{"output_index", index}, {"item", added}});
  const boost::json::object empty_part{
      {"type", "output_text"}, {"text", ""}, {"annotations", boost::json::array{}}, {"logprobs", boost::json::array{}}};
  const boost::json::object where{{"item_id", a->message_id}, {"output_index", index}, {"content_index", 0}};
  boost::json::object part_added = where;
  part_added["part"] = empty_part;
  events.add("response.content_part.added", part_added);
  events.add_deltas(
      chunks,
      [a, where, chunks](std::size_t i) {
        boost::json::object data = where;
        data["delta"] = text_piece(a->text, i, chunks);
        data["logprobs"] = boost::json::array{};
        return data;
      },
      "response.output_text.delta");
  boost::json::object text_done = where;
  text_done["text"] = a->text;
  text_done["logprobs"] = boost::json::array{};
  events.add("response.output_text.done", text_done);
  boost::json::object part_done = where;
  part_done["part"] = done.at("content").as_array().front();
  events.add("response.content_part.done", part_done);
  events.add("response.output_item.done", {{"output_index", index}, {"item", done}});
}

void add_function_call(EventScript& events, std::shared_ptr<const ResponsesAnswer> a, std::size_t index,
                       std::size_t chunks) {
  const boost::json::object& done = a->output[index].get_object();
  boost::json::object added = done;
  added["arguments"] = "";
  added["status"] = "in_progress";
  events.add("response.output_item.added", {{"output_index", index}, {"item", added}});
  const boost::json::object where{{"item_id", a->function_item_id}, {"output_index", index}};
  events.add_deltas(
      chunks,
      [a, where, chunks](std::size_t i) {
        boost::json::object data = where;
        data["delta"] = text_piece(a->function_arguments, i, chunks);
        return data;
      },
      "response.function_call_arguments.delta");
  boost::json::object args_done = where;
  args_done["arguments"] = a->function_arguments;
  args_done["name"] = a->function_name;
  events.add("response.function_call_arguments.done", args_done);
  events.add("response.output_item.done", {{"output_index", index}, {"item", done}});
}

std::string failed_frame(const ResponsesAnswer& a, const std::string& code, std::size_t sequence) {
  boost::json::object failed = in_progress(a.response);
  failed["status"] = "failed";
  failed["error"] = {{"code", code}, {"message", "Mock response failure"}};
  return event_frame("response.failed", {{"response", failed}}, sequence);
}

}  // namespace

Reply responses_stream_reply(std::shared_ptr<const ResponsesAnswer> answer, const MockRequest& request) {
  Reply reply = sse_reply();
  EventScript events(*reply.stream);
  const std::size_t chunks = request.chunks();
  const boost::json::object opening = in_progress(answer->response);
  events.add("response.created", {{"response", opening}});
  events.add("response.in_progress", {{"response", opening}});
  for (std::size_t i = 0; i < answer->output.size(); ++i) {
    const auto& type = answer->output[i].get_object().at("type").as_string();
    if (type == "reasoning") {
      add_reasoning(events, *answer, i);
    } else if (type == "function_call") {
      add_function_call(events, answer, i, chunks);
    } else {
      add_message(events, answer, i, chunks);
    }
  }
  const FaultSpec& fault = request.fault;
  reply.frame_delay = std::chrono::milliseconds(fault.chunk_delay_ms);
  if (fault.stream_error || fault.break_after) {
    const std::size_t kept = fault.break_after.value_or((chunks + 1) / 2);
    const std::size_t sequence = events.deltas_from() + std::min(kept, chunks);
    if (fault.stream_error) {
      boost::json::object error{{"code", *fault.stream_error}, {"message", "Mock stream error (" + *fault.stream_error + ")"},
                                {"param", nullptr}};
      reply.stream->fail_after_content(kept, event_frame("error", std::move(error), sequence));
    } else {
      reply.stream->cut_after_content(kept);
      reply.close_abruptly = true;
    }
    return reply;
  }
  if (fault.response_failed) {
    reply.stream->add_frame(failed_frame(*answer, *fault.response_failed, events.next()));
  } else if (!fault.no_final_event) {
    const bool incomplete = answer->response.at("status").as_string() == "incomplete";
    events.add(incomplete ? "response.incomplete" : "response.completed", {{"response", answer->response}});
  }
  return reply;
}

}  // namespace llmux::mock
