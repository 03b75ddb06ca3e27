#include "chapters/common/text.h"

#include <algorithm>
#include <array>

#include "chapters/common/errors.h"

namespace ffnn::chapters {
namespace {

// A marker code point for the dashes that become the token "--".
constexpr char32_t kDash = 0x2014;

[[noreturn]] void Fail(const std::string& where, const std::string& what) {
  throw InputError(where + ": " + what);
}

// Decodes UTF-8 strictly; throws naming the byte offset of the first
// invalid sequence. NUL bytes are refused too (a binary file).
std::u32string DecodeUtf8(std::string_view s, const std::string& where) {
  std::u32string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 == 0)
      Fail(where,
           "NUL byte at byte " + std::to_string(i) + " (a binary file?)");
    if (b0 < 0x80) {
      out.push_back(b0);
      ++i;
      continue;
    }
    std::size_t len;
    char32_t cp, min;
    if ((b0 & 0xE0) == 0xC0) {
      len = 2, cp = b0 & 0x1F, min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
      len = 3, cp = b0 & 0x0F, min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
      len = 4, cp = b0 & 0x07, min = 0x10000;
    } else {
      Fail(where, "invalid UTF-8 at byte " + std::to_string(i));
    }
    if (i + len > s.size()) {
      Fail(where, "truncated UTF-8 sequence at byte " + std::to_string(i));
    }
    for (std::size_t k = 1; k < len; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) {
        Fail(where, "invalid UTF-8 at byte " + std::to_string(i));
      }
      cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      Fail(where, "invalid UTF-8 at byte " + std::to_string(i) +
                      " (overlong form, surrogate or beyond U+10FFFF)");
    }
    out.push_back(cp);
    i += len;
  }
  return out;
}

void AppendUtf8(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool IsLetter(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7);
}
bool IsDigit(char32_t c) { return c >= '0' && c <= '9'; }
bool IsWordChar(char32_t c) { return IsLetter(c) || IsDigit(c); }
bool IsSpace(char32_t c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' ||
         c == 0xA0 || (c >= 0x2000 && c <= 0x200B) || c == 0x3000;
}

// Lowercase for ASCII, Latin-1 and Latin Extended-A (where upper and lower
// case alternate); every other code point is unchanged.
char32_t Lower(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
  if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177)) {
    return c % 2 == 0 ? c + 1 : c;
  }
  if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) {
    return c % 2 == 1 ? c + 1 : c;
  }
  return c;
}

// Curly quotes to straight ones, the dashes to one marker, hyphens to '-',
// then lowercase.
char32_t Normalize(char32_t c) {
  switch (c) {
    case 0x2018:
    case 0x2019:
    case 0x201B:
    case 0x2032:
      return '\'';
    case 0x201C:
    case 0x201D:
    case 0x201F:
    case 0x2033:
      return '"';
    case 0x2010:
    case 0x2011:
      return '-';
    case 0x2012:
    case 0x2013:
    case 0x2014:
    case 0x2015:
      return kDash;
    default:
      return Lower(c);
  }
}

bool IsAbbreviation(const std::string& w) {
  static const std::array<const char*, 16> kAbbrev = {
      "mr",  "mrs", "ms",     "dr", "st", "jr",  "sr",  "gen",
      "gov", "hon", "messrs", "no", "vs", "etc", "rev", "col"};
  return std::any_of(kAbbrev.begin(), kAbbrev.end(),
                     [&](const char* a) { return w == a; });
}

// Splits the Penn Treebank clitics off a word: "nation's" -> "nation 's",
// "don't" -> "do n't".
void PushWord(const std::string& w, Sentence& out) {
  static const std::array<const char*, 6> kClitics = {"'s",  "'re", "'ve",
                                                      "'ll", "'d",  "'m"};
  if (w.size() > 3 && w.compare(w.size() - 3, 3, "n't") == 0) {
    out.push_back(w.substr(0, w.size() - 3));
    out.push_back("n't");
    return;
  }
  for (const char* c : kClitics) {
    const std::size_t n = std::char_traits<char>::length(c);
    if (w.size() > n && w.compare(w.size() - n, n, c) == 0) {
      out.push_back(w.substr(0, w.size() - n));
      out.push_back(c);
      return;
    }
  }
  out.push_back(w);
}

