// What each nplm subcommand computes, apart from parsing its options and
// printing its results: the tool's main only parses and calls these.
#ifndef FFNN_CH04_COMMANDS_H_
#define FFNN_CH04_COMMANDS_H_

#include <cstdint>
#include <cstdio>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "chapters/04_neural_lm/lm_corpus.h"
#include "chapters/04_neural_lm/mixture.h"
#include "chapters/04_neural_lm/nplm.h"
#include "chapters/04_neural_lm/train.h"

namespace ffnn::ch04 {

// The words of a vocabulary in id order (words[i] is id i).
std::vector<std::string> Words(const Vocabulary& vocab);

// ---- kn ---------------------------------------------------------------------

struct Perplexities {
  double valid = 0, test = 0;
};

// Kneser-Ney of `order` counted on the training split, scored on the
// validation and test splits (the tokens every model scores).
Perplexities KnPerplexities(const LmCorpus& corpus, int order);

// ---- eval -------------------------------------------------------------------

struct Evaluation {
  Perplexities nplm;
  std::optional<Mixture> mix;  // with Kneser-Ney, when an order was given
};

// The model's validation and test perplexity and, for mix_order 2 to 5
// (0: none), its interpolation with Kneser-Ney of that order. Throws
// std::runtime_error "<model_path>: ..." when a perplexity is not finite.
Evaluation EvaluateModel(const NplmParams<float>& p, const LmCorpus& corpus,
                         int mix_order, int threads,
                         const std::string& model_path);

// ---- neighbours, predict, sample
// ----------------------------------------------

// The `top` words of the vocabulary nearest to `word` by the cosine of
// their embeddings, best first. Throws std::runtime_error when the word is
// not in the vocabulary (<unk> itself is).
std::vector<std::pair<std::int32_t, double>> NeighboursOf(
    const NplmParams<float>& p, const Vocabulary& vocab,
    const std::string& word, std::size_t top);

// The word ids of a prompt, through the corpus's own tokenizer.
std::vector<std::int32_t> PromptIds(const std::string& text,
                                    const Vocabulary& vocab);

// The Kneser-Ney order `predict` sets beside the NPLM.
inline constexpr int kPredictKnOrder = 5;

// The `top` most probable next words after `context` (ids) by the NPLM and
// by Kneser-Ney (kPredictKnOrder, counted on `train`), each best first as
// (id, probability); at most the vocabulary's words.
struct Prediction {
  std::vector<std::pair<std::int32_t, double>> nplm, kn;
};
Prediction Predict(const NplmParams<float>& p,
                   std::span<const std::int32_t> train,
                   std::span<const std::int32_t> context, std::size_t top);

// The prompt followed by `length` words drawn from the model (Sample): a
// space before each word, a line break for each </s>.
std::string SampleText(const NplmParams<float>& p, const Vocabulary& vocab,
                       const std::string& prompt, std::size_t length,
                       double temperature, std::uint64_t seed);

// ---- train ------------------------------------------------------------------

// A new model of `shape` trained with `config` on a vocabulary of `words`:
// initialized from config.seed, then the embedding rows of the words found
// in init_path (word2vec text; empty: none) copied in; *copied (if not
// null) receives their number.
TrainState NewModel(const NplmShape& shape, const TrainConfig& config,
                    const std::vector<std::string>& words,
                    const std::string& init_path, std::size_t* copied);

// A resumed model to train until `epochs` (the total to reach). Throws
// std::invalid_argument when it has trained that many already.
void ExtendTo(TrainState& state, int epochs, const std::string& path);

// The files an epoch's checkpoint goes to: the model, and MODEL.best too
// when write_best and the epoch just finished is this run's best
// (BestEpoch of the epochs from first_epoch on): a resumed run starts its
// own MODEL.best, never missing and never left from another run.
std::vector<std::string> CheckpointPaths(const TrainState& state,
                                         std::size_t first_epoch,
                                         const std::string& model_path,
                                         bool write_best);

// Trains the state (Train) and writes its checkpoints after every epoch
// (CheckpointPaths, all together or none).
void TrainAndSave(TrainState& state, std::span<const std::int32_t> train,
                  std::span<const std::int32_t> valid, int threads,
                  const std::string& model_path, bool write_best,
                  std::FILE* progress);

// The run's mean speed, tokens over seconds of all its epochs (0 without
// time), and where an epoch's time went, as shares of it.
double MeanTokensPerSecond(std::span<const EpochStats> history);
struct TimeShares {
  double output_gemm = 0, softmax = 0;
  double outside_forward_backward = 0;  // optimizer, clipping, batches
};
TimeShares SharesOf(const EpochStats& epoch);

}  // namespace ffnn::ch04

#endif  // FFNN_CH04_COMMANDS_H_
