#pragma once

// The other OpenAI endpoints — images, audio, moderations, rerank — as the gateway reads them:
// routed by `model` like chat and passed through, so only what routing, pricing and budgets need
// is read (MediaFacts). JSON bodies go through read_request (which calls read_media_member for
// each member); multipart bodies (image edits, audio uploads) through read_multipart_request,
// which reads the form's parts but none of their values except `model` and a few small fields.

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "api/multipart_form.hpp"
#include "api/request_view.hpp"

namespace llmux::api {

bool is_media_endpoint(Endpoint endpoint);      // images, audio, moderations, rerank
bool is_multipart_endpoint(Endpoint endpoint);  // image edits, transcriptions, translations
// OpenAI's moderations API defaults its model; the gateway then picks one (gateway/).
bool model_is_optional(Endpoint endpoint);

// The path under an OpenAI-style base, "/images/generations"; "" for chat/completions/embeddings.
std::string_view media_path(Endpoint endpoint);

// What read_request tracks of a media body while it reads it.
struct MediaReadState {
  bool required = false;  // the endpoint's required member (prompt, input, documents)
  bool query = false;     // rerank's query
};

// One top-level member of a JSON media body: its type checked and its fact recorded when the
// endpoint reads it; nullopt otherwise (every other member is passed through unread).
std::optional<RequestError> read_media_member(Endpoint endpoint, std::string_view key, std::string_view value,
                                              MediaFacts& facts, MediaReadState& state);
// After the last member: what is missing, and the defaults (`n` is 1).
std::optional<RequestError> check_media_required(Endpoint endpoint, const MediaReadState& state, MediaFacts& facts);

// A multipart/form-data body: `model` must be one text part, not empty, not repeated (or given
// by the path); audio needs its `file` part, image edits `image` (or `image[]`) and `prompt`.
std::variant<RequestView, RequestError> read_multipart_request(Endpoint endpoint, std::string_view body,
                                                               std::string_view content_type,
                                                               std::string_view model_from_path = {},
                                                               const MultipartLimits& limits = {});

// The multipart body for the upstream: byte for byte, its model value replaced by
// `upstream_model` (LiteLLM sends the deployment's model), or a model part added when the body
// had none. The model must hold no CR or LF (the caller checks), which would break the framing.
std::string multipart_upstream_body(const RequestView& view, std::string_view upstream_model);

}  // namespace llmux::api