// Tokenizes one line (already normalized) into sentences.
// Long: one pass applying the header's rules in their order; split into
// functions, the rules would be read out of order.
void TokenizeLine(const std::u32string& line,
                  std::vector<Sentence>& sentences) {
  Sentence current;
  // After ".", "!" or "?" the sentence ends before the next token, unless
  // that token closes a bracket or quote: "(applause.)" stays together.
  bool ending = false;
  auto end_sentence = [&] {
    if (!current.empty()) sentences.push_back(std::move(current));
    current.clear();
    ending = false;
  };
  const std::size_t n = line.size();
  auto at = [&](std::size_t i) { return i < n ? line[i] : char32_t{0}; };
  for (std::size_t i = 0; i < n;) {
    const char32_t c = line[i];
    if (IsSpace(c)) {
      ++i;
      continue;
    }
    if (ending) {
      if (c == ')' || c == ']' || c == '"' || c == '\'') {
        AppendUtf8(c, current.emplace_back());
        ++i;
        continue;
      }
      end_sentence();
    }
    if (c == kDash || (c == '-' && at(i + 1) == '-')) {  // a dash
      while (i < n && (line[i] == kDash || line[i] == '-')) ++i;
      current.push_back("--");
      continue;
    }
    if (IsWordChar(c)) {
      std::string word;
      std::size_t segment = 0;  // letters since the last inner '.'
      while (i < n) {
        const char32_t x = line[i];
        if (IsWordChar(x)) {
          AppendUtf8(x, word);
          ++segment;
          ++i;
        } else if ((x == '\'' || x == '-') && IsWordChar(at(i + 1)) &&
                   !word.empty()) {
          AppendUtf8(x, word);
          ++i;
        } else if ((x == '.' || x == ',') && IsDigit(at(i + 1)) &&
                   IsDigit(line[i - 1])) {
          AppendUtf8(x, word);  // 3.5, 1,000
          ++i;
        } else if (x == '.' && segment == 1 && IsLetter(line[i - 1]) &&
                   IsLetter(at(i + 1)) && !IsLetter(at(i + 2))) {
          word.push_back('.');  // u.s, i.e, a.m
          segment = 0;
          ++i;
        } else {
          break;
        }
      }
      const bool dotted =
          word.find('.') != std::string::npos && IsLetter(line[i - 1]);
      const bool single_letter = word.size() == 1 && IsLetter(line[i - 1]);
      if (at(i) == '.' && at(i + 1) != '.' &&
          (dotted || single_letter || IsAbbreviation(word))) {
        word.push_back('.');  // "mr.", "f.", "u.s."
        ++i;
        current.push_back(word);
      } else {
        PushWord(word, current);
      }
      continue;
    }
    if (c == '.') {  // "." or an ellipsis "..."
      std::size_t run = 0;
      while (i < n && line[i] == '.') ++run, ++i;
      current.push_back(run == 1 ? "." : "...");
      ending = true;
      continue;
    }
    std::string token;
    AppendUtf8(c, token);
    current.push_back(token);
    ++i;
    if (c == '!' || c == '?') ending = true;
  }
  end_sentence();
}

}  // namespace

std::vector<Sentence> Tokenize(std::string_view text,
                               const std::string& where) {
  const std::u32string decoded = DecodeUtf8(text, where);
  std::vector<Sentence> sentences;
  std::u32string line;
  for (const char32_t c : decoded) {
    if (c == '\n') {
      TokenizeLine(line, sentences);
      line.clear();
    } else {
      line.push_back(Normalize(c));
    }
  }
  TokenizeLine(line, sentences);
  return sentences;
}

std::string LowerCase(std::string_view text, const std::string& where) {
  std::string out;
  for (const char32_t c : DecodeUtf8(text, where)) AppendUtf8(Lower(c), out);
  return out;
}

void CheckUtf8(std::string_view text, const std::string& where) {
  DecodeUtf8(text, where);
}

}  // namespace ffnn::chapters
