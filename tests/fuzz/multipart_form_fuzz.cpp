// The multipart/form-data reader of the audio and image-edit routes (api::read_multipart_request)
// and the body it forwards (api::multipart_upstream_body). Input: a Content-Type line, then the
// body. What it accepts must lie within the body, and the forwarded body must read back the same
// way with only the model changed: the same parts, the same file bytes, the new model.

#include <string>
#include <variant>

#include "api/media_request.hpp"
#include "fuzz_input.hpp"

namespace {

using llmux::fuzz::require;
using namespace llmux::api;

void check(Endpoint endpoint, std::string_view content_type, std::string_view body) {
  auto read = read_multipart_request(endpoint, body, content_type);
  if (auto* error = std::get_if<RequestError>(&read)) {
    require(error->status == 400 && !error->message.empty());
    return;
  }
  const RequestView& view = std::get<RequestView>(read);
  const MediaFacts& facts = view.media;
  require(!view.model.empty() && facts.model_in_body);
  require(facts.model_at + facts.model_size <= body.size() && body.substr(facts.model_at, facts.model_size) == view.model);
  require(facts.file_at + facts.file_size <= body.size());
  require(view.model.find_first_of("\r\n") == std::string::npos);

  const std::string forwarded = multipart_upstream_body(view, "upstream-model");
  auto again = read_multipart_request(endpoint, forwarded, content_type);
  require(std::holds_alternative<RequestView>(again));
  const RequestView& reread = std::get<RequestView>(again);
  require(reread.model == "upstream-model");
  require(reread.media.file(forwarded) == facts.file(body));
  require(reread.media.images == facts.images && reread.media.image_size == facts.image_size);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = llmux::fuzz::as_text(data, size);
  const std::size_t newline = text.find('\n');
  if (newline == std::string_view::npos) return 0;
  const std::string_view content_type = text.substr(0, newline);
  const std::string_view body = text.substr(newline + 1);
  check(Endpoint::audio_transcriptions, content_type, body);
  check(Endpoint::image_edits, content_type, body);
  return 0;
}
