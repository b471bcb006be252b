#pragma once

// The HTTP surface: which method and path reach which handler. OpenAI routes exist with and
// without `/v1`, and in the Azure-style `/openai/deployments/{model}/…` and `/engines/{model}/…`
// forms LiteLLM accepts (the model in the path overrides the body's).

#include <string_view>

namespace llmux::api {

enum class Route {
  chat_completions,
  completions,
  embeddings,
  list_models,
  get_model,
  health_liveliness,
  health_readiness,
  anthropic_messages,      // POST /v1/messages (Anthropic's Messages API in front)
  anthropic_count_tokens,  // POST /v1/messages/count_tokens
  utils_token_counter,     // POST /utils/token_counter (LiteLLM's: the count the pre-call check uses)
  responses_create,        // POST /v1/responses (OpenAI's Responses API, bridged or passed through)
  // The other OpenAI endpoints, passed through (api/media_request.hpp).
  image_generations,     // POST /v1/images/generations
  image_edits,           // POST /v1/images/edits (multipart)
  audio_transcriptions,  // POST /v1/audio/transcriptions (multipart)
  audio_translations,    // POST /v1/audio/translations (multipart)
  audio_speech,          // POST /v1/audio/speech (binary answer)
  moderations,           // POST /v1/moderations
  rerank,                // POST /v1/rerank, /rerank, /v2/rerank (Cohere/Jina shape)
  responses_retrieve,      // GET /v1/responses/{id}
  responses_delete,        // DELETE /v1/responses/{id}
  responses_input_items,   // GET /v1/responses/{id}/input_items
  responses_cancel,        // POST /v1/responses/{id}/cancel
  // Admin API (master key only), LiteLLM's paths.
  key_generate,
  key_info,
  key_list,
  key_update,
  key_delete,
  key_block,
  key_unblock,
  key_regenerate,
  team_new,
  team_info,
  team_update,
  team_delete,
  team_list,
  team_block,
  team_unblock,
  user_new,
  user_info,
  user_update,
  user_delete,
  spend_logs,
  global_spend_report,
  not_found,
};

struct RouteMatch {
  Route route = Route::not_found;
  bool method_allowed = true;
  std::string_view model_in_path;  // deployments/engines forms, or GET /v1/models/{model}
  std::string_view response_id;    // /v1/responses/{id}[/…]
};

RouteMatch match_route(std::string_view method, std::string_view path);

bool is_admin_route(Route route);

// LiteLLM names errors by the canonical route, e.g. "/chat/completions: Invalid model name …".
std::string_view canonical_route_name(Route route);

}  // namespace llmux::api
