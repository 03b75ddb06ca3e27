// The training text as word2vec.c reads it: tokens separated by any
// whitespace, a newline ending a sentence; the words seen at least
// min_count times become ids, by decreasing count (ties in byte order).
#ifndef FFNN_CH05_TRAINING_TEXT_H_
#define FFNN_CH05_TRAINING_TEXT_H_

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "chapters/common/memory.h"

namespace ffnn::ch05 {

struct TrainingText {
  std::vector<std::string> words;    // id -> word, by decreasing count
  std::vector<std::int64_t> counts;  // id -> count in the text
  std::vector<std::vector<std::int32_t>> sentences;  // of kept ids, non-empty
  std::size_t tokens = 0;                            // every token, kept or not
  std::size_t line_ends = 0;  // newlines: word2vec.c's count of "</s>"
};

// A vocabulary in word2vec.c's -save-vocab format: "word count" per line,
// most frequent first; the first line is word2vec.c's sentence end,
// "</s> <line ends>".
std::string VocabularyText(const TrainingText& t);

// A -read-vocab file: its (word, count) pairs in file order, "</s>" left
// out. Throws chapters::InputError "<path>:<line>: <what>" for a line that
// is not "word count" with a count from 1 to 2^62, a word listed twice, a
// file that is not UTF-8 or lists no word.
std::vector<std::pair<std::string, std::int64_t>> ReadVocabulary(
    const std::string& path);

// Calls word(w) for each token of text (runs of anything but whitespace)
// and end() at each line end and at the end of the text: word2vec.c's
// reading, a newline ending a sentence.
template <class Word, class End>
void ScanText(std::string_view text, const Word& word, const End& end) {
  for (std::size_t at = 0; at < text.size();) {
    const char c = text[at];
    if (c == '\n') {
      end();
      ++at;
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      ++at;
    } else {
      const std::size_t begin = at;
      while (at < text.size() &&
             !std::isspace(static_cast<unsigned char>(text[at]))) {
        ++at;
      }
      word(text.substr(begin, at - begin));
    }
  }
  end();
}

// The sentences of text as ids of the words seen at least min_count times
// (ordered by chapters::RankWords); lines without a kept word are dropped.
// Throws std::runtime_error "<name>: no words" for a text without tokens
// and "<name>: fewer than two words occur at least <min_count> times".
// With `vocabulary` (a -read-vocab file's pairs), the words and counts are
// the file's (those counted at least min_count times, ranked as above) and
// the text's other words are dropped, as word2vec.c does.
TrainingText ParseTrainingText(
    std::string_view text, int min_count, const std::string& name,
    const std::vector<std::pair<std::string, std::int64_t>>* vocabulary =
        nullptr);

// The file at path, checked to fit the memory budget and to be UTF-8
// (at most 4 GiB; InputError otherwise).
std::string ReadCheckedText(const std::string& path,
                            const chapters::MemoryBudget& budget);

// The file at path, read as ReadCheckedText does, then parsed as above.
TrainingText ReadTrainingText(
    const std::string& path, int min_count,
    const chapters::MemoryBudget& budget,
    const std::vector<std::pair<std::string, std::int64_t>>* vocabulary =
        nullptr);

}  // namespace ffnn::ch05

#endif  // FFNN_CH05_TRAINING_TEXT_H_
