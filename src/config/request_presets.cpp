#include "config/request_presets.hpp"

#include <algorithm>
#include <array>

#include "config/env_resolution.hpp"
#include "config/known_keys.hpp"
#include "config/python_text.hpp"
#include "config/scalar_values.hpp"

namespace llmux::config::detail {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

bool icontains(std::string_view text, std::string_view part) {
  return std::search(text.begin(), text.end(), part.begin(), part.end(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         }) != text.end();
}

template <std::size_t N>
bool is_one_of(const std::array<std::string_view, N>& names, std::string_view name) {
  return std::any_of(names.begin(), names.end(), [&](std::string_view n) { return iequals(n, name); });
}

// Framing, connection management and the body's type are the upstream client's and the adapter's:
// a copy from the config would contradict them (or smuggle a second request).
constexpr std::array<std::string_view, 9> kManagedHeaders = {
    "host", "content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "te", "trailer",
    "content-type"};

// Headers that carry the deployment's credential in the families llmux speaks.
constexpr std::array<std::string_view, 3> kCredentialHeaders = {"authorization", "x-api-key", "api-key"};

// Keys the gateway reads from each request itself: a preset of them would change what the gateway
// expects back (a stream where it waits for a whole answer) or replace the conversation.
constexpr std::array<std::string_view, 6> kReservedKeys = {"model", "messages", "prompt", "input", "stream",
                                                           "stream_options"};

// RFC 9110 tchar.
bool is_token(std::string_view s) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

// No control character but HTAB: a CR or LF would end the header and start another.
bool is_clean_value(std::string_view s) {
  return std::none_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u == 0x7f || (u < 0x20 && u != '\t');
  });
}

bool has_non_finite(const YAML::Node& node) {
  if (node.IsSequence() || node.IsMap()) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (has_non_finite(node.IsMap() ? it->second : *it)) return true;
    }
    return false;
  }
  if (!node.IsScalar()) return false;
  const std::string json = python_json_dumps(node);
  return json == "NaN" || json == "Infinity" || json == "-Infinity";
}

void set_member(std::vector<std::pair<std::string, std::string>>& members, std::string key, std::string value,
                bool case_insensitive) {
  const auto same = [&](const auto& m) { return case_insensitive ? iequals(m.first, key) : m.first == key; };
  const auto found = std::find_if(members.begin(), members.end(), same);
  if (found != members.end()) {
    found->second = std::move(value);
  } else {
    members.emplace_back(std::move(key), std::move(value));
  }
}

bool has_key(const std::vector<std::pair<std::string, std::string>>& members, std::string_view key,
             bool case_insensitive) {
  return std::any_of(members.begin(), members.end(), [&](const auto& m) {
    return case_insensitive ? iequals(m.first, key) : m.first == key;
  });
}

}  // namespace

std::string preset_json(ParseContext& ctx, const Field& field) {
  if (has_non_finite(field.value)) ctx.fail(field, field.path + " holds .inf or .nan, which JSON cannot send");
  return python_json_dumps(field.value);
}

bool PresetReader::read(ParseContext& ctx, const Field& field) {
  const std::string& key = field.key.Scalar();
  if (is_gateway_only_param(key)) return false;
  if (is_one_of(kReservedKeys, key)) {
    ctx.fail(field, field.path + " cannot be preset: the gateway takes it from each request");
  }
  if (key == "extra_body") {
    read_extra_body(ctx, field);
  } else if (key == "headers" || key == "extra_headers") {
    read_headers(ctx, field);
  } else if (key == "organization") {
    if (field.value.IsSequence()) {
      // LiteLLM makes one deployment per organization; llmux asks for them to be written out.
      ctx.fail(field, field.path + " must be a string; write one deployment per organization");
    }
    organization_ = read_env_text(ctx, field);
    organization_field_ = field;
  } else if (key == "api_version") {
    read_text(ctx, field);  // type-checked; see finish()
    api_version_field_ = field;
  } else if (key == "additional_drop_params") {
    for (std::string& name : read_text_list(ctx, field)) drop_.push_back(std::move(name));
  } else if (field.value.IsScalar() && env_reference(field.value.Scalar())) {
    // LiteLLM resolves os.environ/ in every string of litellm_params before the call.
    if (const std::optional<std::string> value = read_env_text(ctx, field)) {
      set_member(params_, key, python_json_dumps(YAML::Node(*value)), false);
    }
  } else if (!is_absent(field.value)) {
    set_member(params_, key, preset_json(ctx, field), false);
  }
  return true;
}

void PresetReader::read_extra_body(ParseContext& ctx, const Field& field) {
  if (is_absent(field.value)) return;
  for (const Field& member : fields_of(ctx, field)) {
    const std::string& key = member.key.Scalar();
    if (is_one_of(kReservedKeys, key)) {
      ctx.fail(member, member.path + " cannot be preset: the gateway takes it from each request");
    }
    if (is_absent(member.value)) continue;
    set_member(extra_body_, key, preset_json(ctx, member), false);
  }
}

