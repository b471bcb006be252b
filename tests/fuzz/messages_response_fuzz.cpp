// Inbound /v1/messages served by an OpenAI-compatible deployment: the upstream's chat.completion
// -> an Anthropic message. A body it cannot read is an error; a translation is a message object.

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <variant>

#include "fuzz_input.hpp"
#include "providers/anthropic/response_to_anthropic.hpp"

namespace {

using llmux::fuzz::require;
namespace json = boost::json;
namespace anthropic = llmux::providers::anthropic;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto translated = anthropic::from_openai_response(llmux::fuzz::as_text(data, size), "claude-3-5-sonnet");
  if (auto* error = std::get_if<anthropic::TranslationError>(&translated)) {
    require(error->status >= 400 && !error->message.empty());
    return 0;
  }
  boost::system::error_code ec;
  const json::value value = json::parse(std::get<std::string>(translated), ec);
  require(!ec && value.is_object());
  const json::value* type = value.as_object().if_contains("type");
  require(type && type->is_string() && type->as_string() == "message");
  return 0;
}
