#include "providers/anthropic/anthropic_only_fields.hpp"

#include <array>
#include <string_view>

#include "providers/anthropic/json_helpers.hpp"

namespace llmux::providers::anthropic {

namespace json = boost::json;

namespace {

struct AnthropicOnlyField {
  std::string_view field;
  std::string_view why;  // what the deployment cannot do, for the message
};

// clang-format off
constexpr std::array<AnthropicOnlyField, 7> kFields{{
    {"thread", "server-held conversation state (a thread) is kept by Anthropic only; send the whole conversation in `messages`"},
    {"container", "a code-execution container is held by Anthropic only"},
    {"mcp_servers", "MCP servers are called by Anthropic's API on the request's behalf"},
    {"context_management", "context management edits the conversation on Anthropic's side"},
    {"compaction", "a compaction request is answered with a compaction block only Anthropic produces"},
    {"fallback_credit_token", "the token was issued by Anthropic and only Anthropic can redeem it"},
    {"inference_geo", "the region of inference cannot be guaranteed"},
}};
// clang-format on

TranslationError refusal(std::string_view field, std::string_view why) {
  std::string message(field);
  message.append(": not supported for an OpenAI-compatible deployment (").append(why).append(
      "); route the request to an Anthropic deployment");
  return {400, std::move(message), std::string(field)};
}

bool is_set(const json::value& v) {
  if (v.is_null()) return false;
  if (const json::array* list = v.if_array()) return !list->empty();
  return true;
}

}  // namespace

std::optional<TranslationError> anthropic_only_field(const json::object& request) {
  for (const AnthropicOnlyField& f : kFields) {
    const json::value* v = request.if_contains(f.field);
    if (v && is_set(*v)) return refusal(f.field, f.why);
  }
  // Billing the customer behind a user profile is Anthropic's arrangement; "self" (the default)
  // is what every deployment does anyway.
  if (const json::value* v = request.if_contains("billing_policy"); v && !v->is_null()) {
    const json::object* policy = v->if_object();
    std::string_view bill_to = policy ? string_member_or(*policy, "bill_to", "self") : "";
    if (bill_to != "self")
      return refusal("billing_policy", "only Anthropic can bill the customer behind a user profile");
  }
  return std::nullopt;
}

}  // namespace llmux::providers::anthropic
