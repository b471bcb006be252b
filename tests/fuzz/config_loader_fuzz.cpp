// LiteLLM's config.yaml -> Config (config::load_config_text) on any text: a snapshot or a
// "<file>:<line>: ..." error, never a crash. The loader sets the variables a file lists under
// `environment_variables:`; they are removed after each input, so inputs stay independent and
// the environment does not grow for the whole run.

#include <cstdlib>
#include <set>
#include <string>
#include <variant>

#include "config/loader.hpp"
#include "fuzz_input.hpp"

extern char** environ;

namespace {

std::set<std::string> variable_names() {
  std::set<std::string> names;
  for (char** entry = environ; *entry; ++entry) {
    const std::string_view text(*entry);
    names.emplace(text.substr(0, text.find('=')));
  }
  return names;
}

void remove_variables_not_in(const std::set<std::string>& keep) {
  for (const auto& name : variable_names()) {
    if (!keep.contains(name)) ::unsetenv(name.c_str());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::set<std::string> initial = variable_names();
  auto loaded = llmux::config::load_config_text(llmux::fuzz::as_text(data, size), "fuzz.yaml");
  if (auto* error = std::get_if<llmux::config::LoadError>(&loaded)) {
    llmux::fuzz::require(error->message.starts_with("fuzz.yaml"));
  }
  remove_variables_not_in(initial);
  return 0;
}
