#include "responses_api.hpp"

#include <boost/json/serialize.hpp>
#include <memory>

#include "error_bodies.hpp"
#include "mock_text.hpp"
#include "openai_common.hpp"
#include "responses_input.hpp"
#include "responses_stream.hpp"

namespace llmux::mock {
namespace {

boost::json::value field_or(const boost::json::object& body, std::string_view key, boost::json::value fallback) {
  const auto* value = body.if_contains(key);
  return value && !value->is_null() ? *value : fallback;
}

bool includes(const boost::json::object& body, std::string_view what) {
  const auto* include = body.if_contains("include");
  if (!include || !include->is_array()) return false;
  for (const auto& item : include->get_array()) {
    if (item.is_string() && item.get_string() == what) return true;
  }
  return false;
}

std::optional<std::uint64_t> max_output_tokens(const boost::json::object& body) {
  const auto* value = body.if_contains("max_output_tokens");
  if (value && value->is_int64() && value->get_int64() > 0) return static_cast<std::uint64_t>(value->get_int64());
  if (value && value->is_uint64()) return value->get_uint64();
  return std::nullopt;
}

Reply not_found(const std::string& id) {
  return openai_error(404, "Response with id '" + id + "' not found.", "invalid_request_error");
}

// The Response for this turn, its output items in order, and its usage.
ResponsesAnswer build_answer(const MockRequest& request, const ResponsesTurn& turn, const ResponsesMemory& memory) {
  const auto& body = *request.body;
  const std::string n = std::to_string(request.id);
  ResponsesAnswer answer;
  answer.id = "resp_mock_" + n + "_" + memory.instance_secret().substr(0, 8);
  const std::uint64_t input_tokens = approx_tokens(turn.prompt_bytes);
  std::uint64_t output_tokens = 0, reasoning_tokens = 0;
  std::string status = "completed";
  boost::json::value incomplete = nullptr;

  const auto* reasoning = body.if_contains("reasoning");
  if ((reasoning && reasoning->is_object()) || request.fault.thinking) {
    answer.reasoning_id = "rs_mock_" + n + "_" + memory.instance_secret().substr(0, 8);
    answer.reasoning_text = "Mock reasoning about: " + std::string(utf8_prefix(turn.user_text, 40));
    reasoning_tokens = approx_tokens(answer.reasoning_text.size());
    boost::json::object item{{"id", answer.reasoning_id},
                             {"type", "reasoning"},
                             {"summary", {{{"type", "summary_text"}, {"text", answer.reasoning_text}}}},
                             {"status", "completed"}};
    item["encrypted_content"] = includes(body, "reasoning.encrypted_content")
                                    ? boost::json::value(encrypted_reasoning(memory, answer.reasoning_id))
                                    : boost::json::value(nullptr);
    answer.output.push_back(std::move(item));
  }
  if (auto tool = responses_tool_call(request, turn)) {
    answer.function_name = tool->name;
    answer.function_arguments = tool->arguments;
    answer.function_item_id = "fc_mock_" + n;
    answer.call_id = "call_mock_" + n;
    output_tokens = approx_tokens(tool->name.size() + tool->arguments.size());
    answer.output.push_back(boost::json::object{{"id", answer.function_item_id},
                                                {"type", "function_call"},
                                                {"status", "completed"},
                                                {"call_id", answer.call_id},
                                                {"name", tool->name},
                                                {"arguments", tool->arguments}});
  } else {
    answer.text = reply_text(turn.user_text);
    answer.message_id = "msg_mock_" + n;
    const auto limit = max_output_tokens(body);
    if (limit && approx_tokens(answer.text.size()) > *limit) {
      answer.text = std::string(utf8_prefix(answer.text, *limit * 4));
      status = "incomplete";
      incomplete = boost::json::object{{"reason", "max_output_tokens"}};
    }
    output_tokens = approx_tokens(answer.text.size());
    boost::json::object part{{"type", "output_text"}, {"text", answer.text}, {"annotations", boost::json::array{}},
                             {"logprobs", boost::json::array{}}};
    answer.output.push_back(boost::json::object{{"id", answer.message_id},
                                                {"type", "message"},
                                                {"status", status},
                                                {"role", "assistant"},
                                                {"content", {std::move(part)}}});
  }
  output_tokens += reasoning_tokens;
  const auto* effort = reasoning && reasoning->is_object() ? reasoning->get_object().if_contains("effort") : nullptr;
  answer.response = {{"id", answer.id},
                     {"object", "response"},
                     {"created_at", request.created},
                     {"status", status},
                     {"background", false},
                     {"completed_at", request.created},
                     {"error", nullptr},
                     {"incomplete_details", incomplete},
                     {"instructions", field_or(body, "instructions", nullptr)},
                     {"max_output_tokens", field_or(body, "max_output_tokens", nullptr)},
                     {"model", request.model()},
                     {"output", answer.output},
                     {"parallel_tool_calls", field_or(body, "parallel_tool_calls", true)},
                     {"previous_response_id", turn.previous_response_id ? boost::json::value(*turn.previous_response_id)
                                                                        : boost::json::value(nullptr)},
                     {"reasoning", {{"effort", effort ? *effort : boost::json::value(nullptr)}, {"summary", nullptr}}},
                     {"store", field_or(body, "store", true)},
                     {"temperature", field_or(body, "temperature", 1)},
                     {"text", field_or(body, "text", boost::json::object{{"format", {{"type", "text"}}}})},
                     {"tool_choice", field_or(body, "tool_choice", "auto")},
                     {"tools", field_or(body, "tools", boost::json::array{})},
                     {"top_p", field_or(body, "top_p", 1)},
                     {"truncation", "disabled"},
                     {"usage",
                      {{"input_tokens", input_tokens},
                       {"input_tokens_details", {{"cached_tokens", 0}, {"cache_write_tokens", 0}}},
                       {"output_tokens", output_tokens},
                       {"output_tokens_details", {{"reasoning_tokens", reasoning_tokens}}},
                       {"total_tokens", input_tokens + output_tokens}}},
                     {"metadata", field_or(body, "metadata", boost::json::object{})}};
  // OpenAI's schema has no null user: the field is there only when the request set one.
  if (const auto* user = body.if_contains("user"); user && user->is_string()) answer.response["user"] = *user;
  return answer;
}

Reply create(const MockRequest& request, ResponsesMemory& memory) {
  auto read = read_responses_turn(request, memory);
  if (auto* refused = std::get_if<Reply>(&read)) return std::move(*refused);
  const ResponsesTurn& turn = std::get<ResponsesTurn>(read);
  auto answer = std::make_shared<ResponsesAnswer>(build_answer(request, turn, memory));
  const bool background = request.flag("background") && !request.flag("stream");
  if (background) {
    // Background mode: queued, never worked on; GET shows it in progress until it is cancelled.
    answer->response["status"] = "in_progress";
    answer->response["background"] = true;
    answer->response["output"] = boost::json::array{};
    answer->response["usage"] = nullptr;
    answer->response["completed_at"] = nullptr;
  }
  const FaultSpec& fault = request.fault;
  const bool faulted = fault.break_after || fault.stream_error || fault.response_failed;
  const auto* store = request.body->if_contains("store");
  const bool stored = !(store && store->is_bool() && !store->get_bool());
  if (stored && !faulted) memory.put(answer->id, StoredResponse{answer->response, turn.history, background});
  if (request.flag("stream")) return responses_stream_reply(answer, request);
  if (fault.response_failed) {
    // A 200 whose Response failed: the gateway must not pass it off as an answer.
    answer->response["status"] = "failed";
    answer->response["output"] = boost::json::array{};
    answer->response["error"] = {{"code", *fault.response_failed}, {"message", "Mock response failure"}};
  }
  return json_reply(200, boost::json::serialize(answer->response));
}

// The ?limit=&order=&after= of an input_items request.
std::string_view query_value(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) == name) return eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
  }
  return {};
}

