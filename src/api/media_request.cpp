#include "api/media_request.hpp"

#include <algorithm>
#include <climits>

#include "api/json_scan.hpp"
#include "api/json_text.hpp"
#include "api/request_errors.hpp"

namespace llmux::api {
namespace {

// OpenAI takes at most 10 images per call; self-hosted servers may take more. Past this a body
// is refused outright: `n` multiplies the budget reservation, and no server makes 10,000 images.
constexpr std::int64_t kMaxImages = 128;

using MaybeError = std::optional<RequestError>;

std::int64_t code_points(std::string_view utf8) {
  return static_cast<std::int64_t>(
      std::count_if(utf8.begin(), utf8.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool is_utf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = json_text::utf8_sequence_length(s + i, text.size() - i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

MaybeError read_text(std::string_view param, std::string_view value, std::string& out) {
  if (is_null(value)) return std::nullopt;
  auto text = decode_string(value);
  if (!text) return type_error(param, "a string", value);
  out = std::move(*text);
  return std::nullopt;
}

MaybeError read_image_count(std::string_view text, std::string_view shown, std::int64_t& out) {
  const auto n = decode_int64(text);  // nullopt: past int64, either way
  if (text.starts_with('-') || (n && *n < 1)) return out_of_range("n", ">= 1", shown);
  if (!n || *n > kMaxImages) return out_of_range("n", "<= " + std::to_string(kMaxImages), shown);
  out = *n;
  return std::nullopt;
}

MaybeError read_required_string(std::string_view param, std::string_view value, MediaReadState& state,
                                std::int64_t* characters = nullptr) {
  state.required = false;
  if (is_null(value)) return std::nullopt;
  auto text = decode_string(value);
  if (!text) return type_error(param, "a string", value);
  if (characters) *characters = code_points(*text);
  state.required = true;
  return std::nullopt;
}

MaybeError read_image_member(std::string_view key, std::string_view value, MediaFacts& facts, MediaReadState& state) {
  if (key == "prompt") return read_required_string("prompt", value, state);
  if (key == "n") {
    if (is_null(value)) return std::nullopt;
    if (!is_integer(value)) return type_error("n", "an integer", value);
    return read_image_count(value, value, facts.images);
  }
  if (key == "size") return read_text("size", value, facts.image_size);
  if (key == "quality") return read_text("quality", value, facts.image_quality);
  return std::nullopt;
}

MaybeError read_moderation_input(std::string_view value, MediaReadState& state) {
  state.required = false;
  if (is_null(value)) return std::nullopt;
  if (is_string(value)) {
    state.required = true;
    return std::nullopt;
  }
  if (!is_array(value)) return type_error("input", "a string or an array", value);
  ElementCursor elements(value);
  std::string_view element;
  if (!elements.next(element)) {
    return bad_param("input", "Invalid 'input': empty array. Expected an array with minimum length 1, but got an "
                              "empty array instead.");
  }
  state.required = true;
  return std::nullopt;
}

MaybeError read_rerank_member(std::string_view key, std::string_view value, MediaFacts& facts, MediaReadState& state) {
  if (key == "query") {
    state.query = false;
    if (is_null(value)) return std::nullopt;
    if (!is_string(value)) return type_error("query", "a string", value);
    state.query = true;
    return std::nullopt;
  }
  if (key == "documents") {
    state.required = false;
    if (is_null(value)) return std::nullopt;
    if (!is_array(value)) return type_error("documents", "an array", value);
    ElementCursor elements(value);
    std::string_view element;
    std::int64_t count = 0;
    while (elements.next(element)) ++count;
    if (count == 0) return bad_param("documents", "Invalid 'documents': expected at least one document.");
    facts.documents = count;
    state.required = true;
    return std::nullopt;
  }
  if (key == "top_n") {
    if (is_null(value)) return std::nullopt;
    if (!is_integer(value)) return type_error("top_n", "an integer", value);
    const auto n = decode_int64(value);
    if (!n || *n < 1) return out_of_range("top_n", ">= 1", value);
    return std::nullopt;
  }
  return std::nullopt;
}

RequestError form_error(std::string message) {
  return RequestError{400, "Invalid multipart/form-data body: " + std::move(message), "", "invalid_request_error"};
}

}  // namespace

bool is_media_endpoint(Endpoint endpoint) {
  switch (endpoint) {
    case Endpoint::chat_completions:
    case Endpoint::completions:
    case Endpoint::embeddings:
      return false;
    default:
      return true;
  }
}

bool is_multipart_endpoint(Endpoint endpoint) {
  return endpoint == Endpoint::image_edits || endpoint == Endpoint::audio_transcriptions ||
         endpoint == Endpoint::audio_translations;
}

bool model_is_optional(Endpoint endpoint) { return endpoint == Endpoint::moderations; }

std::string_view media_path(Endpoint endpoint) {
  switch (endpoint) {
    case Endpoint::image_generations: return "/images/generations";
    case Endpoint::image_edits: return "/images/edits";
    case Endpoint::audio_transcriptions: return "/audio/transcriptions";
    case Endpoint::audio_translations: return "/audio/translations";
    case Endpoint::audio_speech: return "/audio/speech";
    case Endpoint::moderations: return "/moderations";
    case Endpoint::rerank: return "/rerank";
    default: return "";
  }
}

std::optional<RequestError> read_media_member(Endpoint endpoint, std::string_view key, std::string_view value,
                                              MediaFacts& facts, MediaReadState& state) {
  switch (endpoint) {
    case Endpoint::image_generations: return read_image_member(key, value, facts, state);
    case Endpoint::audio_speech:
      if (key == "input") return read_required_string("input", value, state, &facts.characters);
      return std::nullopt;
    case Endpoint::moderations:
      if (key == "input") return read_moderation_input(value, state);
      return std::nullopt;
    case Endpoint::rerank: return read_rerank_member(key, value, facts, state);
    default: return std::nullopt;
  }
}

std::optional<RequestError> check_media_required(Endpoint endpoint, const MediaReadState& state, MediaFacts& facts) {
  switch (endpoint) {
    case Endpoint::image_generations:
      if (!state.required) return missing_param("prompt");
      if (facts.images == 0) facts.images = 1;
      return std::nullopt;
    case Endpoint::audio_speech:
    case Endpoint::moderations:
      if (!state.required) return missing_param("input");
      return std::nullopt;
    case Endpoint::rerank:
      if (!state.query) return missing_param("query");
      if (!state.required) return missing_param("documents");
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

std::variant<RequestView, RequestError> read_multipart_request(Endpoint endpoint, std::string_view body,
                                                               std::string_view content_type,
                                                               std::string_view model_from_path,
                                                               const MultipartLimits& limits) {
  auto boundary = multipart_boundary(content_type);
  if (auto* error = std::get_if<MultipartError>(&boundary)) return form_error(std::move(error->message));
  auto scanned = scan_multipart(body, std::get<std::string>(boundary), limits);
  if (auto* error = std::get_if<MultipartError>(&scanned)) return form_error(std::move(error->message));
  const MultipartForm& form = std::get<MultipartForm>(scanned);

  RequestView view;
  view.body = body;
  MediaFacts& facts = view.media;
  facts.content_type = content_type;
  facts.first_part_at = form.first_delimiter_at;
  bool have_file = false, have_prompt = false, have_n = false;
  for (const FormPart& part : form.parts) {
    const std::string_view value = part.value(body);
    const auto twice = [&](std::string_view name) {
      return bad_param(name, "Invalid multipart/form-data body: '" + std::string(name) + "' is given more than once.");
    };
    if (part.name == "model") {
      if (facts.model_in_body) return twice("model");
      if (part.is_file) return bad_param("model", "Invalid 'model': expected a text field, but got a file.");
      if (value.find_first_of("\r\n") != std::string_view::npos || !is_utf8(value)) {
        return bad_param("model", "Invalid 'model': expected a model name on one line of UTF-8 text.");
      }
      facts.model_in_body = true;
      facts.model_at = part.value_at;
      facts.model_size = part.value_size;
      view.model = std::string(value);
    } else if (part.name == "file" && endpoint != Endpoint::image_edits) {
      if (have_file) return twice("file");
      if (!part.is_file) return bad_param("file", "Invalid 'file': expected an uploaded file, but got a text field.");
      have_file = true;
      facts.file_at = part.value_at;
      facts.file_size = part.value_size;
    } else if ((part.name == "image" || part.name == "image[]") && endpoint == Endpoint::image_edits) {
      have_file = true;
    } else if (endpoint == Endpoint::image_edits && !part.is_file) {
      if (part.name == "prompt") have_prompt = true;
      if (part.name == "size") facts.image_size = std::string(value);
      if (part.name == "quality") facts.image_quality = std::string(value);
      if (part.name == "n") {
        if (have_n) return twice("n");
        have_n = true;
        const std::string shown = "'" + std::string(value.substr(0, 32)) + "'";
        if (value.empty() || value.find_first_not_of("0123456789") != std::string_view::npos) {
          return out_of_range("n", ">= 1", shown);
        }
        if (value.size() > 18) return out_of_range("n", "<= " + std::to_string(kMaxImages), shown);
        if (auto error = read_image_count(value, shown, facts.images)) return std::move(*error);
      }
    }
  }
  if (!model_from_path.empty()) {
    view.model = std::string(model_from_path);
  } else if (view.model.empty()) {
    return missing_param("model");
  }
  if (!have_file) return missing_param(endpoint == Endpoint::image_edits ? "image" : "file");
  if (endpoint == Endpoint::image_edits) {
    if (!have_prompt) return missing_param("prompt");
    if (facts.images == 0) facts.images = 1;
  }
  return view;
}

std::string multipart_upstream_body(const RequestView& view, std::string_view upstream_model) {
  const MediaFacts& facts = view.media;
  const std::string_view body = view.body;
  if (facts.model_in_body) {
    std::string out;
    out.reserve(body.size() + upstream_model.size());
    out.append(body.substr(0, facts.model_at)).append(upstream_model);
    out.append(body.substr(facts.model_at + facts.model_size));
    return out;
  }
  // The boundary was read from this Content-Type before the call could start.
  const auto boundary = multipart_boundary(facts.content_type);
  const std::string* text = std::get_if<std::string>(&boundary);
  std::string part = "--" + (text ? *text : std::string()) +
                     "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\n" + std::string(upstream_model) + "\r\n";
  std::string out;
  out.reserve(body.size() + part.size());
  out.append(body.substr(0, facts.first_part_at)).append(part).append(body.substr(facts.first_part_at));
  return out;
}

}  // namespace llmux::api
