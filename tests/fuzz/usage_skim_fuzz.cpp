// Reading `usage` out of an upstream's answer without validating it: api::skim_member (structure
// only) and providers::usage_from_body on top of it. On a body that is JSON, the skim must find
// exactly the member a full parser finds (the last duplicate, as Python takes).

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "api/json_scan.hpp"
#include "api/json_skim.hpp"
#include "fuzz_input.hpp"
#include "providers/upstream_failures.hpp"

namespace {

using llmux::fuzz::require;
namespace json = boost::json;

// The last top-level member named `key`, as Python's json.loads keeps it.
const json::value* last_member(std::string_view text, std::string_view key, json::value& storage) {
  json::parse_options options;
  options.max_depth = llmux::api::kMaxJsonDepth;
  boost::system::error_code ec;
  storage = json::parse(text, ec, {}, options);
  if (ec || !storage.is_object()) return nullptr;
  return storage.as_object().if_contains(key);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body = llmux::fuzz::as_text(data, size);
  (void)llmux::providers::usage_from_body(body);
  for (const std::string_view key : {"usage", "model", "id"}) {
    const auto skimmed = llmux::api::skim_member(body, key);
    if (skimmed) require(skimmed->data() >= body.data() && skimmed->data() + skimmed->size() <= body.data() + size);
    json::value document;
    const json::value* expected = last_member(body, key, document);
    if (!expected) continue;
    require(skimmed.has_value());
    boost::system::error_code ec;
    const json::value found = json::parse(*skimmed, ec);
    // Compared as text: Boost.JSON reads an out-of-range number as inf or NaN, and NaN != NaN.
    require(!ec && json::serialize(found) == json::serialize(*expected));
  }
  return 0;
}
