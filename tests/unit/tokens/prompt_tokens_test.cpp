// The prompt counter's arithmetic (LiteLLM's constants) and the text estimate's shape: what each
// part of a request adds, that escapes are read as the text they stand for, and that the estimate
// grows with what BPE spends more tokens on.

#include <gtest/gtest.h>

#include <string>

#include "tokens/prompt_tokens.hpp"
#include "tokens/text_tokens.hpp"

namespace llmux::tokens {
namespace {

std::int64_t count_messages(std::string_view messages, std::string_view tools = {}) {
  PromptJson json;
  json.messages = messages;
  json.tools = tools;
  return prompt_tokens(json);
}

TEST(TextTokens, CommonWordsAreOneTokenEach) {
  EXPECT_EQ(text_tokens("hello"), 1);
  EXPECT_EQ(text_tokens(" the cat sat on the mat"), 6);
  EXPECT_EQ(text_tokens(""), 0);
}

TEST(TextTokens, DigitsInGroupsOfThree) {
  EXPECT_EQ(text_tokens("123"), 1);
  EXPECT_EQ(text_tokens("1234567"), 3);
}

TEST(TextTokens, RandomLettersCostMoreThanWords) {
  EXPECT_GT(text_tokens("aXRlIHNvbWUgcmFuZG"), text_tokens("understanding"));
  EXPECT_GT(text_tokens("zxcvbnmqwrtyp"), 1);
}

TEST(TextTokens, LongWhitespaceIsCheapButNotFree) {
  EXPECT_GE(text_tokens(std::string(1000, ' ')), 9);
  EXPECT_LE(text_tokens(std::string(1000, ' ')), 12);
}

TEST(TextTokens, NonAsciiCostsPerCodePoint) {
  EXPECT_GE(text_tokens("你好世界"), 4);
  EXPECT_GE(text_tokens("\xF0\x9F\x98\x80\xF0\x9F\x98\x80"), 4);  // two emoji
}

TEST(JsonStringTokens, EscapesCountAsTheirText) {
  EXPECT_EQ(json_string_tokens(R"(line\nline)"), text_tokens("line\nline"));
  EXPECT_EQ(json_string_tokens(R"(\u4f60\u597d)"), text_tokens("你好"));
  EXPECT_EQ(json_string_tokens(R"(\ud83d\ude00)"), text_tokens("\xF0\x9F\x98\x80"));
  EXPECT_EQ(json_string_tokens(R"(say \"hi\")"), text_tokens("say \"hi\""));
}

TEST(PromptTokens, MessageOverheadAndPrimer) {
  // 3 per message + "user" (1) + "hello" (1) + primer 3 = 8; margin +1.
  EXPECT_EQ(count_messages(R"([{"role":"user","content":"hello"}])"), 9);
  // A name costs its tokens and 1 more.
  EXPECT_EQ(count_messages(R"([{"role":"user","content":"hello","name":"bob"}])"), 11);
}

TEST(PromptTokens, MultiPartContentAndImages) {
  const auto text_only = count_messages(R"([{"role":"user","content":[{"type":"text","text":"hello"}]}])");
  const auto low = count_messages(
      R"([{"role":"user","content":[{"type":"text","text":"hello"},{"type":"image_url","image_url":{"url":"x"}}]}])");
  const auto high = count_messages(
      R"([{"role":"user","content":[{"type":"text","text":"hello"},{"type":"image_url","image_url":{"url":"x","detail":"high"}}]}])");
  EXPECT_NEAR(low - text_only, 85, 3);
  EXPECT_NEAR(high - text_only, 1445, 30);
}

TEST(PromptTokens, ToolCallsCountTheirArguments) {
  const auto without = count_messages(R"([{"role":"assistant","content":null}])");
  const auto with = count_messages(
      R"([{"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{\"city\":\"Paris\"}"}}]}])");
  EXPECT_GE(with - without, 5);
}

TEST(PromptTokens, ToolDefinitionsRenderedAsOpenAiShowsThem) {
  std::string out;
  append_function_definitions(out, R"([{"type":"function","function":{"name":"get_weather","description":"Weather now",
      "parameters":{"type":"object","properties":{"city":{"type":"string","description":"City"},
      "unit":{"type":"string","enum":["c","f"]}},"required":["city"]}}}])");
  EXPECT_EQ(out,
            "namespace functions {\n\n// Weather now\ntype get_weather = (_: {\n// City\ncity: string,\n"
            "unit?: \"c\" | \"f\",\n}) => any;\n\n} // namespace functions");
  const auto messages = R"([{"role":"user","content":"hi"}])";
  EXPECT_GT(count_messages(messages, R"([{"type":"function","function":{"name":"noop"}}])"), count_messages(messages) + 9);
}

TEST(PromptTokens, CompletionPromptsAndTokenIds) {
  PromptJson prompt;
  prompt.prompt = R"("hello world")";
  EXPECT_EQ(prompt_tokens(prompt), 3);  // 2 + margin
  PromptJson ids;
  ids.input = "[1,2,3,4,5]";
  EXPECT_EQ(prompt_tokens(ids), 6);
}

}  // namespace
}  // namespace llmux::tokens
