#pragma once

// LiteLLM's per-error-class policies (router_settings.retry_policy, model_group_retry_policy,
// allowed_fails_policy, model_info.allowed_fails_policy) read for one failure: our error kinds
// mapped onto LiteLLM's exception classes, most specific first, as its isinstance chains test them.

#include <optional>
#include <string_view>

#include <boost/container/static_vector.hpp>

#include "config/config.hpp"
#include "router/failure.hpp"

namespace llmux::router {

// The classes a failure is an instance of, most specific first: content_policy is a
// ContentPolicyViolationError and so a BadRequestError; a context-window failure is a
// BadRequestError. Empty for failures no policy names (connection failures, 403).
boost::container::static_vector<config::PolicyErrorClass, 2> policy_classes(const Failure& failure);

// Retries the policy grants after `failure` in `group`: the group's model_group_retry_policy when
// it has one, else retry_policy; nullopt when neither names the failure's class (num_retries applies).
std::optional<int> policy_retries(const config::RouterSettings& settings, std::string_view group,
                                  const Failure& failure);

// Failures of `failure`'s class `deployment` may have before a cooldown, and the class they are
// counted under: model_info.allowed_fails_policy, else router allowed_fails_policy; nullopt when
// neither names the class.
struct PolicyAllowance {
  config::PolicyErrorClass counted_as;
  int allowed;
};
std::optional<PolicyAllowance> policy_allowed_fails(const config::Deployment& deployment,
                                                    const config::RouterSettings& settings, const Failure& failure);

}  // namespace llmux::router
