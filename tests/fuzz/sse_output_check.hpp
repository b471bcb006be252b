#pragma once

// What every stream translator's output must be, whatever came in: whole SSE frames whose data is
// JSON (or OpenAI's literal [DONE]); for Anthropic events, the `event:` name is the payload's type.

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <string_view>
#include <vector>

#include "fuzz_input.hpp"
#include "net/sse_parser.hpp"

namespace llmux::fuzz {

enum class SseDialect { openai, anthropic };

inline void check_sse_output(std::string_view sse, SseDialect dialect) {
  net::SseParser parser;
  std::vector<net::SseEvent> events;
  parser.feed(sse, events);
  require(!parser.has_partial());  // every frame written is complete
  for (const auto& event : events) {
    if (dialect == SseDialect::openai && event.data == "[DONE]") continue;
    boost::system::error_code ec;
    const boost::json::value value = boost::json::parse(event.data, ec);
    require(!ec && value.is_object());
    if (dialect == SseDialect::anthropic) {
      const auto* type = value.as_object().if_contains("type");
      require(type && type->is_string() && type->as_string() == event.event);
    }
  }
}

}  // namespace llmux::fuzz
