#pragma once

// How a /v1/responses client is answered: one wire per call, since the Response object repeats
// the request's fields (instructions, tools, temperature…). A deployment that speaks the Responses
// API natively answers in that shape already and is forwarded untouched; any other answers in chat
// completions shape and is bridged (providers/responses): a whole chat.completion becomes a
// Response object, a chunk stream becomes the Responses event stream as the chunks arrive.
//
// The store seam: once a bridged answer is final — a whole answer before it is sent, a stream
// when its response.completed (or response.incomplete) event is written — `on_response_finished`
// is called once with the Response object and the request's normalised input items.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <functional>
#include <optional>

#include "gateway/client_wire.hpp"
#include "providers/responses/bridge_types.hpp"

namespace llmux::gateway {

struct FinishedResponse {
  const boost::json::object& response;     // the Response object the client received
  const boost::json::array& input_items;   // the request's input as items (history not included)
  const config::Deployment& deployment;    // the one that answered (affinity for follow-ups)
  bool passed_through = false;             // the deployment answered in the Responses API itself
};

class ResponsesWire final : public ClientWire {
 public:
  ResponsesWire(providers::responses::ResponseContext context, boost::json::array input_items);

  providers::ClientFormat format() const override { return providers::ClientFormat::responses; }
  std::string error_body(int status, router::ErrorKind kind, std::string_view message) const override;
  // Only a passed-through Responses stream gets here: a bridged one ends itself with response.failed.
  void append_stream_error(std::string& out, std::string_view message) const override;
  std::variant<providers::FullResponse, providers::AttemptFailure> adapt(
      providers::FullResponse response, const config::Deployment& deployment) const override;
  std::unique_ptr<providers::StreamSource> adapt(std::unique_ptr<providers::StreamSource> stream,
                                                 const config::Deployment& deployment) const override;

  std::function<void(const FinishedResponse&)> on_response_finished;

  // The bridged answer's final Response object, once there is one.
  const std::optional<boost::json::object>& final_response() const { return final_response_; }
  const boost::json::array& input_items() const { return input_items_; }
  const providers::responses::ResponseContext& context() const { return context_; }

  // Called by the bridged stream when its Response is final.
  void finished(const boost::json::object& response, const config::Deployment& deployment,
                bool passed_through = false) const;
  // A passed-through answer's Response object (JSON text), when someone listens for it.
  void passed_through_finished(std::string_view response_json, const config::Deployment& deployment) const;

 private:
  providers::responses::ResponseContext context_;
  boost::json::array input_items_;
  // Set from const adapt() calls: the engine holds wires as const; each call has its own.
  mutable std::optional<boost::json::object> final_response_;
};

}  // namespace llmux::gateway
