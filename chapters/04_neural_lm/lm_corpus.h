// Chapter 4's view of the corpus: the three splits as language-model
// streams over one vocabulary, their statistics, and the export that lets
// any other tool (KenLM, PyTorch, ...) run on exactly the same data.
#ifndef FFNN_CH04_LM_CORPUS_H_
#define FFNN_CH04_LM_CORPUS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "chapters/common/corpus.h"

namespace ffnn::ch04 {

using chapters::Sentence;
using chapters::Vocabulary;

// The default minimum count of a training word to get its own id: 5 gives
// V = 10,993 on the SOTU training split (the decks' V ~ 10k scale).
inline constexpr int kDefaultMinCount = 5;

struct SplitStats {
  std::string name;
  std::size_t sentences = 0;
  std::size_t tokens = 0;  // </s> included
  std::size_t unk = 0;
  double UnkRate() const { return tokens ? double(unk) / double(tokens) : 0; }
};

struct LmCorpus {
  Vocabulary vocab;
  std::vector<Sentence> train, valid, test;  // words, not yet <unk>-mapped
  std::vector<SplitStats> Stats() const;
};

// The SOTU split of `dir` with a vocabulary of training words seen at least
// min_count times. Throws chapters::InputError on bad input or when the
// vocabulary comes out with no word besides <unk> and </s>.
LmCorpus LoadSotu(const std::string& dir, int min_count);

// The same from three files in the export format (any other tool's data,
// or an export): the vocabulary is built from `train` with min_count.
LmCorpus LoadFiles(const std::string& train, const std::string& valid,
                   const std::string& test, int min_count);

// One training example of a sentence: the n words before position t (the
// input, oldest first) and the word at t (the target).
struct Window {
  std::vector<std::string> context;
  std::string target;
};

// Every window of a sentence whose context lies inside it (t >= n), in
// order of t.
std::vector<Window> TrainingWindows(const Sentence& s, std::size_t n);

// The files Export writes, in its directory.
inline constexpr const char* kExportFiles[] = {"train.txt", "valid.txt",
                                               "test.txt", "vocab.txt"};

// Writes train.txt, valid.txt, test.txt (one sentence per line, tokens
// separated by one space, out-of-vocabulary words as <unk>, no </s>: each
// line end is one) and vocab.txt ("word count" per line, in id order, <unk>
// and </s> first), all four together or none (chapters::CommitTogether).
// Creates `dir` if needed.
void Export(const LmCorpus& corpus, const std::string& dir);

}  // namespace ffnn::ch04

#endif  // FFNN_CH04_LM_CORPUS_H_
