// Training and evaluating the NPLM: minibatches of (context, next word)
// examples from the training stream, Adam or SGD with learning-rate decay,
// gradient clipping, a progress line, validation perplexity after every
// epoch and early stopping; the tool writes a checkpoint after every epoch
// (checkpoint.h), from which --resume continues exactly.
//
// Determinism: the examples of epoch e are shuffled by a generator seeded
// with (seed, e), and every kernel is bit-identical for any thread count, so
// the same seed gives the same numbers for any --threads, and a resumed run
// the same numbers as an uninterrupted one.
#ifndef FFNN_CH04_TRAIN_H_
#define FFNN_CH04_TRAIN_H_

#include <cstdint>
#include <cstdio>
#include <functional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "chapters/04_neural_lm/nplm.h"

namespace ffnn::ch04 {

// Perplexity is scored on every token of a split but its first four, which
// only give context: every model up to 5-grams scores the same targets.
inline constexpr std::size_t kContextTokens = 4;

struct TrainConfig {
  std::size_t batch = 128;
  std::string optimizer = "adam";  // "adam" or "sgd"
  double lr = 1e-3;
  double lr_decay = 0;             // lr_t = lr / (1 + lr_decay t), t the step
  double clip = 5.0;               // max global gradient norm; 0: no clipping
  bool freeze_embeddings = false;  // J&M's "freeze": C is not updated
  double dropout = 0;       // rate p of dropping each hidden unit in training
  double weight_decay = 0;  // decoupled (AdamW): W, U, D *= 1 - lr wd a step
  int epochs = 1;           // total epochs to reach
  int patience = 0;         // stop after this many epochs without a better
                            // validation perplexity; 0: never stop early
  std::uint64_t seed = 1;
};

struct EpochStats {
  int epoch = 0;
  double train_ppl = 0, valid_ppl = 0, seconds = 0, tokens_per_s = 0;
  // Where the training steps' time went: the three products with U, the
  // softmax-cross-entropy, and whole forward-backward passes (seconds);
  // the optimizer and batch filling make up the rest of `seconds`.
  double output_gemm_s = 0, softmax_s = 0, forward_backward_s = 0;
  double output_gflops = 0;  // of the three products with U
};

// Everything a checkpoint holds.
struct TrainState {
  TrainConfig config;
  NplmParams<float> params;
  NplmParams<float> adam_m, adam_v;  // Adam's moments (zero for SGD)
  std::uint64_t step = 0;            // optimizer steps taken
  std::uint64_t vocab_hash = 0;      // of the vocabulary's words
  std::vector<EpochStats> history;   // one per finished epoch
  explicit TrainState(const NplmShape& s) : params(s), adam_m(s), adam_v(s) {}
};

// The summed negative log-likelihood and the number of scored tokens of a
// stream (targets stream[i], i >= kContextTokens, with the n words before).
// Perplexity() = exp(nll / tokens) exists only where a token was scored:
// with none it throws NothingToScore (a perplexity of 0 or NaN printed
// with success would be an impossible result).
struct NothingToScore : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};
struct Score {
  double nll = 0;
  std::size_t tokens = 0;
  double Perplexity() const;
};

// The tokens of a stream a model of context n scores: those after the
// first max(kContextTokens, n).
std::size_t ScoredTokens(std::size_t stream_tokens, std::size_t n);

// Throws NothingToScore "<what>: ..." naming the stream's length and the
// length needed, when ScoredTokens is 0. The tools call it on every split
// they score before any work.
void RequireScoredTokens(std::span<const std::int32_t> stream, std::size_t n,
                         const std::string& what);
Score Evaluate(const NplmParams<float>& p, std::span<const std::int32_t> stream,
               int threads);

// score.Perplexity(), or std::runtime_error "<what>: ..." when it is not
// finite: a model whose parameters are large enough to overflow the float
// logits (a corrupt or diverged file), so that no tool prints an infinite
// perplexity with success (found by fuzz_lm_checkpoint).
double FinitePerplexity(const Score& score, const std::string& what);

// log p(stream[i] | the n words before) for every scored i >= kContextTokens
// (the same tokens Evaluate scores), in order.
std::vector<double> TokenLogProbs(const NplmParams<float>& p,
                                  std::span<const std::int32_t> stream,
                                  int threads);

// The bytes Train and its checkpoints need beyond the corpus, known before
// anything is allocated: the parameters with their gradient and Adam's two
// moments, one minibatch's activations (batch, or the examples if fewer)
// and an evaluation batch, and the shuffled order of the training examples.
std::uint64_t TrainingBytes(const NplmShape& shape, std::size_t batch,
                            std::size_t train_tokens);

// The epoch of lowest validation perplexity among history[first, end),
// as an index; ties go to the earliest, since an equal perplexity is no
// improvement. The one rule of "best": early stopping counts the epochs
// since BestEpoch(history), and nplm writes MODEL.best when the epoch just
// finished is BestEpoch(history, first epoch of this run). Throws
// std::invalid_argument when the range is empty.
std::size_t BestEpoch(std::span<const EpochStats> history,
                      std::size_t first = 0);

// Whether training stops: `patience` epochs (> 0) have passed since
// BestEpoch(history).
bool StopEarly(std::span<const EpochStats> history, int patience);

// One optimizer step from the gradient grad (of the mean loss) at the
// learning rate lr: the gradient's global norm clipped to config.clip
// (grad is scaled in place), decoupled weight decay of W, U and D, then
// Adam or SGD; C stays as it is with freeze_embeddings. Counts state.step.
void OptimizerStep(TrainState& state, NplmParams<float>& grad, double lr,
                   int threads);

// Trains from state (a fresh or a resumed one) until config.epochs; calls
// on_epoch after each epoch (the tool writes the checkpoint there). Progress
// goes to `progress` (null: silent). Throws chapters::TrainingDiverged
// when the loss stops being a number or explodes. Throws NothingToScore, before
// any step, if the training stream holds no example or the validation stream no
// scored token.
void Train(TrainState& state, std::span<const std::int32_t> train,
           std::span<const std::int32_t> valid, int threads,
           const std::function<void(const TrainState&)>& on_epoch,
           std::FILE* progress);

}  // namespace ffnn::ch04

#endif  // FFNN_CH04_TRAIN_H_
