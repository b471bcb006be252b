#include "tokens/text_tokens.hpp"

#include <algorithm>
#include <cstddef>

namespace llmux::tokens {
namespace {

// Calibration (see text_tokens.hpp). Costs are kept in sixteenths of a token so that a run of
// code points that each cost less than a token is summed before it is rounded up.
constexpr std::int64_t kUnit = 16;
constexpr std::int64_t kLettersPerToken = 8;   // a plain ASCII word: common words up to 8 letters are 1 token
constexpr int kConsonantsBeforePenalty = 4;    // each lower-case consonant past four in a row: +1 (random strings)
constexpr std::int64_t kCaseFlipCost = 8;      // per change of case inside a word (×1/16): identifiers, base64
constexpr std::int64_t kSymbolsPerToken = 2;   // ASCII punctuation runs ("\":", "});", "```")
constexpr std::int64_t kSpacesPerToken = 100;  // cl100k and o200k hold runs of up to ~128 spaces in one token
constexpr std::int64_t kNewlinesPerToken = 16;
constexpr std::int64_t kTabsPerToken = 8;
// Non-ASCII code points by UTF-8 length: letters (Cyrillic, Greek, CJK, Hangul…) and symbols
// (emoji, dingbats, CJK punctuation), in sixteenths of a token.
constexpr std::int64_t kLetterCost[5] = {0, 0, 14, 22, 48};
constexpr std::int64_t kCjkLetterCost = 18;  // Han, kana, Hangul: cl100k has most common ones whole
constexpr std::int64_t kSymbolCost[5] = {0, 0, 16, 32, 48};

enum class Kind { none, letter, digit, symbol, space };

bool is_vowel(char32_t c) {
  switch (c | 0x20) {
    case 'a': case 'e': case 'i': case 'o': case 'u': case 'y': return true;
    default: return false;
  }
}

bool is_space(char32_t c) {
  return c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000;
}

// Unicode's letters, approximately: everything outside ASCII is a letter except the blocks of
// punctuation, symbols, combining marks and emoji, which cl100k's pre-tokenizer keeps apart from words.
bool is_non_ascii_symbol(char32_t c) {
  if (c < 0x100) return c < 0xC0 && c != 0xAA && c != 0xB5 && c != 0xBA;  // Latin-1 punctuation
  if (c == 0xD7 || c == 0xF7) return true;
  if (c >= 0x300 && c <= 0x36F) return true;    // combining marks
  if (c >= 0x2000 && c <= 0x2BFF) return true;  // punctuation, currency, arrows, math, dingbats
  if (c >= 0x2E00 && c <= 0x2E7F) return true;
  if (c >= 0x3000 && c <= 0x303F) return true;  // CJK punctuation
  if (c >= 0xFE00 && c <= 0xFE0F) return true;  // variation selectors
  if (c >= 0xFF01 && c <= 0xFF0F) return true;  // fullwidth punctuation
  if ((c >= 0xFF1A && c <= 0xFF20) || (c >= 0xFF3B && c <= 0xFF40) || (c >= 0xFF5B && c <= 0xFF65)) return true;
  if (c >= 0x1F000 && c <= 0x1FAFF) return true;  // emoji and pictographs
  if (c >= 0xE0000 && c <= 0xE007F) return true;  // tag characters (flag sequences)
  return false;
}

bool is_cjk(char32_t c) {
  return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF) ||
         (c >= 0xF900 && c <= 0xFAFF);
}

int utf8_length(char32_t c) { return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4; }

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

// Feeds code points; prices each pre-tokenizer piece when it ends.
class Estimator {
 public:
  void feed(char32_t c) {
    if (c < 0x80) {
      if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return letter(c, 1);
      if (c >= '0' && c <= '9') return digit();
      if (is_space(c)) return space(c);
      return symbol(c, 1);
    }
    if (is_space(c)) return space(c);
    if (is_non_ascii_symbol(c)) return symbol(c, utf8_length(c));
    letter(c, utf8_length(c));
  }

  std::int64_t finish() {
    end_piece(Kind::none);
    return ceil_div(total_, kUnit);
  }

