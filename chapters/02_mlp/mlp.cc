#include "chapters/02_mlp/mlp.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>
#include <string>

#include "chapters/common/random.h"
#include "kernels/activations.h"
#include "kernels/blas.h"
#include "kernels/exercise.h"  // the student pack's stubs
#include "kernels/gemm.h"
#include "kernels/softmax.h"

namespace ffnn::ch02 {

Mlp::Mlp(std::vector<Layer> layers) : layers_(std::move(layers)) {
  if (layers_.empty()) throw std::invalid_argument("Mlp: no layers");
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    const Layer& l = layers_[i];
    const std::string name = "layer " + std::to_string(i + 1);
    if (l.W.rows == 0 || l.W.cols == 0) {
      throw std::invalid_argument("Mlp: " + name + " has an empty W " +
                                  l.W.Shape());
    }
    if (l.b.size() != l.W.rows) {
      throw std::invalid_argument("Mlp: " + name + " has W of shape " +
                                  l.W.Shape() +
                                  " but b of "
                                  "shape (" +
                                  std::to_string(l.b.size()) + ")");
    }
    if (i > 0 && l.W.cols != layers_[i - 1].W.rows) {
      throw std::invalid_argument("Mlp: " + name + " has W of shape " +
                                  l.W.Shape() + " but the layer before has " +
                                  std::to_string(layers_[i - 1].W.rows) +
                                  " units");
    }
    if (l.g == Activation::kSoftmax && i + 1 != layers_.size()) {
      throw std::invalid_argument(
          "Mlp: softmax is only allowed on the last "
          "layer, found on " +
          name);
    }
  }
}

Matrix Apply(Activation g, const Matrix& z) {
  Matrix a(z.rows, z.cols);
  switch (g) {
    case Activation::kIdentity:
      a.data = z.data;
      break;
    case Activation::kSigmoid:
      kernels::Sigmoid(z.data, a.data);
      break;
    case Activation::kTanh:
      kernels::Tanh(z.data, a.data);
      break;
    case Activation::kRelu:
      kernels::Relu(z.data, a.data);
      break;
    case Activation::kSoftmax:
      // Exercise 2.3: stable softmax (2 points).
      // Slide: DL4NLP, 2. Neural Networks, slide 'Softmax: a Generalization
      //   of Sigmoid'.
      // Formula: for each row z of Z, a_k = e^(z_k - m) / sum_j e^(z_j - m)
      //   with m = max_j z_j: the same a as e^z_k / sum_j e^z_j, without
      //   overflow (logits of 1000 give finite probabilities).
      // Shapes: Z, A: (n, c), one example per row; each row of A sums to 1.
      // Builds on: nothing.
      // BEGIN SOLUTION ch02.3.softmax
      kernels::Softmax(z.View(), a.View());
      // END SOLUTION
      break;
  }
  return a;
}

//! [forward_loop]
Trace Mlp::Forward(const Matrix& X) const {
  if (X.cols != input_dim()) {
    throw std::invalid_argument("Mlp::Forward: X has shape " + X.Shape() +
                                " but the network takes " +
                                std::to_string(input_dim()) + " inputs");
  }
  Trace t;
  t.a.push_back(X);  // a[0] = x, one example per row: (n, d_0)
  t.z.emplace_back();
  for (const Layer& layer : layers_) {
    const Matrix& a_prev = t.a.back();    // a[i-1]: (n, d_in)
    Matrix z(a_prev.rows, layer.W.rows);  // z[i]: (n, d_out)
    // Exercise 2.1: the forward pass of one layer (2 points).
    // Slide: DL4NLP, 2. Neural Networks, slides 'Multi Layer Notation' and
    //   'Design matrix: One sample per row'.
    // Formula: z[i] = W[i] a[i-1] + b[i], a[i] = g[i](z[i]), for every
    //   example at once: Z = A_prev W^T, then b added to each row; push
    //   a[i] onto t.a (Apply(layer.g, z)) and z[i] onto t.z.
    // Shapes: A_prev: (n, d_in), W: (d_out, d_in), b: (d_out),
    //   Z and a[i]: (n, d_out).
    // Builds on: nothing (Apply's softmax is a later exercise).
    // BEGIN SOLUTION ch02.1.forward
    // Z = A_prev W^T (gemm, W transposed), then b added to each row.
    kernels::Gemm(1.0, a_prev.View(), kernels::Trans::kNo, layer.W.View(),
                  kernels::Trans::kYes, 0.0, z.View());
    for (std::size_t r = 0; r < z.rows; ++r) {
      kernels::Add(z.Row(r), layer.b, z.Row(r));
    }
    t.a.push_back(Apply(layer.g, z));  // a[i] = g[i](z[i])
    t.z.push_back(std::move(z));
    // END SOLUTION
  }
  return t;
}
//! [forward_loop]

