#include "responses_input.hpp"

#include <boost/json/serialize.hpp>

#include "error_bodies.hpp"
#include "mock_text.hpp"
#include "openai_common.hpp"

namespace llmux::mock {
namespace {

std::string_view text_of(const boost::json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value && value->is_string() ? std::string_view(value->get_string()) : std::string_view{};
}

// A message's content as OpenAI's input_items lists it: an array of typed parts.
boost::json::value content_parts(const boost::json::value& content, std::string_view role) {
  if (!content.is_string()) return content;
  const char* type = role == "assistant" ? "output_text" : "input_text";
  boost::json::object part{{"type", type}, {"text", content.get_string()}};
  if (role == "assistant") {
    part["annotations"] = boost::json::array{};
  }
  return boost::json::array{std::move(part)};
}

// Item `i` of this request's input, with the id and shape OpenAI gives input items.
boost::json::object normalised_item(boost::json::object item, std::uint64_t request_id, std::size_t i) {
  const std::string_view type = text_of(item, "type");
  const bool message = type.empty() || type == "message";
  if (message) {
    item["type"] = "message";
    const std::string role(text_of(item, "role"));
    if (const auto* content = item.if_contains("content")) item["content"] = content_parts(*content, role);
    if (!item.contains("status")) item["status"] = "completed";
  }
  if (!item.contains("id")) {
    item["id"] = std::string(message ? "msg_in_" : "item_in_") + std::to_string(request_id) + "_" + std::to_string(i);
  }
  return item;
}

std::string item_text(const boost::json::object& item) {
  const std::string_view type = text_of(item, "type");
  if (type == "function_call_output") {
    const auto* output = item.if_contains("output");
    return output ? collect_text(*output) : std::string{};
  }
  if (type == "function_call") return std::string(text_of(item, "arguments"));
  const auto* content = item.if_contains("content");
  return content ? collect_text(*content) : std::string{};
}

// The text the reply answers: the last user message or function result, newest first.
std::string reply_target(const boost::json::array& items, std::size_t from) {
  for (std::size_t i = items.size(); i > from; --i) {
    const auto* item = items[i - 1].if_object();
    if (!item) continue;
    const std::string_view type = text_of(*item, "type");
    if (type == "function_call_output" || (type == "message" && text_of(*item, "role") == "user")) {
      return item_text(*item);
    }
  }
  return {};
}

Reply invalid(std::string message, std::optional<std::string_view> param, std::optional<std::string_view> code = {}) {
  return openai_error(400, message, "invalid_request_error", param, code);
}

}  // namespace

std::string encrypted_reasoning(const ResponsesMemory& memory, std::string_view item_id) {
  return base64_encode("mock-reasoning:" + memory.instance_secret() + ":" + std::string(item_id));
}

std::variant<ResponsesTurn, Reply> read_responses_turn(const MockRequest& request, const ResponsesMemory& memory) {
  if (!request.body) return invalid_json_error();
  const auto& body = *request.body;
  if (!body.contains("model")) {
    return invalid("Missing required parameter: 'model'.", "model", "missing_required_parameter");
  }
  ResponsesTurn turn;
  if (const auto* previous = body.if_contains("previous_response_id"); previous && !previous->is_null()) {
    if (!previous->is_string()) return invalid("Invalid type for 'previous_response_id': expected a string.", "previous_response_id");
    const std::string id(previous->get_string());
    auto stored = memory.get(id);
    if (!stored) {
      return openai_error(404, "Previous response with id '" + id + "' not found.", "invalid_request_error",
                          "previous_response_id", "previous_response_not_found");
    }
    turn.previous_response_id = id;
    turn.history = std::move(stored->history);
    if (const auto* output = stored->response.if_contains("output"); output && output->is_array()) {
      for (const auto& item : output->get_array()) turn.history.push_back(item);
    }
  }
  const std::size_t earlier = turn.history.size();
  const auto* input = body.if_contains("input");
  if (input && input->is_string()) {
    boost::json::object message{{"role", "user"}, {"content", input->get_string()}};
    turn.history.push_back(normalised_item(std::move(message), request.id, 0));
  } else if (input && input->is_array()) {
    const auto& items = input->get_array();
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (!items[i].is_object()) {
        return invalid("Invalid type for 'input[" + std::to_string(i) + "]': expected an input item object.",
                       "input");
      }
      boost::json::object item = normalised_item(items[i].get_object(), request.id, i);
      if (text_of(item, "type") == "reasoning") {
        const auto* encrypted = item.if_contains("encrypted_content");
        if (encrypted && encrypted->is_string() &&
            encrypted->get_string() != encrypted_reasoning(memory, text_of(item, "id"))) {
          return invalid("The encrypted content for item " + std::string(text_of(item, "id")) +
                             " could not be verified.",
                         std::nullopt, "invalid_encrypted_content");
        }
      }
      turn.history.push_back(std::move(item));
    }
  } else if (input && !input->is_null()) {
    return invalid("Invalid type for 'input': expected one of a string or array of input items.", "input");
  } else if (!turn.previous_response_id) {
    return invalid("Missing required parameter: 'input'.", "input", "missing_required_parameter");
  }
  turn.new_items = turn.history.size() - earlier;
  turn.user_text = reply_target(turn.history, earlier);
  if (turn.user_text.empty()) turn.user_text = reply_target(turn.history, 0);
  turn.prompt_bytes = text_of(body, "instructions").size();
  for (const auto& item : turn.history) {
    if (const auto* object = item.if_object()) turn.prompt_bytes += item_text(*object).size();
  }
  return turn;
}

std::optional<ToolChoice> responses_tool_call(const MockRequest& request, const ResponsesTurn& turn) {
  const auto* tools_value = request.body->if_contains("tools");
  const auto* tools = tools_value ? tools_value->if_array() : nullptr;
  if (!tools || tools->empty()) return std::nullopt;
  std::string name;
  const auto* choice = request.body->if_contains("tool_choice");
  if (choice && choice->is_string() && choice->get_string() == "none") return std::nullopt;
  if (const auto* forced = choice ? choice->if_object() : nullptr) {
    name = std::string(text_of(*forced, "name"));
  } else if (choice && choice->is_string() && choice->get_string() == "required") {
    if (const auto* first = tools->front().if_object()) name = std::string(text_of(*first, "name"));
  }
  if (name.empty() && request.fault.tool_call) {
    const auto* last = turn.history.empty() ? nullptr : turn.history.back().if_object();
    const bool after_result = last && text_of(*last, "type") == "function_call_output";
    if (!after_result) name = *request.fault.tool_call;
  }
  if (name.empty()) return std::nullopt;
  static const boost::json::value kNoParameters = boost::json::object{};
  const boost::json::value* schema = &kNoParameters;
  bool known = false;
  for (const auto& tool : *tools) {
    const auto* object = tool.if_object();
    if (!object || text_of(*object, "name") != name) continue;
    if (const auto* parameters = object->if_contains("parameters")) schema = parameters;
    known = true;
    break;
  }
  return ToolChoice{name, boost::json::serialize(arguments_from_schema(known ? schema : nullptr))};
}

}  // namespace llmux::mock
