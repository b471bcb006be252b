#pragma once

// The contract between the gateway pipeline and one upstream API family. An adapter makes ONE
// attempt at one deployment and says how it went; retries, cooldowns and fallbacks are the
// router's business, decided from the failure's kind alone.

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "api/request_view.hpp"
#include "config/config.hpp"
#include "net/http_server.hpp"
#include "router/error_kind.hpp"

namespace llmux::net {
class UpstreamPool;
}

namespace llmux::providers {

using Deadline = std::chrono::steady_clock::time_point;

// The wire format the client speaks: OpenAI's chat API, Anthropic's Messages API (/v1/messages),
// or OpenAI's Responses API (/v1/responses).
enum class ClientFormat { openai, anthropic, responses };

struct Usage {
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::int64_t cached_tokens = 0;
  bool known = false;
  // Prompt tokens written to the prompt cache (Anthropic `cache_creation_input_tokens`), billed at
  // the cache-write price; like cached_tokens, part of prompt_tokens. Last, so that positional
  // initialisers written before it stay valid.
  std::int64_t cache_write_tokens = 0;
  // The media endpoints' units (providers/media_answers.hpp), priced by LiteLLM's per-image,
  // per-second, per-character and per-query fields (pricing::Usage says how).
  std::int64_t images = 0;
  double audio_seconds = 0;
  double speech_seconds = 0;
  std::int64_t characters = 0;
  std::int64_t queries = 0;
  std::int64_t image_input_tokens = 0;
};

struct AttemptFailure {
  router::ErrorKind kind;
  int status = 0;  // upstream HTTP status; 0 when nothing came back
  std::string message;
  std::optional<std::chrono::milliseconds> retry_after;
};

// A complete, successful answer in the client's wire format.
struct FullResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  net::HeaderList upstream_headers;  // forwarded to the client, already filtered
  Usage usage;
  // The body is an Anthropic message (an Anthropic deployment answering a /v1/messages client
  // as-is); otherwise it is OpenAI's shape and the gateway translates it for such a client.
  bool anthropic_wire = false;
  // The body is a Responses API object (a deployment that speaks the Responses API answering a
  // /v1/responses client as-is); otherwise the gateway bridges a chat completion into one.
  bool responses_wire = false;
};

// One read from a stream: bytes ready for the client (already framed as SSE), the end, or a failure.
struct StreamPiece {
  std::string bytes;
  bool finished = false;  // no more pieces; `bytes` may still hold the last ones
  std::optional<AttemptFailure> failure;
  bool failure_framed = false;  // `bytes` already ends with an error event for the client
};

// A successful streaming answer whose head has arrived. The pipeline reads its first piece before
// answering the client, so a stream that dies before its first byte is still failed over.
class StreamSource {
 public:
  virtual ~StreamSource() = default;
  virtual boost::asio::awaitable<StreamPiece> next() = 0;
  virtual void cancel() = 0;
  virtual Usage usage() const = 0;
  virtual net::HeaderList upstream_headers() const { return {}; }
  // The client's Content-Type. Anything but an event stream is relayed as raw bytes (speech
  // audio): a failure after it started cannot be told in-band, so the connection is cut instead.
  virtual std::string_view content_type() const { return "text/event-stream"; }
  virtual bool anthropic_wire() const { return false; }  // see FullResponse::anthropic_wire
  virtual bool responses_wire() const { return false; }  // see FullResponse::responses_wire
  // A passed-through Responses stream: the final Response object (its terminal event's
  // `response`), once that event has been read; empty before, and for every other stream.
  virtual std::string_view final_response_json() const { return {}; }
};

using AttemptOutcome = std::variant<FullResponse, std::unique_ptr<StreamSource>, AttemptFailure>;

// What one attempt needs. `cancel_current` is set by the adapter while it waits on I/O, so the
// pipeline can abort the attempt when the client disconnects.
struct AttemptContext {
  const config::Deployment& deployment;
  api::Endpoint endpoint;
  const api::RequestView& request;
  const config::Config& config;
  net::UpstreamPool& pool;
  Deadline deadline;                            // whole answer (non-streaming) or first byte (streaming)
  std::chrono::milliseconds stream_idle_limit;  // gap allowed between stream chunks
  std::function<void()>* cancel_current;
  ClientFormat client_format = ClientFormat::openai;
  // For an Anthropic client: its original body, which an Anthropic deployment receives as-is
  // but for the model. `request` is then the OpenAI translation, for every other deployment.
  std::string_view client_body;
  std::string_view anthropic_beta;  // the client's anthropic-beta header, passed through
  // A wildcard deployment's model for this request ("gpt-4o-mini" for `openai/*`); empty = the
  // deployment's own upstream_model. Read it through upstream_model_of.
  std::string_view upstream_model;
};

// The model the upstream is asked for in this attempt.
inline std::string_view upstream_model_of(const AttemptContext& context) {
  return context.upstream_model.empty() ? std::string_view(context.deployment.upstream_model) : context.upstream_model;
}

class Provider {
 public:
  virtual ~Provider() = default;
  virtual boost::asio::awaitable<AttemptOutcome> attempt(AttemptContext& context) = 0;
};

}  // namespace llmux::providers
