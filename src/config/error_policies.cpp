// retry_policy, model_group_retry_policy and allowed_fails_policy (router_settings), and
// model_info.allowed_fails_policy: maps of "<LiteLLM exception class><suffix>" → a count.

#include <algorithm>
#include <iterator>
#include <string>

#include "config/scalar_values.hpp"
#include "config/settings_parser.hpp"

namespace llmux::config::detail {
namespace {

struct ClassName {
  std::string_view name;
  PolicyErrorClass error_class;
  bool in_retry_policy;  // LiteLLM's RetryPolicy has no ServiceUnavailable / BadGateway entry
};

constexpr ClassName kClasses[] = {
    {"BadRequestError", PolicyErrorClass::bad_request, true},
    {"AuthenticationError", PolicyErrorClass::authentication, true},
    {"TimeoutError", PolicyErrorClass::timeout, true},
    {"RateLimitError", PolicyErrorClass::rate_limit, true},
    {"ContentPolicyViolationError", PolicyErrorClass::content_policy_violation, true},
    {"InternalServerError", PolicyErrorClass::internal_server, true},
    {"NotFoundError", PolicyErrorClass::not_found, true},
    {"ServiceUnavailableError", PolicyErrorClass::service_unavailable, false},
    {"BadGatewayError", PolicyErrorClass::bad_gateway, false},
};

std::string known_keys(std::string_view suffix, bool retries) {
  std::string keys;
  for (const auto& c : kClasses) {
    if (retries && !c.in_retry_policy) continue;
    if (!keys.empty()) keys += ", ";
    keys += std::string(c.name) + std::string(suffix);
  }
  return keys;
}

}  // namespace

std::optional<ErrorClassCounts> read_error_policy(ParseContext& ctx, const Field& field, PolicyKind kind) {
  if (is_absent(field.value)) return std::nullopt;
  if (!field.value.IsMap()) ctx.fail(field, field.path + " must be a map, got " + describe(field.value));
  const bool retries = kind == PolicyKind::retries;
  const std::string_view suffix = retries ? "Retries" : "AllowedFails";
  ErrorClassCounts policy;
  for (const Field& entry : fields_of(ctx, field)) {
    const std::string& key = entry.key.Scalar();
    const auto* known = std::find_if(std::begin(kClasses), std::end(kClasses), [&](const ClassName& c) {
      return (!retries || c.in_retry_policy) && key == std::string(c.name) + std::string(suffix);
    });
    if (known == std::end(kClasses)) {
      // LiteLLM's pydantic model ignores keys it does not declare; a typo here silently changes
      // nothing, so it is said.
      ctx.warn(entry, "unknown key " + entry.path + "; ignored (known: " + known_keys(suffix, retries) + ")");
      continue;
    }
    policy.at(known->error_class) = non_negative(ctx, entry, read_int(ctx, entry));
  }
  return policy;
}

std::map<std::string, ErrorClassCounts, std::less<>> read_model_group_retry_policy(ParseContext& ctx,
                                                                                 const Field& field) {
  std::map<std::string, ErrorClassCounts, std::less<>> policies;
  if (is_absent(field.value)) return policies;
  if (!field.value.IsMap()) ctx.fail(field, field.path + " must be a map of model group to retry policy, got " +
                                                describe(field.value));
  for (const Field& group : fields_of(ctx, field)) {
    if (auto policy = read_error_policy(ctx, group, PolicyKind::retries)) policies[group.key.Scalar()] = *policy;
  }
  return policies;
}

}  // namespace llmux::config::detail
