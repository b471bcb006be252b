#pragma once

// Internal to the upstream client: the HTTP/1.1 request head, written by hand into a reused
// buffer so a request costs one gather write (head + body) and no allocation once warm.

#include <optional>
#include <string>
#include <string_view>

#include "net/upstream_types.hpp"

namespace llmux::net::detail {

// Replaces `out` with "<METHOD> <target_base><target_path><target> HTTP/1.1", Host, Content-Type and
// Authorization when given, the caller's headers and extra_headers, Content-Length
// and "Connection: keep-alive". Returns why the request cannot be sent (a line break in a
// header, a method that is not a token, ...) instead of letting it split the request.
std::optional<std::string> build_request_head(std::string& out, std::string_view authority,
                                              const UpstreamRequest& request);

}  // namespace llmux::net::detail
