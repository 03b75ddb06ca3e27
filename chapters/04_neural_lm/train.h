// Training and evaluating the NPLM: minibatches of (context, next word)
// examples from the training stream, Adam or SGD with learning-rate decay,
// gradient clipping, a progress line, validation perplexity after every
// epoch, and a checkpoint (model and optimizer state) written atomically
// after every epoch, from which --resume continues exactly.
//
// Determinism: the examples of epoch e are shuffled by a generator seeded
// with (seed, e), and every kernel is bit-identical for any thread count, so
// the same seed gives the same numbers for any --threads, and a resumed run
// the same numbers as an uninterrupted one.
#ifndef FFNN_CH04_TRAIN_H_
#define FFNN_CH04_TRAIN_H_

#include <cstdint>
#include <functional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "chapters/04_neural_lm/nplm.h"
#include "chapters/common/memory.h"
#include "chapters/common/word_vectors.h"

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

// Thrown when the loss becomes non-finite or explodes; what() names the
// step, the epoch and the learning rate.
struct Diverged : std::runtime_error {
  using std::runtime_error::runtime_error;
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

// Refuses (std::runtime_error "<what>: ...") a model whose forward pass can
// overflow float arithmetic for some context: bounds on every hidden
// preactivation (|b_j| + sum_i |W_ji| max|C|) and logit (|c_v| + sum_j
// |U_vj| + sum_i |D_vi| max|C|, as |tanh| <= 1), with room for the
// rounding of the float sums, must stay finite, and the logits' spread too
// (the softmax subtracts the largest). A model that passes scores every
// context with a finite loss, so eval, predict, sample and neighbours all
// refuse the same models. LoadCheckpoint calls it.
void CheckForwardPass(const NplmParams<float>& p, const std::string& what);

// log p(stream[i] | the n words before) for every scored i >= kContextTokens
// (the same tokens Evaluate scores), in order.
std::vector<double> TokenLogProbs(const NplmParams<float>& p,
                                  std::span<const std::int32_t> stream,
                                  int threads);

// Interpolation with another model's per-token probabilities q:
// p = lambda p_nplm + (1 - lambda) q. Returns the perplexity for lambda.
double MixedPerplexity(std::span<const double> log_p_nplm,
                       std::span<const double> q, double lambda);

// The lambda in {0, 0.01, ..., 1} of lowest mixed perplexity.
double TuneLambda(std::span<const double> log_p_nplm,
                  std::span<const double> q);

// The NPLM interpolated with another model (Kneser-Ney), given that model's
// per-token probabilities of the scored tokens of the validation and test
// streams: lambda tuned on validation, every perplexity on both.
struct Mixture {
  double lambda = 0;
  double nplm_valid_ppl = 0, nplm_test_ppl = 0;  // lambda = 1
  double other_valid_ppl = 0, other_test_ppl = 0;
  double mix_valid_ppl = 0, mix_test_ppl = 0;
};
Mixture Interpolate(const NplmParams<float>& p,
                    std::span<const std::int32_t> valid,
                    std::span<const std::int32_t> test,
                    std::span<const double> other_valid,
                    std::span<const double> other_test, int threads);

// The bytes Train and its checkpoints need beyond the corpus, known before
// anything is allocated: the parameters with their gradient and Adam's two
// moments, one minibatch's activations (batch, or the examples if fewer)
// and an evaluation batch, and the shuffled order of the training examples.
std::uint64_t TrainingBytes(const NplmShape& shape, std::size_t batch,
                            std::size_t train_tokens);

// Trains from state (a fresh or a resumed one) until config.epochs; calls
// on_epoch after each epoch (the tool writes the checkpoint there). Progress
// goes to `progress` (null: silent). Throws NothingToScore, before any step,
// if the training stream holds no example or the validation stream no
// scored token.
void Train(TrainState& state, std::span<const std::int32_t> train,
           std::span<const std::int32_t> valid, int threads,
           const std::function<void(const TrainState&)>& on_epoch,
           std::FILE* progress);

// Copies the vector of every vocabulary word (words[i] is id i) found in
// `vectors` into row i of the embedding table; the other rows keep their
// initialization. Returns the number of rows copied. Throws
// std::invalid_argument if the dimensions differ.
std::size_t InitializeEmbeddings(NplmParams<float>& p,
                                 const std::vector<std::string>& words,
                                 const chapters::WordVectors& vectors);

// FNV-1a over the words in id order: a checkpoint only loads with the
// vocabulary it was trained on.
std::uint64_t VocabularyHash(const std::vector<std::string>& words);

// Checkpoints: a small binary format ("NPLMCKP3", the shape, the training
// configuration, the history, then the parameter blocks and Adam's moments
// as little-endian floats). Save writes atomically; Load reads at most
// 4 GiB (no device), checks the magic, the shape against the file's length
// before allocating, flag bytes (0 or 1), every value of the history and
// the parameters for finiteness, and that the forward pass cannot overflow
// (CheckForwardPass), and throws std::runtime_error "<path>: <what>"
// otherwise. Load refuses (chapters::MemoryError) a file whose bytes and
// state, twice its size, exceed the budget (default: AvailableMemory()).
// SaveCheckpoints writes the same checkpoint to every path, all together or
// none (the model and MODEL.best).
void SaveCheckpoint(const TrainState& state, const std::string& path);
void SaveCheckpoints(const TrainState& state,
                     const std::vector<std::string>& paths);
TrainState LoadCheckpoint(const std::string& path,
                          const chapters::MemoryBudget* budget = nullptr);

}  // namespace ffnn::ch04

#endif  // FFNN_CH04_TRAIN_H_
