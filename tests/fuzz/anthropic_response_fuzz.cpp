// Anthropic Messages response -> OpenAI chat.completion, on any upstream body. A body it cannot
// read is a 5xx error; a translation is a chat.completion object.

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <variant>

#include "fuzz_input.hpp"
#include "providers/anthropic/response_from_anthropic.hpp"

namespace {

using llmux::fuzz::require;
namespace json = boost::json;
namespace anthropic = llmux::providers::anthropic;

void translate(std::string_view body, const anthropic::ResponseOptions& options) {
  auto translated = anthropic::from_anthropic_response(body, options);
  if (auto* error = std::get_if<anthropic::TranslationError>(&translated)) {
    require(error->status >= 400 && !error->message.empty());
    return;
  }
  boost::system::error_code ec;
  const json::value value = json::parse(std::get<std::string>(translated), ec);
  require(!ec && value.is_object());
  const json::value* choices = value.as_object().if_contains("choices");
  require(choices && choices->is_array() && !choices->as_array().empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body = llmux::fuzz::as_text(data, size);
  translate(body, {"gpt-4o", false, 1700000000});
  translate(body, {"", true, 1700000000});
  return 0;
}
