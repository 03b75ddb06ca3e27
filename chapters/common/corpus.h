// The corpus pipeline of chapters 4 and 5: the State of the Union addresses
// (data/sotu.tar.xz, unpacked by the build) as tokenized sentences, a
// vocabulary with <unk>, and the split by address year.
//
// Tokenization (decided here, stated in the chapter):
// - input must be valid UTF-8 (checked strictly: overlong forms, surrogates
//   and code points past U+10FFFF are errors naming the file and byte);
// - letters are lowercased (ASCII and the Latin-1 and Latin Extended-A
//   letters, so accented names keep their letters);
// - curly quotes become ' and ", the dashes (U+2010..U+2015, "--") one
//   token "--";
// - a word is a run of letters and digits, with inner apostrophes, hyphens,
//   and (between digits) periods and commas: "don't", "well-being", "3.5",
//   "1,000"; clitics are split as in the Penn Treebank: "nation 's",
//   "do n't", "we 're" / "'ve" / "'ll" / "'d" / "'m";
// - every other character is a token of its own; a period after a known
//   abbreviation ("mr", "mrs", "dr", "st", "jr", "gen", "gov", "hon", "messrs",
//   "no", "vs", "etc", "i.e", "e.g") or a single letter ("john f. kennedy")
//   or a dotted word ("u.s.") stays attached to it;
// - a sentence ends after ".", "!" or "?" (not attached; with the closing
//   brackets and quotes right after them) and at every line end; empty
//   sentences are dropped.
#ifndef FFNN_CHAPTERS_COMMON_CORPUS_H_
#define FFNN_CHAPTERS_COMMON_CORPUS_H_

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ffnn::chapters {

using Sentence = std::vector<std::string>;

// Thrown for unreadable or invalid input; what() is one line naming the file
// (the tools print it and exit with status 2).
struct CorpusError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Tokenizes UTF-8 text into sentences (rules above). `where` names the
// input in error messages.
std::vector<Sentence> Tokenize(std::string_view text, const std::string& where);

// Reads a file of tokenized sentences (the export format: one sentence per
// line, tokens separated by single spaces, valid UTF-8). Throws CorpusError
// naming the file for a missing, unreadable, empty, huge (> 256 MiB) or
// invalid file, an empty token (two spaces), a token holding a tab or a
// carriage return, or a NUL byte.
std::vector<Sentence> ReadSentences(const std::string& path);

// text lowercased as the tokenizer lowercases (ASCII, Latin-1 and Latin
// Extended-A), so that evaluation files find the corpus's words: "Zürich"
// becomes "zürich". Throws CorpusError for invalid UTF-8.
std::string LowerCase(std::string_view text, const std::string& where);

// Throws CorpusError "<where>: ..." naming the byte offset of the first
// invalid UTF-8 sequence or NUL byte of text.
void CheckUtf8(std::string_view text, const std::string& where);

// The bytes of a regular file of at most max_bytes; throws CorpusError
// "<path>: ..." for a missing, unreadable or larger file.
std::string ReadFileBounded(const std::string& path, std::uintmax_t max_bytes);

// One address: its year and its sentences.
struct Document {
  int year = 0;
  std::string name;  // file name without directory
  std::vector<Sentence> sentences;
};

// Reads every YEAR_*.txt in `dir` (sorted by name, so by year). Throws
// CorpusError if the directory is missing, holds no such file, or a file is
// unreadable or not valid UTF-8.
std::vector<Document> ReadSotu(const std::string& dir);

// The split by address year: train <= 1999, validation 2000-2008, test
// 2009-2016; later addresses are not used.
struct Split {
  std::vector<Sentence> train, valid, test;
};
Split SplitByYear(const std::vector<Document>& docs);

inline constexpr const char* kUnk = "<unk>";
inline constexpr const char* kEos = "</s>";

// A vocabulary: id 0 is <unk>, id 1 is </s>, then the words of the training
// sentences seen at least min_count times, by decreasing count (ties in
// byte order), so ids are deterministic.
class Vocabulary {
 public:
  Vocabulary(const std::vector<Sentence>& train, int min_count);
  // From (word, count) pairs in id order, as vocab.txt stores them.
  explicit Vocabulary(std::vector<std::pair<std::string, std::int64_t>> words);

  std::size_t size() const { return words_.size(); }
  std::int32_t Id(const std::string& word) const;  // <unk> if unknown
  const std::string& Word(std::int32_t id) const { return words_[id]; }
  std::int64_t Count(std::int32_t id) const { return counts_[id]; }

 private:
  std::vector<std::string> words_;
  std::vector<std::int64_t> counts_;  // in the training sentences
  std::unordered_map<std::string, std::int32_t> ids_;
};

// The language-model stream of a split: every sentence's ids followed by
// </s>, sentences in order.
std::vector<std::int32_t> ToStream(const std::vector<Sentence>& sentences,
                                   const Vocabulary& vocab);

// Counts of a stream: tokens (</s> included) and how many are <unk>.
struct StreamStats {
  std::size_t tokens = 0, unk = 0;
};
StreamStats Stats(const std::vector<std::int32_t>& stream);

}  // namespace ffnn::chapters

#endif  // FFNN_CHAPTERS_COMMON_CORPUS_H_