 private:
  void letter(char32_t c, int bytes) {
    if (kind_ != Kind::letter) {
      // A lone symbol just before a word is part of the word's piece ("(const", ".get", "_id"),
      // and BPE nearly always merges it in. After a space or another symbol it is not: the
      // symbol run takes it (cl100k's alternatives are tried in order at each piece start).
      if (kind_ == Kind::symbol && last_symbol_ascii_ && count_ == 1 && !symbol_took_space_) --count_;
      end_piece(Kind::letter);
      kind_ = Kind::letter;
    }
    if (bytes > 1) {
      cost_ += is_cjk(c) ? kCjkLetterCost : kLetterCost[bytes];
      consonants_ = 0;
      previous_case_ = 0;
      return;
    }
    ++ascii_letters_;
    if (is_vowel(c)) {
      consonants_ = 0;
    } else if ((c & 0x20) == 0) {
      consonants_ = 0;  // capitals: acronyms (HTTP, XML) are whole tokens; base64 pays for its case changes
    } else if (++consonants_ > kConsonantsBeforePenalty) {
      cost_ += kUnit;
    }
    const int letter_case = (c & 0x20) ? 1 : 2;  // lower, upper
    if (letter_case == 1) {
      ++lower_letters_;
      if (previous_case_ != 1) ++lower_runs_;
    }
    // A capital that opens a word is no change; every later change of case is (camelCase, base64).
    if (previous_case_ != 0 && letter_case != previous_case_ && ascii_letters_ > 2) cost_ += kCaseFlipCost;
    previous_case_ = letter_case;
  }

  void digit() {
    if (kind_ != Kind::digit) {
      end_piece(Kind::digit);
      kind_ = Kind::digit;
    }
    ++count_;
  }

  void symbol(char32_t c, int bytes) {
    if (kind_ != Kind::symbol) {
      const bool after_space = kind_ == Kind::space && run_char_ == ' ';
      end_piece(Kind::symbol);
      kind_ = Kind::symbol;
      symbol_took_space_ = after_space;
    }
    last_symbol_ascii_ = bytes == 1;
    if (bytes == 1) {
      ++count_;
    } else {
      cost_ += kSymbolCost[bytes];
    }
    (void)c;
  }

  void space(char32_t c) {
    // Newlines right after a symbol run belong to it (cl100k: ` ?[^\s\p{L}\p{N}]+[\r\n]*`).
    if (kind_ == Kind::symbol && (c == '\n' || c == '\r')) {
      ++count_;
      last_symbol_ascii_ = false;
      return;
    }
    if (kind_ != Kind::space) {
      end_piece(Kind::space);
      kind_ = Kind::space;
    }
    if (c != run_char_ && run_length_ > 0) {
      close_space_run(false);
      ++space_runs_;
    }
    run_char_ = c;
    ++run_length_;
  }

  void close_space_run(bool last_space_absorbed) {
    std::int64_t length = run_length_;
    if (last_space_absorbed && run_char_ == ' ') --length;
    if (length == 1 && space_runs_ > 0) {
      // Alternating whitespace (" \n \n") merges in pairs.
      total_ += kUnit / 2;
    } else if (length > 0) {
      const std::int64_t per_token = run_char_ == ' '    ? kSpacesPerToken
                                     : run_char_ == '\n' ? kNewlinesPerToken
                                     : run_char_ == '\t' ? kTabsPerToken
                                                         : 1;
      total_ += ceil_div(length, per_token) * kUnit;
    }
    run_length_ = 0;
    run_char_ = 0;
  }

  // Prices the piece in progress; `next` is the kind of what follows it.
  void end_piece(Kind next) {
    switch (kind_) {
      case Kind::letter: {
        std::int64_t cost = ceil_div(ascii_letters_, kLettersPerToken) * kUnit + cost_;
        // Mixed case in short lower-case stretches ("aXRlIHNvbWUg": base64, keys) is no word at
        // all: BPE spends most of a token per letter on it. camelCase keeps its words long.
        const bool random_like = lower_runs_ >= 2 && lower_letters_ < ascii_letters_ &&
                                 2 * lower_letters_ < 5 * lower_runs_;
        if (random_like) cost = std::max(cost, ceil_div(ascii_letters_ * 3, 4) * kUnit + cost_);
        total_ += cost;
        break;
      }
      case Kind::digit:
        total_ += ceil_div(count_, 3) * kUnit;
        break;
      case Kind::symbol:
        total_ += ceil_div(count_, kSymbolsPerToken) * kUnit + cost_;
        break;
      case Kind::space:
        // One space before a word or a symbol run is part of that piece, not a token of its own.
        close_space_run(next == Kind::letter || next == Kind::symbol);
        break;
      case Kind::none:
        break;
    }
    last_symbol_ascii_ = false;
    symbol_took_space_ = false;
    space_runs_ = 0;
    kind_ = Kind::none;
    ascii_letters_ = 0;
    lower_letters_ = 0;
    lower_runs_ = 0;
    consonants_ = 0;
    previous_case_ = 0;
    count_ = 0;
    cost_ = 0;
  }

