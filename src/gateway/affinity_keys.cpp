#include "gateway/affinity_keys.hpp"

#include "gateway/tenant_admission.hpp"

namespace llmux::gateway {
namespace {

bool any_affinity(const config::RouterSettings& settings) {
  if (settings.affinity.any()) return true;
  for (const auto& [group, checks] : settings.group_affinity) {
    if (checks.any()) return true;
  }
  return false;
}

}  // namespace

router::AffinityKeys affinity_keys(const config::Config& config, const net::InboundRequest& request,
                                   const api::RequestView& view, const TenantCaller* caller) {
  router::AffinityKeys keys;
  if (!any_affinity(config.router)) return keys;
  keys.session = std::string(request.header(config.server.session_header));
  if (view.user) keys.user = *view.user;
  // The key's hash, never the key: the hash is what LiteLLM's deployment_affinity pins by too.
  if (caller && caller->key) keys.key = caller->key->token_hash;
  return keys;
}

}  // namespace llmux::gateway
