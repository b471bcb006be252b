#pragma once

// May this key call this model? LiteLLM's rules (proxy/auth/auth_checks.py `_can_object_call_model`,
// `_check_model_access_helper`, `can_user_call_model`; reference §3.2, §4.1, §4.3), checked for the
// key, then its team, then — for keys without a team — its user.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tenancy/denial.hpp"
#include "tenancy/records.hpp"

namespace llmux::tenancy {

// Special entries of a `models` list (LiteLLM SpecialModelNames).
inline constexpr std::string_view kAllProxyModels = "all-proxy-models";    // every model, like [] or "*"
inline constexpr std::string_view kAllTeamModels = "all-team-models";      // key: the team's list instead
inline constexpr std::string_view kNoDefaultModels = "no-default-models";  // user: no personal-key access

// What tenancy cannot know by itself: the router's model access groups and LiteLLM's provider
// inference. Unset hooks mean "no access groups" and "no inference".
struct AccessLookups {
  // Access groups (`model_info.access_groups`) that contain `model`. A `models` entry naming one of
  // them admits the model (the gateway answers from the router: Router::access_groups_of).
  std::function<std::vector<std::string>(std::string_view model)> access_groups_of;
  // The provider LiteLLM infers for a bare name ("gpt-4o" → "openai"), so that a wildcard entry
  // "openai/*" admits "gpt-4o" too (`_model_custom_llm_provider_matches_wildcard_pattern`).
  std::function<std::optional<std::string>(std::string_view model)> infer_provider;
};

// The key's `aliases` merged with its team's `model_aliases` (team wins, as in LiteLLM), applied to
// the requested name: the model group to route to. The requested name when no alias maps it.
std::string resolve_model_alias(const KeyRecord& key, const TeamRecord* team, std::string_view requested);

// One `models` list against one model name:
//   [] , "*" or "all-proxy-models" in the list    -> every model
//   the exact name                                 -> allowed
//   an entry with '*' matching the whole name      -> allowed (each '*' = any run of characters;
//       also tried against "<inferred provider>/<model>")
//   an access group containing the model           -> allowed
// Access-group entries do not make a list "empty".
bool models_list_allows(const std::vector<std::string>& models, std::string_view model,
                        const AccessLookups& lookups = {});

struct ModelAccess {
  std::string model;             // resolve_model_alias(...): what routing should use
  std::optional<Denial> denial;  // set when refused
};

// The whole check, for the requested name and for its alias target (either being allowed
// suffices, as in LiteLLM). A requested name that is a key of the team's `model_aliases` is allowed
// for key and team (`_model_in_team_aliases`). Key `models` holding "all-team-models" use the
// team's list (or match nothing when the key has no team). The user's list is checked only for
// keys without a team, and "no-default-models" there refuses everything. Refusals:
//   <statuses.model_access_denied> key_model_access_denied  "key not allowed to access model. This key can
//   only access models=['a', 'b']. Tried to access <requested>" <statuses.model_access_denied>
//   team_model_access_denied "team not allowed to access model. This team can only access models=[...]. Tried
//   to access <requested>" <statuses.model_access_denied> user_model_access_denied "user not allowed to
//   access model. This user can only access models=[...]. Tried to access <requested>"
//   <statuses.model_access_denied> key_model_access_denied  "User not allowed to access model. No default
//   model access, only team models allowed. Tried to access <requested>"
// all with param "model". `models=[...]` is the list checked, Python-printed: for a key with
// "all-team-models" that is its team's list (LiteLLM `_resolve_key_models_for_auth_check`).
ModelAccess check_model_access(const KeyRecord& key, const TeamRecord* team, const UserRecord* user,
                               std::string_view requested_model, const AccessLookups& lookups = {},
                               const DenialStatuses& statuses = {});

}  // namespace llmux::tenancy
