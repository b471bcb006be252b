#include "openai_media.hpp"

#include <boost/json/serialize.hpp>
#include <cmath>
#include <algorithm>
#include <cstdio>
#include <memory>

#include "error_bodies.hpp"
#include "form_parts.hpp"
#include "mock_text.hpp"
#include "openai_common.hpp"

namespace llmux::mock {
namespace {

Reply missing(std::string_view param) {
  return openai_error(400, "Missing required parameter: '" + std::string(param) + "'.", "invalid_request_error",
                      std::string(param), "missing_required_parameter");
}

// A WAV file's seconds from its canonical 44-byte header; other files at 16,000 bytes a second.
double audio_seconds(std::string_view file) {
  const auto le32 = [&](std::size_t at) {
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(file[at + i]);
    return v;
  };
  if (file.size() >= 44 && file.substr(0, 4) == "RIFF" && file.substr(36, 4) == "data" && le32(28) > 0) {
    return static_cast<double>(file.size() - 44) / le32(28);
  }
  return static_cast<double>(file.size()) / 16000.0;
}

std::string timestamp(double seconds, char separator) {
  const auto millis = static_cast<long long>(std::llround(seconds * 1000));
  char out[32];
  std::snprintf(out, sizeof out, "%02lld:%02lld:%02lld%c%03lld", millis / 3600000, millis / 60000 % 60,
                millis / 1000 % 60, separator, millis % 1000);
  return out;
}

std::uint32_t hash(std::string_view text) {
  std::uint32_t h = 2166136261u;
  for (unsigned char c : text) h = (h ^ c) * 16777619u;
  return h;
}

}  // namespace

std::string speech_bytes(std::string_view input) {
  std::string bytes = "ID3";
  const std::uint32_t seed = hash(input);
  const std::size_t size = 256 + 16 * input.size();
  for (std::size_t i = bytes.size(); i < size; ++i) bytes += static_cast<char>((seed + i * 31) & 0xff);
  return bytes;
}

Reply openai_images(const MockRequest& request, bool edit) {
  std::string prompt;
  std::int64_t n = 1;
  bool b64 = false;
  std::string_view model = request.model();
  if (edit) {
    const auto form = read_form(request.content_type, request.raw_body);
    if (!form) return openai_error(400, "mock-upstream: expected a multipart/form-data body", "invalid_request_error");
    const auto* image = form_part(*form, "image");
    if (!image) image = form_part(*form, "image[]");
    if (!image || !image->is_file) return missing("image");
    const auto* text = form_part(*form, "prompt");
    if (!text) return missing("prompt");
    prompt = std::string(text->value);
    if (const auto* count = form_part(*form, "n")) n = std::max(1, std::atoi(std::string(count->value).c_str()));
    if (const auto* format = form_part(*form, "response_format")) b64 = format->value == "b64_json";
    if (const auto* named = form_part(*form, "model")) model = named->value;
  } else {
    if (!request.body) return invalid_json_error();
    const auto* p = request.body->if_contains("prompt");
    if (!p || !p->is_string()) return missing("prompt");
    prompt = std::string(p->get_string());
    if (const auto* count = request.body->if_contains("n"); count && count->is_int64()) n = count->get_int64();
    b64 = request.string_field("response_format") == "b64_json";
  }
  if (n < 1 || n > 10) return openai_error(400, "Invalid 'n': must be between 1 and 10.", "invalid_request_error", "n");
  boost::json::array data;
  for (std::int64_t i = 0; i < n; ++i) {
    const std::string id = std::to_string(request.id) + "-" + std::to_string(i);
    if (b64) {
      data.push_back({{"b64_json", base64_encode("\x89PNG mock image " + id)}, {"revised_prompt", prompt}});
    } else {
      data.push_back({{"url", "https://mock-upstream.invalid/images/" + id + ".png"}, {"revised_prompt", prompt}});
    }
  }
  boost::json::object body{{"created", request.created}, {"data", std::move(data)}};
  if (model.find("gpt-image") != std::string_view::npos) {
    // gpt-image models report tokens: the prompt's, and 272 per generated image (a low 1024²).
    const auto text_tokens = approx_tokens(prompt.size());
    const std::uint64_t image_tokens = edit ? 65 : 0;
    body["usage"] = {{"input_tokens", text_tokens + image_tokens},
                     {"output_tokens", 272 * n},
                     {"total_tokens", text_tokens + image_tokens + 272 * n},
                     {"input_tokens_details", {{"text_tokens", text_tokens}, {"image_tokens", image_tokens}}}};
  }
  return json_reply(200, boost::json::serialize(body));
}

Reply openai_transcription(const MockRequest& request, bool translate) {
  const auto form = read_form(request.content_type, request.raw_body);
  if (!form) return openai_error(400, "mock-upstream: expected a multipart/form-data body", "invalid_request_error");
  const auto* file = form_part(*form, "file");
  if (!file || !file->is_file) return missing("file");
  if (!form_part(*form, "model")) return missing("model");
  const auto* format_part = form_part(*form, "response_format");
  const std::string format = format_part ? std::string(format_part->value) : "json";
  const double seconds = audio_seconds(file->value);
  const std::string text = std::string(translate ? "Mock translation" : "Mock transcript") + " of " +
                           std::to_string(file->value.size()) + " bytes (" + file->filename + ")";
  Reply reply;
  if (format == "text") {
    reply.content_type = "text/plain; charset=utf-8";
    reply.body = text + "\n";
  } else if (format == "srt" || format == "vtt") {
    const char separator = format == "srt" ? ',' : '.';
    reply.content_type = "text/plain; charset=utf-8";
    reply.body = (format == "vtt" ? "WEBVTT\n\n" : "1\n") + timestamp(0, separator) + " --> " +
                 timestamp(seconds, separator) + "\n" + text + "\n\n";
  } else if (format == "verbose_json") {
    boost::json::object body{{"task", translate ? "translate" : "transcribe"},
                             {"language", "english"},
                             {"duration", seconds},
                             {"text", text},
                             {"segments", boost::json::array{{{"id", 0}, {"start", 0.0}, {"end", seconds}, {"text", text}}}}};
    reply.body = boost::json::serialize(body);
  } else if (format == "json") {
    reply.body = boost::json::serialize(boost::json::object{{"text", text}});
  } else {
    return openai_error(400, "Invalid 'response_format': " + format, "invalid_request_error", "response_format");
  }
  return reply;
}

Reply openai_speech(const MockRequest& request) {
  if (!request.body) return invalid_json_error();
  const auto* input = request.body->if_contains("input");
  if (!input || !input->is_string()) return missing("input");
  if (!request.body->if_contains("voice")) return missing("voice");
  const std::string_view format = request.string_field("response_format", "mp3");
  Reply reply;
  reply.content_type = format == "wav" ? "audio/wav" : format == "opus" ? "audio/ogg" : "audio/mpeg";
  reply.stream = std::make_unique<SseScript>();  // frames of raw bytes, one chunk each
  auto bytes = std::make_shared<std::string>(speech_bytes(input->get_string()));
  // Never an empty piece: an empty chunk would end the chunked body.
  const std::size_t chunks = std::clamp<std::size_t>(request.chunks(), 1, bytes->size());
  reply.stream->add_content(chunks, [bytes, chunks](std::size_t i) {
    const std::size_t begin = bytes->size() * i / chunks, end = bytes->size() * (i + 1) / chunks;
    return bytes->substr(begin, end - begin);
  });
  return reply;
}

Reply openai_moderations(const MockRequest& request) {
  if (!request.body) return invalid_json_error();
  const auto* input = request.body->if_contains("input");
  if (!input) return missing("input");
  std::vector<std::string> texts;
  if (input->is_string()) texts.emplace_back(input->get_string());
  if (input->is_array()) {
    for (const auto& item : input->get_array()) texts.push_back(item.is_string() ? std::string(item.get_string()) : "");
  }
  boost::json::array results;
  for (const auto& text : texts) {
    const bool violent = text.find("violence") != std::string::npos;
    results.push_back({{"flagged", violent},
                       {"categories", {{"violence", violent}, {"harassment", false}, {"hate", false}}},
                       {"category_scores", {{"violence", violent ? 0.98 : 0.001}, {"harassment", 0.001}, {"hate", 0.001}}}});
  }
  boost::json::object body{{"id", "modr-mock-" + std::to_string(request.id)},
                           {"model", request.model()},
                           {"results", std::move(results)}};
  return json_reply(200, boost::json::serialize(body));
}

Reply rerank(const MockRequest& request) {
  if (!request.body) return invalid_json_error();
  const auto* query = request.body->if_contains("query");
  const auto* documents = request.body->if_contains("documents");
  if (!query || !query->is_string()) return missing("query");
  if (!documents || !documents->is_array()) return missing("documents");
  const std::string q(query->get_string());
  struct Scored {
    std::size_t index;
    double score;
    std::string text;
  };
  std::vector<Scored> scored;
  std::uint64_t tokens = approx_tokens(q.size());
  for (std::size_t i = 0; i < documents->get_array().size(); ++i) {
    const auto& doc = documents->get_array()[i];
    std::string text;
    if (doc.is_string()) {
      text = std::string(doc.get_string());
    } else if (const auto* field = doc.is_object() ? doc.get_object().if_contains("text") : nullptr;
               field && field->is_string()) {
      text = std::string(field->get_string());
    } else {
      text = boost::json::serialize(doc);
    }
    tokens += approx_tokens(text.size());
    // Deterministic: the share of the query's bytes found in the document, less a little per index.
    std::size_t shared = 0;
    for (char c : q) shared += text.find(c) != std::string::npos;
    const double score = q.empty() ? 0 : static_cast<double>(shared) / q.size() - 0.001 * static_cast<double>(i);
    scored.push_back({i, std::max(0.0, score), std::move(text)});
  }
  std::stable_sort(scored.begin(), scored.end(), [](const Scored& a, const Scored& b) { return a.score > b.score; });
  std::size_t top_n = scored.size();
  if (const auto* n = request.body->if_contains("top_n"); n && n->is_int64() && n->get_int64() > 0) {
    top_n = std::min<std::size_t>(top_n, static_cast<std::size_t>(n->get_int64()));
  }
  const bool with_documents = request.flag("return_documents");
  boost::json::array results;
  for (std::size_t i = 0; i < top_n; ++i) {
    boost::json::object result{{"index", scored[i].index}, {"relevance_score", scored[i].score}};
    if (with_documents) result["document"] = {{"text", scored[i].text}};
    results.push_back(std::move(result));
  }
  boost::json::object body{{"id", "rerank-mock-" + std::to_string(request.id)},
                           {"model", request.model()},
                           {"results", std::move(results)},
                           {"meta", {{"billed_units", {{"search_units", 1}}}}},
                           {"usage", {{"total_tokens", tokens}}}};
  return json_reply(200, boost::json::serialize(body));
}

}  // namespace llmux::mock
