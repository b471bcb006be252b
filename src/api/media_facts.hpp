#pragma once

// What the gateway reads of a media request (images, audio, moderations, rerank) besides its
// model: the few facts pricing and budgets need, and for a multipart body where its framing and
// its model value are. Filled by api/media_request.cpp; empty for chat, completions, embeddings.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace llmux::api {

struct MediaFacts {
  std::int64_t images = 0;          // images asked for: `n`, 1 when absent (image routes)
  std::string image_size;           // `size` as written ("1024x1024"), empty when absent
  std::string image_quality;        // `quality` ("hd", "low", …), empty when absent
  std::int64_t characters = 0;      // speech: `input` in Unicode code points
  std::int64_t documents = 0;       // rerank: entries of `documents`

  // multipart/form-data bodies (image edits, audio): the Content-Type to forward, boundary and
  // all; where the model part's value is; where the uploaded file is (audio's `file`).
  std::string_view content_type;
  std::size_t model_at = 0, model_size = 0;
  bool model_in_body = false;
  std::size_t first_part_at = 0;  // where a model part is added when the body has none
  std::size_t file_at = 0, file_size = 0;

  bool multipart() const { return !content_type.empty(); }
  std::string_view file(std::string_view body) const { return body.substr(file_at, file_size); }
};

}  // namespace llmux::api
