// The request JSON reader of the pass-through path (api::read_request, for each endpoint) and the
// body it splices for the upstream (api::build_upstream_body) from whatever it accepts. What it
// accepts must be JSON to a full parser too, and what it forwards must stay JSON, with the
// upstream's model, without gateway controls or dropped params, with include_usage when asked.

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <variant>

#include "api/json_scan.hpp"
#include "api/request_view.hpp"
#include "fuzz_input.hpp"

namespace {

using llmux::fuzz::require;
namespace json = boost::json;

// The text as a full parser reads it; nullopt for an exponent too large for Boost.JSON
// (9e9999999999999: JSON's grammar allows it, and json_scan forwards it untouched, as it should).
// Anything else a full parser refuses is a text json_scan should have refused too.
std::optional<json::value> parse_or_abort(std::string_view text) {
  json::parse_options options;
  options.max_depth = llmux::api::kMaxJsonDepth + 1;
  boost::system::error_code ec;
  json::value value = json::parse(text, ec, {}, options);
  if (ec == json::error::exponent_overflow) return std::nullopt;
  require(!ec);
  return value;
}

void check_upstream_body(const llmux::api::RequestView& view, bool add_usage) {
  static const std::vector<std::string> drop = {"temperature", "user", "stream_options"};
  static const std::vector<std::string> keep_all;
  const auto& dropped = add_usage ? keep_all : drop;
  const std::string body = llmux::api::build_upstream_body(view, "upstream/model-\"1\"", dropped, add_usage);
  const auto parsed = parse_or_abort(body);
  if (!parsed) return;
  const json::value& value = *parsed;
  require(value.is_object());
  const json::object& object = value.as_object();
  const json::value* model = object.if_contains("model");
  require(model && model->is_string() && model->as_string() == "upstream/model-\"1\"");
  for (const auto& member : object) {
    require(!llmux::api::is_gateway_control_param(member.key()));
    for (const auto& name : dropped) require(member.key() != name);
  }
  if (add_usage && view.stream && !view.include_usage) {
    const json::value* options = object.if_contains("stream_options");
    require(options && options->is_object());
    const json::value* include = options->as_object().if_contains("include_usage");
    require(include && include->is_bool() && include->as_bool());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body = llmux::fuzz::as_text(data, size);
  if (llmux::api::validate_json(body)) parse_or_abort(body);
  for (const auto endpoint : {llmux::api::Endpoint::chat_completions, llmux::api::Endpoint::completions,
                              llmux::api::Endpoint::embeddings}) {
    auto read = llmux::api::read_request(endpoint, body);
    if (auto* error = std::get_if<llmux::api::RequestError>(&read)) {
      require(error->status >= 400 && error->status < 500 && !error->message.empty());
      continue;
    }
    const auto& view = std::get<llmux::api::RequestView>(read);
    parse_or_abort(body);  // accepted: it was JSON
    check_upstream_body(view, true);
    check_upstream_body(view, false);
  }
  return 0;
}
