#include "api/routes.hpp"

namespace llmux::api {
namespace {

bool is_post_route(Route route) {
  switch (route) {
    case Route::chat_completions:
    case Route::completions:
    case Route::embeddings:
    case Route::anthropic_messages:
    case Route::anthropic_count_tokens:
    case Route::utils_token_counter:
    case Route::responses_create:
    case Route::image_generations:
    case Route::image_edits:
    case Route::audio_transcriptions:
    case Route::audio_translations:
    case Route::audio_speech:
    case Route::moderations:
    case Route::rerank:
    case Route::responses_cancel:
    case Route::key_generate:
    case Route::key_update:
    case Route::key_delete:
    case Route::key_block:
    case Route::key_unblock:
    case Route::key_regenerate:
    case Route::team_new:
    case Route::team_update:
    case Route::team_delete:
    case Route::team_block:
    case Route::team_unblock:
    case Route::user_new:
    case Route::user_update:
    case Route::user_delete:
      return true;
    default:
      return false;
  }
}

Route admin_route_for(std::string_view path) {
  if (path == "/key/generate") return Route::key_generate;
  if (path == "/key/info") return Route::key_info;
  if (path == "/key/list") return Route::key_list;
  if (path == "/key/update") return Route::key_update;
  if (path == "/key/delete") return Route::key_delete;
  if (path == "/key/block") return Route::key_block;
  if (path == "/key/unblock") return Route::key_unblock;
  if (path == "/key/regenerate") return Route::key_regenerate;
  if (path == "/team/new") return Route::team_new;
  if (path == "/team/info") return Route::team_info;
  if (path == "/team/update") return Route::team_update;
  if (path == "/team/delete") return Route::team_delete;
  if (path == "/team/list") return Route::team_list;
  if (path == "/team/block") return Route::team_block;
  if (path == "/team/unblock") return Route::team_unblock;
  if (path == "/user/new") return Route::user_new;
  if (path == "/user/info") return Route::user_info;
  if (path == "/user/update") return Route::user_update;
  if (path == "/user/delete") return Route::user_delete;
  if (path == "/spend/logs") return Route::spend_logs;
  if (path == "/global/spend/report") return Route::global_spend_report;
  return Route::not_found;
}

Route llm_route_for_suffix(std::string_view suffix) {
  if (suffix == "/chat/completions") return Route::chat_completions;
  if (suffix == "/completions") return Route::completions;
  if (suffix == "/embeddings") return Route::embeddings;
  if (suffix == "/images/generations") return Route::image_generations;
  if (suffix == "/images/edits") return Route::image_edits;
  if (suffix == "/audio/transcriptions") return Route::audio_transcriptions;
  if (suffix == "/audio/translations") return Route::audio_translations;
  if (suffix == "/audio/speech") return Route::audio_speech;
  if (suffix == "/moderations") return Route::moderations;
  if (suffix == "/rerank") return Route::rerank;
  return Route::not_found;
}

RouteMatch match_path(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  if (path == "/health/liveliness" || path == "/health/liveness") return {Route::health_liveliness};
  if (path == "/health/readiness") return {Route::health_readiness};

  if (auto admin = admin_route_for(path); admin != Route::not_found) return {admin, true, {}};

  if (path == "/v1/messages") return {Route::anthropic_messages};
  if (path == "/v1/messages/count_tokens") return {Route::anthropic_count_tokens};
  if (path == "/utils/token_counter") return {Route::utils_token_counter};
  if (path == "/v2/rerank") return {Route::rerank};  // Cohere's v2 path, which LiteLLM also serves

  std::string_view rest = path;
  if (rest.starts_with("/v1/")) rest.remove_prefix(3);
  if (rest == "/models") return {Route::list_models};
  if (rest == "/responses") return {Route::responses_create};
  if (rest.starts_with("/responses/")) {
    // {id}, {id}/input_items, {id}/cancel; the id is checked by the handler (a 404 if it is none).
    std::string_view id = rest.substr(11);
    Route route = Route::responses_retrieve;
    if (const auto slash = id.find('/'); slash != std::string_view::npos) {
      const std::string_view tail = id.substr(slash);
      if (tail == "/input_items") {
        route = Route::responses_input_items;
      } else if (tail == "/cancel") {
        route = Route::responses_cancel;
      } else {
        return {Route::not_found};
      }
      id = id.substr(0, slash);
    }
    if (id.empty()) return {Route::not_found};
    return {route, true, {}, id};
  }
  if (rest.starts_with("/models/") && rest.size() > 8) return {Route::get_model, true, rest.substr(8)};
  if (auto route = llm_route_for_suffix(rest); route != Route::not_found) return {route};

  // /openai/deployments/{model}/chat/completions and /engines/{model}/chat/completions.
  for (std::string_view prefix : {std::string_view("/openai/deployments/"), std::string_view("/engines/")}) {
    if (!rest.starts_with(prefix)) continue;
    const std::string_view tail = rest.substr(prefix.size());
    const auto slash = tail.find('/');
    if (slash == std::string_view::npos || slash == 0) break;
    if (auto route = llm_route_for_suffix(tail.substr(slash)); route != Route::not_found) {
      return {route, true, tail.substr(0, slash)};
    }
  }
  return {Route::not_found};
}

}  // namespace

RouteMatch match_route(std::string_view method, std::string_view path) {
  RouteMatch match = match_path(path);
  if (match.route == Route::not_found) return match;
  if (match.route == Route::responses_retrieve) {
    // One path, two methods: GET reads the response, DELETE removes it.
    if (method == "DELETE") match.route = Route::responses_delete;
    match.method_allowed = method == "GET" || method == "HEAD" || method == "DELETE";
    return match;
  }
  const bool wants_post = is_post_route(match.route);
  match.method_allowed = wants_post ? method == "POST" : (method == "GET" || method == "HEAD");
  return match;
}

bool is_admin_route(Route route) {
  return route >= Route::key_generate && route <= Route::global_spend_report;
}

std::string_view canonical_route_name(Route route) {
  switch (route) {
    case Route::chat_completions: return "/chat/completions";
    case Route::completions: return "/completions";
    case Route::embeddings: return "/embeddings";
    case Route::list_models: return "/models";
    case Route::get_model: return "/models";
    case Route::anthropic_messages: return "/v1/messages";
    case Route::anthropic_count_tokens: return "/v1/messages/count_tokens";
    case Route::utils_token_counter: return "/utils/token_counter";
    case Route::responses_create: return "/v1/responses";
    case Route::image_generations: return "/images/generations";
    case Route::image_edits: return "/images/edits";
    case Route::audio_transcriptions: return "/audio/transcriptions";
    case Route::audio_translations: return "/audio/translations";
    case Route::audio_speech: return "/audio/speech";
    case Route::moderations: return "/moderations";
    case Route::rerank: return "/rerank";
    case Route::responses_retrieve:
    case Route::responses_delete:
    case Route::responses_input_items:
    case Route::responses_cancel: return "/v1/responses/{response_id}";
    default: return "";
  }
}

}  // namespace llmux::api
