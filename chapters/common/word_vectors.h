// Word vectors in word2vec's text format (chapter 4 initializes its
// embedding table from them; chapter 5 writes and evaluates them):
//   <count> <dim>
//   <word> <v_1> ... <v_dim>        (count lines)
// Read strictly: the header is checked against the file's size before
// anything is allocated, every line must hold exactly dim finite numbers,
// words must be valid UTF-8 and distinct.
#ifndef FFNN_CHAPTERS_COMMON_WORD_VECTORS_H_
#define FFNN_CHAPTERS_COMMON_WORD_VECTORS_H_

#include <cstddef>
#include <string>
#include <vector>

namespace ffnn::chapters {

struct WordVectors {
  std::vector<std::string> words;
  std::size_t dim = 0;
  std::vector<float> values;  // (words.size(), dim), row-major
};

// Throws CorpusError "<path>: <what>" (line numbers from 1) on any defect.
WordVectors ReadWord2VecText(const std::string& path);

}  // namespace ffnn::chapters

#endif  // FFNN_CHAPTERS_COMMON_WORD_VECTORS_H_
