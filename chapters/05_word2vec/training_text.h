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
#include <vector>

#include "chapters/common/memory.h"

namespace ffnn::ch05 {

struct TrainingText {
  std::vector<std::string> words;    // id -> word, by decreasing count
  std::vector<std::int64_t> counts;  // id -> count in the text
  std::vector<std::vector<std::int32_t>> sentences;  // of kept ids, non-empty
  std::size_t tokens = 0;                            // every token, kept or not
};

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
TrainingText ParseTrainingText(std::string_view text, int min_count,
                               const std::string& name);

// The file at path, checked to fit the memory budget and to be UTF-8
// (at most 4 GiB; InputError otherwise).
std::string ReadCheckedText(const std::string& path,
                            const chapters::MemoryBudget& budget);

// The file at path, read as ReadCheckedText does, then parsed as above.
TrainingText ReadTrainingText(const std::string& path, int min_count,
                              const chapters::MemoryBudget& budget);

}  // namespace ffnn::ch05

#endif  // FFNN_CH05_TRAINING_TEXT_H_
