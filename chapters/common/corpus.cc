#include "chapters/common/corpus.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "chapters/common/errors.h"
#include "chapters/common/files.h"

namespace ffnn::chapters {
namespace {

// Larger inputs are refused rather than read into memory: the whole corpus
// is 10 MB, so 256 MiB for one file can only be a mistake.
constexpr std::uintmax_t kMaxFileBytes = std::uintmax_t{256} << 20;

[[noreturn]] void Fail(const std::string& where, const std::string& what) {
  throw InputError(where + ": " + what);
}

std::string ReadFile(const std::string& where) {
  return ReadFileBounded(where, kMaxFileBytes);
}
}  // namespace

std::vector<Sentence> ReadSentences(const std::string& path) {
  const std::string text = ReadFile(path);
  CheckUtf8(text, path);  // the tokens stay bytes
  std::vector<Sentence> sentences;
  std::size_t line_no = 0;
  for (std::size_t at = 0; at < text.size();) {
    std::size_t end = std::min(text.find('\n', at), text.size());
    const std::size_t next = end + 1;
    if (end > at && text[end - 1] == '\r') --end;  // CRLF line ends
    ++line_no;
    Sentence s;
    for (std::size_t i = at; i < end;) {
      const std::size_t sp = std::min(text.find(' ', i), end);
      if (sp == i) {
        Fail(path, "line " + std::to_string(line_no) +
                       ": an empty token (tokens are separated by single "
                       "spaces)");
      }
      s.push_back(text.substr(i, sp - i));
      // A tab or a carriage return inside a token would end up in a vector
      // file's words, which the word2vec formats cannot hold.
      if (s.back().find_first_of("\t\r") != std::string::npos) {
        Fail(path, "line " + std::to_string(line_no) +
                       ": a token with a tab or a carriage return in it "
                       "(tokens are separated by single spaces)");
      }
      i = sp == end ? end : sp + 1;
      if (sp + 1 == end) {
        Fail(path, "line " + std::to_string(line_no) + ": a trailing space");
      }
    }
    if (!s.empty()) sentences.push_back(std::move(s));
    at = next;
  }
  if (sentences.empty()) Fail(path, "no sentences (an empty file?)");
  return sentences;
}

std::vector<Document> ReadSotu(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) Fail(dir, "not a directory");
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.size() > 9 &&
        std::all_of(name.begin(), name.begin() + 4,
                    [](char c) { return c >= '0' && c <= '9'; }) &&
        name[4] == '_' && name.ends_with(".txt")) {
      files.push_back(entry.path());
    }
  }
  if (ec) Fail(dir, "cannot list: " + ec.message());
  if (files.empty()) Fail(dir, "no YEAR_*.txt addresses");
  std::sort(files.begin(), files.end());
  std::vector<Document> docs;
  for (const fs::path& path : files) {
    const std::string where = path.string();
    Document doc;
    doc.name = path.filename().string();
    doc.year = std::stoi(doc.name.substr(0, 4));
    doc.sentences = Tokenize(ReadFile(where), where);
    docs.push_back(std::move(doc));
  }
  return docs;
}

Split SplitByYear(const std::vector<Document>& docs) {
  Split split;
  for (const Document& d : docs) {
    std::vector<Sentence>* to = d.year <= 1999   ? &split.train
                                : d.year <= 2008 ? &split.valid
                                : d.year <= 2016 ? &split.test
                                                 : nullptr;
    if (to) to->insert(to->end(), d.sentences.begin(), d.sentences.end());
  }
  return split;
}

std::vector<std::int32_t> ToStream(const std::vector<Sentence>& sentences,
                                   const Vocabulary& vocab) {
  std::vector<std::int32_t> stream;
  for (const Sentence& s : sentences) {
    for (const std::string& w : s) stream.push_back(vocab.Id(w));
    stream.push_back(vocab.Id(kEos));
  }
  return stream;
}

StreamStats Stats(const std::vector<std::int32_t>& stream) {
  StreamStats st;
  st.tokens = stream.size();
  st.unk = static_cast<std::size_t>(
      std::count(stream.begin(), stream.end(), std::int32_t{0}));
  return st;
}

}  // namespace ffnn::chapters
