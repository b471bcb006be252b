// router_settings.optional_pre_call_checks and model_group_affinity_config: which caller identity
// makes a pick sticky (router/affinity.hpp). LiteLLM keeps a pin per caller in its cache for
// deployment_affinity_ttl_seconds; llmux derives the pin from a hash, so there is nothing to store
// and nothing that expires (docs/compatibility.md says why).

#include <algorithm>
#include <iterator>

#include "config/scalar_values.hpp"
#include "config/settings_parser.hpp"

namespace llmux::config::detail {
namespace {

// LiteLLM's other optional pre-call checks: accepted, not acted on.
constexpr std::string_view kOtherChecks[] = {"prompt_caching", "router_budget_limiting",
                                             "responses_api_deployment_check", "encrypted_content_affinity",
                                             "enforce_model_rate_limits"};

AffinityChecks read_checks(ParseContext& ctx, const Field& field) {
  AffinityChecks checks;
  for (const std::string& name : read_text_list(ctx, field)) {
    if (name == "deployment_affinity") {
      checks.caller = true;
    } else if (name == "session_affinity") {
      checks.session = true;
    } else if (std::find(std::begin(kOtherChecks), std::end(kOtherChecks), name) != std::end(kOtherChecks)) {
      ctx.warn(field, field.path + ": \"" + name + "\" is known to LiteLLM but not implemented by llmux; ignored");
    } else {
      ctx.warn(field, field.path + ": unknown pre-call check \"" + name + "\"; ignored");
    }
  }
  return checks;
}

}  // namespace

AffinityChecks read_affinity_checks(ParseContext& ctx, const Field& field) { return read_checks(ctx, field); }

std::map<std::string, AffinityChecks> read_group_affinity(ParseContext& ctx, const Field& field) {
  std::map<std::string, AffinityChecks> groups;
  if (is_absent(field.value)) return groups;
  for (const Field& entry : fields_of(ctx, field)) groups[entry.key.Scalar()] = read_checks(ctx, entry);
  return groups;
}

}  // namespace llmux::config::detail
