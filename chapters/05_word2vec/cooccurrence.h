// Count-based word vectors (LMU deck, "Word cooccurrence in Wikipedia" to
// "Dimensionality of word space"): co-occurrence counts within k words,
// positive pointwise mutual information, and a truncated SVD to dense
// vectors (Levy, Goldberg and Dagan 2015 for the weighting and the
// symmetric split of the singular values).
#ifndef FFNN_CH05_COOCCURRENCE_H_
#define FFNN_CH05_COOCCURRENCE_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "chapters/05_word2vec/randomized_svd.h"

namespace ffnn::ch05 {

// A square V x V matrix stored densely (row w, column c): the chapter's
// count-based spaces are built over a few thousand words at most.
struct WordMatrix {
  std::size_t V = 0;
  std::vector<double> values;  // (V, V), row-major
  double& operator()(std::size_t w, std::size_t c) { return values[w * V + c]; }
  double operator()(std::size_t w, std::size_t c) const {
    return values[w * V + c];
  }
};

// #(w, c): how often c occurs within k words of w (either side) in the same
// sentence; symmetric. Ids must be in [0, V); throws std::invalid_argument
// otherwise or for k = 0.
WordMatrix CountCooccurrences(
    const std::vector<std::vector<std::int32_t>>& sentences, std::size_t V,
    std::size_t k);

// PPMI(w, c) = max(0, log(P(w, c) / (P(w) P_alpha(c)))), with
// P(w, c) = #(w, c) / N, P(w) = #(w) / N, #(w) = sum_c #(w, c), N the total
// count, and the context distribution smoothed as Levy et al.:
// P_alpha(c) = #(c)^alpha / sum_c' #(c')^alpha (alpha = 1: no smoothing).
// Pairs never seen get 0.
WordMatrix Ppmi(const WordMatrix& counts, double alpha = 0.75);

// Dense d-dimensional vectors from the rank-d truncated SVD M ~ U S V^T:
// row w of U S^(1/2) (the symmetric split). Returns (V, d), row-major.
// Throws std::invalid_argument if d > V.
std::vector<double> SvdVectors(const WordMatrix& m, std::size_t d);

// The same counts, stored sparsely: every pair of positions once, as a key
// (min(w, c), max(w, c)), keys sorted and summed a chunk at a time and
// merged, then mirrored. About 16 bytes per distinct pair and 64 MB of
// chunk, where the dense matrix takes 8 V^2 bytes (1 GB at V = 11,000).
SparseMatrix CountCooccurrencesSparse(
    const std::vector<std::vector<std::int32_t>>& sentences, std::size_t V,
    std::size_t k);

// Ppmi on the nonzeros of a sparse symmetric count matrix (the same
// formula; entries whose PMI is not positive are dropped).
SparseMatrix SparsePpmi(const SparseMatrix& counts, double alpha = 0.75);

// `w2v count`'s settings: Levy, Goldberg and Dagan's (2015) context
// distribution smoothing (alpha) and eigenvalue weighting (W = U_d S_d^p;
// p = 0.5 the symmetric split, 0 U alone, 1 U S), and the randomized
// SVD's seed and threads.
struct CountSettings {
  double alpha = 0.75;
  double p = 0.5;
  std::uint64_t seed = 1;
  int threads = 1;
};

// The bytes CountVectors needs for a corpus of `tokens` words and n kept
// words, at most: the distinct pairs (no more than n^2 and tokens x k) in
// their sorted keys, the triplets and the two sparse matrices, the chunk,
// and the randomized SVD's (n, d + 10) matrices.
std::uint64_t CountVectorsBytes(std::uint64_t tokens, std::size_t n,
                                std::size_t k, std::size_t d);

// The count-based vectors of `w2v count`: co-occurrences within k words,
// PPMI, then the rank-d randomized SVD, for the n most frequent words (ids
// are by count, so the ids below n; n = V keeps them all). The other words
// become one "other" id, so that distances in the sentence stay as they
// were; its row and column are dropped before PPMI. Returns (n, d),
// row-major. Throws std::invalid_argument "<source>: no two words occur
// within k words..." when the n words never co-occur (every vector would
// be 0), or if d > n.
std::vector<double> CountVectors(
    const std::vector<std::vector<std::int32_t>>& sentences, std::size_t n,
    std::size_t k, std::size_t d, const std::string& source,
    const CountSettings& settings = {});

// The cosine of two words' count vectors and the angle between them in
// degrees, as the deck's rich-poor plane shows them.
struct Similarity {
  double cosine = 0, degrees = 0;
};
Similarity CosineAndAngle(std::span<const double> a, std::span<const double> b);

}  // namespace ffnn::ch05

#endif  // FFNN_CH05_COOCCURRENCE_H_
