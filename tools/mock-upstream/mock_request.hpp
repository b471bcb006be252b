#pragma once
// One request as the handlers see it: already routed, its body parsed, its fault merged.

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "fault_spec.hpp"

namespace llmux::mock {

struct MockRequest {
  std::string_view method;
  std::string_view path;                      // without query string and /fault/ segments
  const boost::json::object* body = nullptr;  // null unless the body is a JSON object
  std::string_view x_api_key;
  std::string_view anthropic_version;
  std::string_view content_type;  // the request's, for multipart bodies
  std::string_view raw_body;
  FaultSpec fault;
  std::uint64_t id = 0;  // the <n> in chatcmpl-mock-<n>, msg_mock_<n>, call_mock_<n>
  std::int64_t created = 0;

  // Helpers over `body`.
  std::string_view string_field(std::string_view key, std::string_view fallback = {}) const {
    if (!body) return fallback;
    const auto* v = body->if_contains(key);
    return v && v->is_string() ? std::string_view(v->get_string()) : fallback;
  }
  bool flag(std::string_view key) const {
    if (!body) return false;
    const auto* v = body->if_contains(key);
    return v && v->is_bool() && v->get_bool();
  }
  std::string_view model() const { return string_field("model", "mock-model"); }
  std::size_t chunks() const { return fault.chunks.value_or(5); }
};

}  // namespace llmux::mock
