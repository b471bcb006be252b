#include "providers/media_answers.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "api/json_scan.hpp"
#include "api/json_skim.hpp"
#include "providers/audio_duration.hpp"

namespace llmux::providers {
namespace {

// A count from an upstream: negative or malformed is none (never a refund).
std::int64_t count_of(std::optional<std::string_view> value) {
  if (!value) return 0;
  return std::max<std::int64_t>(0, api::decode_int64(*value).value_or(0));
}

// Seconds from an upstream: finite, not negative, at most a day of audio per call.
std::optional<double> seconds_of(std::optional<std::string_view> value) {
  if (!value) return std::nullopt;
  const auto seconds = api::decode_double(*value);
  if (!seconds || !std::isfinite(*seconds) || *seconds < 0) return std::nullopt;
  return std::min(*seconds, 86400.0);
}

std::optional<std::string_view> member(std::optional<std::string_view> object, std::string_view key) {
  if (!object || !api::is_object(*object)) return std::nullopt;
  return api::find_member(*object, key);
}

std::int64_t array_size(std::optional<std::string_view> value) {
  if (!value || !api::is_array(*value)) return 0;
  api::ElementCursor elements(*value);
  std::string_view element;
  std::int64_t n = 0;
  while (elements.next(element)) ++n;
  return n;
}

void read_image_answer(std::string_view body, Usage& usage) {
  usage.images = array_size(api::skim_member(body, "data"));
  const auto reported = api::skim_member(body, "usage");
  if (!reported || !api::is_object(*reported)) return;
  const std::int64_t input = count_of(member(reported, "input_tokens"));
  const auto details = member(reported, "input_tokens_details");
  const std::int64_t image_input = std::min(input, count_of(member(details, "image_tokens")));
  usage.prompt_tokens = input - image_input;
  usage.image_input_tokens = image_input;
  usage.completion_tokens = count_of(member(reported, "output_tokens"));
}

void read_transcription_answer(std::string_view body, const api::RequestView& request, Usage& usage) {
  std::optional<double> seconds;
  const auto reported = api::skim_member(body, "usage");
  if (auto duration = seconds_of(api::skim_member(body, "duration"))) seconds = duration;
  if (reported && api::is_object(*reported)) {
    if (!seconds) seconds = seconds_of(member(reported, "seconds"));
    usage.prompt_tokens = count_of(member(reported, "input_tokens"));
    usage.completion_tokens = count_of(member(reported, "output_tokens"));
  }
  // Cues are read from srt/vtt answers only: a JSON transcript's text could quote an arrow.
  const auto first = body.find_first_not_of(" \t\r\n");
  if (!seconds && (first == std::string_view::npos || body[first] != '{')) seconds = last_cue_end_seconds(body);
  usage.audio_seconds = seconds ? *seconds : likely_audio_seconds(request.media.file(request.body));
}

void read_speech_request(const api::RequestView& request, Usage& usage) {
  const double characters = static_cast<double>(request.media.characters);
  usage.characters = request.media.characters;
  usage.prompt_tokens = static_cast<std::int64_t>(std::ceil(characters / kSpeechCharactersPerToken));
  usage.speech_seconds = characters / kSpeechCharactersPerSecond;
}

void read_rerank_answer(std::string_view body, Usage& usage) {
  const auto units = member(member(api::skim_member(body, "meta"), "billed_units"), "search_units");
  usage.queries = units ? count_of(units) : 1;
  const auto reported = api::skim_member(body, "usage");
  if (auto total = member(reported, "total_tokens")) {
    usage.prompt_tokens = count_of(total);
  } else if (auto prompt = member(reported, "prompt_tokens")) {
    usage.prompt_tokens = count_of(prompt);
  }
}

// "01:02:03,456" / "01:02:03.456" / "02:03.456" → seconds.
std::optional<double> timestamp_seconds(std::string_view text) {
  double total = 0;
  int fields = 0;
  std::size_t at = 0;
  while (at < text.size() && fields < 3) {
    std::size_t end = at;
    while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
    if (end == at || end - at > 9) return std::nullopt;
    total = total * 60 + std::stod(std::string(text.substr(at, end - at)));
    ++fields;
    at = end;
    if (at < text.size() && text[at] == ':') {
      ++at;
      continue;
    }
    if (at < text.size() && (text[at] == ',' || text[at] == '.')) {
      std::size_t frac_end = ++at;
      while (frac_end < text.size() && frac_end - at < 3 && std::isdigit(static_cast<unsigned char>(text[frac_end])))
        ++frac_end;
      if (frac_end == at) return std::nullopt;
      total += std::stod("0." + std::string(text.substr(at, frac_end - at)));
    }
    break;
  }
  if (fields < 2) return std::nullopt;
  return total;
}

}  // namespace

std::optional<double> last_cue_end_seconds(std::string_view transcript) {
  const std::size_t arrow = transcript.rfind("-->");
  if (arrow == std::string_view::npos) return std::nullopt;
  std::size_t at = arrow + 3;
  while (at < transcript.size() && transcript[at] == ' ') ++at;
  auto seconds = timestamp_seconds(transcript.substr(at, 32));
  if (seconds && *seconds > 86400) return 86400.0;
  return seconds;
}

Usage media_answer_usage(api::Endpoint endpoint, const api::RequestView& request, std::string_view body) {
  Usage usage;
  usage.known = true;
  switch (endpoint) {
    case api::Endpoint::image_generations:
    case api::Endpoint::image_edits:
      read_image_answer(body, usage);
      break;
    case api::Endpoint::audio_transcriptions:
    case api::Endpoint::audio_translations:
      read_transcription_answer(body, request, usage);
      break;
    case api::Endpoint::audio_speech:
      read_speech_request(request, usage);
      break;
    case api::Endpoint::rerank:
      read_rerank_answer(body, usage);
      break;
    default:
      break;
  }
  return usage;
}

Usage media_request_usage(api::Endpoint endpoint, const api::RequestView& request) {
  Usage usage;
  usage.known = true;
  switch (endpoint) {
    case api::Endpoint::image_generations:
    case api::Endpoint::image_edits:
      usage.images = std::max<std::int64_t>(1, request.media.images);
      break;
    case api::Endpoint::audio_transcriptions:
    case api::Endpoint::audio_translations:
      usage.audio_seconds = reserved_audio_seconds(request.media.file(request.body));
      break;
    case api::Endpoint::audio_speech:
      read_speech_request(request, usage);
      break;
    case api::Endpoint::rerank:
      usage.queries = 1;
      usage.prompt_tokens = static_cast<std::int64_t>((request.body.size() + 3) / 4);
      break;
    default:
      break;
  }
  return usage;
}

}  // namespace llmux::providers
