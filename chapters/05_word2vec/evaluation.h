// Judging word vectors by human similarity scores (WordSim-353,
// SimLex-999): Spearman's rho between the cosines of the covered pairs and
// the scores, with the coverage (pairs whose two words are in the
// vocabulary, over all pairs).
#ifndef FFNN_CH05_EVALUATION_H_
#define FFNN_CH05_EVALUATION_H_

#include <array>
#include <span>
#include <string>
#include <vector>

#include "chapters/common/word_vectors.h"

namespace ffnn::ch05 {

struct WordPair {
  std::string a, b;
  double score = 0;
};

// A file of "word1 word2 score" lines, fields separated by tabs or spaces;
// blank lines and lines starting with '#' are skipped. Throws InputError
// "<path>:<line>: <what>" for a line of another shape, a score that is not
// a finite number, invalid UTF-8, or a file without pairs.
std::vector<WordPair> ReadPairs(const std::string& path);

// Spearman's rank correlation: the Pearson correlation of the ranks, tied
// values sharing their average rank. NaN-free: throws std::invalid_argument
// for fewer than two values, different lengths, or a constant input (whose
// rank correlation is undefined).
double SpearmanRho(std::span<const double> x, std::span<const double> y);

struct PairScore {
  double rho = 0;
  std::size_t covered = 0, total = 0;
  double Coverage() const { return total ? double(covered) / total : 0.0; }
};

// Words are looked up lowercased (the corpus is): "Jerusalem" finds
// "jerusalem". Throws std::invalid_argument if fewer than two pairs are
// covered or their human scores are all equal (rho is then undefined).
PairScore EvaluatePairs(const chapters::WordVectors& vectors,
                        const std::vector<WordPair>& pairs);

// The same refusals from the vocabulary alone, before any vector exists:
// w2v train --eval-pairs checks its pairs before the first epoch, not after
// it. Throws std::invalid_argument "<what>: ...".
void RequireScorablePairs(const std::vector<std::string>& vocabulary,
                          const std::vector<WordPair>& pairs,
                          const std::string& what);

// Analogies in word2vec's questions-words format: ": section" lines, then
// "a b c d" lines (a is to b as c is to d). Throws InputError
// "<path>:<line>: <what>" for a line that is not 4 words, invalid UTF-8 or
// a file without questions; questions before the first section go to a
// section named "(no section)".
struct AnalogySection {
  std::string name;
  std::vector<std::array<std::string, 4>> questions;
};
std::vector<AnalogySection> ReadAnalogies(const std::string& path);

struct AnalogyScore {
  std::string section;  // "overall" for the last entry
  std::size_t correct = 0, covered = 0, total = 0;
  double Accuracy() const { return covered ? double(correct) / covered : 0; }
  double Coverage() const { return total ? double(covered) / total : 0; }
};

// 3CosAdd (Mikolov et al. 2013): the answer to a : b :: c : ? is the word
// x, other than a, b and c, whose unit vector has the largest dot product
// with b^ - a^ + c^ (hats: unit length). A question is covered when its
// four words are in the vocabulary (lowercased, as EvaluatePairs); accuracy
// is over the covered ones. One entry per section, then "overall". Throws
// std::invalid_argument if no question is covered.
std::vector<AnalogyScore> EvaluateAnalogies(
    const chapters::WordVectors& vectors,
    const std::vector<AnalogySection>& sections, int threads = 1);

struct Neighbour {
  std::size_t row = 0;  // in the vectors
  double cosine = 0;
};

// The k words nearest to row `word` by cosine (itself left out), nearest
// first, ties to the lower row; fewer when the vectors hold fewer words.
std::vector<Neighbour> NearestNeighbours(const chapters::WordVectors& vectors,
                                         std::size_t word, std::size_t k);

}  // namespace ffnn::ch05

#endif  // FFNN_CH05_EVALUATION_H_
