// A deployment's presets on the Anthropic paths.

#include "providers/anthropic/presets_for_anthropic.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "providers/anthropic/request_to_anthropic.hpp"

namespace llmux::providers::anthropic {
namespace {

namespace bj = boost::json;
using Members = std::vector<std::pair<std::string, std::string>>;

config::RequestPresets presets(Members body, std::vector<std::string> drop = {}) {
  config::RequestPresets p;
  p.body = std::move(body);
  p.drop = std::move(drop);
  return p;
}

TEST(PresetsForAnthropic, FilledBeforeTranslationSoTheyAreMappedLikeTheRequestsOwn) {
  bj::object request = bj::parse(R"({"model":"g","messages":[{"role":"user","content":"hi"}],"top_p":0.5,"seed":1})").as_object();
  fill_presets(request, presets({{"stop", R"("END")"}, {"max_tokens", "77"}, {"top_p", "0.9"}, {"top_k", "4"}},
                                {"seed"}));
  TranslateOptions options;
  options.upstream_model = "claude-x";
  auto translated = to_anthropic_request(request, options);
  ASSERT_TRUE(std::holds_alternative<TranslatedRequest>(translated));
  const bj::object body = bj::parse(std::get<TranslatedRequest>(translated).body).as_object();
  EXPECT_EQ(body.at("stop_sequences"), bj::parse(R"(["END"])"));
  EXPECT_EQ(body.at("max_tokens"), 77);
  EXPECT_EQ(body.at("top_p"), 0.5);  // the request's own
  EXPECT_EQ(body.at("top_k"), 4);
  EXPECT_FALSE(body.contains("seed"));  // additional_drop_params: no UnsupportedParamsError either
}

TEST(PresetsForAnthropic, AnOutputLimitInTheRequestKeepsBothPresetNamesOut) {
  bj::object request = bj::parse(R"({"messages":[],"max_completion_tokens":5})").as_object();
  fill_presets(request, presets({{"max_tokens", "77"}}));
  EXPECT_FALSE(request.contains("max_tokens"));
}

TEST(PresetsForAnthropic, NativeBodiesGetAnthropicNames) {
  const Members native = native_presets(presets({{"max_completion_tokens", "50"},
                                                 {"stop", R"("END")"},
                                                 {"user", R"("svc")"},
                                                 {"temperature", "0.2"},
                                                 {"top_k", "3"},
                                                 {"seed", "1"},
                                                 {"response_format", R"({"type":"json_object"})"},
                                                 {"max_tokens", "99"}}));
  EXPECT_EQ(native, (Members{{"max_tokens", "50"},
                             {"stop_sequences", R"(["END"])"},
                             {"metadata", R"({"user_id":"svc"})"},
                             {"temperature", "0.2"},
                             {"top_k", "3"}}));
}

}  // namespace
}  // namespace llmux::providers::anthropic
