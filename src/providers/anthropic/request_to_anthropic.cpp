#include "providers/anthropic/request_to_anthropic.hpp"

#include <algorithm>
#include <array>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>

#include "api/request_view.hpp"
#include "providers/anthropic/field_types.hpp"
#include "providers/anthropic/json_helpers.hpp"
#include "providers/anthropic/max_tokens_defaults.hpp"
#include "providers/anthropic/messages_to_anthropic.hpp"
#include "providers/anthropic/tools_to_anthropic.hpp"
#include "text/checked_number.hpp"

namespace llmux::providers::anthropic {

namespace json = boost::json;

namespace {

// clang-format off
// Fields this file translates itself.
constexpr std::array<std::string_view, 18> kTranslated{
    "model", "messages", "max_tokens", "max_completion_tokens", "stop", "temperature", "top_p", "top_k",
    "stream", "stream_options", "tools", "tool_choice", "parallel_tool_calls", "user", "response_format",
    "reasoning_effort", "thinking", "metadata"};

// OpenAI parameters Anthropic has no equivalent for: refused, or dropped under drop_params.
constexpr std::array<std::string_view, 18> kUnsupported{
    "logit_bias", "logprobs", "top_logprobs", "presence_penalty", "frequency_penalty", "seed", "n", "audio",
    "modalities", "prediction", "service_tier", "store", "web_search_options", "functions", "function_call",
    "verbosity", "prompt_cache_key", "safety_identifier"};

// Gateway controls (LiteLLM request-body fields): consumed by the router or ignored,
// never forwarded. `metadata` is LiteLLM's own; only its user_id reaches Anthropic.
constexpr std::array<std::string_view, 22> kGatewayControls{
    "fallbacks", "context_window_fallbacks", "content_policy_fallbacks", "num_retries", "max_retries",
    "timeout", "request_timeout", "stream_timeout", "tags", "disable_fallbacks", "max_fallbacks",
    "drop_params", "additional_drop_params", "allowed_openai_params", "caching", "cache", "ttl",
    "extra_headers", "api_key", "api_base", "api_version", "guardrails"};
constexpr std::array<std::string_view, 3> kGatewayControlPrefixes{"mock_", "litellm_", "user_api_key_"};
// clang-format on

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& list, std::string_view key) {
  return std::find(list.begin(), list.end(), key) != list.end();
}

bool is_gateway_control(std::string_view key) {
  if (contains(kGatewayControls, key) || api::is_gateway_control_param(key)) return true;
  for (std::string_view p : kGatewayControlPrefixes) {
    if (key.substr(0, p.size()) == p) return true;
  }
  return false;
}

// Null, `n: 1`, and `logprobs`/`store: false` ask for nothing Anthropic lacks.
bool requests_something(std::string_view key, const json::value& v) {
  if (v.is_null()) return false;
  if (key == "n") return !(as_int(v) && *as_int(v) <= 1);
  if (v.is_bool()) return v.get_bool();
  return true;
}

TranslationError unsupported_params_error(const std::vector<std::string>& params, std::string_view model) {
  // LiteLLM's UnsupportedParamsError wording, so clients matching on it keep working.
  std::string list = "[";
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (i) list += ", ";
    list += "'" + params[i] + "'";
  }
  list += "]";
  return {400,
          "litellm.UnsupportedParamsError: anthropic does not support parameters: " + list +
              ", for model=" + std::string(model) +
              ". To drop these, set `litellm.drop_params=True` or for proxy:\n\n`litellm_settings:\n "
              "drop_params: true`\n",
          params.front()};
}

// LiteLLM's _valid_user_id: Anthropic must not receive an e-mail address or a phone
// number as metadata.user_id, so those are silently not sent.
bool looks_like_email(std::string_view s) {
  std::size_t at = s.find('@');
  if (at == 0 || at == std::string_view::npos || s.find('@', at + 1) != std::string_view::npos) return false;
  for (char c : s.substr(0, at)) {
    if (!std::isalnum(static_cast<unsigned char>(c)) &&
        std::string_view("._%+-").find(c) == std::string_view::npos)
      return false;
  }
  std::string_view domain = s.substr(at + 1);
  std::size_t dot = domain.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || domain.size() - dot - 1 < 2) return false;
  for (char c : domain) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-') return false;
  }
  for (char c : domain.substr(dot + 1)) {
    if (!std::isalpha(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool looks_like_phone(std::string_view s) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.size() < 7) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c)) && !std::isspace(static_cast<unsigned char>(c)) &&
        c != '(' && c != ')' && c != '-')
      return false;
  }
  return true;
}

std::optional<std::string_view> anthropic_user_id(const json::object& request) {
  auto user = string_member(request, "user");
  if (!user) {
    if (const json::object* metadata = object_member(request, "metadata"))
      user = string_member(*metadata, "user_id");
  }
  if (!user || user->empty() || looks_like_email(*user) || looks_like_phone(*user)) return std::nullopt;
  return user;
}

