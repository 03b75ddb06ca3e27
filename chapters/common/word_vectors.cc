#include "chapters/common/word_vectors.h"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string_view>
#include <unordered_set>

#include "chapters/common/errors.h"
#include "chapters/common/files.h"
#include "chapters/common/text.h"
#include "chapters/common/files.h"

namespace ffnn::chapters {
namespace {

// 2 GiB of text is about 10^8 numbers, far beyond any vocabulary here.
constexpr std::uintmax_t kMaxVectorFileBytes = std::uintmax_t{2} << 30;
constexpr std::size_t kMaxDim = 4096;

[[noreturn]] void Fail(const std::string& path, std::size_t line,
                       const std::string& what) {
  throw InputError(path + ":" + std::to_string(line) + ": " + what);
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// The next field of a line (fields separated by spaces or tabs).
std::string_view NextField(std::string_view line, std::size_t& at) {
  while (at < line.size() && IsSpace(line[at])) ++at;
  const std::size_t begin = at;
  while (at < line.size() && !IsSpace(line[at])) ++at;
  return line.substr(begin, at - begin);
}

bool ParseSize(std::string_view s, std::size_t& v) {
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  return !s.empty() && r.ec == std::errc() && r.ptr == s.data() + s.size();
}

// The header line "<count> <dim>", checked against the bytes that follow
// (each vector needs at least bytes_per_vector of them).
void ParseHeader(const std::string& path, std::string_view header,
                 std::size_t body_bytes, std::size_t bytes_per_value,
                 std::size_t& count, std::size_t& dim) {
  std::size_t pos = 0;
  const std::string_view count_text = NextField(header, pos);
  const std::string_view dim_text = NextField(header, pos);
  if (!ParseSize(count_text, count) || !ParseSize(dim_text, dim) ||
      !NextField(header, pos).empty()) {
    Fail(path, 1, "the header is not '<count> <dim>'");
  }
  if (count == 0 || dim == 0 || dim > kMaxDim) {
    Fail(path, 1,
         "impossible header: " + std::to_string(count) + " words of " +
             std::to_string(dim) + " dimensions");
  }
  // A word and a separator, then dim values: a header claiming more than
  // the file can hold is refused before anything is allocated.
  if (count > body_bytes / (bytes_per_value * dim + 2)) {
    Fail(path, 1,
         "the header claims " + std::to_string(count) + " vectors of " +
             std::to_string(dim) + " numbers, more than the file holds");
  }
}

// The parsers of the two formats, on a file's bytes (path names it in
// errors).
WordVectors ParseText(const std::string& text, const std::string& path) {
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
  std::size_t count = 0, dim = 0, pos = 0;
  // Each number takes at least two bytes ("0 ").
  ParseHeader(path, header, text.size(), 2, count, dim);
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

WordVectors ParseBinary(const std::string& bytes, const std::string& path) {
  if (bytes.empty()) Fail(path, 1, "empty file (expected '<count> <dim>')");
  const std::size_t eol = bytes.find('\n');
  if (eol == std::string::npos) Fail(path, 1, "no header line");
  const std::string_view header(bytes.data(), eol);
  CheckUtf8(header, path);
  std::size_t count = 0, dim = 0;
  ParseHeader(path, header, bytes.size() - eol - 1, 4, count, dim);
  WordVectors wv;
  wv.dim = dim;
  wv.words.reserve(count);
  wv.values.resize(count * dim);
  std::unordered_set<std::string_view> seen;
  std::size_t at = eol + 1;
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t index = i + 1;
    while (at < bytes.size() && bytes[at] == '\n') ++at;
    const std::size_t space = bytes.find(' ', at);
    if (space == std::string::npos || space == at || space - at > 1000) {
      Fail(path, index,
           "vector " + std::to_string(index) + " of the header's " +
               std::to_string(count) +
               ": no word before its values (the "
               "file ends or is not binary)");
    }
    const std::string_view word(bytes.data() + at, space - at);
    if (word.find_first_of("\t\n\r") != std::string_view::npos) {
      Fail(path, index, "a word with whitespace in it");
    }
    CheckUtf8(word, path);
    if (!seen.insert(word).second) {
      Fail(path, index, "the word '" + std::string(word) + "' appears twice");
    }
    at = space + 1;
    if (bytes.size() - at < dim * 4) {
      Fail(path, index,
           "truncated: the header's " + std::to_string(count) +
               " vectors do not fit");
    }
    float* out = wv.values.data() + i * dim;
    std::memcpy(out, bytes.data() + at, dim * 4);
    if constexpr (std::endian::native == std::endian::big) {
      for (std::size_t j = 0; j < dim; ++j) {
        out[j] = std::bit_cast<float>(
            __builtin_bswap32(std::bit_cast<std::uint32_t>(out[j])));
      }
    }
    for (std::size_t j = 0; j < dim; ++j) {
      if (!std::isfinite(out[j])) {
        Fail(path, index, "a value that is not finite");
      }
    }
    at += dim * 4;
    wv.words.emplace_back(word);
  }
  while (at < bytes.size() && (bytes[at] == '\n' || bytes[at] == ' ')) ++at;
  if (at != bytes.size()) {
    Fail(path, count,
         std::to_string(bytes.size() - at) + " bytes after the header's " +
             std::to_string(count) + " vectors");
  }
  return wv;
}

}  // namespace

WordVectors ReadWord2VecText(const std::string& path) {
  return ParseText(ReadFileBounded(path, kMaxVectorFileBytes), path);
}

WordVectors ReadWord2VecBinary(const std::string& path) {
  return ParseBinary(ReadFileBounded(path, kMaxVectorFileBytes), path);
}

WordVectors ReadWord2Vec(const std::string& path) {
  const std::string bytes = ReadFileBounded(path, kMaxVectorFileBytes);
  bool binary = bytes.find('\0') != std::string::npos;
  if (!binary) {
    try {
      CheckUtf8(bytes, path);
    } catch (const InputError&) {
      binary = true;
    }
  }
  return binary ? ParseBinary(bytes, path) : ParseText(bytes, path);
}

void WriteWord2Vec(const WordVectors& wv, const std::string& path,
                   bool binary) {
  AtomicFile out(path);
  WriteWord2Vec(wv, out, binary);
  out.Commit();
}

void WriteWord2Vec(const WordVectors& wv, AtomicFile& file, bool binary) {
  if (wv.dim == 0 || wv.values.size() != wv.words.size() * wv.dim) {
    throw std::invalid_argument(
        "WriteWord2Vec: " + std::to_string(wv.values.size()) + " values for " +
        std::to_string(wv.words.size()) + " words of " +
        std::to_string(wv.dim) + " dimensions");
  }
  file.Write(std::to_string(wv.words.size()) + " " + std::to_string(wv.dim) +
             "\n");
  char buf[32];
  std::string out;  // one word's line at a time
  for (std::size_t i = 0; i < wv.words.size(); ++i) {
    out.clear();
    const std::string& w = wv.words[i];
    if (w.empty() || w.find_first_of(" \t\n\r") != std::string::npos) {
      throw std::invalid_argument("WriteWord2Vec: the word '" + w +
                                  "' is empty or holds whitespace");
    }
    out += w;
    const float* v = wv.values.data() + i * wv.dim;
    for (std::size_t j = 0; j < wv.dim; ++j) {
      if (binary) {
        std::uint32_t u = std::bit_cast<std::uint32_t>(v[j]);
        if constexpr (std::endian::native == std::endian::big) {
          u = __builtin_bswap32(u);
        }
        if (j == 0) out += ' ';
        out.append(reinterpret_cast<const char*>(&u), 4);
      } else {
        const auto r = std::to_chars(buf, buf + sizeof buf, v[j]);
        out += ' ';
        out.append(buf, r.ptr);
      }
    }
    out += '\n';
    file.Write(out);
  }
}

}  // namespace ffnn::chapters
