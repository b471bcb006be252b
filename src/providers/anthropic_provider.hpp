#pragma once

// `anthropic/<model>` deployments: Anthropic's Messages API over verified TLS (or a custom
// api_base). For an OpenAI client the request and answer are translated (providers/anthropic/);
// for an Anthropic client (/v1/messages) they pass through with only the model changed.

#include <variant>

#include "providers/provider.hpp"

namespace llmux::providers {

class AnthropicProvider final : public Provider {
 public:
  boost::asio::awaitable<AttemptOutcome> attempt(AttemptContext& context) override;
};

// The messages path for an api_base given with or without `/v1` or `/v1/messages`.
std::string anthropic_messages_path(std::string_view base_path);

// Anthropic's own token count for an Anthropic-format body (POST …/v1/messages/count_tokens),
// with the model swapped for the deployment's (or `upstream_model`, a wildcard's for this request):
// the JSON answer, or why it failed.
boost::asio::awaitable<std::variant<std::string, AttemptFailure>> anthropic_count_tokens(
    net::UpstreamPool& pool, const config::Deployment& deployment, const config::Config& config,
    std::string_view client_body, std::string_view anthropic_beta, Deadline deadline,
    std::string_view upstream_model = {});

}  // namespace llmux::providers