void PresetReader::read_headers(ParseContext& ctx, const Field& field) {
  if (is_absent(field.value)) return;
  auto& into = field.key.Scalar() == "headers" ? headers_ : extra_headers_;
  for (const Field& header : fields_of(ctx, field)) {
    const std::string& name = header.key.Scalar();
    if (!is_token(name)) ctx.fail(header, header.path + ": '" + name + "' is not a valid HTTP header name");
    if (is_one_of(kManagedHeaders, name)) {
      ctx.fail(header, header.path + ": the " + name + " header is set by llmux and cannot be configured");
    }
    if (defaults_ && is_one_of(kCredentialHeaders, name)) {
      ctx.fail(header, header.path +
                           ": a credential header would reach every provider; set it on the deployments that need it");
    }
    if (!header.value.IsScalar()) ctx.fail(header, header.path + " must be a string, got " + describe(header.value));
    const bool from_env = env_reference(header.value.Scalar()).has_value();
    const std::optional<std::string> value = read_env_text(ctx, header);
    if (!value) continue;
    // The value is never quoted: it may be a credential.
    if (!is_clean_value(*value)) ctx.fail(header, header.path + " has a line break or control character");
    const bool credential_like = is_one_of(kCredentialHeaders, name) || icontains(name, "key") ||
                                 icontains(name, "token") || icontains(name, "secret") ||
                                 icontains(name, "auth") || icontains(name, "cookie") || icontains(name, "password");
    if (credential_like || from_env) secret_values_.push_back(*value);
    if (is_one_of(kCredentialHeaders, name)) credential_field_ = header;
    set_member(into, name, *value, true);
  }
}

RequestPresets PresetReader::finish(ParseContext& ctx, ProviderFamily family, bool has_api_key,
                                    const std::string& owner) {
  RequestPresets out;
  out.body = std::move(params_);
  for (auto& [key, value] : extra_body_) set_member(out.body, std::move(key), std::move(value), false);
  out.headers = std::move(headers_);
  for (auto& [name, value] : extra_headers_) set_member(out.headers, std::move(name), std::move(value), true);

  if (organization_field_) {
    if (family == ProviderFamily::openai_compatible) {
      // What the OpenAI SDK sends for `organization`; an extra_headers copy of it wins.
      if (organization_ && !has_key(out.headers, "OpenAI-Organization", true)) {
        if (!is_clean_value(*organization_)) {
          ctx.fail(*organization_field_, organization_field_->path + " has a line break or control character");
        }
        out.headers.emplace_back("OpenAI-Organization", *organization_);
      }
    } else {
      ctx.warn(*organization_field_, owner + ": " + organization_field_->path +
                                         " is an OpenAI setting; this provider gets no organization header");
    }
  }
  if (api_version_field_) {
    // LiteLLM reads api_version for Azure only; the OpenAI-wire and Anthropic calls never use it.
    ctx.warn(*api_version_field_, owner + ": " + api_version_field_->path +
                                      " is used by Azure only, which llmux does not serve; it has no effect here");
  }
  if (credential_field_) {
    if (has_api_key) {
      ctx.fail(*credential_field_, owner + ": " + credential_field_->path +
                                       " and api_key both set the credential; keep one");
    }
    out.sets_credential_header = true;
  }

  out.drop = std::move(drop_);
  // additional_drop_params applies after the merge, so it removes presets too (LiteLLM drops from
  // the final call's parameters).
  std::erase_if(out.body, [&](const auto& member) {
    return std::find(out.drop.begin(), out.drop.end(), member.first) != out.drop.end();
  });
  out.secret_values = std::move(secret_values_);
  return out;
}

void apply_default_presets(std::vector<Deployment>& deployments, const RequestPresets& defaults) {
  if (defaults.empty()) return;
  for (Deployment& deployment : deployments) {
    RequestPresets& own = deployment.presets;
    for (const auto& [key, value] : defaults.body) {
      const bool dropped = std::find(own.drop.begin(), own.drop.end(), key) != own.drop.end();
      if (!dropped && !has_key(own.body, key, false)) own.body.emplace_back(key, value);
    }
    for (const auto& [name, value] : defaults.headers) {
      // `organization` means something to OpenAI-wire upstreams only.
      if (deployment.family != ProviderFamily::openai_compatible && iequals(name, "OpenAI-Organization")) continue;
      if (!has_key(own.headers, name, true)) own.headers.emplace_back(name, value);
    }
    own.secret_values.insert(own.secret_values.end(), defaults.secret_values.begin(), defaults.secret_values.end());
    for (const std::string& name : defaults.drop) {
      if (std::find(own.drop.begin(), own.drop.end(), name) == own.drop.end()) own.drop.push_back(name);
    }
    std::erase_if(own.body, [&](const auto& member) {
      return std::find(defaults.drop.begin(), defaults.drop.end(), member.first) != defaults.drop.end();
    });
  }
}

}  // namespace llmux::config::detail
