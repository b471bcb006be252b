#pragma once

// The I/O half of the Responses API pass-through (the pure half: responses_wire.hpp): one
// attempt of a /v1/responses call at a deployment that speaks the API, and the requests about one
// stored response (GET, DELETE, input_items, cancel) forwarded to the deployment that made it.

#include <boost/asio/awaitable.hpp>

#include <string>
#include <string_view>
#include <variant>

#include "net/http_server.hpp"
#include "providers/provider.hpp"

namespace llmux::providers {

// POST {api_base}/responses with the client's body (context.client_body) spliced for the
// deployment; the answer is marked responses_wire. Failures are classified as for chat, and
// leave unredacted: the caller (OpenAiCompatibleProvider::attempt) redacts every outcome.
boost::asio::awaitable<AttemptOutcome> attempt_responses_passthrough(AttemptContext& context,
                                                                     const net::UpstreamTarget& target);

// The upstream's answer to a forwarded request, relayed to the client as it is (an error status
// included: a 404 from the deployment is the client's 404). The body of an error status is
// redacted of the deployment's secrets.
struct RelayedAnswer {
  int status = 200;
  std::string content_type;
  std::string body;
};

// `method` and `path` ("/responses/{id}", "/responses/{id}/input_items?limit=2", …, under the
// deployment's api_base). A transport failure (or a body that is not JSON) is an AttemptFailure.
boost::asio::awaitable<std::variant<RelayedAnswer, AttemptFailure>> forward_response_request(
    net::UpstreamPool& pool, const config::Deployment& deployment, std::string method, std::string path,
    Deadline deadline, std::function<void()>* cancel_current);

}  // namespace llmux::providers
