#include "providers/responses/response_object.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "providers/anthropic/json_helpers.hpp"
#include "text/checked_number.hpp"

namespace llmux::providers::responses {

namespace json = boost::json;

std::string item_id(std::string_view prefix, std::string_view response_id, std::size_t n) {
  std::string_view suffix = response_id;
  if (suffix.starts_with("resp_")) suffix.remove_prefix(5);
  return std::string(prefix) + "_" + std::string(suffix) + std::to_string(n);
}

json::object response_skeleton(const ResponseContext& context, std::string_view model, std::int64_t created_at,
                               std::string_view status) {
  json::object response{{"id", context.response_id},
                        {"object", "response"},
                        {"created_at", anthropic::created_or_now(created_at)},
                        {"status", status},
                        {"error", nullptr},
                        {"incomplete_details", nullptr},
                        {"model", model},
                        {"output", json::array{}}};
  for (const auto& [key, value] : context.echo) response[key] = value;
  return response;
}

namespace {

std::int64_t count_at(const json::object* o, std::string_view key) {
  if (!o) return 0;
  const std::int64_t n = anthropic::int_member_or(*o, key, 0);
  return n < 0 ? 0 : n;
}

}  // namespace

json::object usage_from_chat(const json::object* usage) {
  const std::int64_t input = count_at(usage, "prompt_tokens");
  const std::int64_t output = count_at(usage, "completion_tokens");
  const json::object* prompt_details = usage ? anthropic::object_member(*usage, "prompt_tokens_details") : nullptr;
  const json::object* completion_details =
      usage ? anthropic::object_member(*usage, "completion_tokens_details") : nullptr;
  // Cache writes: LiteLLM-shaped upstreams (and llmux's Anthropic translation) report them at the top.
  std::int64_t cache_write = count_at(usage, "cache_creation_input_tokens");
  if (cache_write == 0) cache_write = count_at(prompt_details, "cache_write_tokens");
  return json::object{
      {"input_tokens", input},
      {"input_tokens_details",
       json::object{{"cached_tokens", count_at(prompt_details, "cached_tokens")}, {"cache_write_tokens", cache_write}}},
      {"output_tokens", output},
      {"output_tokens_details", json::object{{"reasoning_tokens", count_at(completion_details, "reasoning_tokens")}}},
      {"total_tokens", text::saturating_add(input, output)}};
}

std::string_view incomplete_reason(std::string_view finish_reason) {
  if (finish_reason == "length") return "max_output_tokens";
  if (finish_reason == "content_filter") return "content_filter";
  return {};
}

void set_final_status(json::object& response, std::string_view finish_reason) {
  const std::string_view reason = incomplete_reason(finish_reason);
  response["status"] = reason.empty() ? "completed" : "incomplete";
  response["incomplete_details"] = reason.empty() ? json::value(nullptr) : json::value(json::object{{"reason", reason}});
}

json::object output_text_part(std::string_view text) {
  return json::object{{"type", "output_text"}, {"text", text}, {"annotations", json::array{}}, {"logprobs", json::array{}}};
}

namespace {
constexpr std::string_view kThinkingPrefix = "llmux.thinking.v1:";
constexpr std::size_t kMaxThinkingBlocks = 64;
}  // namespace

std::string thinking_as_encrypted_content(const json::array& thinking_blocks) {
  return std::string(kThinkingPrefix) + json::serialize(thinking_blocks);
}

std::optional<json::array> thinking_from_encrypted_content(std::string_view encrypted) {
  if (!encrypted.starts_with(kThinkingPrefix)) return std::nullopt;
  boost::system::error_code ec;
  json::value value = json::parse(encrypted.substr(kThinkingPrefix.size()), ec);
  if (ec || !value.is_array() || value.get_array().empty() || value.get_array().size() > kMaxThinkingBlocks) {
    return std::nullopt;
  }
  for (const json::value& block : value.get_array()) {
    const json::object* object = block.if_object();
    if (!object) return std::nullopt;
    const json::value* type = object->if_contains("type");
    if (!type || !type->is_string() || (type->get_string() != "thinking" && type->get_string() != "redacted_thinking")) {
      return std::nullopt;
    }
  }
  return std::move(value.get_array());
}

}  // namespace llmux::providers::responses