  std::int64_t total_ = 0;  // sixteenths of a token
  Kind kind_ = Kind::none;
  std::int64_t ascii_letters_ = 0;
  std::int64_t lower_letters_ = 0;
  std::int64_t lower_runs_ = 0;
  int consonants_ = 0;
  int previous_case_ = 0;
  std::int64_t count_ = 0;  // digits, or ASCII symbols
  std::int64_t cost_ = 0;   // sixteenths: penalties, non-ASCII code points
  bool symbol_took_space_ = false;  // the symbol run began with the space before it
  bool last_symbol_ascii_ = false;  // the symbol run's last code point is ASCII (not a newline)
  int space_runs_ = 0;              // runs of one whitespace character closed in this piece
  char32_t run_char_ = 0;
  std::int64_t run_length_ = 0;
};

// One code point of UTF-8 from `text` at `i` (advanced); an invalid byte is U+FFFD, one byte long.
char32_t next_utf8(std::string_view text, std::size_t& i) {
  const auto byte = [&](std::size_t at) { return static_cast<unsigned char>(text[at]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) {
    ++i;
    return lead;
  }
  const int length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
  if (length == 0 || i + length > text.size()) {
    ++i;
    return 0xFFFD;
  }
  char32_t c = lead & (0x7F >> length);
  for (int k = 1; k < length; ++k) {
    const unsigned char b = byte(i + k);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    c = (c << 6) | (b & 0x3F);
  }
  i += length;
  return c;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') return (c | 0x20) - 'a' + 10;
  return -1;
}

// \uXXXX at `i` (the backslash); 0xFFFD when malformed.
char32_t read_u_escape(std::string_view text, std::size_t& i) {
  if (i + 6 > text.size()) {
    i = text.size();
    return 0xFFFD;
  }
  char32_t value = 0;
  for (std::size_t k = i + 2; k < i + 6; ++k) {
    const int h = hex_value(text[k]);
    if (h < 0) {
      i += 2;
      return 0xFFFD;
    }
    value = (value << 4) | static_cast<char32_t>(h);
  }
  i += 6;
  return value;
}

}  // namespace

std::int64_t text_tokens(std::string_view utf8) {
  Estimator estimator;
  for (std::size_t i = 0; i < utf8.size();) estimator.feed(next_utf8(utf8, i));
  return estimator.finish();
}

std::int64_t json_string_tokens(std::string_view escaped) {
  Estimator estimator;
  for (std::size_t i = 0; i < escaped.size();) {
    if (escaped[i] != '\\') {
      estimator.feed(next_utf8(escaped, i));
      continue;
    }
    if (i + 1 >= escaped.size()) break;
    const char e = escaped[i + 1];
    if (e != 'u') {
      i += 2;
      switch (e) {
        case 'n': estimator.feed('\n'); break;
        case 't': estimator.feed('\t'); break;
        case 'r': estimator.feed('\r'); break;
        case 'b': estimator.feed('\b'); break;
        case 'f': estimator.feed('\f'); break;
        default: estimator.feed(static_cast<unsigned char>(e)); break;  // \" \\ \/
      }
      continue;
    }
    char32_t c = read_u_escape(escaped, i);
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < escaped.size() && escaped[i] == '\\' && escaped[i + 1] == 'u') {
      std::size_t j = i;
      const char32_t low = read_u_escape(escaped, j);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
        i = j;
      }
    }
    estimator.feed(c);
  }
  return estimator.finish();
}

}  // namespace llmux::tokens
