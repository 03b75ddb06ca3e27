// word2vec (Mikolov et al. 2013): skip-gram and CBOW with negative sampling,
// hierarchical softmax (-hs 1, on word2vec.c's Huffman tree) or both, with
// word2vec.c's hyperparameters and defaults, frequent-word subsampling, a
// dynamic window and a linearly decaying learning rate, on the kernel
// layer's negative-sampling and hierarchical-softmax steps.
//
// Skip-gram shares the negatives of a window (Ji et al. 2016, "Parallelizing
// Word2Vec in Shared and Distributed Memory"): the context words of one
// center word are one (m, k + 1) step of three small matrix products
// (kernels::NegativeSamplingWindowStep) instead of m single-row steps, each
// with its own k draws.
//
// Reproducible on any number of threads. The corpus is cut into blocks of
// about kBlockWords words, and kRoundBlocks consecutive blocks form a round.
// Every block of a round starts from the tables as they were at the start
// of the round. Blocks draw their random numbers from a generator seeded by
// (seed, epoch, block), all of them before the round trains, so the rows
// each block touches are known in advance: the first block of the round
// to touch a row writes it in place; every later block that touches it too
// keeps a private copy (made before the round trains), and at the end of
// the round the row adds their changes (row_b - row_start), in block
// order. Nothing depends on which thread
// runs or merges which block, so the vectors are bit-identical for every
// thread count, and up to kRoundBlocks threads work at once.
//
// Blocks are short so that a round is only kRoundBlocks * kBlockWords words
// stale: the changes of a frequent row are summed over the round's blocks,
// each computed from the same start, and with longer blocks they overshoot
// (on the tests' toy corpus, skip-gram's cat-dog cosine fell from 0.9997 to
// 0.35 with 10,000-word blocks; on the addresses, 2,000-word blocks cost
// 0.04 to 0.1 of WordSim-353 rho and 4,000-word blocks diverge).
#ifndef FFNN_CH05_WORD2VEC_H_
#define FFNN_CH05_WORD2VEC_H_

#include <cstdint>
#include <cstdio>
#include <functional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace ffnn::ch05 {

inline constexpr std::size_t kBlockWords = 1000;
inline constexpr std::size_t kRoundBlocks = 4;

// word2vec.c's names and defaults (alpha: 0.025 for skip-gram, 0.05 for
// CBOW when not given).
struct W2vConfig {
  bool cbow = false;
  std::size_t size = 100;    // d
  std::size_t window = 5;    // the largest window; each position draws 1..5
  std::size_t negative = 5;  // k noise words per observed pair (0: none)
  // Hierarchical softmax: the center word's path in the Huffman tree as a
  // second output layer (alone with negative = 0).
  bool hs = false;
  double sample = 1e-3;  // subsampling threshold t (0: off)
  int iter = 5;          // epochs
  double alpha = 0;      // starting learning rate; 0: the default
  int threads = 1;
  std::uint64_t seed = 1;
  // Unsynchronized (Hogwild) training, as word2vec.c, gensim and fastText
  // do it: faster to start, but the vectors then depend on the thread count
  // and the timing.
  bool hogwild = false;
  double Alpha() const { return alpha > 0 ? alpha : (cbow ? 0.05 : 0.025); }
};

struct W2vModel {
  std::size_t V = 0, d = 0;
  std::vector<float> in;     // (V, d): the word vectors (word2vec.c's syn0)
  std::vector<float> out;    // (V, d): the output vectors (syn1neg); empty
                             // without negative sampling
  std::vector<float> nodes;  // (V - 1, d): the tree's inner nodes (syn1),
                             // with hs
};

// The word vectors training starts from (V, d), as word2vec.c draws them:
// uniform in [-0.5/d, 0.5/d), from the seed alone; the output vectors start
// at 0.
std::vector<float> InitialInputVectors(std::size_t V, std::size_t d,
                                       std::uint64_t seed);

// Trains on sentences of ids in [0, counts.size()); counts[w] is w's
// frequency in the training text (the noise distribution and subsampling
// use it). Progress (words/s, learning rate, loss, ETA) goes to `progress`
// if not null; on_epoch, if set, sees the model after every epoch with the
// epoch's mean loss per (word, context) pair and the number of pairs (no
// loss exists, and 0 is passed, when subsampling left no pair in an
// epoch). Throws std::invalid_argument on bad ids or settings (naming the
// setting) and when no pair at all was trained (the vectors would be their
// random start), chapters::TrainingDiverged if the loss stops being finite
// (naming the epoch and the learning rate).
using EpochCallback = std::function<void(int epoch, const W2vModel& model,
                                         double loss, std::size_t pairs)>;
// The bytes TrainWord2Vec allocates for these sentences, V words and
// settings, known before it allocates them: the (V, d) tables (and the
// (V - 1, d) node table with hs; its per-block copies are counted at V - 1
// rows, as the tree is not known here), and for
// each block it runs at once its private copies of the rows it can touch (at
// most min(V, words of the largest block) input rows and min(V, (1 +
// negative) x those words) output rows: with blocks of about kBlockWords
// words that is far below V) and its drawn random numbers (a word, its
// window, its row and its 1 + negative context words per position), who
// touches which row in a round, the noise and subsampling tables. Throws as
// TrainWord2Vec does for bad ids or settings.
std::uint64_t Word2VecBytes(
    const std::vector<std::vector<std::int32_t>>& sentences, std::size_t V,
    const W2vConfig& config);

W2vModel TrainWord2Vec(const std::vector<std::vector<std::int32_t>>& sentences,
                       std::span<const std::int64_t> counts,
                       const W2vConfig& config, std::FILE* progress,
                       const EpochCallback& on_epoch = {});

}  // namespace ffnn::ch05

#endif  // FFNN_CH05_WORD2VEC_H_
