// OpenAI chat request -> Anthropic Messages request (the upstream direction), on what the
// Anthropic provider hands it: any JSON object the client sent. A refusal is a 4xx with a
// message; a translation is a JSON object Anthropic can read.

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <variant>

#include "fuzz_input.hpp"
#include "providers/anthropic/json_helpers.hpp"
#include "providers/anthropic/request_to_anthropic.hpp"

namespace {

using llmux::fuzz::require;
namespace json = boost::json;
namespace anthropic = llmux::providers::anthropic;

void translate(const json::object& request, const anthropic::TranslateOptions& options) {
  auto translated = anthropic::to_anthropic_request(request, options);
  if (auto* error = std::get_if<anthropic::TranslationError>(&translated)) {
    require(error->status >= 400 && error->status < 500 && !error->message.empty());
    return;
  }
  const auto& body = std::get<anthropic::TranslatedRequest>(translated).body;
  boost::system::error_code ec;
  const json::value value = json::parse(body, ec);
  require(!ec && value.is_object());
  const json::value* model = value.as_object().if_contains("model");
  require(model && model->is_string() && model->as_string() == options.upstream_model);
  const json::value* messages = value.as_object().if_contains("messages");
  require(messages && messages->is_array());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  boost::system::error_code ec;
  const json::value request = json::parse(llmux::fuzz::as_text(data, size), ec);
  // The provider answers 400 before translating these.
  if (ec || !request.is_object() || anthropic::has_non_finite_number(request)) return 0;
  translate(request.as_object(), {"claude-3-5-sonnet-20241022", std::nullopt, false});
  translate(request.as_object(), {"claude-3-5-sonnet-20241022", 4096, true});
  return 0;
}
