// Inbound /v1/messages: an Anthropic Messages request -> the OpenAI chat request the gateway then
// reads (api::read_request) and forwards, as messages_call does. A refusal is a 4xx with a
// message; a translation is a chat request the OpenAI reader accepts.

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <variant>

#include "api/request_view.hpp"
#include "fuzz_input.hpp"
#include "providers/anthropic/json_helpers.hpp"
#include "providers/anthropic/request_from_anthropic.hpp"

namespace {

using llmux::fuzz::require;
namespace json = boost::json;
namespace anthropic = llmux::providers::anthropic;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  boost::system::error_code ec;
  const json::value request = json::parse(llmux::fuzz::as_text(data, size), ec);
  // messages_call refuses these before translating.
  if (ec || !request.is_object()) return 0;
  const json::value* model = request.as_object().if_contains("model");
  const json::value* messages = request.as_object().if_contains("messages");
  if (!model || !model->is_string() || !messages || !messages->is_array()) return 0;
  if (anthropic::has_non_finite_number(request)) return 0;  // refused: a number out of range

  auto translated = anthropic::to_openai_request(request.as_object(), std::string(model->as_string()));
  if (auto* error = std::get_if<anthropic::TranslationError>(&translated)) {
    require(error->status >= 400 && error->status < 500 && !error->message.empty());
    return 0;
  }
  const std::string& body = std::get<anthropic::OpenAiTranslation>(translated).body;
  const json::value value = json::parse(body, ec);
  require(!ec && value.is_object());
  auto view = llmux::api::read_request(llmux::api::Endpoint::chat_completions, body);
  if (auto* error = std::get_if<llmux::api::RequestError>(&view)) {
    require(error->status >= 400 && error->status < 500 && !error->message.empty());
  }
  return 0;
}
