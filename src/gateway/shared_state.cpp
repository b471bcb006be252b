#include "gateway/shared_state.hpp"

#include "api/json_scan.hpp"

namespace llmux::gateway {

std::string model_json(std::string_view name) {
  // LiteLLM lists every model with a fixed `created` and owned_by "openai".
  std::string out = R"({"id":)";
  api::append_json_string(out, name);
  out += R"(,"object":"model","created":1677610602,"owned_by":"openai"})";
  return out;
}

std::string models_list_json(const std::vector<std::string>& names) {
  std::string out = R"({"data":[)";
  bool first = true;
  for (const auto& name : names) {
    if (!first) out += ',';
    first = false;
    out += model_json(name);
  }
  out += R"(],"object":"list"})";
  return out;
}

SharedState::SharedState(config::ConfigPtr snapshot)
    : config(std::move(snapshot)),
      router(std::make_unique<router::Router>(config)),
      models_json(models_list_json(router->listed_models())) {}

}  // namespace llmux::gateway
