#include "providers/audio_duration.hpp"

#include <cstdint>

namespace llmux::providers {
namespace {

std::uint32_t le32(std::string_view bytes, std::size_t at) {
  const auto b = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + i])); };
  return b(0) | (b(1) << 8) | (b(2) << 16) | (b(3) << 24);
}

}  // namespace

std::optional<double> wav_seconds(std::string_view file) {
  if (file.size() < 12 || file.substr(0, 4) != "RIFF" || file.substr(8, 4) != "WAVE") return std::nullopt;
  std::optional<std::uint32_t> byte_rate;
  std::size_t at = 12;
  for (int chunk = 0; chunk < 64 && at + 8 <= file.size(); ++chunk) {
    const std::string_view id = file.substr(at, 4);
    const std::uint64_t size = le32(file, at + 4);
    const std::size_t data = at + 8;
    if (id == "fmt " && size >= 16 && data + 16 <= file.size()) byte_rate = le32(file, data + 8);
    if (id == "data") {
      if (!byte_rate || *byte_rate == 0) return std::nullopt;
      // A streamed WAV may say 0 or 0xFFFFFFFF for "to the end": the bytes present are the truth.
      const std::uint64_t present = file.size() - data;
      const std::uint64_t bytes = size == 0 || size > present ? present : size;
      return static_cast<double>(bytes) / *byte_rate;
    }
    at = data + size + (size & 1);  // chunks are padded to an even size
  }
  return std::nullopt;
}

double likely_audio_seconds(std::string_view file) {
  if (auto exact = wav_seconds(file)) return *exact;
  return static_cast<double>(file.size()) / kTypicalAudioBytesPerSecond;
}

double reserved_audio_seconds(std::string_view file) {
  if (auto exact = wav_seconds(file)) return *exact;
  return static_cast<double>(file.size()) / kLowAudioBytesPerSecond;
}

}  // namespace llmux::providers
