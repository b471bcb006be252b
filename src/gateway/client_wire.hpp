#pragma once

// How the client is answered: OpenAI's wire format (chat/completions/embeddings routes) or
// Anthropic's (/v1/messages). The attempt loop is the same for both; only the bodies differ.

#include <cstdint>
#include <memory>
#include <string>
#include <variant>

#include "net/http_server.hpp"
#include "providers/provider.hpp"

namespace llmux::gateway {

class ClientWire {
 public:
  virtual ~ClientWire() = default;
  virtual providers::ClientFormat format() const = 0;
  // The error body for a status, kind and message.
  virtual std::string error_body(int status, router::ErrorKind kind, std::string_view message) const = 0;
  // An error event that ends a stream which already started.
  virtual void append_stream_error(std::string& out, std::string_view message) const = 0;
  // A whole answer in the client's format (translated when the deployment spoke the other one).
  virtual std::variant<providers::FullResponse, providers::AttemptFailure> adapt(
      providers::FullResponse response, const config::Deployment& deployment) const = 0;
  virtual std::unique_ptr<providers::StreamSource> adapt(std::unique_ptr<providers::StreamSource> stream,
                                                         const config::Deployment& deployment) const = 0;
};

const ClientWire& openai_wire();
// Anthropic's wire for one call. `input_tokens_estimate` is what a translated stream's
// message_start reports before the upstream has said (the count_tokens estimate); its
// message_delta carries the upstream's real count. Accounting reads the upstream's usage only.
std::unique_ptr<const ClientWire> anthropic_wire_for(std::int64_t input_tokens_estimate);

}  // namespace llmux::gateway
