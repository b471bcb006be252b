#pragma once

// Finding one member of a JSON object without validating the text around it.
//
// An upstream's whole answer is forwarded to the client byte for byte; the gateway only reads
// its `usage`. Validating every byte of the answer (UTF-8, escapes, numbers), as the request
// reader in json_scan must for what it forwards, costs more than the rest of the hop; skimming
// finds where each value ends by its quotes and brackets alone. What the skim returns is still
// raw text: read it with the validating cursors of json_scan.hpp.

#include <optional>
#include <string_view>

namespace llmux::api {

// The value text of the last top-level member named `key` of the object `object_json` (like
// find_member, duplicates resolved as Python does). nullopt when the key is absent, or when the
// object's structure (quotes, brackets, commas, colons) is broken anywhere. Damage inside a
// string or a scalar (bad UTF-8, a bad escape or number) is not looked for.
std::optional<std::string_view> skim_member(std::string_view object_json, std::string_view key);

}  // namespace llmux::api