namespace {

void CheckPair(const char* what, std::span<const double> yhat,
               std::span<const double> y) {
  if (yhat.size() != y.size() || y.empty()) {
    throw std::invalid_argument(std::string(what) + ": yhat has shape (" +
                                std::to_string(yhat.size()) + ") but y (" +
                                std::to_string(y.size()) + ")");
  }
}

double LogIn(double base) { return base == 0 ? 1.0 : std::log(base); }

}  // namespace

//! [iris_loss]
double CrossEntropy(std::span<const double> yhat, std::span<const double> y,
                    double log_base) {
  CheckPair("CrossEntropy", yhat, y);
  double loss = 0;
  // Exercise 2.4: cross-entropy (1 point).
  // Slide: UCL COMP0087, Introduction to neural networks and
  //   backpropagation, slide 'Cross-entropy loss function'.
  // Formula: L = -sum_k y_k log(yhat_k), in nats; a term with y_k = 0 is
  //   0 even where yhat_k = 0 (0 log 0 = 0). The caller divides by
  //   log(base).
  // Shapes: yhat, y: (c); L: scalar.
  // Builds on: nothing.
  // BEGIN SOLUTION ch02.4.cross_entropy
  for (std::size_t k = 0; k < y.size(); ++k) {
    if (y[k] != 0) loss -= y[k] * std::log(yhat[k]);
  }
  // END SOLUTION
  return loss / LogIn(log_base);
}

double SummedBinaryCrossEntropy(std::span<const double> yhat,
                                std::span<const double> y, double log_base) {
  CheckPair("SummedBinaryCrossEntropy", yhat, y);
  double loss = 0;
  for (std::size_t k = 0; k < y.size(); ++k) {
    if (y[k] != 0) loss -= y[k] * std::log(yhat[k]);
    if (y[k] != 1) loss -= (1 - y[k]) * std::log(1 - yhat[k]);
  }
  return loss / LogIn(log_base);
}
//! [iris_loss]

double RoundTo(double v, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(v * scale + std::copysign(1e-9, v)) / scale;
}

std::size_t Argmax(std::span<const double> row) {
  return static_cast<std::size_t>(std::max_element(row.begin(), row.end()) -
                                  row.begin());
}

//! [xnor_network]
Mlp XnorNetwork() {
  // Exercise 2.2: XNOR by composition (2 points).
  // Slide: LMU, Feedforward Neural Networks and Word Embeddings, slide
  //   'Function Composition'.
  // Formula: XNOR(x1, x2) = OR(AND(x1, x2), NOR(x1, x2)): two sigmoid
  //   hidden units (AND, NOR) and one sigmoid output unit (OR) over them;
  //   choose the weights so that the output is >= 0.99 where XNOR is 1
  //   and <= 0.01 where it is 0.
  // Shapes: W1: (2, 2), b1: (2), W2: (1, 2), b2: (1); Mlp({{W1, b1,
  //   Activation::kSigmoid}, {W2, b2, Activation::kSigmoid}}).
  // Builds on: 2.1 (the forward pass grades it).
  // BEGIN SOLUTION ch02.2.xnor
  // The slide's units: AND (-30, 20, 20) and NOR (10, -20, -20), then
  // (-10, 20, 20) over them (bias first).
  return Mlp({{Matrix{{20, 20}, {-20, -20}}, {-30, 10}, Activation::kSigmoid},
              {Matrix{{20, 20}}, {-10}, Activation::kSigmoid}});
  // END SOLUTION
}
//! [xnor_network]