Reply input_items(const StoredResponse& stored, std::string_view query) {
  std::size_t limit = 20;
  if (const auto text = query_value(query, "limit"); !text.empty()) {
    limit = std::strtoul(std::string(text).c_str(), nullptr, 10);
    if (limit < 1 || limit > 100) {
      return openai_error(400, "Invalid 'limit': integer must be between 1 and 100.", "invalid_request_error",
                          "limit");
    }
  }
  const bool ascending = query_value(query, "order") == "asc";
  const std::string after(query_value(query, "after"));
  std::vector<const boost::json::value*> ordered;
  for (const auto& item : stored.history) ordered.push_back(&item);
  if (!ascending) std::reverse(ordered.begin(), ordered.end());
  std::size_t start = 0;
  if (!after.empty()) {
    for (std::size_t i = 0; i < ordered.size(); ++i) {
      const auto* id = ordered[i]->is_object() ? ordered[i]->get_object().if_contains("id") : nullptr;
      if (id && id->is_string() && id->get_string() == after) start = i + 1;
    }
  }
  boost::json::array data;
  for (std::size_t i = start; i < ordered.size() && data.size() < limit; ++i) data.push_back(*ordered[i]);
  const auto id_of = [](const boost::json::value& item) -> boost::json::value {
    const auto* id = item.is_object() ? item.get_object().if_contains("id") : nullptr;
    return id ? *id : boost::json::value(nullptr);
  };
  boost::json::object list{{"object", "list"},
                           {"data", data},
                           {"first_id", data.empty() ? boost::json::value(nullptr) : id_of(data.front())},
                           {"last_id", data.empty() ? boost::json::value(nullptr) : id_of(data.back())},
                           {"has_more", start + data.size() < ordered.size()}};
  return json_reply(200, boost::json::serialize(list));
}

}  // namespace

