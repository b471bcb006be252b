#include "dispatch.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "anthropic_responses.hpp"
#include "error_bodies.hpp"
#include "mock_request.hpp"
#include "mock_text.hpp"
#include "openai_chat.hpp"
#include "openai_media.hpp"
#include "openai_responses.hpp"
#include "responses_api.hpp"

namespace llmux::mock {
namespace http = boost::beast::http;
namespace {

std::string_view header(const HttpRequest& request, std::string_view name) {
  const auto it = request.find(name);
  return it == request.end() ? std::string_view{} : std::string_view(it->value());
}

Reply introspection(const HttpRequest& request, std::string_view path, MockState& state) {
  const auto method = request.method();
  if (path == "/__mock/requests" && method == http::verb::get)
    return json_reply(200, state.log.requests_json());
  if (path == "/__mock/requests" && method == http::verb::delete_) {
    state.log.clear();
    return json_reply(200, R"({"cleared":"requests"})");
  }
  if (path == "/__mock/stats" && method == http::verb::get) return json_reply(200, state.log.stats_json());
  if (path == "/__mock/faults" && method == http::verb::delete_) {
    state.counters.clear();
    return json_reply(200, R"({"cleared":"faults"})");
  }
  if (path == "/__mock/reset" && method == http::verb::post) {
    state.log.clear();
    state.counters.clear();
    state.responses.clear();
    return json_reply(200, R"({"cleared":"all"})");
  }
  return openai_error(404, "mock-upstream: unknown introspection route", "invalid_request_error");
}

void record(const HttpRequest& request, RequestLog& log) {
  LoggedRequest entry;
  entry.method = std::string(request.method_string());
  entry.path = std::string(request.target());
  for (const auto& field : request) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    entry.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  entry.body = request.body();
  log.record(std::move(entry));
}

bool is_post(std::string_view method) { return method == "POST"; }

Reply handle_route(Route route, const MockRequest& request) {
  const bool needs_post = route != Route::models && route != Route::health && route != Route::unknown;
  if (needs_post && !is_post(request.method)) {
    return openai_error(405, "Method Not Allowed", "invalid_request_error");
  }
  switch (route) {
    case Route::chat:
      return openai_chat_completion(request);
    case Route::completions:
      return openai_text_completion(request);
    case Route::embeddings:
      return openai_embeddings(request);
    case Route::models:
      return openai_models(request);
    case Route::messages:
      return anthropic_messages(request);
    case Route::count_tokens:
      return anthropic_count_tokens(request);
    case Route::health:
      return json_reply(200, R"({"status":"ok"})");
    case Route::images_generations:
      return openai_images(request, false);
    case Route::images_edits:
      return openai_images(request, true);
    case Route::audio_transcriptions:
      return openai_transcription(request, false);
    case Route::audio_translations:
      return openai_transcription(request, true);
    case Route::audio_speech:
      return openai_speech(request);
    case Route::moderations:
      return openai_moderations(request);
    case Route::rerank:
      return rerank(request);
    case Route::unknown:
      break;
  }
  return openai_error(404,
                      "Unknown request URL: " + std::string(request.method) + " " +
                          std::string(request.path) + ". Please check the URL for typos.",
                      "invalid_request_error", std::nullopt, "unknown_url");
}

template <class Normal>
Reply faulted_or_normal(ApiFamily family, const MockRequest& request, Normal normal) {
  const FaultSpec& fault = request.fault;
  if (fault.reset) {
    Reply reply;
    reply.action = Reply::Action::reset;
    return reply;
  }
  if (fault.status) return status_error(family, *fault.status, request.model());
  if (fault.context_error) {
    if (auto reply = context_length_error(*fault.context_error, family)) return std::move(*reply);
    return openai_error(400, "mock-upstream: unknown context_error flavour '" + *fault.context_error + "'",
                        "mock_fault_error");
  }
  if (fault.content_policy) return content_policy_error(family);
  return normal();
}

void apply_stream_faults(Reply& reply, const FaultSpec& fault, ApiFamily family) {
  reply.frame_delay = std::chrono::milliseconds(fault.chunk_delay_ms);
  if (fault.stream_error) {
    const std::size_t after = fault.break_after.value_or((reply.stream->content_frames() + 1) / 2);
    reply.stream->fail_after_content(after, stream_error_frame(family, *fault.stream_error));
  } else if (fault.break_after) {
    reply.stream->cut_after_content(*fault.break_after);
    reply.close_abruptly = true;
  }
}

}  // namespace

Route route_for(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  auto ends = [path](std::string_view suffix) { return path.ends_with(suffix); };
  if (ends("/chat/completions")) return Route::chat;
  if (ends("/images/generations")) return Route::images_generations;
  if (ends("/images/edits")) return Route::images_edits;
  if (ends("/audio/transcriptions")) return Route::audio_transcriptions;
  if (ends("/audio/translations")) return Route::audio_translations;
  if (ends("/audio/speech")) return Route::audio_speech;
  if (ends("/moderations")) return Route::moderations;
  if (ends("/rerank")) return Route::rerank;
  if (ends("/messages/count_tokens")) return Route::count_tokens;
  if (ends("/messages")) return Route::messages;
  if (ends("/completions")) return Route::completions;
  if (ends("/embeddings")) return Route::embeddings;
  if (ends("/models")) return Route::models;
  if (ends("/health") || ends("/healthz")) return Route::health;
  return Route::unknown;
}

Reply dispatch(const HttpRequest& request, MockState& state) {
  const std::string_view target = request.target();
  const std::string_view raw_path = target.substr(0, target.find('?'));
  if (raw_path.starts_with("/__mock/")) return introspection(request, raw_path, state);
  if (state.logging) record(request, state.log);

  std::vector<std::string> path_specs;
  const std::string path = strip_fault_segments(raw_path, path_specs);
  FaultItems items;
  for (const auto& spec : path_specs) merge_fault_items(spec, items);
  merge_fault_items(header(request, "x-mock-fault"), items);

  boost::system::error_code ec;
  boost::json::value body;
  if (!request.body().empty()) body = boost::json::parse(request.body(), ec);
  const auto* body_object = ec ? nullptr : body.if_object();
  if (body_object) {
    if (const auto* spec = body_object->if_contains("mock_fault"); spec && spec->is_string()) {
      merge_fault_items(spec->get_string(), items);
    }
  }
  auto fault = to_fault_spec(items);
  if (!fault) return openai_error(400, "mock-upstream: " + fault.error(), "mock_fault_error");

  MockRequest mock;
  mock.method = request.method_string();
  mock.path = path;
  mock.body = body_object;
  mock.x_api_key = header(request, "x-api-key");
  mock.anthropic_version = header(request, "anthropic-version");
  mock.content_type = header(request, "content-type");
  mock.raw_body = request.body();
  if (state.counters.admit(*fault)) mock.fault = std::move(*fault);
  mock.id = state.next_id.fetch_add(1, std::memory_order_relaxed);
  mock.created = unix_now();

  const std::string_view query = target.size() > raw_path.size() ? target.substr(raw_path.size() + 1) : "";
  const auto responses_route = responses_route_for(path);
  const Route route = responses_route ? Route::unknown : route_for(path);
  const ApiFamily family =
      route == Route::messages || route == Route::count_tokens ? ApiFamily::anthropic : ApiFamily::openai;
  Reply reply = faulted_or_normal(family, mock, [&] {
    return responses_route ? responses_api(*responses_route, mock, query, state.responses) : handle_route(route, mock);
  });
  // A Responses stream applies its faults itself: they end it with its own events.
  if (reply.stream && !responses_route) apply_stream_faults(reply, mock.fault, family);
  reply.delay = std::chrono::milliseconds(mock.fault.delay_ms);

  const std::string request_id = "req_mock_" + std::to_string(mock.id);
  reply.headers.emplace_back(family == ApiFamily::anthropic ? "request-id" : "x-request-id", request_id);
  if (mock.fault.retry_after) {
    reply.headers.emplace_back("retry-after", *mock.fault.retry_after);
  } else if (family == ApiFamily::anthropic && reply.status == 429) {
    reply.headers.emplace_back("retry-after", "1");  // Anthropic always tells when to retry a 429.
  }
  return reply;
}

}  // namespace llmux::mock