// The request's own `drop_params`: a bool, or the strings "true"/"false" LiteLLM also accepts.
std::optional<bool> request_drop_params(const json::object& request) {
  const json::value* v = request.if_contains("drop_params");
  if (!v) return std::nullopt;
  if (v->is_bool()) return v->get_bool();
  if (v->is_string() && (v->get_string() == "true" || v->get_string() == "false"))
    return v->get_string() == "true";
  return std::nullopt;
}

bool is_blank(std::string_view s) { return s.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos; }

// `stop` (string or list) -> `stop_sequences`. Whitespace-only sequences are rejected by
// Anthropic; LiteLLM removes them only under drop_params, and so do we.
std::variant<json::value, TranslationError> stop_sequences(const json::value& stop, bool drop_params) {
  json::array out;
  auto add = [&](const json::value& v) -> bool {
    if (!v.is_string()) return false;
    if (!(drop_params && is_blank(v.get_string()))) out.push_back(v);
    return true;
  };
  if (stop.is_array()) {
    for (const json::value& v : stop.get_array()) {
      if (!add(v)) return TranslationError{400, "stop must be a string or a list of strings", "stop"};
    }
  } else if (!add(stop)) {
    return TranslationError{400, "stop must be a string or a list of strings", "stop"};
  }
  if (out.empty()) return json::value(nullptr);
  return json::value(std::move(out));
}

struct Thinking {
  json::value value;                   // what to send as `thinking`; null = nothing
  bool on = false;                     // extended thinking is enabled
  std::optional<std::int64_t> budget;  // budget_tokens when known
};

// An explicit `thinking` passes through; else reasoning_effort maps to LiteLLM's budgets
// (DEFAULT_REASONING_EFFORT_{LOW,MEDIUM,HIGH}_THINKING_BUDGET = 1024/2048/4096).
std::variant<Thinking, TranslationError> thinking_from(const json::object& request) {
  Thinking t;
  if (!is_absent(request, "thinking")) {
    t.value = request.at("thinking");
    if (const json::object* o = t.value.if_object()) {
      std::string_view type = string_member_or(*o, "type");
      t.on = type == "enabled" || type == "adaptive";
      if (!is_absent(*o, "budget_tokens")) {
        t.budget = int_member(*o, "budget_tokens");
        if (!t.budget || *t.budget < 0) {
          return TranslationError{400, "Invalid 'thinking.budget_tokens': expected a non-negative integer.",
                                  "thinking"};
        }
      }
    }
    return t;
  }
  if (is_absent(request, "reasoning_effort")) return t;
  std::string_view effort = string_member_or(request, "reasoning_effort");
  std::int64_t budget = 0;
  if (effort == "minimal" || effort == "low") {
    budget = 1024;  // Anthropic's minimum budget
  } else if (effort == "medium") {
    budget = 2048;
  } else if (effort == "high") {
    budget = 4096;
  } else if (effort == "none") {
    return t;
  } else {
    return TranslationError{400, "Unmapped reasoning effort: " + std::string(effort), "reasoning_effort"};
  }
  t.value = json::object{{"type", "enabled"}, {"budget_tokens", budget}};
  t.on = true;
  t.budget = budget;
  return t;
}

}  // namespace

TranslateOptions translate_options_for(const config::Deployment& deployment, bool global_drop_params) {
  TranslateOptions options;
  options.upstream_model = deployment.upstream_model;
  const config::ModelInfo& info = deployment.model_info;
  options.default_max_tokens = info.max_output_tokens ? info.max_output_tokens : info.max_tokens;
  options.drop_params = deployment.drop_params.value_or(global_drop_params);
  return options;
}

