#pragma once

// What a media call (images, audio, moderations, rerank) used, read from the request or skimmed
// from the answer without a DOM: the units pricing charges (providers::Usage).
//   images: `data` entries returned; with `usage` (gpt-image-1) its text, image and output tokens.
//   transcriptions / translations: seconds of audio — verbose_json's `duration`, else
//     `usage.seconds` (type "duration"), else the last srt/vtt cue's end, else the upload's own
//     length (audio_duration.hpp); `usage` tokens (gpt-4o-transcribe) when the answer has them.
//   speech: the request's `input` characters; its tokens and seconds estimated (about 4 characters
//     a token, 15 a second of speech), as the binary answer reports neither.
//   rerank: Cohere's `meta.billed_units.search_units`, else one query; `usage.total_tokens` as
//     prompt tokens (vLLM, Jina).
//   moderations: nothing (free, or per token with no usage reported): priced at what it reports.

#include <string_view>

#include "api/request_view.hpp"
#include "providers/provider.hpp"

namespace llmux::providers {

// Characters of speech per token and per second of audio, for the speech estimates.
inline constexpr double kSpeechCharactersPerToken = 4;
inline constexpr double kSpeechCharactersPerSecond = 15;

// The usage of an answered media call. Always `known` (its cost may still be 0).
Usage media_answer_usage(api::Endpoint endpoint, const api::RequestView& request, std::string_view body);

// The usage a media call will likely have, before it runs (budget reservations): `n` images,
// the upload's reserved seconds, the speech input, one rerank query with the body as tokens.
Usage media_request_usage(api::Endpoint endpoint, const api::RequestView& request);

// The end of the last cue of an SRT or WebVTT transcript ("00:01:02,500 --> 00:01:05,250"), in
// seconds; nullopt when the text has none.
std::optional<double> last_cue_end_seconds(std::string_view transcript);

}  // namespace llmux::providers
