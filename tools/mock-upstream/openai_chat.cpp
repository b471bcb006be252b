#include "openai_chat.hpp"

#include <boost/json/serialize.hpp>
#include <memory>

#include "error_bodies.hpp"
#include "mock_text.hpp"
#include "openai_common.hpp"

namespace llmux::mock {
namespace {

struct ToolCall {
  std::string id;
  std::string name;
  std::string arguments;  // a JSON document as a string, as OpenAI sends it
};

const boost::json::object* tool_function(const boost::json::value& tool) {
  const auto* obj = tool.if_object();
  if (!obj) return nullptr;
  const auto* fn = obj->if_contains("function");
  return fn ? fn->if_object() : nullptr;
}

// The tool the answer calls: a forced tool_choice, else the `tool_call` fault unless the
// conversation already ends with a tool result (so agent loops in tests terminate).
std::optional<ToolCall> choose_tool_call(const MockRequest& request, const boost::json::array& messages) {
  const boost::json::array* tools = nullptr;
  if (const auto* t = request.body->if_contains("tools")) tools = t->if_array();
  if (!tools || tools->empty()) return std::nullopt;

  std::string name;
  const auto* choice = request.body->if_contains("tool_choice");
  if (choice && choice->is_string() && choice->get_string() == "none") return std::nullopt;
  if (const auto* forced = choice ? choice->if_object() : nullptr) {
    if (const auto* fn = forced->if_contains("function"); fn && fn->is_object()) {
      if (const auto* n = fn->get_object().if_contains("name"); n && n->is_string()) name = n->get_string();
    }
  } else if (choice && choice->is_string() && choice->get_string() == "required") {
    if (const auto* fn = tool_function(tools->front())) {
      if (const auto* n = fn->if_contains("name"); n && n->is_string()) name = n->get_string();
    }
  }
  if (name.empty() && request.fault.tool_call) {
    const bool after_tool_result = !messages.empty() && messages.back().is_object() &&
                                   openai_role(messages.back().get_object()) == "tool";
    if (!after_tool_result) name = *request.fault.tool_call;
  }
  if (name.empty()) return std::nullopt;

  const boost::json::value* schema = nullptr;
  for (const auto& tool : *tools) {
    const auto* fn = tool_function(tool);
    const auto* n = fn ? fn->if_contains("name") : nullptr;
    if (n && n->is_string() && n->get_string() == name) {
      static const boost::json::value kNoParameters = boost::json::object{};
      schema = fn->if_contains("parameters");
      if (!schema) schema = &kNoParameters;
      break;
    }
  }
  return ToolCall{"call_mock_" + std::to_string(request.id), name,
                  boost::json::serialize(arguments_from_schema(schema))};
}

struct ChatStream {
  ChunkHeader header;
  std::string text;
  std::optional<ToolCall> tool;
  std::optional<std::string> reasoning;  // the `thinking` fault: vLLM-style reasoning_content
};

// The reasoning comes first, in one delta, as reasoning servers stream it before the answer.
void script_reasoning(SseScript& script, const ChatStream& s) {
  if (s.reasoning) script.add_frame(chunk_frame(s.header, {{"reasoning_content", *s.reasoning}}, nullptr));
}

void script_text(SseScript& script, std::shared_ptr<const ChatStream> s, std::size_t chunks) {
  script.add_frame(chunk_frame(s->header, {{"role", "assistant"}, {"content", ""}}, nullptr));
  script_reasoning(script, *s);
  script.add_content(chunks, [s, chunks](std::size_t i) {
    return chunk_frame(s->header, {{"content", text_piece(s->text, i, chunks)}}, nullptr);
  });
  script.add_frame(chunk_frame(s->header, {}, "stop"));
}

void script_tool_call(SseScript& script, std::shared_ptr<const ChatStream> s, std::size_t chunks) {
  const ToolCall& tool = *s->tool;
  boost::json::object first_call{{"index", 0},
                                 {"id", tool.id},
                                 {"type", "function"},
                                 {"function", {{"name", tool.name}, {"arguments", ""}}}};
  if (s->reasoning) {
    script.add_frame(chunk_frame(s->header, {{"role", "assistant"}, {"content", nullptr}}, nullptr));
    script_reasoning(script, *s);
  }
  script.add_frame(chunk_frame(
      s->header, {{"role", "assistant"}, {"content", nullptr}, {"tool_calls", {first_call}}}, nullptr));
  script.add_content(chunks, [s, chunks](std::size_t i) {
    boost::json::object call{{"index", 0},
                             {"function", {{"arguments", text_piece(s->tool->arguments, i, chunks)}}}};
    return chunk_frame(s->header, {{"tool_calls", {call}}}, nullptr);
  });
  script.add_frame(chunk_frame(s->header, {}, "tool_calls"));
}

}  // namespace

Reply openai_chat_completion(const MockRequest& request) {
  if (!request.body) return invalid_json_error();
  const auto* messages_value = request.body->if_contains("messages");
  if (!messages_value || !messages_value->is_array()) {
    return openai_error(400, "Missing required parameter: 'messages'.", "invalid_request_error", "messages",
                        "missing_required_parameter");
  }
  const auto& messages = messages_value->get_array();

  auto stream = std::make_shared<ChatStream>();
  stream->header = {"chatcmpl-mock-" + std::to_string(request.id), "chat.completion.chunk", request.created,
                    std::string(request.model()), include_usage(request)};
  stream->tool = choose_tool_call(request, messages);
  const std::string prompt = last_user_text(messages);
  stream->text = reply_text(prompt);
  if (request.fault.thinking) stream->reasoning = "Mock thinking about: " + std::string(utf8_prefix(prompt, 100));

  const std::uint64_t prompt_tokens = approx_tokens(prompt_bytes(messages));
  const std::size_t reasoning_bytes = stream->reasoning ? stream->reasoning->size() : 0;
  const std::uint64_t completion_tokens =
      stream->tool ? approx_tokens(stream->tool->name.size() + stream->tool->arguments.size() + reasoning_bytes)
                   : approx_tokens(stream->text.size() + reasoning_bytes);
  const auto usage = usage_object(prompt_tokens, completion_tokens);

  if (request.flag("stream")) {
    Reply reply = sse_reply();
    const std::size_t chunks = request.chunks();
    if (stream->tool) {
      script_tool_call(*reply.stream, stream, chunks);
    } else {
      script_text(*reply.stream, stream, chunks);
    }
    if (stream->header.include_usage) reply.stream->add_frame(usage_chunk_frame(stream->header, usage));
    reply.stream->add_frame(sse_data("[DONE]"));
    return reply;
  }

  boost::json::object message{{"role", "assistant"}};
  if (stream->tool) {
    message["content"] = nullptr;
    message["tool_calls"] = {
        {{"id", stream->tool->id},
         {"type", "function"},
         {"function", {{"name", stream->tool->name}, {"arguments", stream->tool->arguments}}}}};
  } else {
    message["content"] = stream->text;
  }
  if (stream->reasoning) message["reasoning_content"] = *stream->reasoning;
  boost::json::object body{{"id", stream->header.id},
                           {"object", "chat.completion"},
                           {"created", request.created},
                           {"model", request.model()},
                           {"choices",
                            {{{"index", 0},
                              {"message", std::move(message)},
                              {"finish_reason", stream->tool ? "tool_calls" : "stop"},
                              {"logprobs", nullptr}}}},
                           {"usage", usage}};
  return json_reply(200, boost::json::serialize(body));
}

}  // namespace llmux::mock
