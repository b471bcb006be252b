#pragma once
// A lenient multipart/form-data reader for the mock's audio and image-edit routes: written apart
// from llmux's strict scanner (src/api/multipart_form.cpp) on purpose, so that tests through the
// gateway check one reading of the form against another.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace llmux::mock {

struct FormPartView {
  std::string name;
  std::string filename;  // empty for text fields
  bool is_file = false;
  std::string_view value;
};

// nullopt: not multipart/form-data, no boundary, or no closing delimiter.
std::optional<std::vector<FormPartView>> read_form(std::string_view content_type, std::string_view body);

// The first part of that name.
const FormPartView* form_part(const std::vector<FormPartView>& parts, std::string_view name);

}  // namespace llmux::mock
