#include "chapters/common/word_vectors.h"

#include <charconv>
#include <cmath>
#include <string_view>
#include <unordered_set>

#include "chapters/common/corpus.h"

namespace ffnn::chapters {
namespace {

// 2 GiB of text is about 10^8 numbers, far beyond any vocabulary here.
constexpr std::uintmax_t kMaxVectorFileBytes = std::uintmax_t{2} << 30;
constexpr std::size_t kMaxDim = 4096;

[[noreturn]] void Fail(const std::string& path, std::size_t line,
                       const std::string& what) {
  throw CorpusError(path + ":" + std::to_string(line) + ": " + what);
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// The next field of a line (fields separated by spaces or tabs).
std::string_view NextField(std::string_view line, std::size_t& at) {
  while (at < line.size() && IsSpace(line[at])) ++at;
  const std::size_t begin = at;
  while (at < line.size() && !IsSpace(line[at])) ++at;
  return line.substr(begin, at - begin);
}

}  // namespace

WordVectors ReadWord2VecText(const std::string& path) {
  const std::string text = ReadFileBounded(path, kMaxVectorFileBytes);
  CheckUtf8(text, path);
  std::size_t at = 0, line_no = 0;
  auto next_line = [&]() -> std::string_view {
    const std::size_t end = std::min(text.find('\n', at), text.size());
    std::string_view line(text.data() + at, end - at);
    at = end + 1;
    ++line_no;
    return line;
  };
  if (text.empty()) Fail(path, 1, "empty file (expected '<count> <dim>')");
  const std::string_view header = next_line();
  std::size_t pos = 0;
  const std::string_view count_text = NextField(header, pos);
  const std::string_view dim_text = NextField(header, pos);
  std::size_t count = 0, dim = 0;
  auto parse_size = [](std::string_view s, std::size_t& v) {
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    return !s.empty() && r.ec == std::errc() && r.ptr == s.data() + s.size();
  };
  if (!parse_size(count_text, count) || !parse_size(dim_text, dim) ||
      !NextField(header, pos).empty()) {
    Fail(path, 1, "the header is not '<count> <dim>'");
  }
  if (count == 0 || dim == 0 || dim > kMaxDim) {
    Fail(path, 1,
         "impossible header: " + std::to_string(count) + " words of " +
             std::to_string(dim) + " dimensions");
  }
  // Each number takes at least two bytes ("0 "): a header claiming more
  // than the file can hold is refused before anything is allocated.
  if (count > text.size() / (2 * dim + 2)) {
    Fail(path, 1,
         "the header claims " + std::to_string(count) + " vectors of " +
             std::to_string(dim) + " numbers, more than the file holds");
  }
  WordVectors wv;
  wv.dim = dim;
  wv.words.reserve(count);
  wv.values.reserve(count * dim);
  std::unordered_set<std::string_view> seen;
  while (at < text.size()) {
    const std::string_view line = next_line();
    if (line.find_first_not_of(" \t\r") == std::string_view::npos &&
        at >= text.size()) {
      break;  // a blank last line
    }
    if (wv.words.size() == count) {
      Fail(path, line_no,
           "more vectors than the header's " + std::to_string(count));
    }
    pos = 0;
    const std::string_view word = NextField(line, pos);
    if (word.empty()) Fail(path, line_no, "a line without a word");
    if (!seen.insert(word).second) {
      Fail(path, line_no, "the word '" + std::string(word) + "' appears twice");
    }
    for (std::size_t j = 0; j < dim; ++j) {
      const std::string_view f = NextField(line, pos);
      float v = 0;
      const auto r = std::from_chars(f.data(), f.data() + f.size(), v);
      if (f.empty() || r.ec != std::errc() || r.ptr != f.data() + f.size()) {
        Fail(path, line_no,
             "expected " + std::to_string(dim) + " numbers after the word, " +
                 (f.empty() ? "found " + std::to_string(j)
                            : "found '" + std::string(f.substr(0, 20)) + "'"));
      }
      if (!std::isfinite(v)) Fail(path, line_no, "a value that is not finite");
      wv.values.push_back(v);
    }
    if (!NextField(line, pos).empty()) {
      Fail(path, line_no,
           "more than the header's " + std::to_string(dim) + " numbers");
    }
    wv.words.emplace_back(word);
  }
  if (wv.words.size() != count) {
    Fail(path, line_no,
         "the header promises " + std::to_string(count) +
             " vectors, the file holds " + std::to_string(wv.words.size()));
  }
  return wv;
}

}  // namespace ffnn::chapters
