// How fast the pre-call check counts a prompt, next to a baseline measured in the same run: a
// plain scan of the same bytes (counting spaces, which the compiler cannot drop), so the ratio
// holds on a noisy machine. Reports bytes/s (per KiB: 1024 / bytes-per-second) and tokens/s.

#include <benchmark/benchmark.h>

#include <string>

#include "tokens/prompt_tokens.hpp"
#include "tokens/text_tokens.hpp"

namespace {

std::string prose(std::size_t bytes) {
  const std::string sentence =
      "The gateway reads the configuration once and keeps a snapshot that every request holds. "
      "Internationalization, getElementById and 1234567 are counted like the rest.\n";
  std::string out;
  while (out.size() < bytes) out += sentence;
  out.resize(bytes);
  return out;
}

void ByteScanBaseline(benchmark::State& state) {
  const std::string text = prose(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    std::size_t spaces = 0;
    for (const char c : text) spaces += c == ' ';
    benchmark::DoNotOptimize(spaces);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}

void TextTokens(benchmark::State& state) {
  const std::string text = prose(static_cast<std::size_t>(state.range(0)));
  std::int64_t tokens = 0;
  for (auto _ : state) {
    tokens = llmux::tokens::text_tokens(text);
    benchmark::DoNotOptimize(tokens);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.counters["tokens/s"] = benchmark::Counter(static_cast<double>(tokens * state.iterations()),
                                                  benchmark::Counter::kIsRate);
}

void PromptTokensOfMessages(benchmark::State& state) {
  std::string messages = "[";
  std::string text = prose(1024);
  for (char& c : text) c = c == '\n' ? ' ' : c;  // raw inside a JSON string
  for (int i = 0; i < state.range(0); ++i) {
    if (i) messages += ',';
    messages += R"({"role":"user","content":")" + text.substr(0, text.size() - 1) + R"("})";
  }
  messages += ']';
  llmux::tokens::PromptJson json;
  json.messages = messages;
  if (llmux::tokens::prompt_tokens(json) < 100 * state.range(0)) state.SkipWithError("the messages were not counted");
  for (auto _ : state) benchmark::DoNotOptimize(llmux::tokens::prompt_tokens(json));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * messages.size()));
}

}  // namespace

BENCHMARK(ByteScanBaseline)->Arg(1 << 10)->Arg(64 << 10);
BENCHMARK(TextTokens)->Arg(1 << 10)->Arg(64 << 10);
BENCHMARK(PromptTokensOfMessages)->Arg(1)->Arg(64);
BENCHMARK_MAIN();
