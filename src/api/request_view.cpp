#include "api/request_view.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstdlib>

#include "api/first_occurrences.hpp"
#include "api/media_request.hpp"
#include "api/request_errors.hpp"

namespace llmux::api {
namespace {

std::string_view required_param(Endpoint endpoint) {
  switch (endpoint) {
    case Endpoint::chat_completions:
      return "messages";
    case Endpoint::completions:
      return "prompt";
    case Endpoint::embeddings:
      return "input";
    default:
      return "";  // the media endpoints: api/media_request.cpp checks theirs
  }
}

using MaybeError = std::optional<RequestError>;

MaybeError read_string(std::string_view param, std::string_view value, std::optional<std::string>& out) {
  if (is_null(value)) return std::nullopt;
  auto s = decode_string(value);
  if (!s) return type_error(param, "a string", value);
  out = std::move(*s);
  return std::nullopt;
}

MaybeError read_bool(std::string_view param, std::string_view value, bool& out) {
  if (is_null(value)) return std::nullopt;
  auto b = decode_bool(value);
  if (!b) return type_error(param, "a boolean", value);
  out = *b;
  return std::nullopt;
}

// LiteLLM accepts the strings "true"/"false" for its test switches (reference §2.10).
MaybeError read_flag(std::string_view param, std::string_view value, bool& out) {
  if (is_string(value)) {
    auto s = decode_string(value);
    std::string lower = s ? *s : std::string();
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    if (lower == "true" || lower == "false") {
      out = lower == "true";
      return std::nullopt;
    }
    return type_error(param, "a boolean", value);
  }
  return read_bool(param, value, out);
}

// A count the gateway acts on (retries, fallback hops). Past INT_MAX (even past int64) it is
// read as INT_MAX: the router holds it to its own cap (llmux_settings.max_request_retries), so
// "very many" and "more than we allow" mean the same thing.
MaybeError read_count(std::string_view param, std::string_view value, std::optional<int>& out) {
  if (is_null(value)) return std::nullopt;
  if (!is_integer(value)) return type_error(param, "an integer", value);
  if (value.front() == '-' && value != "-0") return out_of_range(param, ">= 0", value);
  const std::optional<std::int64_t> n = decode_int64(value);
  out = n && *n <= INT_MAX ? static_cast<int>(*n) : INT_MAX;
  return std::nullopt;
}

// Seconds to wait. A number too large for a double (1e400) is read as infinity, as Python
// reads it: the gateway holds every client duration to llmux_settings.max_request_timeout.
MaybeError read_seconds(std::string_view param, std::string_view value, std::optional<double>& out) {
  if (is_null(value)) return std::nullopt;
  std::optional<double> d = decode_double(value);
  if (!d && is_number(value) && validate_json(value)) d = std::strtod(std::string(value).c_str(), nullptr);
  if (!d) return type_error(param, "a number", value);
  if (!(*d > 0)) return out_of_range(param, "> 0", value);
  out = *d;
  return std::nullopt;
}

// A list the gateway itself walks (tags, fallbacks) may hold at most `max_items` entries.
RequestError too_many_items(std::string_view param, std::size_t max_items) {
  std::string message = "Invalid '";
  message.append(param).append("': expected an array with at most ").append(std::to_string(max_items));
  message.append(" items (llmux_settings.max_routing_list_items), but got more.");
  return bad_param(param, std::move(message));
}

// A wrong element is named by its index, as OpenAI does ("Invalid type for 'tags[1]'…");
// `param` stays the top-level name.
RequestError element_type_error(std::string_view param, std::size_t index, std::string_view expected,
                                std::string_view element) {
  RequestError error = type_error(std::string(param) + "[" + std::to_string(index) + "]", expected, element);
  error.param = std::string(param);
  return error;
}

MaybeError read_string_list(std::string_view param, std::string_view value, std::size_t max_items,
                            std::vector<std::string>& out) {
  if (is_null(value)) return std::nullopt;
  if (!is_array(value)) return type_error(param, "an array of strings", value);
  std::vector<std::string> list;
  ElementCursor elements(value);
  std::string_view element;
  while (elements.next(element)) {
    if (list.size() == max_items) return too_many_items(param, max_items);
    auto s = decode_string(element);
    if (!s) return element_type_error(param, list.size(), "a string", element);
    list.push_back(std::move(*s));
  }
  out = std::move(list);
  return std::nullopt;
}

// A list of group names, or of {"model": name} objects (LiteLLM's per-request form). Other
// object shapes carry per-fallback parameter overrides we do not implement: refuse them
// rather than silently ignore what the caller asked for.
MaybeError read_fallbacks(std::string_view param, std::string_view value, std::size_t max_items,
                          std::optional<std::vector<std::string>>& out) {
  if (is_null(value)) return std::nullopt;
  if (!is_array(value)) return type_error(param, "an array of model names", value);
  std::vector<std::string> names;
  ElementCursor elements(value);
  std::string_view element;
  while (elements.next(element)) {
    if (names.size() == max_items) return too_many_items(param, max_items);
    std::optional<std::string> name;
    if (is_object(element)) {
      MemberCursor fields(element);
      Member field;
      int count = 0;
      while (fields.next(field)) {
        ++count;
        if (field.key_is("model")) name = decode_string(field.value(element));
      }
      if (count != 1) name.reset();
    } else {
      name = decode_string(element);
    }
    if (!name)
      return element_type_error(param, names.size(), R"(a model name or {"model": <name>})", element);
    names.push_back(std::move(*name));
  }
  out = std::move(names);
  return std::nullopt;
}

MaybeError check_messages(std::string_view value, bool& present) {
  if (is_null(value)) return std::nullopt;
  if (!is_array(value)) return type_error("messages", "an array", value);
  if (value.find_first_not_of(" \t\r\n", 1) == value.size() - 1) {
    return bad_param("messages",
                     "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an "
                     "empty array instead.");
  }
  present = true;
  return std::nullopt;
}

MaybeError check_prompt(std::string_view value, bool& present) {
  if (is_null(value)) return std::nullopt;
  if (!is_string(value) && !is_array(value)) return type_error("prompt", "a string or an array", value);
  present = true;
  return std::nullopt;
}

// OpenAI's accepted shapes: a string, or a non-empty array of strings, of token ids, or of
// non-empty token id arrays.
MaybeError check_embedding_input(std::string_view value, bool& present) {
  if (is_null(value)) return std::nullopt;
  static constexpr std::string_view kShapes =
      "a string, an array of strings, an array of integers or an array of integer arrays";
  if (is_string(value)) {
    present = true;
    return std::nullopt;
  }
  if (!is_array(value)) return type_error("input", kShapes, value);
  enum class Shape { none, strings, tokens, token_arrays } shape = Shape::none;
  const RequestError invalid =
      bad_param("input", std::string("Invalid 'input': expected ").append(kShapes).append("."));
  ElementCursor elements(value);
  std::string_view element;
  while (elements.next(element)) {
    Shape this_shape = Shape::none;
    if (is_string(element)) {
      this_shape = Shape::strings;
    } else if (is_integer(element)) {
      this_shape = Shape::tokens;
    } else if (is_array(element)) {
      this_shape = Shape::token_arrays;
      ElementCursor tokens(element);
      std::string_view token;
      int count = 0;
      while (tokens.next(token)) {
        if (!is_integer(token)) return invalid;
        ++count;
      }
      if (count == 0) return invalid;
    } else {
      return invalid;
    }
    if (shape != Shape::none && shape != this_shape) return invalid;
    shape = this_shape;
  }
  if (shape == Shape::none) {
    return bad_param(
        "input",
        "Invalid 'input': empty array. Expected an array with minimum length 1, but got an empty "
        "array instead.");
  }
  present = true;
  return std::nullopt;
}

struct ReadState {
  ReadLimits limits;
  MediaReadState media;
  bool have_model = false;
  bool have_required = false;
  std::optional<int> max_retries;
  std::vector<std::string> top_level_tags, metadata_tags;
};

MaybeError read_member(Endpoint endpoint, std::string_view key, std::string_view value, RequestView& view,
                       ReadState& state) {
  const std::size_t max_items = state.limits.max_list_items;
  if (key == "model") {
    if (is_null(value)) {
      state.have_model = false;
      return std::nullopt;
    }
    auto model = decode_string(value);
    if (!model) return type_error("model", "a string", value);
    view.model = std::move(*model);
    state.have_model = !view.model.empty();
    return std::nullopt;
  }
  if (is_media_endpoint(endpoint)) {
    if (auto error = read_media_member(endpoint, key, value, view.media, state.media)) return error;
  } else if (key == required_param(endpoint)) {
    state.have_required = false;
    switch (endpoint) {
      case Endpoint::chat_completions:
        return check_messages(value, state.have_required);
      case Endpoint::completions:
        return check_prompt(value, state.have_required);
      case Endpoint::embeddings:
        return check_embedding_input(value, state.have_required);
      default:
        break;
    }
    return std::nullopt;
  }
  if (key == "stream") return read_bool("stream", value, view.stream);
  if (key == "stream_options") {
    view.include_usage = false;
    if (is_null(value)) return std::nullopt;
    if (!is_object(value)) return type_error("stream_options", "an object", value);
    auto include_usage = find_member(value, "include_usage");
    if (!include_usage) return std::nullopt;
    return read_bool("stream_options.include_usage", *include_usage, view.include_usage);
  }
  if (key == "user") return read_string("user", value, view.user);
  if (key == "metadata") {
    state.metadata_tags.clear();
    if (is_null(value)) return std::nullopt;
    if (!is_object(value)) return type_error("metadata", "an object", value);
    auto tags = find_member(value, "tags");
    if (!tags) return std::nullopt;
    return read_string_list("metadata.tags", *tags, max_items, state.metadata_tags);
  }
  if (key == "tags") {
    state.top_level_tags.clear();
    return read_string_list("tags", value, max_items, state.top_level_tags);
  }
  if (key == "num_retries") return read_count(key, value, view.num_retries);
  if (key == "max_retries") return read_count(key, value, state.max_retries);
  if (key == "max_fallbacks") return read_count(key, value, view.max_fallbacks);
  if (key == "timeout") return read_seconds(key, value, view.timeout_seconds);
  if (key == "stream_timeout") return read_seconds(key, value, view.stream_timeout_seconds);
  if (key == "fallbacks") return read_fallbacks(key, value, max_items, view.fallbacks);
  if (key == "context_window_fallbacks") return read_fallbacks(key, value, max_items, view.context_window_fallbacks);
  if (key == "content_policy_fallbacks") return read_fallbacks(key, value, max_items, view.content_policy_fallbacks);
  if (key == "disable_fallbacks") return read_flag(key, value, view.disable_fallbacks);
  if (key == "mock_response") return read_string(key, value, view.mock_response);
  if (key == "mock_testing_fallbacks") return read_flag(key, value, view.mock_testing_fallbacks);
  if (key == "mock_testing_context_fallbacks" || key == "mock_testing_context_window_fallbacks") {
    return read_flag(key, value, view.mock_testing_context_fallbacks);
  }
  if (key == "mock_testing_content_policy_fallbacks") {
    return read_flag(key, value, view.mock_testing_content_policy_fallbacks);
  }
  if (key == "mock_testing_rate_limit_error")
    return read_flag(key, value, view.mock_testing_rate_limit_error);
  if (key == "mock_timeout") return read_flag(key, value, view.mock_timeout);
  return std::nullopt;
}

}  // namespace

std::variant<RequestView, RequestError> read_request(Endpoint endpoint, std::string_view body,
                                                     std::string_view model_from_path, const ReadLimits& limits) {
  RequestView view;
  view.body = body;
  view.members.reserve(16);
  MemberCursor cursor(body, limits.max_object_keys);
  Member member;
  while (cursor.next(member)) view.members.push_back(member);
  if (cursor.error() && cursor.error()->over_member_limit) {
    std::string message = "Invalid request body: an object at byte ";
    message.append(std::to_string(cursor.error()->offset)).append(" has more than ");
    message.append(std::to_string(limits.max_object_keys)).append(" keys (llmux_settings.max_json_object_keys).");
    return RequestError{400, std::move(message), "", "invalid_request_error"};
  }
  if (cursor.error()) {
    const auto syntax = find_json_error(body);
    if (!syntax)
      return RequestError{400, "Invalid request body: expected a JSON object.", "", "invalid_request_error"};
    std::string message = "Invalid JSON in request body: ";
    message.append(syntax->reason).append(" at byte ").append(std::to_string(syntax->offset));
    return RequestError{400, std::move(message), "", "invalid_request_error"};
  }

  ReadState state{limits};
  std::string decoded_key;
  view.present_params.reserve(view.members.size());
  for (const Member& m : view.members) {
    std::string_view key = m.key_raw;
    if (m.key_escaped) {
      // Escaped keys are rare but must mean what Python upstreams take them to mean.
      decoded_key = decode_key(key).value_or(std::string());
      key = decoded_key;
    }
    if (auto error = read_member(endpoint, key, m.value(body), view, state)) return std::move(*error);
    if (key != "model" && !is_gateway_control_param(key)) view.present_params.emplace_back(key);
  }
  keep_first_occurrences(view.present_params);
  if (!model_from_path.empty()) {
    view.model = std::string(model_from_path);
  } else if (!state.have_model && !model_is_optional(endpoint)) {
    return missing_param("model");
  }
  if (is_media_endpoint(endpoint)) {
    if (auto error = check_media_required(endpoint, state.media, view.media)) return std::move(*error);
  } else if (!state.have_required) {
    return missing_param(required_param(endpoint));
  }

  if (!view.num_retries) view.num_retries = state.max_retries;
  view.tags = std::move(state.top_level_tags);
  view.tags.insert(view.tags.end(), std::make_move_iterator(state.metadata_tags.begin()),
                   std::make_move_iterator(state.metadata_tags.end()));
  keep_first_occurrences(view.tags);
  return view;
}

namespace {

bool names_one_of(std::span<const std::string> names, std::string_view key) {
  return std::find(names.begin(), names.end(), key) != names.end();
}

// Whether the request itself sets what preset `key` would: the same key, or the other name of
// the output limit (sending both is refused by OpenAI's reasoning models).
bool request_sets(const RequestView& view, std::string_view key) {
  const auto present = [&](std::string_view name) { return names_one_of(view.present_params, name); };
  if (key == "max_tokens" || key == "max_completion_tokens") {
    return present("max_tokens") || present("max_completion_tokens");
  }
  return present(key);
}

}  // namespace

std::string build_upstream_body(const RequestView& view, std::string_view upstream_model,
                                const std::vector<std::string>& drop, bool add_include_usage,
                                const BodyPresets& presets) {
  const auto& members = view.members;
  const bool want_usage = add_include_usage && view.stream && !view.include_usage &&
                          std::find(drop.begin(), drop.end(), "stream_options") == drop.end();

  std::vector<std::size_t> remove;  // usually stays empty, so no allocation: not reserved
  std::optional<std::size_t> model_at, stream_options_at;
  std::string decoded_key;
  for (std::size_t i = 0; i < members.size(); ++i) {
    std::string_view key = members[i].key_raw;
    if (members[i].key_escaped) {
      decoded_key = decode_key(key).value_or(std::string());
      key = decoded_key;
    }
    if (key == "model") {
      // Only the last duplicate counts (Python semantics); the others must not reach an
      // upstream that might read the first.
      if (model_at) remove.push_back(*model_at);
      model_at = i;
    } else if (key == "stream_options" && want_usage) {
      if (stream_options_at) remove.push_back(*stream_options_at);
      stream_options_at = i;
    } else if (is_gateway_control_param(key) || std::find(drop.begin(), drop.end(), key) != drop.end() ||
               (!presets.drop.empty() && names_one_of(presets.drop, key))) {
      remove.push_back(i);
    }
  }

  std::string model_json;
  append_json_string(model_json, upstream_model);
  std::array<ValueReplacement, 2> replace{};
  std::size_t replace_count = 0;
  std::array<MemberAddition, 2> own_add{};
  std::size_t add_count = 0;
  if (model_at) {
    replace[replace_count++] = {*model_at, model_json};
  } else {
    own_add[add_count++] = {"model", model_json};
  }

  static constexpr std::string_view kIncludeUsage = R"({"include_usage":true})";
  std::string merged_stream_options;
  if (want_usage) {
    const std::string_view current =
        stream_options_at ? members[*stream_options_at].value(view.body) : std::string_view();
    if (is_object(current)) {
      // Keep the client's other stream_options; replace only include_usage.
      auto nested = top_level_members(current).value_or(std::vector<Member>{});
      std::vector<std::size_t> drop_usage;
      for (std::size_t i = 0; i < nested.size(); ++i) {
        if (key_equals(nested[i].key_raw, "include_usage")) drop_usage.push_back(i);
      }
      const MemberAddition usage[] = {{"include_usage", "true"}};
      merged_stream_options = splice(current, nested, Edits{{}, drop_usage, usage});
      replace[replace_count++] = {*stream_options_at, merged_stream_options};
    } else if (stream_options_at) {
      replace[replace_count++] = {*stream_options_at, kIncludeUsage};
    } else {
      own_add[add_count++] = {"stream_options", kIncludeUsage};
    }
  }

  const std::span<const ValueReplacement> replaced(replace.data(), replace_count);
  if (presets.add_when_absent.empty()) {
    return splice(view.body, members, Edits{replaced, remove, std::span(own_add.data(), add_count)});
  }
  // Only a deployment with presets pays for this list.
  std::vector<MemberAddition> add(own_add.begin(), own_add.begin() + add_count);
  add.reserve(add_count + presets.add_when_absent.size());
  for (const auto& [key, value_json] : presets.add_when_absent) {
    if (request_sets(view, key) || std::find(drop.begin(), drop.end(), key) != drop.end()) continue;
    add.push_back({key, value_json});
  }
  return splice(view.body, members, Edits{replaced, remove, add});
}

}  // namespace llmux::api
