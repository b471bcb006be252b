#pragma once

// litellm_params keys that become part of every call to a deployment (RequestPresets): request
// parameters, provider-specific keys, extra_body, headers / extra_headers, organization,
// additional_drop_params. The same reader serves router_settings.default_litellm_params.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config/config.hpp"
#include "config/parse_context.hpp"

namespace llmux::config::detail {

class PresetReader {
 public:
  // `defaults`: reading router_settings.default_litellm_params, where a credential header is refused
  // (it would be sent to every provider).
  explicit PresetReader(bool defaults) : defaults_(defaults) {}

  // Reads `field` when it is a preset key (any key no other rule took): false when it is not one
  // (a key the gateway consumes itself, which the caller reports).
  bool read(ParseContext& ctx, const Field& field);

  // The presets, extra_body over the keys written beside it, headers before extra_headers, drops
  // applied. `has_api_key`: the deployment sets api_key (a credential header then conflicts).
  // `owner` names the deployment in messages.
  RequestPresets finish(ParseContext& ctx, ProviderFamily family, bool has_api_key, const std::string& owner);

 private:
  void read_headers(ParseContext& ctx, const Field& field);
  void read_extra_body(ParseContext& ctx, const Field& field);

  bool defaults_;
  std::vector<std::pair<std::string, std::string>> params_, extra_body_;
  std::vector<std::pair<std::string, std::string>> headers_, extra_headers_;
  std::vector<std::string> secret_values_;
  std::vector<std::string> drop_;
  std::optional<std::string> organization_;
  std::optional<Field> organization_field_, api_version_field_, credential_field_;
};

// Fills what each deployment's presets lack from router_settings.default_litellm_params: a body key
// or header name the deployment sets (or drops) is kept as the deployment has it.
void apply_default_presets(std::vector<Deployment>& deployments, const RequestPresets& defaults);

// A JSON text for a YAML value, as LiteLLM's json.dumps would send it; fails (naming `field`) on
// .inf / .nan, which JSON cannot carry.
std::string preset_json(ParseContext& ctx, const Field& field);

}  // namespace llmux::config::detail
