#pragma once

// How long an uploaded audio file plays, for pricing a transcription whose answer does not say
// (response_format json or text): exact for PCM WAV (its header says), else estimated from the
// file's size. Pure, bounded: reads at most the first 64 RIFF chunks' headers.

#include <optional>
#include <string_view>

namespace llmux::providers {

// A RIFF/WAVE file's duration: its data chunk's size over the fmt chunk's byte rate.
std::optional<double> wav_seconds(std::string_view file);

// A size-based estimate at this many bytes per second of audio.
inline constexpr double kTypicalAudioBytesPerSecond = 16000;  // 128 kbit/s: mp3/m4a as phones and apps record
inline constexpr double kLowAudioBytesPerSecond = 4000;       // 32 kbit/s: compressed speech (opus, low mp3)

// The settled duration: the WAV header's, else size at the typical rate.
double likely_audio_seconds(std::string_view file);
// The reservation's: the WAV header's, else size at the low rate, which errs long for the budget.
double reserved_audio_seconds(std::string_view file);

}  // namespace llmux::providers
