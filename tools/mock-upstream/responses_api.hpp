#pragma once
// OpenAI's Responses API on the mock: POST …/responses (whole, or `stream: true` with the full
// event sequence), and GET/DELETE …/responses/{id}, GET …/responses/{id}/input_items,
// POST …/responses/{id}/cancel over what it remembers (responses_memory.hpp).

#include <optional>
#include <string>
#include <string_view>

#include "mock_request.hpp"
#include "reply.hpp"
#include "responses_memory.hpp"

namespace llmux::mock {

enum class ResponsesAction { create, retrieve, remove, input_items, cancel };

struct ResponsesRoute {
  ResponsesAction action = ResponsesAction::create;
  std::string id;  // empty for create
};

// `…/responses`, `…/responses/{id}`, `…/responses/{id}/input_items`, `…/responses/{id}/cancel`.
std::optional<ResponsesRoute> responses_route_for(std::string_view path);

// `query` is the request target's query string (limit, order, after for input_items).
Reply responses_api(const ResponsesRoute& route, const MockRequest& request, std::string_view query,
                    ResponsesMemory& memory);

}  // namespace llmux::mock
