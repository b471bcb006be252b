#pragma once

// How many tokens a text is, estimated without a vocabulary, for the pre-call context check.
//
// The text is split the way cl100k_base's pre-tokenizer splits it (letter runs with one leading
// space or symbol, digits in groups of at most three, symbol runs, whitespace runs) — BPE then
// works inside each piece alone, so a per-piece estimate errs only within its piece. Each piece
// is priced from what it holds: an ASCII word by its length and how "word-like" it is (vowels,
// case changes: random strings and identifiers cost more per letter than English words), other
// scripts and symbols per code point by their UTF-8 length. The constants are calibrated against
// tiktoken's cl100k_base and o200k_base, leaning high: the check must never let through a prompt
// that does not fit. tests/integration/router_precall_tokens.test.mjs measures the bound
// (docs/compatibility.md states it).
//
// Allocation-free; one pass; no exceptions.

#include <cstdint>
#include <string_view>

namespace llmux::tokens {

// Tokens of plain UTF-8 text (invalid bytes count as one token each).
std::int64_t text_tokens(std::string_view utf8);

// Tokens of the text a JSON string literal holds: `escaped` is what lies between its quotes,
// escapes still in it (\n, \", \uXXXX and surrogate pairs decoded as they are read).
std::int64_t json_string_tokens(std::string_view escaped);

}  // namespace llmux::tokens
