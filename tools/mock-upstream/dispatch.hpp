#pragma once
// From one HTTP request to the Reply the mock gives it: introspection routes, fault merging
// (path < header < body), `times` gating, routing on the path's suffix, and the fault itself.

#include <atomic>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdint>
#include <string_view>

#include "fault_spec.hpp"
#include "reply.hpp"
#include "request_log.hpp"
#include "responses_memory.hpp"

namespace llmux::mock {

// What outlives a request, shared by all worker threads.
struct MockState {
  bool logging = true;
  RequestLog log;
  FaultCounters counters;
  std::atomic<std::uint64_t> next_id{1};
  ResponsesMemory responses;  // what POST …/responses stored (store: true)
};

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;

Reply dispatch(const HttpRequest& request, MockState& state);

enum class Route {
  chat,
  completions,
  embeddings,
  models,
  messages,
  count_tokens,
  health,
  // OpenAI's media endpoints (openai_media.cpp)
  images_generations,
  images_edits,
  audio_transcriptions,
  audio_translations,
  audio_speech,
  moderations,
  rerank,
  unknown
};

// Matches on the path's suffix, so any api_base prefix works.
Route route_for(std::string_view path);

}  // namespace llmux::mock