//! [xor_network]
// DL4NLP "XOR-Problem: Deep Feedforward Network" (and J&M): W = [[1,1],[1,1]],
// c = (0, -1), ReLU, then w = (1, -2), b = 0.
Mlp XorReluNetwork() {
  return Mlp({{Matrix{{1, 1}, {1, 1}}, {0, -1}, Activation::kRelu},
              {Matrix{{1, -2}}, {0}, Activation::kIdentity}});
}
//! [xor_network]

//! [iris_network]
// DL4NLP "Walk-Through Example: Forward Pass": 2 inputs, 2 ReLU units,
// 3 softmax outputs.
Mlp IrisSlideNetwork() {
  return Mlp({{Matrix{{0.1, -0.2}, {0.4, 0.6}}, {0.2, -0.3}, Activation::kRelu},
              {Matrix{{0.3, -0.3}, {0.2, 0.1}, {0.3, -0.2}},
               {-0.1, -0.5, -0.4},
               Activation::kSoftmax}});
}
//! [iris_network]

//! [deck_loss]
double DeckIrisLoss(const Trace& t, std::span<const double> y,
                    std::span<const std::size_t> truncated) {
  const Matrix& out = t.output();  // yhat: (1, c)
  if (out.rows != 1 || y.size() != out.cols) {
    throw std::invalid_argument(
        "DeckIrisLoss: a trace of one example and its target");
  }
  Vector printed(out.cols);
  for (std::size_t k = 0; k < out.cols; ++k) printed[k] = RoundTo(out(0, k), 2);
  for (const std::size_t k : truncated) {
    printed.at(k) = std::floor(out(0, k) * 100) / 100;
  }
  return SummedBinaryCrossEntropy(printed, y, 10);
}
//! [deck_loss]

Activation ParseActivation(const std::string& name) {
  if (name == "identity") return Activation::kIdentity;
  if (name == "sigmoid") return Activation::kSigmoid;
  if (name == "tanh") return Activation::kTanh;
  if (name == "relu") return Activation::kRelu;
  if (name == "softmax") return Activation::kSoftmax;
  throw std::invalid_argument("unknown activation '" + name +
                              "' (expected identity, sigmoid, tanh, relu or "
                              "softmax)");
}

const char* ActivationName(Activation g) {
  switch (g) {
    case Activation::kIdentity:
      return "identity";
    case Activation::kSigmoid:
      return "sigmoid";
    case Activation::kTanh:
      return "tanh";
    case Activation::kRelu:
      return "relu";
    case Activation::kSoftmax:
      return "softmax";
  }
  return "?";
}

Mlp RandomMlp(const std::vector<std::size_t>& widths, Activation hidden,
              Activation out, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Layer> layers;
  for (std::size_t i = 1; i < widths.size(); ++i) {
    const double r = 1 / std::sqrt(static_cast<double>(widths[i - 1]));
    Layer l{Matrix(widths[i], widths[i - 1]), Vector(widths[i], 0.0),
            i + 1 == widths.size() ? out : hidden};
    for (double& v : l.W.data) v = chapters::UniformReal(rng, -r, r);
    layers.push_back(std::move(l));
  }
  return Mlp(std::move(layers));
}

//! [linear_collapse]
Mlp CollapseLinear(const Mlp& net) {
  const std::vector<Layer>& layers = net.layers();
  Layer one = layers.front();  // W' = W1, b' = b1 so far
  for (std::size_t i = 1; i < layers.size(); ++i) {
    const Layer& l = layers[i];
    if (l.g != Activation::kIdentity || one.g != Activation::kIdentity) {
      throw std::invalid_argument(
          "CollapseLinear: every layer must have the identity activation");
    }
    // W' <- W_i W': (d_i, d_{i-1}) (d_{i-1}, d_0) -> (d_i, d_0)
    Matrix W(l.W.rows, one.W.cols);
    kernels::Gemm(1.0, l.W.View(), kernels::Trans::kNo, one.W.View(),
                  kernels::Trans::kNo, 0.0, W.View());
    // b' <- W_i b' + b_i
    Vector b = l.b;
    kernels::Gemv(1.0, l.W.View(), kernels::Trans::kNo, one.b, 1.0, b);
    one = Layer{std::move(W), std::move(b), Activation::kIdentity};
  }
  return Mlp({std::move(one)});
}
//! [linear_collapse]

}  // namespace ffnn::ch02
