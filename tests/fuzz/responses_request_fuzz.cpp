// Inbound /v1/responses: a Responses API request -> the chat request every bridged deployment
// receives (providers/responses/request_to_chat), as responses_call does; then the bridge's own
// answer shapes for a fixed chat answer, so the echoed request fields are exercised too. A
// refusal is a 4xx with a message; a translation is a chat request the OpenAI reader accepts.

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <variant>

#include "api/request_view.hpp"
#include "fuzz_input.hpp"
#include "providers/anthropic/json_helpers.hpp"
#include "providers/responses/request_to_chat.hpp"
#include "providers/responses/response_from_chat.hpp"

namespace {

using llmux::fuzz::require;
namespace json = boost::json;
namespace responses = llmux::providers::responses;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  boost::system::error_code ec;
  const json::value request = json::parse(llmux::fuzz::as_text(data, size), ec);
  // responses_call refuses these before translating.
  if (ec || !request.is_object() || llmux::providers::anthropic::has_non_finite_number(request)) return 0;
  // The request's own items, and the same items again as a stored turn's history.
  const json::value* input = request.as_object().if_contains("input");
  const json::array history = input && input->is_array() ? input->get_array() : json::array{};
  auto translated = responses::to_chat_request(request.as_object(), history);
  if (auto* error = std::get_if<responses::TranslationError>(&translated)) {
    require(error->status >= 400 && error->status < 500 && !error->message.empty());
    return 0;
  }
  auto& bridged = std::get<responses::BridgedRequest>(translated);
  for (const auto& blocker : bridged.blockers) require(!blocker.message.empty());
  const json::value chat = json::parse(bridged.chat_body, ec);
  require(!ec && chat.is_object());
  auto view = llmux::api::read_request(llmux::api::Endpoint::chat_completions, bridged.chat_body);
  if (auto* error = std::get_if<llmux::api::RequestError>(&view)) {
    require(error->status >= 400 && error->status < 500 && !error->message.empty());
  }
  const responses::ResponseContext context{"resp_fuzz", bridged.echo, "m", 1700000000};
  const auto answer = responses::response_from_chat(
      R"({"id":"c","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,)"
      R"("message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}]})",
      context);
  require(std::holds_alternative<json::object>(answer));  // a fixed, valid chat answer always translates
  return 0;
}
