#include "config/env_resolution.hpp"
#include "config/scalar_values.hpp"
#include "config/settings_parser.hpp"
#include "text/checked_number.hpp"

#include <cctype>

namespace llmux::config::detail {
namespace {

// A byte count written as a (fractional) number of megabytes: past what a size_t holds means the
// most it holds, not undefined behaviour.
std::optional<std::size_t> positive_size(ParseContext& ctx, const Field& field, std::optional<double> value) {
  if (!value) return std::nullopt;
  if (!(*value > 0)) ctx.fail(field, field.path + " must be greater than 0");
  return text::clamped_integer<std::size_t>(*value);
}

// A size or count that must lie in [min, max]: a limit of 0 would refuse everything, and one past
// what the server can hold (Beast's header limit is 32 bits) would silently be another number.
std::optional<std::size_t> size_within(ParseContext& ctx, const Field& field, std::optional<std::int64_t> value,
                                       std::size_t min, std::size_t max) {
  if (!value) return std::nullopt;
  if (*value < 0 || static_cast<std::uint64_t>(*value) < min || static_cast<std::uint64_t>(*value) > max) {
    ctx.fail(field, field.path + " must be between " + std::to_string(min) + " and " + std::to_string(max) +
                        ", got " + std::to_string(*value));
  }
  return static_cast<std::size_t>(*value);
}

constexpr std::size_t kMiB = 1u << 20;

}  // namespace

GeneralSettings parse_general_settings(ParseContext& ctx, const Field& section) {
  GeneralSettings out;
  if (!is_absent(section.value)) {
    for (const Field& field : fields_of(ctx, section)) {
      const std::string& key = field.key.Scalar();
      if (key == "master_key") {
        out.master_key = read_env_text(ctx, field);
      } else if (key == "database_url") {
        assign_if(read_env_text(ctx, field), out.database_url);
      } else if (key == "reject_clientside_metadata_tags") {
        assign_if(read_bool(ctx, field), out.reject_clientside_metadata_tags);
      } else if (key == "max_request_size_mb") {
        // LiteLLM counts megabytes of 1024 * 1024 bytes.
        const std::optional<double> mb = read_number(ctx, field);
        assign_if(positive_size(ctx, field, mb ? std::optional<double>(*mb * 1024 * 1024) : std::nullopt),
                  out.max_request_body_bytes);
      } else {
        ctx.warn_unrecognised(field, Section::general_settings);
      }
    }
  }
  if (out.master_key && out.master_key->empty()) out.master_key.reset();
  // The proxy reads LITELLM_MASTER_KEY when the config has none; LLMUX_MASTER_KEY is ours and wins.
  if (!out.master_key) out.master_key = env_value("LLMUX_MASTER_KEY");
  if (!out.master_key) out.master_key = env_value("LITELLM_MASTER_KEY");
  return out;
}

ServerSettings parse_llmux_settings(ParseContext& ctx, const Field& section) {
  ServerSettings out;
  if (is_absent(section.value)) return out;
  for (const Field& field : fields_of(ctx, section)) {
    const std::string& key = field.key.Scalar();
    if (key == "max_header_bytes") {
      assign_if(size_within(ctx, field, read_integer(ctx, field), 1024, kMiB), out.max_header_bytes);
    } else if (key == "max_chunk_line_bytes") {
      assign_if(size_within(ctx, field, read_integer(ctx, field), 64, kMiB), out.max_chunk_line_bytes);
    } else if (key == "max_trailer_bytes") {
      assign_if(size_within(ctx, field, read_integer(ctx, field), 256, kMiB), out.max_trailer_bytes);
    } else if (key == "max_connections") {
      assign_if(size_within(ctx, field, read_integer(ctx, field), 1, 1'000'000), out.max_connections);
    } else if (key == "header_read_timeout") {
      assign_if(non_negative(ctx, field, read_number(ctx, field)), out.header_read_timeout_seconds);
    } else if (key == "keepalive_timeout") {
      assign_if(non_negative(ctx, field, read_number(ctx, field)), out.keepalive_idle_timeout_seconds);
    } else if (key == "shutdown_grace_period") {
      assign_if(non_negative(ctx, field, read_number(ctx, field)), out.shutdown_grace_seconds);
    } else if (key == "anthropic_version") {
      assign_if(read_text(ctx, field), out.anthropic_version);
    } else if (key == "database_path") {
      assign_if(read_text(ctx, field), out.database_path);
    } else if (key == "prices_file") {
      assign_if(read_text(ctx, field), out.prices_file);
    } else if (key == "max_json_object_keys") {
      assign_if(positive_size(ctx, field, read_integer(ctx, field)), out.max_json_object_keys);
    } else if (key == "max_routing_list_items") {
      assign_if(positive_size(ctx, field, read_integer(ctx, field)), out.max_routing_list_items);
    } else if (key == "max_request_retries") {
      assign_if(non_negative(ctx, field, read_int(ctx, field)), out.max_request_retries);
    } else if (key == "session_header") {
      const auto name = read_text(ctx, field);
      if (name && name->empty()) ctx.fail(field, field.path + " must name a header");
      if (name) {
        out.session_header = *name;
        // Header lookups compare lower-case names.
        for (char& c : out.session_header) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
    } else if (key == "confidence_routing") {
      out.confidence_routing = read_confidence_routing(ctx, field);
    } else if (key == "response_retention_seconds") {
      const auto seconds = read_number(ctx, field);
      if (seconds && !(*seconds > 0 && *seconds <= 100.0 * 365 * 86400)) {
        ctx.fail(field, field.path + " must be greater than 0 and at most 100 years");
      }
      assign_if(seconds, out.response_retention_seconds);
    } else if (key == "max_request_timeout") {
      const auto seconds = read_number(ctx, field);
      if (seconds && !(*seconds > 0)) ctx.fail(field, field.path + " must be greater than 0");
      assign_if(seconds, out.max_request_timeout_seconds);
    } else {
      ctx.warn_unrecognised(field, Section::llmux_settings);
    }
  }
  return out;
}

}  // namespace llmux::config::detail
