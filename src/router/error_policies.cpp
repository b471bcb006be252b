#include "router/error_policies.hpp"

namespace llmux::router {

using config::PolicyErrorClass;

boost::container::static_vector<PolicyErrorClass, 2> policy_classes(const Failure& failure) {
  switch (failure.kind) {
    case ErrorKind::bad_request:
    case ErrorKind::context_window_exceeded:
      return {PolicyErrorClass::bad_request};
    case ErrorKind::content_policy:
      return {PolicyErrorClass::content_policy_violation, PolicyErrorClass::bad_request};
    case ErrorKind::authentication:
      return {PolicyErrorClass::authentication};
    case ErrorKind::not_found:
      return {PolicyErrorClass::not_found};
    case ErrorKind::rate_limited:
      return {PolicyErrorClass::rate_limit};
    case ErrorKind::timeout:
      return {PolicyErrorClass::timeout};
    case ErrorKind::unavailable:
      return {PolicyErrorClass::service_unavailable};
    case ErrorKind::internal:
      if (failure.status == 502) return {PolicyErrorClass::bad_gateway};
      return {PolicyErrorClass::internal_server};
    case ErrorKind::connection_failed:
    case ErrorKind::permission_denied:
      return {};
  }
  return {};
}

namespace {

std::optional<std::pair<PolicyErrorClass, int>> first_named(const config::ErrorClassCounts& policy,
                                                            const Failure& failure) {
  for (const PolicyErrorClass c : policy_classes(failure)) {
    if (const auto count = policy.of(c)) return std::pair{c, *count};
  }
  return std::nullopt;
}

}  // namespace

std::optional<int> policy_retries(const config::RouterSettings& settings, std::string_view group,
                                  const Failure& failure) {
  // LiteLLM (get_num_retries_from_retry_policy): the group's policy replaces the router's entirely.
  const config::ErrorClassCounts* policy = settings.retry_policy ? &*settings.retry_policy : nullptr;
  if (const auto it = settings.model_group_retry_policy.find(group); it != settings.model_group_retry_policy.end()) {
    policy = &it->second;
  }
  if (policy == nullptr) return std::nullopt;
  const auto named = first_named(*policy, failure);
  if (!named) return std::nullopt;
  return named->second;
}

std::optional<PolicyAllowance> policy_allowed_fails(const config::Deployment& deployment,
                                                    const config::RouterSettings& settings, const Failure& failure) {
  for (const auto* policy : {&deployment.model_info.allowed_fails_policy, &settings.allowed_fails_policy}) {
    if (!*policy) continue;
    if (const auto named = first_named(**policy, failure)) return PolicyAllowance{named->first, named->second};
  }
  return std::nullopt;
}

}  // namespace llmux::router
