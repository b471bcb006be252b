#include "tokens/prompt_tokens.hpp"

#include <string>

// The request reader's allocation-free JSON cursors: a pure parser, like config's use of net/url.
#include "api/json_scan.hpp"
#include "tokens/text_tokens.hpp"

namespace llmux::tokens {
namespace {

// LiteLLM's constants (litellm_core_utils/token_counter.py).
constexpr std::int64_t kPerMessage = 3;
constexpr std::int64_t kPerName = 1;
constexpr std::int64_t kReplyPrimer = 3;
constexpr std::int64_t kToolDefinitions = 9;
constexpr std::int64_t kSystemWithTools = -4;
constexpr std::int64_t kToolChoiceNone = 1;
constexpr std::int64_t kNamedToolChoice = 7;
constexpr std::int64_t kImageLowDetail = 85;
// 85 + 170 per 512-pixel tile of the largest high-detail image (2048×768 after scaling: 8 tiles).
constexpr std::int64_t kImageHighDetail = 85 + 170 * 8;

// The text inside a JSON string value's quotes (escapes kept); nullopt when it is no string.
std::optional<std::string_view> string_body(std::string_view value) {
  if (!api::is_string(value)) return std::nullopt;
  return value.substr(1, value.size() - 2);
}

std::int64_t string_tokens(std::string_view value) {
  const auto body = string_body(value);
  return body ? json_string_tokens(*body) : 0;
}

std::int64_t image_tokens(std::string_view image_url) {
  if (api::is_object(image_url)) {
    const auto detail = api::find_member(image_url, "detail");
    const auto text = detail ? api::decode_string(*detail) : std::nullopt;
    if (text && *text == "high") return kImageHighDetail;
  }
  return kImageLowDetail;
}

std::int64_t content_part_tokens(std::string_view part) {
  if (api::is_string(part)) return string_tokens(part);
  if (!api::is_object(part)) return 0;
  const auto type_value = api::find_member(part, "type");
  const auto type = type_value ? api::decode_string(*type_value) : std::nullopt;
  if (!type) return 0;
  if (*type == "text") {
    const auto text = api::find_member(part, "text");
    return text ? string_tokens(*text) : 0;
  }
  if (*type == "image_url") {
    const auto url = api::find_member(part, "image_url");
    return url ? image_tokens(*url) : 0;
  }
  if (*type == "file") {  // a document: its name, and LiteLLM's image figure for the data
    const auto file = api::find_member(part, "file");
    const auto name = file ? api::find_member(*file, "filename") : std::nullopt;
    return (name ? string_tokens(*name) : 0) + kImageLowDetail;
  }
  return 0;
}

std::int64_t tool_call_tokens(std::string_view tool_calls) {
  std::int64_t total = 0;
  api::ElementCursor calls(tool_calls);
  std::string_view call;
  while (calls.next(call)) {
    const auto function = api::find_member(call, "function");
    const auto arguments = function ? api::find_member(*function, "arguments") : std::nullopt;
    if (arguments) total += string_tokens(*arguments);
  }
  return total;
}

struct MessagesCount {
  std::int64_t tokens = 0;
  bool has_system = false;
};

MessagesCount messages_tokens(std::string_view messages) {
  MessagesCount count;
  api::ElementCursor elements(messages);
  std::string_view message;
  while (elements.next(message)) {
    count.tokens += kPerMessage;
    api::MemberCursor members(message);
    api::Member member;
    while (members.next(member)) {
      const std::string_view value = member.value(message);
      if (member.key_is("tool_calls")) {
        count.tokens += tool_call_tokens(value);
      } else if (member.key_is("function_call")) {
        const auto arguments = api::find_member(value, "arguments");
        if (arguments) count.tokens += string_tokens(*arguments);
      } else if (api::is_string(value)) {
        count.tokens += string_tokens(value);
        if (member.key_is("name")) count.tokens += kPerName;
        if (member.key_is("role") && value == "\"system\"") count.has_system = true;
      } else if (member.key_is("content") && api::is_array(value)) {
        api::ElementCursor parts(value);
        std::string_view part;
        while (parts.next(part)) count.tokens += content_part_tokens(part);
      }
    }
  }
  return count;
}

// `prompt` / `input`: a string, a list of strings, a list of token ids, or a list of such lists.
std::int64_t text_input_tokens(std::string_view value, int depth = 0) {
  if (api::is_string(value)) return string_tokens(value);
  if (api::is_number(value)) return 1;
  if (!api::is_array(value) || depth > 1) return 0;
  std::int64_t total = 0;
  api::ElementCursor elements(value);
  std::string_view element;
  while (elements.next(element)) total += text_input_tokens(element, depth + 1);
  return total;
}

void append_decoded(std::string& out, std::string_view value) {
  if (auto text = api::decode_string(value)) out += *text;
}

std::optional<std::string_view> member(std::string_view object, std::string_view key) {
  return api::find_member(object, key);
}

void append_type(std::string& out, std::string_view props, int indent);

// LiteLLM's _format_object_parameters: one line per property, `// description` above it.
void append_object_parameters(std::string& out, std::string_view parameters, int indent) {
  const auto properties = member(parameters, "properties");
  if (!properties || !api::is_object(*properties)) return;
  const auto required = member(parameters, "required");
  const auto required_list = required ? api::decode_string_list(*required) : std::nullopt;
  api::MemberCursor cursor(*properties);
  api::Member property;
  bool first = true;
  while (cursor.next(property)) {
    const std::string_view props = property.value(*properties);
    const auto key = api::decode_key(property.key_raw);
    if (!key) continue;
    const auto description = member(props, "description");
    const auto line_start = [&] {
      if (!first) out += '\n';
      first = false;
      out.append(static_cast<std::size_t>(indent), ' ');
    };
    if (description && api::is_string(*description)) {
      line_start();
      out += "// ";
      append_decoded(out, *description);
    }
    line_start();
    out += *key;
    bool is_required = false;
    if (required_list) {
      for (const auto& name : *required_list) is_required = is_required || name == *key;
    }
    if (!is_required) out += '?';
    out += ": ";
    append_type(out, props, indent);
    out += ',';
  }
}

void append_enum(std::string& out, std::string_view values) {
  api::ElementCursor cursor(values);
  std::string_view value;
  bool first = true;
  while (cursor.next(value)) {
    if (!first) out += " | ";
    first = false;
    out += '"';
    if (api::is_string(value)) {
      append_decoded(out, value);
    } else {
      out += value;
    }
    out += '"';
  }
}

void append_type(std::string& out, std::string_view props, int indent) {
  const auto type_value = member(props, "type");
  const auto type = type_value ? api::decode_string(*type_value) : std::nullopt;
  const auto values = member(props, "enum");
  if (type && (*type == "string" || *type == "integer" || *type == "number")) {
    if (values && api::is_array(*values)) return append_enum(out, *values);
    out += *type == "string" ? "string" : "number";
  } else if (type && *type == "array") {
    const auto items = member(props, "items");
    if (items && indent < 64) {
      append_type(out, *items, indent);
    } else {
      out += "any";
    }
    out += "[]";
  } else if (type && *type == "object" && indent < 64) {
    out += "{\n";
    append_object_parameters(out, props, indent + 2);
    out += "\n}";
  } else if (type && (*type == "boolean" || *type == "null")) {
    out += *type;
  } else {
    out += "any";
  }
}

}  // namespace

void append_function_definitions(std::string& out, std::string_view tools_json) {
  out += "namespace functions {\n\n";
  api::ElementCursor tools(tools_json);
  std::string_view tool;
  while (tools.next(tool)) {
    const auto function = member(tool, "function");
    if (!function || !api::is_object(*function)) continue;
    const auto name = member(*function, "name");
    if (!name || !api::is_string(*name) || *name == "\"\"") continue;
    const auto description = member(*function, "description");
    if (description && api::is_string(*description) && *description != "\"\"") {
      out += "// ";
      append_decoded(out, *description);
      out += '\n';
    }
    out += "type ";
    append_decoded(out, *name);
    const auto parameters = member(*function, "parameters");
    const auto properties = parameters ? member(*parameters, "properties") : std::nullopt;
    if (properties && api::is_object(*properties) && *properties != "{}") {
      out += " = (_: {\n";
      append_object_parameters(out, *parameters, 0);
      out += "\n}) => any;\n\n";
    } else {
      out += " = () => any;\n\n";
    }
  }
  out += "} // namespace functions";
}

std::int64_t prompt_tokens(const PromptJson& request) {
  std::int64_t total = 0;
  if (!request.messages.empty()) {
    const MessagesCount messages = messages_tokens(request.messages);
    total += messages.tokens + kReplyPrimer;
    const std::string_view tools = !request.tools.empty() ? request.tools : std::string_view{};
    if (api::is_array(tools) && tools != "[]") {
      std::string definitions;
      append_function_definitions(definitions, tools);
      total += text_tokens(definitions) + kToolDefinitions;
      if (messages.has_system) total += kSystemWithTools;
    }
    if (api::is_array(request.functions)) {
      // Legacy `functions`: the definitions without the {"type":"function"} wrapper; counted as
      // their JSON text, which is longer than the rendered form (an overestimate, never under).
      total += text_tokens(request.functions) + kToolDefinitions;
    }
    if (request.tool_choice == "\"none\"") {
      total += kToolChoiceNone;
    } else if (api::is_object(request.tool_choice)) {
      const auto function = member(request.tool_choice, "function");
      const auto name = function ? member(*function, "name") : std::nullopt;
      total += kNamedToolChoice + (name ? string_tokens(*name) : 0);
    }
  }
  if (!request.prompt.empty()) total += text_input_tokens(request.prompt);
  if (!request.input.empty()) total += text_input_tokens(request.input);
  // The margin: the text estimate is calibrated to lean high; this covers what calibration missed.
  return total + total / 50 + 1;
}

}  // namespace llmux::tokens
