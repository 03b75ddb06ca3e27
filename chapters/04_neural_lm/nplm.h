// Bengio's feedforward neural language model on the kernel layer: a batch of
// contexts of n words becomes a matrix of concatenated embeddings, a tanh
// hidden layer, and logits over the vocabulary scored by the fused
// softmax-cross-entropy (J&M "Feedforward Neural Language Modeling"; Bengio
// et al. 2003, with their optional direct input-to-output connections).
//
// Shapes, for a batch of B examples (rows), n context words, embedding
// dimension d, h hidden units and V words:
//   C: (V, d)      the shared lookup table (J&M's E)
//   X: (B, n d)    each row [C x_{t-n}; ...; C x_{t-1}]
//   W: (h, n d), b: (h);   A = X W^T + b, H = tanh(A): (B, h)
//   U: (V, h), c: (V);     Z = H U^T + c (+ X D^T): (B, V)
//   D: (V, n d)    direct connections (optional)
// Templated on the scalar: float trains, double checks the gradients.
#ifndef FFNN_CH04_NPLM_H_
#define FFNN_CH04_NPLM_H_

#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "chapters/common/word_vectors.h"

namespace ffnn::ch04 {

struct NplmShape {
  std::size_t vocab = 0;     // V
  std::size_t context = 3;   // n: words of history
  std::size_t dim = 64;      // d
  std::size_t hidden = 128;  // h
  bool direct = false;       // Bengio's direct connections D
  std::size_t In() const { return context * dim; }
  // The number of parameters (NplmParams::Size() of this shape), known
  // before anything is allocated.
  std::size_t Parameters() const {
    return vocab * dim + hidden * In() + hidden + vocab * hidden + vocab +
           (direct ? vocab * In() : 0);
  }
};

template <class T>
struct NplmParams {
  NplmShape shape;
  std::vector<T> C, W, b, U, c, D;

  explicit NplmParams(const NplmShape& s);
  // Every parameter block, in a fixed order (C, W, b, U, c, D), as a name
  // and a span: for optimizers, checkpoints and gradient checks.
  struct Block {
    const char* name;
    std::span<T> values;
  };
  std::vector<Block> Blocks();
  std::size_t Size() const;
  void SetZero();
  // All parameters as one vector, blocks in the order of Blocks(), and back
  // (values.size() must be Size()): for gradient checks and comparisons.
  std::vector<T> Flat() const;
  void Assign(std::span<const T> values);
};

// Bengio's initialization: weights uniform in +-1/sqrt(fan_in), embeddings
// uniform in +-0.1 (or overwritten later from word2vec vectors), biases 0.
template <class T>
void Initialize(NplmParams<T>& p, std::uint64_t seed);

// Copies the vector of every vocabulary word (words[i] is id i) found in
// `vectors` into row i of the embedding table; the other rows keep their
// initialization. Returns the number of rows copied. Throws
// std::invalid_argument if the dimensions differ.
std::size_t InitializeEmbeddings(NplmParams<float>& p,
                                 const std::vector<std::string>& words,
                                 const chapters::WordVectors& vectors);

// Seconds spent in the parts of ForwardBackward, summed over calls: the
// three products with the V x h output matrix (logits Z = H U^T, dU = G^T H,
// dH = G U), the fused softmax-cross-entropy, and everything else.
struct StepTimes {
  double output_gemms = 0, softmax = 0, total = 0;
  std::size_t calls = 0;
  double output_flops = 0;  // 6 B V h per call
};

// Buffers of one batch, reused from step to step.
template <class T>
struct NplmWorkspace {
  std::vector<T> X, H, Z, dH, dX;
  std::vector<std::int32_t> column;  // ids of one context position
  // Dropout on the hidden layer: B x h multipliers, 0 (dropped) or 1/(1-p)
  // (kept), set by the trainer before each step; empty: no dropout. The
  // output layer then sees Hd = H * keep.
  std::vector<T> keep, Hd;
  StepTimes* times = nullptr;  // if set, ForwardBackward adds its timings
};

// The dropout multipliers of one step: element i is dropped when a hash of
// (seed, step, i) falls below the rate p, so the mask depends on nothing
// else (not the thread count, not whether the run was resumed).
template <class T>
void DropoutMask(double p, std::uint64_t seed, std::uint64_t step,
                 std::size_t count, std::vector<T>& keep);

// Forward pass, loss and (if grad is not null) backward pass for a batch:
// contexts holds B rows of n ids (oldest first), targets B ids. Returns the
// summed negative log-likelihood sum_i -log p(target_i | context_i); grad
// receives the gradient of the MEAN loss (every block overwritten). After
// the call ws.Z holds softmax(z_i) - e_target for each row.
template <class T>
double ForwardBackward(const NplmParams<T>& p,
                       std::span<const std::int32_t> contexts,
                       std::span<const std::int32_t> targets,
                       NplmParams<T>* grad, NplmWorkspace<T>& ws,
                       int threads = 1);

// The forward pass up to the logits: ws.X (B, n d), ws.H (B, h) and ws.Z
// (B, V), for contexts of B rows of n ids.
template <class T>
void Forward(const NplmParams<T>& p, std::span<const std::int32_t> contexts,
             std::size_t B, NplmWorkspace<T>& ws, int threads = 1);

// log p(target_i | context_i) of every example of a batch (forward pass
// only), into log_probs (B).
template <class T>
void LogProbs(const NplmParams<T>& p, std::span<const std::int32_t> contexts,
              std::span<const std::int32_t> targets, NplmWorkspace<T>& ws,
              std::span<double> log_probs, int threads = 1);

}  // namespace ffnn::ch04

#endif  // FFNN_CH04_NPLM_H_
