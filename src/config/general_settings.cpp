#include "config/env_resolution.hpp"
#include "config/scalar_values.hpp"
#include "config/settings_parser.hpp"

namespace llmux::config::detail {
namespace {

template <typename T>
std::optional<std::size_t> positive_size(ParseContext& ctx, const Field& field, std::optional<T> value) {
  if (!value) return std::nullopt;
  if (*value <= 0) ctx.fail(field, field.path + " must be greater than 0");
  return static_cast<std::size_t>(*value);
}

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
      assign_if(positive_size(ctx, field, read_integer(ctx, field)), out.max_header_bytes);
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
