#include "config/parse_context.hpp"

#include "config/known_keys.hpp"

namespace llmux::config::detail {

int ParseContext::line_of(const YAML::Node& node) const {
  if (!node.IsDefined()) return 0;
  const YAML::Mark mark = node.Mark();
  return mark.is_null() ? 0 : mark.line + 1;
}

int ParseContext::line_of(const Field& field) const {
  // yaml-cpp marks an empty value (`key:` then a newline) at the start of the next token,
  // which can be lines later; the key's own line is what a reader expects.
  if (!is_absent(field.value)) {
    if (const int line = line_of(field.value); line > 0) return line;
  }
  return line_of(field.key);
}

std::string ParseContext::message_at(int line, std::string_view what) const {
  // Line 0: about something the file does not contain (a missing section), so no line to name.
  const std::string where = line > 0 ? source_name_ + ":" + std::to_string(line) : source_name_;
  return where + ": " + std::string(what);
}

void ParseContext::fail(int line, std::string_view what) const {
  throw ConfigFailure{message_at(line, what)};
}

void ParseContext::warn(int line, std::string_view what) { warnings_.push_back(message_at(line, what)); }

void ParseContext::warn_unrecognised(const Field& field, Section section) {
  if (is_known_not_implemented(section, field.key.Scalar())) {
    const std::string_view consequence = unhonoured_consequence(section, field.key.Scalar());
    if (!consequence.empty()) {
      warn(field, field.path + " is accepted but not implemented yet; ignored: " + std::string(consequence));
      return;
    }
    warn(field, field.path + " is accepted but not implemented yet; ignored");
  } else {
    warn(field, "unknown key " + field.path + "; ignored");
  }
}

std::vector<Field> fields_of(ParseContext& ctx, const Field& map) {
  if (!map.value.IsMap()) ctx.fail(map, map.path + " must be a map, got " + describe(map.value));
  std::vector<Field> fields;
  fields.reserve(map.value.size());
  for (auto it = map.value.begin(); it != map.value.end(); ++it) {
    const YAML::Node key = it->first;
    if (!key.IsScalar()) ctx.fail(ctx.line_of(key), "keys of " + map.path + " must be strings");
    const std::string prefix = map.path.empty() ? "" : map.path + ".";
    fields.push_back(Field{prefix + key.Scalar(), key, it->second});
  }
  return fields;
}

bool is_absent(const YAML::Node& node) { return !node.IsDefined() || node.IsNull(); }

std::string describe(const YAML::Node& node) {
  if (is_absent(node)) return "nothing";
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a map";
  return "\"" + node.Scalar() + "\"";
}

}  // namespace llmux::config::detail
