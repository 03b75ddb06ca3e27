#include "chapters/04_neural_lm/nplm.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <string_view>
#include <unordered_map>

#include "chapters/common/random.h"
#include "kernels/activations.h"
#include "kernels/blas.h"
#include "kernels/embedding.h"
#include "kernels/exercise.h"  // the student pack's stubs
#include "kernels/gemm.h"
#include "kernels/softmax.h"

namespace ffnn::ch04 {
namespace k = ffnn::kernels;

template <class T>
NplmParams<T>::NplmParams(const NplmShape& s)
    : shape(s),
      C(s.vocab * s.dim),
      W(s.hidden * s.In()),
      b(s.hidden),
      U(s.vocab * s.hidden),
      c(s.vocab),
      D(s.direct ? s.vocab * s.In() : 0) {}

template <class T>
std::vector<typename NplmParams<T>::Block> NplmParams<T>::Blocks() {
  std::vector<Block> blocks = {
      {"C", C}, {"W", W}, {"b", b}, {"U", U}, {"c", c}};
  if (shape.direct) blocks.push_back({"D", D});
  return blocks;
}

template <class T>
std::size_t NplmParams<T>::Size() const {
  return C.size() + W.size() + b.size() + U.size() + c.size() + D.size();
}

template <class T>
std::vector<T> NplmParams<T>::Flat() const {
  std::vector<T> v;
  v.reserve(Size());
  for (const std::vector<T>* blk : {&C, &W, &b, &U, &c, &D}) {
    v.insert(v.end(), blk->begin(), blk->end());  // D is empty if unused
  }
  return v;
}

template <class T>
void NplmParams<T>::Assign(std::span<const T> values) {
  if (values.size() != Size()) {
    throw std::invalid_argument(
        "NplmParams::Assign: " + std::to_string(values.size()) +
        " values for " + std::to_string(Size()) + " parameters");
  }
  std::size_t at = 0;
  for (auto& blk : Blocks()) {
    std::copy(values.begin() + at, values.begin() + at + blk.values.size(),
              blk.values.begin());
    at += blk.values.size();
  }
}

template <class T>
void NplmParams<T>::SetZero() {
  for (auto& blk : Blocks())
    std::fill(blk.values.begin(), blk.values.end(), T(0));
}

template <class T>
void Initialize(NplmParams<T>& p, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto uniform = [&](std::vector<T>& v, double r) {
    std::uniform_real_distribution<double> u(-r, r);
    for (T& x : v) x = static_cast<T>(u(rng));
  };
  uniform(p.C, 0.1);
  uniform(p.W, 1.0 / std::sqrt(double(p.shape.In())));
  uniform(p.U, 1.0 / std::sqrt(double(p.shape.hidden)));
  if (p.shape.direct) uniform(p.D, 1.0 / std::sqrt(double(p.shape.In())));
  std::fill(p.b.begin(), p.b.end(), T(0));
  std::fill(p.c.begin(), p.c.end(), T(0));
}

std::size_t InitializeEmbeddings(NplmParams<float>& p,
                                 const std::vector<std::string>& words,
                                 const chapters::WordVectors& vectors) {
  const std::size_t d = p.shape.dim;
  if (vectors.dim != d) {
    throw std::invalid_argument(
        "the word vectors have " + std::to_string(vectors.dim) +
        " dimensions, the model's embeddings " + std::to_string(d));
  }
  std::unordered_map<std::string_view, std::size_t> row;
  for (std::size_t i = 0; i < vectors.words.size(); ++i) {
    row.emplace(vectors.words[i], i);
  }
  std::size_t copied = 0;
  for (std::size_t w = 0; w < words.size() && w < p.shape.vocab; ++w) {
    const auto it = row.find(words[w]);
    if (it == row.end()) continue;
    std::copy_n(vectors.values.begin() + it->second * d, d,
                p.C.begin() + w * d);
    ++copied;
  }
  return copied;
}

template <class T>
void DropoutMask(double p, std::uint64_t seed, std::uint64_t step,
                 std::size_t count, std::vector<T>& keep) {
  if (!(p >= 0 && p < 1)) {
    throw std::invalid_argument("DropoutMask: rate must be in [0, 1)");
  }
  keep.resize(count);
  const T kept = static_cast<T>(1 / (1 - p));
  // Element i is dropped when the i-th number of the stream keyed by
  // (seed, step) falls below p.
  chapters::SplitMix64 rng(seed * 0x9E3779B97F4A7C15ull ^
                           (step + 1) * 0xD1B54A32D192ED03ull);
  for (std::size_t i = 0; i < count; ++i) {
    keep[i] = rng.Uniform() < p ? T(0) : kept;
  }
}

namespace {
using Clock = std::chrono::steady_clock;
double Since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// A forward-backward pass's time in the trainer's statistics: every pass
// adds to the total, a backward one also its 6 B V h flops of the three
// products with U.
void CountStep(StepTimes& times, double seconds, bool backward, std::size_t B,
               const NplmShape& s) {
  times.total += seconds;
  if (!backward) return;
  times.calls += 1;
  times.output_flops += 6.0 * double(B) * double(s.vocab) * double(s.hidden);
}

// The forward pass of a batch of B contexts, one step at a time; the
// shapes are those of nplm.h.
void CheckContexts(const NplmShape& s, std::span<const std::int32_t> contexts,
                   std::size_t B) {
  if (contexts.size() != B * s.context) {
    throw std::invalid_argument(
        "ForwardBackward: " + std::to_string(contexts.size()) +
        " context ids for " + std::to_string(B) + " examples of " +
        std::to_string(s.context) + " words");
  }
}

//! [nplm_forward]
// X = [C x_{t-n}; ...; C x_{t-1}]: (B, n d), one gather per context
// position into its d columns of X.
template <class T>
void Embed(const NplmParams<T>& p, std::span<const std::int32_t> contexts,
           std::size_t B, NplmWorkspace<T>& ws) {
  const std::size_t n = p.shape.context, d = p.shape.dim, in = p.shape.In();
  const k::ConstMatView<T> C(p.C.data(), p.shape.vocab, d);
  ws.X.resize(B * in);
  ws.column.resize(B);
  for (std::size_t j = 0; j < n; ++j) {
    for (std::size_t i = 0; i < B; ++i) ws.column[i] = contexts[i * n + j];
    k::EmbeddingGather(C, ws.column,
                       k::MatView<T>(ws.X.data() + j * d, B, d, in));
  }
}

// H = tanh(X W^T + b): (B, h); with dropout (training only) the output
// layer sees Hd = H * keep.
template <class T>
void Hidden(const NplmParams<T>& p, std::size_t B, NplmWorkspace<T>& ws,
            int threads) {
  const std::size_t in = p.shape.In(), h = p.shape.hidden;
  ws.H.resize(B * h);
  // Exercise 4.2: the NPLM's hidden layer (2 points).
  // Slide: Jurafsky & Martin, Neural Networks and Neural Language Models,
  //   slide 'Feedforward Neural Language Modeling' (the equations of a
  //   model with a window of 3).
  // Formula: H = tanh(X W^T + b), b added to every row (J&M's
  //   h = sigma(W e + b) with tanh for sigma, Bengio et al.'s choice).
  // Shapes: X = ws.X: (B, n d), W = p.W: (h, n d), b = p.b: (h),
  //   H = ws.H: (B, h), all row-major (ws.H is already sized).
  // Builds on: nothing (X comes from the lookup table, ready in ws.X).
  // BEGIN SOLUTION ch04.2.hidden
  k::Gemm(T(1), k::ConstMatView<T>(ws.X.data(), B, in), k::Trans::kNo,
          k::ConstMatView<T>(p.W.data(), h, in), k::Trans::kYes, T(0),
          k::MatView<T>(ws.H.data(), B, h), threads);
  for (std::size_t i = 0; i < B; ++i) {
    const std::span<T> row(ws.H.data() + i * h, h);
    k::Add(std::span<const T>(row), std::span<const T>(p.b), row);
  }
  k::Tanh(std::span<const T>(ws.H), std::span<T>(ws.H));
  // END SOLUTION
  if (ws.keep.empty()) return;
  if (ws.keep.size() != B * h) {
    throw std::invalid_argument("Forward: dropout mask of the wrong size");
  }
  ws.Hd.resize(B * h);
  k::Hadamard(std::span<const T>(ws.H), std::span<const T>(ws.keep),
              std::span<T>(ws.Hd));
}
//! [nplm_forward]

//! [nplm_logits]
// The hidden layer as the output layer sees it (after dropout): (B, h).
template <class T>
k::ConstMatView<T> HiddenOut(const NplmWorkspace<T>& ws, std::size_t B,
                             std::size_t h) {
  return k::ConstMatView<T>(ws.keep.empty() ? ws.H.data() : ws.Hd.data(), B, h);
}

// Z = Hout U^T + c (+ X D^T): the (B, V) logits, the model's big product.
template <class T>
void Logits(const NplmParams<T>& p, std::size_t B, NplmWorkspace<T>& ws,
            int threads) {
  const NplmShape& s = p.shape;
  const std::size_t in = s.In(), h = s.hidden, V = s.vocab;
  ws.Z.resize(B * V);
  const k::MatView<T> Z(ws.Z.data(), B, V);
  const auto t0 = Clock::now();
  k::Gemm(T(1), HiddenOut(ws, B, h), k::Trans::kNo,
          k::ConstMatView<T>(p.U.data(), V, h), k::Trans::kYes, T(0), Z,
          threads);
  if (ws.times) ws.times->output_gemms += Since(t0);
  if (s.direct) {
    k::Gemm(T(1), k::ConstMatView<T>(ws.X.data(), B, in), k::Trans::kNo,
            k::ConstMatView<T>(p.D.data(), V, in), k::Trans::kYes, T(1), Z,
            threads);
  }
  for (std::size_t i = 0; i < B; ++i) {
    const std::span<T> row(ws.Z.data() + i * V, V);
    k::Add(std::span<const T>(row), std::span<const T>(p.c), row);
  }
}
//! [nplm_logits]

}  // namespace

template <class T>
void Forward(const NplmParams<T>& p, std::span<const std::int32_t> contexts,
             std::size_t B, NplmWorkspace<T>& ws, int threads) {
  CheckContexts(p.shape, contexts, B);
  Embed(p, contexts, B, ws);
  Hidden(p, B, ws, threads);
  Logits(p, B, ws, threads);
}

namespace {

//! [nplm_backward_output]
// From G = softmax(Z) - Y (B, V), for the mean loss (alpha = 1 / B):
// dU = G^T Hout / B, dc = G^T 1 / B, and dH = G U / B (then * keep).
template <class T>
void OutputGradients(const NplmParams<T>& p, std::size_t B,
                     NplmWorkspace<T>& ws, NplmParams<T>& grad, int threads) {
  const std::size_t h = p.shape.hidden, V = p.shape.vocab;
  const T alpha = T(1) / static_cast<T>(B);
  const k::ConstMatView<T> G(ws.Z.data(), B, V);
  ws.dH.resize(B * h);
  const auto t0 = Clock::now();
  k::Gemm(alpha, G, k::Trans::kYes, HiddenOut(ws, B, h), k::Trans::kNo, T(0),
          k::MatView<T>(grad.U.data(), V, h), threads);
  k::Gemm(alpha, G, k::Trans::kNo, k::ConstMatView<T>(p.U.data(), V, h),
          k::Trans::kNo, T(0), k::MatView<T>(ws.dH.data(), B, h), threads);
  if (ws.times) ws.times->output_gemms += Since(t0);
  const std::vector<T> ones(B, T(1));
  k::Gemv(alpha, G, k::Trans::kYes, std::span<const T>(ones), T(0),
          std::span<T>(grad.c));
  if (!ws.keep.empty()) {
    k::Hadamard(std::span<const T>(ws.dH), std::span<const T>(ws.keep),
                std::span<T>(ws.dH));
  }
}

//! [nplm_backward_output]

//! [nplm_backward_hidden]
// dA = dH (1 - H^2), with H before dropout; dW = dA^T X, db = dA^T 1,
// dX = dA W (+ G D / B; dD = G^T X / B).
template <class T>
void HiddenGradients(const NplmParams<T>& p, std::size_t B,
                     NplmWorkspace<T>& ws, NplmParams<T>& grad, int threads) {
  const std::size_t in = p.shape.In(), h = p.shape.hidden, V = p.shape.vocab;
  const k::ConstMatView<T> X(ws.X.data(), B, in);
  ws.dX.resize(B * in);
  const k::MatView<T> dX(ws.dX.data(), B, in);
  // Exercise 4.3: the NPLM's hidden layer, backward (3 points).
  // Slide: DL4NLP, 2. Neural Networks, slide 'The Algorithm: Backward
  //   Pass' (g (.) f', then the weights' gradient), applied to tanh.
  // Formula: from dH = dJ/dH (ws.dH, dropout already applied):
  //   dA = dH (.) (1 - H^2) (tanh' from the saved H = ws.H), then
  //   dW = dA^T X, db = dA^T 1 (the sum of dA's rows), dX = dA W.
  // Shapes: dH, H, dA: (B, h); X: (B, n d); dW = grad.W: (h, n d);
  //   db = grad.b: (h); dX = ws.dX: (B, n d), already sized. Overwrite
  //   grad.W, grad.b and ws.dX (they hold the previous batch's values);
  //   dH already includes the 1/B of the mean loss.
  // Builds on: 4.2 (the forward pass it differentiates).
  // BEGIN SOLUTION ch04.3.hidden_backward
  k::TanhBackward(std::span<const T>(ws.dH), std::span<const T>(ws.H),
                  std::span<T>(ws.dH));
  const k::ConstMatView<T> dA(ws.dH.data(), B, h);
  const std::vector<T> ones(B, T(1));
  k::Gemm(T(1), dA, k::Trans::kYes, X, k::Trans::kNo, T(0),
          k::MatView<T>(grad.W.data(), h, in), threads);
  k::Gemv(T(1), dA, k::Trans::kYes, std::span<const T>(ones), T(0),
          std::span<T>(grad.b));
  k::Gemm(T(1), dA, k::Trans::kNo, k::ConstMatView<T>(p.W.data(), h, in),
          k::Trans::kNo, T(0), dX, threads);
  // END SOLUTION
  if (!p.shape.direct) return;
  const T alpha = T(1) / static_cast<T>(B);
  const k::ConstMatView<T> G(ws.Z.data(), B, V);
  k::Gemm(alpha, G, k::Trans::kYes, X, k::Trans::kNo, T(0),
          k::MatView<T>(grad.D.data(), V, in), threads);
  k::Gemm(alpha, G, k::Trans::kNo, k::ConstMatView<T>(p.D.data(), V, in),
          k::Trans::kNo, T(1), dX, threads);
}
//! [nplm_backward_hidden]

//! [nplm_backward_embeddings]
// dC: each position's d columns of dX added into the rows it came from.
template <class T>
void EmbeddingGradients(const NplmParams<T>& p,
                        std::span<const std::int32_t> contexts, std::size_t B,
                        NplmWorkspace<T>& ws, NplmParams<T>& grad) {
  const std::size_t n = p.shape.context, d = p.shape.dim, in = p.shape.In();
  std::fill(grad.C.begin(), grad.C.end(), T(0));
  // Exercise 4.4: the lookup table's gradient, a scatter-add (2 points).
  // Slide: LMU, Feedforward Neural Networks and Word Embeddings, slide
  //   'Weight training' ("Modify C, U and V with error back propagation");
  //   no deck shows the scatter-add itself.
  // Formula: X's row i is [C x_{i,1}; ...; C x_{i,n}], so for every
  //   example i and position j, dC[contexts[i n + j]] += dX[i, j d .. j d
  //   + d): a word that occurs twice gets both contributions added.
  // Shapes: dX = ws.dX: (B, n d); contexts: (B n), oldest word first;
  //   dC = grad.C: (V, d), zeroed above.
  // Builds on: 4.3 (dX).
  // BEGIN SOLUTION ch04.4.scatter_add
  for (std::size_t j = 0; j < n; ++j) {
    for (std::size_t i = 0; i < B; ++i) ws.column[i] = contexts[i * n + j];
    k::EmbeddingScatterAdd(
        T(1), k::ConstMatView<T>(ws.dX.data() + j * d, B, d, in), ws.column,
        k::MatView<T>(grad.C.data(), p.shape.vocab, d));
  }
  // END SOLUTION
}
//! [nplm_backward_embeddings]

}  // namespace

//! [nplm_forward_backward]
template <class T>
double ForwardBackward(const NplmParams<T>& p,
                       std::span<const std::int32_t> contexts,
                       std::span<const std::int32_t> targets,
                       NplmParams<T>* grad, NplmWorkspace<T>& ws, int threads) {
  const std::size_t B = targets.size(), V = p.shape.vocab;
  const auto start = Clock::now();
  Forward(p, contexts, B, ws, threads);
  // Z <- softmax(Z) - Y, the gradient of the summed loss.
  const auto t0 = Clock::now();
  const k::MatView<T> Z(ws.Z.data(), B, V);
  const double loss =
      k::SoftmaxCrossEntropy(k::ConstMatView<T>(Z), targets, Z, threads);
  if (ws.times) ws.times->softmax += Since(t0);
  if (grad != nullptr) {
    OutputGradients(p, B, ws, *grad, threads);
    HiddenGradients(p, B, ws, *grad, threads);
    EmbeddingGradients(p, contexts, B, ws, *grad);
  }
  if (ws.times) CountStep(*ws.times, Since(start), grad != nullptr, B, p.shape);
  return loss;
}
//! [nplm_forward_backward]

template <class T>
void LogProbs(const NplmParams<T>& p, std::span<const std::int32_t> contexts,
              std::span<const std::int32_t> targets, NplmWorkspace<T>& ws,
              std::span<double> log_probs, int threads) {
  const std::size_t B = targets.size(), V = p.shape.vocab;
  Forward(p, contexts, B, ws, threads);
  // One row at a time through the fused kernel: its loss is -log p.
  for (std::size_t i = 0; i < B; ++i) {
    const k::MatView<T> row(ws.Z.data() + i * V, 1, V);
    log_probs[i] = -double(k::SoftmaxCrossEntropy(k::ConstMatView<T>(row),
                                                  targets.subspan(i, 1), row));
  }
}

template struct NplmParams<float>;
template struct NplmParams<double>;
template void Initialize(NplmParams<float>&, std::uint64_t);
template void Initialize(NplmParams<double>&, std::uint64_t);
template double ForwardBackward(const NplmParams<float>&,
                                std::span<const std::int32_t>,
                                std::span<const std::int32_t>,
                                NplmParams<float>*, NplmWorkspace<float>&, int);
template double ForwardBackward(const NplmParams<double>&,
                                std::span<const std::int32_t>,
                                std::span<const std::int32_t>,
                                NplmParams<double>*, NplmWorkspace<double>&,
                                int);
template void DropoutMask(double, std::uint64_t, std::uint64_t, std::size_t,
                          std::vector<float>&);
template void DropoutMask(double, std::uint64_t, std::uint64_t, std::size_t,
                          std::vector<double>&);
template void Forward(const NplmParams<float>&, std::span<const std::int32_t>,
                      std::size_t, NplmWorkspace<float>&, int);
template void LogProbs(const NplmParams<float>&, std::span<const std::int32_t>,
                       std::span<const std::int32_t>, NplmWorkspace<float>&,
                       std::span<double>, int);

}  // namespace ffnn::ch04
