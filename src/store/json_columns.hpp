#pragma once

// Lists and maps are stored as JSON text. Decoding is strict: a models list that fails to parse
// must not read back as empty, because an empty list means "every model".

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace llmux::store {

std::string encode_string_list(const std::vector<std::string>& values);
constexpr std::string_view empty_string_list = "[]";  // encode_string_list({})
std::optional<std::vector<std::string>> decode_string_list(std::string_view json);

std::string encode_string_map(const std::map<std::string, std::string>& values);
std::optional<std::map<std::string, std::string>> decode_string_map(std::string_view json);

}  // namespace llmux::store
