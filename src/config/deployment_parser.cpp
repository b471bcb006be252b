#include "config/deployment_parser.hpp"

#include <string>
#include <string_view>
#include <vector>

#include "config/deployment_id.hpp"
#include "config/env_resolution.hpp"
#include "config/known_keys.hpp"
#include "config/provider_prefix.hpp"
#include "config/python_text.hpp"
#include "config/request_presets.hpp"
#include "config/responses_support.hpp"
#include "config/scalar_values.hpp"
#include "config/settings_parser.hpp"

namespace llmux::config::detail {
namespace {

// rpm, tpm, weight and order may be written in more than one place; LiteLLM looks them up
// top-level first, then litellm_params, then model_info.
struct Placement {
  std::optional<std::int64_t> rpm;
  std::optional<std::int64_t> tpm;
  std::optional<double> weight;
  std::optional<int> order;
  std::optional<double> input_cost_per_token;
  std::optional<double> output_cost_per_token;
  std::optional<double> cache_read_input_token_cost;
  std::optional<double> cache_creation_input_token_cost;
  // model_info.supported_endpoints (LiteLLM's key), and where it is written: read here, decided
  // by responses_support.cpp once the provider is known.
  std::optional<std::vector<std::string>> supported_endpoints;
  std::optional<Field> supported_endpoints_field;
};

// The per-token prices, wherever they are written (litellm_params or model_info); true if `key`
// was one of them.
bool read_price(ParseContext& ctx, const Field& field, Placement& placement) {
  const std::string& key = field.key.Scalar();
  std::optional<double>* slot = key == "input_cost_per_token"             ? &placement.input_cost_per_token
                                : key == "output_cost_per_token"          ? &placement.output_cost_per_token
                                : key == "cache_read_input_token_cost"    ? &placement.cache_read_input_token_cost
                                : key == "cache_creation_input_token_cost" ? &placement.cache_creation_input_token_cost
                                                                           : nullptr;
  if (slot == nullptr) return false;
  *slot = non_negative(ctx, field, read_number(ctx, field));
  return true;
}

template <typename T>
std::optional<T> first_of(std::optional<T> a, std::optional<T> b, std::optional<T> c = std::nullopt) {
  return a ? a : b ? b : c;
}

struct LitellmParams {
  std::optional<std::string> model;
  std::optional<std::string> custom_llm_provider;
  std::optional<std::string> api_base;
  int api_base_line = 0;
  bool has_api_key = false;
  std::optional<double> request_timeout;
  Placement placement;
  std::vector<HashedParam> hashed;
};

// The value LiteLLM hashes: os.environ/ already replaced (by None when unset), maps through
// json.dumps, everything else through str().
std::string hash_text(const YAML::Node& value) {
  if (value.IsScalar()) {
    if (const auto name = env_reference(value.Scalar()))
      return env_value(std::string(*name)).value_or("None");
  }
  return value.IsMap() ? python_json_dumps(value) : python_str(value);
}

void read_api_key(ParseContext& ctx, const Field& field, const std::string& owner, Deployment& out) {
  const std::optional<std::string> text = read_text(ctx, field);
  if (!text) return;
  const std::optional<std::string_view> name = env_reference(*text);
  if (!name) {
    out.api_key = *text;
    return;
  }
  out.api_key = env_value(std::string(*name));
  if (!out.api_key) {
    out.missing_api_key_env = std::string(*name);
    ctx.warn(field, owner + ": api_key names environment variable " + out.missing_api_key_env +
                        ", which is not set; the deployment loads but its requests will fail authentication");
  }
}

// Preset keys with a meaning of their own (not sent as a body member under their name).
bool is_preset_setting(std::string_view key) {
  return key == "extra_body" || key == "headers" || key == "extra_headers" || key == "organization" ||
         key == "api_version" || key == "additional_drop_params";
}

LitellmParams read_litellm_params(ParseContext& ctx, const Field& params, const std::string& owner,
                                  Deployment& out, PresetReader& presets) {
  LitellmParams lp;
  for (const Field& field : fields_of(ctx, params)) {
    const std::string& key = field.key.Scalar();
    lp.hashed.push_back(HashedParam{key, hash_text(field.value)});
    if (key == "model") {
      lp.model = read_text(ctx, field);
    } else if (key == "custom_llm_provider") {
      lp.custom_llm_provider = read_text(ctx, field);
    } else if (key == "api_base" || key == "base_url") {
      // LiteLLM reads api_base first; base_url is the OpenAI SDK's name for the same thing.
      std::optional<std::string> base = read_env_text(ctx, field);
      if (base && (key == "api_base" || !lp.api_base)) {
        lp.api_base = std::move(base);
        lp.api_base_line = ctx.line_of(field);
      }
    } else if (key == "api_key") {
      lp.has_api_key = true;
      read_api_key(ctx, field, owner, out);
    } else if (key == "timeout") {
      out.timeout_seconds = non_negative(ctx, field, read_number(ctx, field));
    } else if (key == "stream_timeout") {
      out.stream_timeout_seconds = non_negative(ctx, field, read_number(ctx, field));
    } else if (key == "request_timeout") {
      // LiteLLM's _get_timeout reads it after `timeout`.
      lp.request_timeout = non_negative(ctx, field, read_number(ctx, field));
    } else if (key == "max_retries") {
      out.max_retries = non_negative(ctx, field, read_int(ctx, field));
    } else if (key == "num_retries") {
      out.num_retries = non_negative(ctx, field, read_int(ctx, field));
    } else if (key == "rpm") {
      lp.placement.rpm = non_negative(ctx, field, read_integer(ctx, field));
    } else if (key == "tpm") {
      lp.placement.tpm = non_negative(ctx, field, read_integer(ctx, field));
    } else if (key == "weight") {
      lp.placement.weight = non_negative(ctx, field, read_number(ctx, field));
    } else if (key == "order") {
      lp.placement.order = read_int(ctx, field);
    } else if (key == "tags") {
      out.tags = read_text_list(ctx, field);
    } else if (key == "cooldown_time") {
      out.cooldown_time_seconds = non_negative(ctx, field, read_number(ctx, field));
    } else if (key == "drop_params") {
      out.drop_params = read_bool(ctx, field);
    } else if (key == "mock_response") {
      out.mock_response = read_text(ctx, field);
    } else if (read_price(ctx, field, lp.placement)) {
      // a per-token price
    } else if (is_known_not_implemented(Section::litellm_params, key)) {
      ctx.warn_unrecognised(field, Section::litellm_params);
    } else if (presets.read(ctx, field)) {
      // LiteLLM forwards unknown litellm_params to the provider call ("provider-specific params"),
      // so they are sent rather than refused; only a possible typo deserves the warning.
      if (!is_request_param(key) && !is_preset_setting(key)) {
        ctx.warn(field, field.path +
                            " is not a litellm_params key llmux knows; sent upstream as a request parameter");
      }
    } else {
      ctx.warn(field, field.path +
                          " is a LiteLLM request control, not a provider parameter; in litellm_params it is "
                          "accepted and not acted on");
    }
  }
  return lp;
}

// model_info allows arbitrary extra keys in LiteLLM (metadata, mode, base_model, …): only the
// ones llmux uses are read, the rest are accepted silently.
Placement read_model_info(ParseContext& ctx, const Field& info, ModelInfo& out, bool& explicit_id) {
  Placement placement;
  if (is_absent(info.value)) return placement;
  for (const Field& field : fields_of(ctx, info)) {
    const std::string& key = field.key.Scalar();
    if (key == "id") {
      // LiteLLM coerces an integer id to its string form.
      const std::optional<std::string> id = read_text(ctx, field);
      if (id && !id->empty()) {
        out.id = *id;
        explicit_id = true;
      }
    } else if (key == "max_input_tokens") {
      out.max_input_tokens = non_negative(ctx, field, read_integer(ctx, field));
    } else if (key == "max_output_tokens") {
      out.max_output_tokens = non_negative(ctx, field, read_integer(ctx, field));
    } else if (key == "max_tokens") {
      out.max_tokens = non_negative(ctx, field, read_integer(ctx, field));
    } else if (key == "access_groups") {
      out.access_groups = read_text_list(ctx, field);
    } else if (key == "allowed_fails_policy") {
      out.allowed_fails_policy = read_error_policy(ctx, field, PolicyKind::allowed_fails);
    } else if (key == "allowed_fails") {
      out.allowed_fails = non_negative(ctx, field, read_int(ctx, field));
    } else if (key == "supported_endpoints") {
      if (!is_absent(field.value)) {
        placement.supported_endpoints = read_text_list(ctx, field);
        placement.supported_endpoints_field = field;
      }
    } else if (read_price(ctx, field, placement)) {
      // a per-token price
    } else if (key == "rpm") {
      placement.rpm = non_negative(ctx, field, read_integer(ctx, field));
    } else if (key == "tpm") {
      placement.tpm = non_negative(ctx, field, read_integer(ctx, field));
    } else if (key == "weight") {
      placement.weight = non_negative(ctx, field, read_number(ctx, field));
    } else if (key == "order") {
      placement.order = read_int(ctx, field);
    }
  }
  return placement;
}

// Sets provider, family and upstream_model; false (after a warning) when the deployment
// must be skipped.
bool resolve_provider(ParseContext& ctx, const Field& model_field, const LitellmParams& lp,
                      const std::string& owner, Deployment& out) {
  const std::string& model = *lp.model;
  std::string provider;
  if (lp.custom_llm_provider) {
    // An explicit provider wins over the prefix; a matching prefix is still stripped.
    provider = *lp.custom_llm_provider;
    const std::string prefix = provider + "/";
    out.upstream_model = model.compare(0, prefix.size(), prefix) == 0 ? model.substr(prefix.size()) : model;
  } else if (const std::size_t slash = model.find('/'); slash != std::string::npos) {
    provider = model.substr(0, slash);
    out.upstream_model = model.substr(slash + 1);
  } else if (const auto inferred = infer_provider(model)) {
    provider = std::string(*inferred);
    out.upstream_model = model;
  } else if (model.find('*') != std::string::npos) {
    // LiteLLM's `model: "*"` takes the provider from each request's model; llmux picks one adapter
    // per deployment.
    ctx.warn(model_field, owner + ": model " + model +
                              " names no provider; write one (e.g. openai/*) or set custom_llm_provider; deployment skipped");
    return false;
  } else {
    ctx.warn(model_field, owner + ": cannot tell the provider of model " + model + "; deployment skipped");
    return false;
  }
  const std::optional<ProviderSpec> spec = find_provider(provider);
  if (!spec) {
    const std::string why = is_unsupported_litellm_provider(provider)
                                ? "provider " + provider + " is not supported by llmux yet"
                                : "unknown provider " + provider;
    ctx.warn(model_field, owner + ": " + why + " (model " + model + "); deployment skipped");
    return false;
  }
  out.provider = provider;
  out.family = spec->family;
  return true;
}

void resolve_api_base(ParseContext& ctx, const Field& params, const LitellmParams& lp, Deployment& out) {
  const std::optional<ProviderSpec> spec = find_provider(out.provider);
  if (lp.api_base && !lp.api_base->empty()) {
    out.api_base = *lp.api_base;
    if (out.api_base.back() == '/') out.api_base.pop_back();
  } else if (spec->requires_api_base) {
    ctx.fail(ctx.line_of(params.key), params.path + ".api_base is required for provider " + out.provider);
  } else {
    out.api_base = std::string(spec->default_api_base);
  }
  if (out.family != ProviderFamily::mock) {
    out.upstream_target = net::parse_base_url(out.api_base);
    if (!out.upstream_target) {
      const int line = lp.api_base ? lp.api_base_line : ctx.line_of(params.key);
      // The URL itself is not echoed: one with credentials in it would put them in the log.
      ctx.fail(line, params.path +
                         ".api_base is not an http:// or https:// URL with a host (and no user, query or fragment)");
    }
  }
  if (!lp.has_api_key && !spec->api_key_env.empty()) out.api_key = env_value(std::string(spec->api_key_env));
}

}  // namespace

std::optional<ParsedDeployment> parse_deployment(ParseContext& ctx, const Field& entry) {
  if (!entry.value.IsMap()) ctx.fail(entry, entry.path + " must be a map, got " + describe(entry.value));
  ParsedDeployment parsed;
  Deployment& out = parsed.deployment;
  out.source_line = ctx.line_of(entry);

  std::optional<Field> params;
  std::optional<Field> info;
  Placement top;
  for (const Field& field : fields_of(ctx, entry)) {
    const std::string& key = field.key.Scalar();
    if (key == "model_name") {
      out.model_name = read_text(ctx, field).value_or("");
    } else if (key == "litellm_params") {
      params = field;
    } else if (key == "model_info") {
      info = field;
    } else if (key == "rpm") {
      top.rpm = non_negative(ctx, field, read_integer(ctx, field));
    } else if (key == "tpm") {
      top.tpm = non_negative(ctx, field, read_integer(ctx, field));
    } else {
      ctx.warn_unrecognised(field, Section::deployment);
    }
  }
  if (out.model_name.empty()) ctx.fail(out.source_line, entry.path + ".model_name is required");
  if (!params || is_absent(params->value))
    ctx.fail(out.source_line, entry.path + ".litellm_params is required");
  if (!params->value.IsMap()) {
    ctx.fail(*params, params->path + " must be a map, got " + describe(params->value));
  }
  const std::string owner = entry.path + " (" + out.model_name + ")";

  PresetReader presets(/*defaults=*/false);
  const LitellmParams lp = read_litellm_params(ctx, *params, owner, out, presets);
  if (!out.timeout_seconds) out.timeout_seconds = lp.request_timeout;
  if (!lp.model || lp.model->empty()) ctx.fail(ctx.line_of(params->key), params->path + ".model is required");
  out.litellm_model = *lp.model;
  if (out.litellm_model.find('*') != std::string::npos && out.model_name.find('*') == std::string::npos) {
    // Nothing would ever fill the `*`: it would be sent upstream as written.
    ctx.fail(ctx.line_of(params->key), params->path + ".model \"" + out.litellm_model +
                                           "\" has a * but model_name \"" + out.model_name +
                                           "\" has none to fill it; make model_name a pattern (e.g. \"openai/*\")");
  }

  const Placement from_info =
      info ? read_model_info(ctx, *info, out.model_info, parsed.explicit_id) : Placement{};
  out.rpm = first_of(top.rpm, lp.placement.rpm, from_info.rpm);
  out.tpm = first_of(top.tpm, lp.placement.tpm, from_info.tpm);
  out.weight = first_of(lp.placement.weight, from_info.weight);
  out.order = first_of(lp.placement.order, from_info.order);
  // Costs written in litellm_params are copied into model_info; model_info's own value wins.
  out.model_info.input_cost_per_token =
      first_of(from_info.input_cost_per_token, lp.placement.input_cost_per_token);
  out.model_info.output_cost_per_token =
      first_of(from_info.output_cost_per_token, lp.placement.output_cost_per_token);
  out.model_info.cache_read_input_token_cost =
      first_of(from_info.cache_read_input_token_cost, lp.placement.cache_read_input_token_cost);
  out.model_info.cache_creation_input_token_cost =
      first_of(from_info.cache_creation_input_token_cost, lp.placement.cache_creation_input_token_cost);

  const YAML::Node& params_map = params->value;  // const: operator[] must not insert
  const Field model_field{params->path + ".model", params->key, params_map["model"]};
  if (!resolve_provider(ctx, model_field, lp, owner, out)) return std::nullopt;
  resolve_api_base(ctx, *params, lp, out);
  decide_responses_support(ctx, from_info.supported_endpoints, from_info.supported_endpoints_field, owner, out);
  out.presets = presets.finish(ctx, out.family, lp.has_api_key, owner);
  if (!parsed.explicit_id) out.model_info.id = litellm_deployment_id(out.model_name, lp.hashed);
  return parsed;
}

}  // namespace llmux::config::detail
