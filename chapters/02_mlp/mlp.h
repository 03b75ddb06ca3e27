// Chapter 2: feedforward networks on the kernel layer.
//
// Layer i has W[i]: (d_i, d_{i-1}), one row per unit (as the DL4NLP and UCL
// decks write W), a bias b[i]: (d_i) and an activation g[i]. A batch is a
// matrix with one example per row (DL4NLP "Design matrix: One sample per
// row").
#ifndef FFNN_CHAPTERS_02_MLP_MLP_H_
#define FFNN_CHAPTERS_02_MLP_MLP_H_

#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "chapters/common/matrix.h"

namespace ffnn::ch02 {

using chapters::Matrix;
// The activations of the decks; softmax only on the last layer. (The
// Eigen twin in reference/ has its own type: the tests convert.)
enum class Activation { kIdentity, kSigmoid, kTanh, kRelu, kSoftmax };
// "identity", "sigmoid", "tanh", "relu", "softmax"; throws
// std::invalid_argument naming the choices on anything else.
Activation ParseActivation(const std::string& name);
const char* ActivationName(Activation g);
using Vector = std::vector<double>;

struct Layer {
  Matrix W;  // (d_out, d_in)
  Vector b;  // (d_out)
  Activation g;
};

// Everything the forward pass computed, per layer: z[i] and a[i] for
// i = 1..L (index 0 holds the input: a[0] = X, z[0] empty), one row per
// example.
struct Trace {
  std::vector<Matrix> z, a;
  // The network's output a[L]. On a temporary trace (net.Forward(X).output())
  // it is returned by value, so it cannot dangle.
  const Matrix& output() const& { return a.back(); }
  Matrix output() && { return std::move(a.back()); }
};

class Mlp {
 public:
  // Checks that consecutive layers fit (W[i] has as many columns as W[i-1]
  // has rows, b[i] as many entries as W[i] has rows) and that softmax is
  // used only on the last layer; throws std::invalid_argument otherwise.
  explicit Mlp(std::vector<Layer> layers);

  // The forward pass of a batch X: (n, d_0).
  Trace Forward(const Matrix& X) const;

  const std::vector<Layer>& layers() const { return layers_; }
  std::size_t input_dim() const { return layers_.front().W.cols; }
  std::size_t output_dim() const { return layers_.back().W.rows; }

 private:
  std::vector<Layer> layers_;
};

// A network with Glorot-style uniform weights U(-1/sqrt(d_in), 1/sqrt(d_in))
// and zero biases, seeded: widths (d_0, ..., d_L), `hidden` on every layer
// but the last, which applies `out`.
Mlp RandomMlp(const std::vector<std::size_t>& widths, Activation hidden,
              Activation out, std::uint64_t seed);

// UCL "Are nonlinear activation functions necessary?": a network whose
// layers all have the identity activation is one layer, W' = W_L ... W_1
// and b' = W_L (... (W_2 b_1 + b_2) ...) + b_L. Throws
// std::invalid_argument if any layer has another activation.
Mlp CollapseLinear(const Mlp& net);

// a = g(z) row by row, on the kernels (softmax normalizes each row).
Matrix Apply(Activation g, const Matrix& z);

// Losses of one prediction yhat against a target y (both (c)), with the
// logarithm to a given base (e by default):
//   cross-entropy       -sum_k y_k log yhat_k
//   summed binary CE    -sum_k [y_k log yhat_k + (1 - y_k) log(1 - yhat_k)]
// (the DL4NLP deck's "cross-entropy considering also negative samples").
double CrossEntropy(std::span<const double> yhat, std::span<const double> y,
                    double log_base = 0);
double SummedBinaryCrossEntropy(std::span<const double> yhat,
                                std::span<const double> y, double log_base = 0);

// The networks of the slides.
Mlp XnorNetwork();       // LMU "Function Composition"
Mlp XorReluNetwork();    // DL4NLP / J&M XOR with ReLU
Mlp IrisSlideNetwork();  // DL4NLP "Walk-Through Example: Forward Pass"

// v rounded half up to `decimals` decimals, as a slide prints it. A decimal
// tie such as 0.245 is stored as 0.24499999999999999..., so the rounding is
// nudged by 1e-9 to round it up as the slide does.
double RoundTo(double v, int decimals);

// The DL4NLP Iris walk-through's loss J ("Walk-Through Example: Forward
// Pass") as the slide computes it, from a forward trace of one example: the
// output yhat as the slide prints it, to 2 decimals, then the binary
// cross-entropy summed over the classes with log base 10. The slide truncates
// some printed values where it should round; `truncated` lists the classes
// whose yhat is truncated instead (empty: rounded as printing should).
double DeckIrisLoss(const Trace& t, std::span<const double> y,
                    std::span<const std::size_t> truncated = {});

// The index of the largest entry: the predicted class of a row.
std::size_t Argmax(std::span<const double> row);

}  // namespace ffnn::ch02

#endif  // FFNN_CHAPTERS_02_MLP_MLP_H_