std::variant<TranslatedRequest, TranslationError> to_anthropic_request(
    const json::object& request, const TranslateOptions& given_options) {
  if (auto wrong = check_field_types(request, openai_chat_field_rules(), ErrorWording::openai)) return *wrong;
  TranslatedRequest result;
  TranslateOptions options = given_options;
  if (auto drop = request_drop_params(request)) options.drop_params = *drop;

  // 1. Parameters Anthropic lacks: refuse, or drop under drop_params.
  std::vector<std::string> unsupported;
  for (const auto& [key, value] : request) {
    if (contains(kUnsupported, key) && requests_something(key, value)) unsupported.emplace_back(key);
  }
  if (!unsupported.empty() && !options.drop_params) {
    return unsupported_params_error(unsupported, options.upstream_model);
  }
  result.dropped_params = unsupported;

  // 2. Messages.
  const json::array* messages = array_member(request, "messages");
  if (!messages) return TranslationError{400, "messages is required and must be a list", "messages"};
  auto conversation = messages_to_anthropic(*messages);
  if (auto* err = std::get_if<TranslationError>(&conversation)) return *err;
  auto& conv = std::get<AnthropicConversation>(conversation);

  auto thinking_or_error = thinking_from(request);
  if (auto* err = std::get_if<TranslationError>(&thinking_or_error)) return *err;
  Thinking& thinking = std::get<Thinking>(thinking_or_error);

  json::object body;
  body["model"] = options.upstream_model;
  if (json::value system = system_value(conv.system); !system.is_null()) body["system"] = std::move(system);
  body["messages"] = std::move(conv.messages);

  // 3. max_tokens: Anthropic requires it. With thinking on, the default must leave room
  // above the budget (LiteLLM: budget + DEFAULT_MAX_TOKENS); we keep a larger default.
  const json::value* max_tokens = !is_absent(request, "max_completion_tokens")
                                      ? request.if_contains("max_completion_tokens")
                                  : !is_absent(request, "max_tokens") ? request.if_contains("max_tokens")
                                                                      : nullptr;
  if (max_tokens) {
    if (!as_int(*max_tokens)) return TranslationError{400, "max_tokens must be an integer", "max_tokens"};
    body["max_tokens"] = *as_int(*max_tokens);
  } else {
    std::int64_t fallback = default_max_tokens(options.upstream_model, options.default_max_tokens);
    if (thinking.budget && fallback <= *thinking.budget) {
      // A client-chosen budget near INT64_MAX must not wrap into a negative max_tokens.
      const auto raised = text::checked_add(*thinking.budget, kFallbackMaxTokens);
      if (!raised) {
        return TranslationError{400, "Invalid 'thinking.budget_tokens': too large to leave room for an answer.",
                                "thinking"};
      }
      fallback = *raised;
    }
    body["max_tokens"] = fallback;
  }

  if (!is_absent(request, "stop")) {
    auto stop = stop_sequences(request.at("stop"), options.drop_params);
    if (auto* err = std::get_if<TranslationError>(&stop)) return *err;
    if (auto& v = std::get<json::value>(stop); !v.is_null()) body["stop_sequences"] = std::move(v);
  }

  // 4. Sampling. Extended thinking only allows temperature 1, top_p >= 0.95 and no top_k;
  // Anthropic would refuse the whole request, so the conflicting values are dropped (and reported).
  for (std::string_view key : {"temperature", "top_p", "top_k"}) {
    if (is_absent(request, key)) continue;
    const json::value& v = request.at(key);
    bool conflicts = false;
    if (thinking.on && v.is_number()) {
      double d = v.to_number<double>();
      conflicts = (key == "temperature" && d != 1.0) || (key == "top_p" && d < 0.95) || key == "top_k";
    }
    if (conflicts) {
      result.dropped_params.emplace_back(key);
    } else {
      body[key] = v;
    }
  }

  // 5. Tools, tool_choice, response_format (json mode via a forced tool, as LiteLLM does).
  json::array tools;
  if (const json::array* given = array_member(request, "tools")) {
    auto converted = tools_to_anthropic(*given);
    if (auto* err = std::get_if<TranslationError>(&converted)) return *err;
    tools = std::move(std::get<json::array>(converted));
  }
  auto choice = tool_choice_to_anthropic(request.if_contains("tool_choice"),
                                         request.if_contains("parallel_tool_calls"));
  if (auto* err = std::get_if<TranslationError>(&choice)) return *err;
  json::value tool_choice = std::move(std::get<json::value>(choice));
  if (!is_absent(request, "response_format")) {
    auto tool = response_format_tool(request.at("response_format"));
    if (auto* err = std::get_if<TranslationError>(&tool)) return *err;
    if (auto& t = std::get<json::value>(tool); !t.is_null()) {
      tools.push_back(std::move(t));
      result.json_mode_tool = true;
      // Anthropic refuses a forced tool while thinking; LiteLLM then leaves the choice alone.
      if (!thinking.on) tool_choice = json::object{{"type", "tool"}, {"name", kJsonModeToolName}};
    }
  }
  if (!tools.empty()) {
    body["tools"] = std::move(tools);
    // tool_choice without tools is meaningless to Anthropic (and refused), so it is only sent with tools.
    if (!tool_choice.is_null()) body["tool_choice"] = std::move(tool_choice);
  }

  if (auto user_id = anthropic_user_id(request)) body["metadata"] = json::object{{"user_id", *user_id}};
  if (!thinking.value.is_null()) body["thinking"] = thinking.value;

  if (const json::value* stream = request.if_contains("stream");
      stream && stream->is_bool() && stream->get_bool()) {
    body["stream"] = true;
    result.stream = true;
    if (const json::object* so = object_member(request, "stream_options")) {
      const json::value* iu = so->if_contains("include_usage");
      result.include_usage = iu && iu->is_bool() && iu->get_bool();
    }
  }

  // 6. Everything else is a provider-specific parameter: forwarded as-is, like LiteLLM
  // (e.g. Anthropic-native fields such as `container` or `mcp_servers`).
  for (const auto& [key, value] : request) {
    if (contains(kTranslated, key) || contains(kUnsupported, key) || is_gateway_control(key)) continue;
    if (!body.contains(key)) body[key] = value;
  }

  result.body = json::serialize(body);
  return result;
}

}  // namespace llmux::providers::anthropic