std::optional<ResponsesRoute> responses_route_for(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  if (path.ends_with("/responses")) return ResponsesRoute{ResponsesAction::create, {}};
  const auto at = path.rfind("/responses/");
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view rest = path.substr(at + 11);
  ResponsesAction action = ResponsesAction::retrieve;
  if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
    const std::string_view tail = rest.substr(slash);
    if (tail == "/input_items") {
      action = ResponsesAction::input_items;
    } else if (tail == "/cancel") {
      action = ResponsesAction::cancel;
    } else {
      return std::nullopt;
    }
    rest = rest.substr(0, slash);
  }
  if (rest.empty()) return std::nullopt;
  return ResponsesRoute{action, std::string(rest)};
}

Reply responses_api(const ResponsesRoute& route, const MockRequest& request, std::string_view query,
                    ResponsesMemory& memory) {
  const std::string_view method = request.method;
  const bool post = method == "POST", get = method == "GET", del = method == "DELETE";
  const bool allowed = route.action == ResponsesAction::create || route.action == ResponsesAction::cancel
                           ? post
                           : route.action == ResponsesAction::retrieve ? (get || del) : get;
  if (!allowed) return openai_error(405, "Method Not Allowed", "invalid_request_error");
  if (route.action == ResponsesAction::create) return create(request, memory);
  if (del) {
    if (!memory.erase(route.id)) return not_found(route.id);
    return json_reply(200, boost::json::serialize(boost::json::object{
                               {"id", route.id}, {"object", "response"}, {"deleted", true}}));
  }
  auto stored = memory.get(route.id);
  if (!stored) return not_found(route.id);
  switch (route.action) {
    case ResponsesAction::input_items:
      return input_items(*stored, query);
    case ResponsesAction::cancel:
      if (!stored->background) {
        return openai_error(400, "Only responses created with background=true can be cancelled.",
                            "invalid_request_error");
      }
      memory.set_status(route.id, "cancelled");
      stored->response["status"] = "cancelled";
      return json_reply(200, boost::json::serialize(stored->response));
    default:
      return json_reply(200, boost::json::serialize(stored->response));
  }
}

}  // namespace llmux::mock
