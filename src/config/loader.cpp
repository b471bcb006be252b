#include "config/loader.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "config/env_resolution.hpp"
#include "config/model_list.hpp"
#include "config/parse_context.hpp"
#include "config/request_presets.hpp"
#include "config/settings_parser.hpp"

namespace llmux::config {
namespace {

using detail::Field;
using detail::ParseContext;

// The top-level sections, picked out first so they can be read in dependency order:
// environment_variables before anything that may say os.environ/, model_list before the
// checks of fallback targets.
struct Sections {
  Field environment_variables;
  Field model_list;
  Field router_settings;
  Field litellm_settings;
  Field general_settings;
  Field llmux_settings;
};

Sections split_sections(ParseContext& ctx, const YAML::Node& root) {
  if (!root.IsMap()) {
    ctx.fail(ctx.line_of(root) > 0 ? ctx.line_of(root) : 1,
             "the document must be a map of sections (model_list, router_settings, …), got " +
                 detail::describe(root));
  }
  Sections sections{{"environment_variables", {}, {}}, {"model_list", {}, {}},
                    {"router_settings", {}, {}},       {"litellm_settings", {}, {}},
                    {"general_settings", {}, {}},      {"llmux_settings", {}, {}}};
  for (const Field& field : detail::fields_of(ctx, Field{"", root, root})) {
    const std::string& key = field.key.Scalar();
    Field* slot = key == "environment_variables" ? &sections.environment_variables
                  : key == "model_list"          ? &sections.model_list
                  : key == "router_settings"     ? &sections.router_settings
                  : key == "litellm_settings"    ? &sections.litellm_settings
                  : key == "general_settings"    ? &sections.general_settings
                  : key == "llmux_settings"      ? &sections.llmux_settings
                                                 : nullptr;
    if (slot != nullptr) {
      *slot = field;
    } else {
      ctx.warn_unrecognised(field, detail::Section::top_level);
    }
  }
  return sections;
}

Config build_config(ParseContext& ctx, const YAML::Node& root) {
  const Sections sections = split_sections(ctx, root);
  detail::apply_environment_variables(ctx, sections.environment_variables);

  Config config;
  config.source_path = ctx.source_name();
  config.deployments = detail::parse_model_list(ctx, sections.model_list);
  detail::ParsedLitellmSettings litellm = detail::parse_litellm_settings(ctx, sections.litellm_settings);
  config.litellm = litellm.settings;
  detail::ParsedRouterSettings router = detail::parse_router_settings(ctx, sections.router_settings);
  detail::apply_default_presets(config.deployments, router.default_presets);
  config.router = detail::merge_router_settings(std::move(router), litellm.shared);
  config.general = detail::parse_general_settings(ctx, sections.general_settings);
  config.server = detail::parse_llmux_settings(ctx, sections.llmux_settings);
  detail::warn_unknown_targets(ctx, config);
  detail::check_confidence_routing(ctx, config);
  return config;
}

}  // namespace

LoadResult load_config_text(std::string_view yaml, std::string source_name) {
  ParseContext ctx(source_name);
  try {
    const YAML::Node root = YAML::Load(std::string(yaml));
    Config config = build_config(ctx, root);
    config.warnings = ctx.take_warnings();
    return config;
  } catch (const detail::ConfigFailure& failure) {
    return LoadError{failure.message};
  } catch (const YAML::Exception& e) {
    // ParserException and the rest carry the position yaml-cpp stopped at.
    const int line = e.mark.is_null() ? 1 : e.mark.line + 1;
    return LoadError{source_name + ":" + std::to_string(line) + ": invalid YAML: " + e.msg};
  } catch (const std::exception& e) {
    return LoadError{source_name + ": " + e.what()};
  }
}

LoadResult load_config_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return LoadError{path + ": cannot read: " + std::strerror(errno)};
  std::ostringstream text;
  text << file.rdbuf();
  if (file.bad()) return LoadError{path + ": cannot read: " + std::strerror(errno)};
  return load_config_text(text.str(), path);
}

}  // namespace llmux::config
