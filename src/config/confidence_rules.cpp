// llmux_settings.confidence_routing: per model group, when its answer is confident enough and
// where to re-ask when it is not (docs/confidence-routing.md).
//
//   confidence_routing:
//     local:                      # the group whose answers are scored
//       escalate_to: frontier     # re-asked below the threshold
//       min_mean_logprob: -0.7    # and/or min_token_logprob; or confidence_header + min_header_confidence

#include <cctype>
#include <cmath>

#include "config/scalar_values.hpp"
#include "config/settings_parser.hpp"

namespace llmux::config::detail {
namespace {

// A log-probability threshold: finite and at most 0 (a log-probability never exceeds 0, so a
// positive threshold would escalate every answer).
std::optional<double> logprob_threshold(ParseContext& ctx, const Field& field) {
  const auto value = read_number(ctx, field);
  if (value && !(std::isfinite(*value) && *value <= 0)) {
    ctx.fail(field, field.path + " must be a log-probability: a number <= 0");
  }
  return value;
}

ConfidenceRule read_rule(ParseContext& ctx, const Field& entry) {
  ConfidenceRule rule;
  rule.source_line = ctx.line_of(entry);
  if (!entry.value.IsMap()) ctx.fail(entry, entry.path + " must be a map, got " + describe(entry.value));
  for (const Field& part : fields_of(ctx, entry)) {
    const std::string& key = part.key.Scalar();
    if (key == "escalate_to") {
      assign_if(read_text(ctx, part), rule.escalate_to);
    } else if (key == "min_mean_logprob") {
      rule.min_mean_logprob = logprob_threshold(ctx, part);
    } else if (key == "min_token_logprob") {
      rule.min_token_logprob = logprob_threshold(ctx, part);
    } else if (key == "confidence_header") {
      assign_if(read_text(ctx, part), rule.confidence_header);
      // Upstream header names are compared lower-cased.
      for (char& c : rule.confidence_header) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (key == "min_header_confidence") {
      const auto value = read_number(ctx, part);
      if (value && !std::isfinite(*value)) ctx.fail(part, part.path + " must be a finite number");
      rule.min_header_confidence = value;
    } else {
      ctx.warn(part, "unknown key " + part.path + "; ignored");
    }
  }
  if (rule.escalate_to.empty()) ctx.fail(entry, entry.path + ".escalate_to is required");
  const bool by_logprobs = rule.min_mean_logprob || rule.min_token_logprob;
  const bool by_header = !rule.confidence_header.empty() || rule.min_header_confidence;
  if (by_logprobs == by_header) {
    ctx.fail(entry, entry.path +
                        " needs min_mean_logprob and/or min_token_logprob, or confidence_header with "
                        "min_header_confidence (one kind, not both)");
  }
  if (by_header && (rule.confidence_header.empty() || !rule.min_header_confidence)) {
    ctx.fail(entry, entry.path + " needs both confidence_header and min_header_confidence");
  }
  return rule;
}

bool names_group(const Config& config, const std::string& name) {
  for (const Deployment& d : config.deployments) {
    if (d.model_name == name) return true;
  }
  return config.router.model_group_alias.count(name) > 0;
}

}  // namespace

std::map<std::string, ConfidenceRule> read_confidence_routing(ParseContext& ctx, const Field& field) {
  std::map<std::string, ConfidenceRule> rules;
  if (is_absent(field.value)) return rules;
  for (const Field& entry : fields_of(ctx, field)) rules[entry.key.Scalar()] = read_rule(ctx, entry);
  return rules;
}

void check_confidence_routing(ParseContext& ctx, const Config& config) {
  for (const auto& [group, rule] : config.server.confidence_routing) {
    // A rule for a group that does not exist would silently never act: refuse it.
    if (!names_group(config, group)) {
      ctx.fail(rule.source_line, "llmux_settings.confidence_routing." + group + ": no model group \"" + group + "\"");
    }
    if (!names_group(config, rule.escalate_to)) {
      ctx.fail(rule.source_line, "llmux_settings.confidence_routing." + group + ".escalate_to: no model group \"" +
                                     rule.escalate_to + "\"");
    }
    if (rule.escalate_to == group) {
      ctx.fail(rule.source_line, "llmux_settings.confidence_routing." + group + ".escalate_to names the group itself");
    }
  }
}

}  // namespace llmux::config::detail
