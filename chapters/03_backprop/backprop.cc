#include "chapters/03_backprop/backprop.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "kernels/activations.h"
#include "kernels/blas.h"
#include "kernels/exercise.h"  // the student pack's stubs
#include "kernels/gemm.h"
#include "kernels/optim.h"
#include "kernels/softmax.h"

namespace ffnn::ch03 {

Loss ParseLoss(const std::string& name) {
  if (name == "cross_entropy") return Loss::kCrossEntropy;
  if (name == "binary_cross_entropy") return Loss::kBinaryCrossEntropy;
  if (name == "mse") return Loss::kMse;
  if (name == "half_sse") return Loss::kHalfSse;
  throw std::invalid_argument("unknown loss '" + name +
                              "' (expected cross_entropy, "
                              "binary_cross_entropy, mse or half_sse)");
}

const char* LossName(Loss loss) {
  switch (loss) {
    case Loss::kCrossEntropy:
      return "cross_entropy";
    case Loss::kBinaryCrossEntropy:
      return "binary_cross_entropy";
    case Loss::kMse:
      return "mse";
    case Loss::kHalfSse:
      return "half_sse";
  }
  return "?";
}

namespace {

void CheckTargets(const Matrix& Yhat, const Matrix& Y) {
  if (Yhat.rows != Y.rows || Yhat.cols != Y.cols) {
    throw std::invalid_argument("loss: the network's output has shape " +
                                Yhat.Shape() + " but y has shape " + Y.Shape());
  }
}

double LogScale(double base) { return base == 0 ? 1.0 : 1.0 / std::log(base); }

}  // namespace

double LossValue(Loss loss, const Matrix& Yhat, const Matrix& Y,
                 double log_base) {
  CheckTargets(Yhat, Y);
  double sum = 0;
  const std::size_t c = Y.cols;
  for (std::size_t i = 0; i < Y.data.size(); ++i) {
    const double p = Yhat.data[i], y = Y.data[i];
    switch (loss) {
      case Loss::kCrossEntropy:
        if (y != 0) sum -= y * std::log(p) * LogScale(log_base);
        break;
      case Loss::kBinaryCrossEntropy:
        if (y != 0) sum -= y * std::log(p) * LogScale(log_base);
        if (y != 1) sum -= (1 - y) * std::log(1 - p) * LogScale(log_base);
        break;
      case Loss::kMse:
        sum += (y - p) * (y - p) / static_cast<double>(c);
        break;
      case Loss::kHalfSse:
        sum += 0.5 * (y - p) * (y - p);
        break;
    }
  }
  return sum / static_cast<double>(Y.rows);
}

Matrix LossGradient(Loss loss, const Matrix& Yhat, const Matrix& Y,
                    double log_base) {
  CheckTargets(Yhat, Y);
  Matrix G(Y.rows, Y.cols);
  const double n = static_cast<double>(Y.rows), c = static_cast<double>(Y.cols);
  for (std::size_t i = 0; i < Y.data.size(); ++i) {
    const double p = Yhat.data[i], y = Y.data[i];
    double g = 0;
    switch (loss) {
      case Loss::kCrossEntropy:
        g = -y / p * LogScale(log_base);
        break;
      case Loss::kBinaryCrossEntropy:
        g = (-y / p + (1 - y) / (1 - p)) * LogScale(log_base);
        break;
      case Loss::kMse:
        g = -2 * (y - p) / c;
        break;
      case Loss::kHalfSse:
        g = -(y - p);
        break;
    }
    G.data[i] = g / n;
  }
  return G;
}

bool IsFusedPair(Activation output, Loss loss) {
  return (output == Activation::kSoftmax && loss == Loss::kCrossEntropy) ||
         (output == Activation::kSigmoid && loss == Loss::kBinaryCrossEntropy);
}

namespace {

// log(1 + e^x) without overflow: max(x, 0) + log1p(e^-|x|).
double Softplus(double x) {
  return std::max(x, 0.0) + std::log1p(std::exp(-std::abs(x)));
}

}  // namespace

double TraceLoss(const Mlp& net, const Trace& t, const Matrix& Y, Loss loss,
                 double log_base) {
  const Activation g = net.layers().back().g;
  if (!IsFusedPair(g, loss)) return LossValue(loss, t.output(), Y, log_base);
  const Matrix& Z = t.z.back();  // logits: (n, c)
  CheckTargets(Z, Y);
  double sum = 0;  // sum over examples of -sum_k [y_k log yhat_k + ...]
  for (std::size_t i = 0; i < Z.rows; ++i) {
    if (g == Activation::kSoftmax) {
      // log softmax(z)_k = z_k - logsumexp(z), with the max taken out.
      double z_max = Z(i, 0), s = 0;
      for (std::size_t k = 1; k < Z.cols; ++k) z_max = std::max(z_max, Z(i, k));
      for (std::size_t k = 0; k < Z.cols; ++k) s += std::exp(Z(i, k) - z_max);
      // -log softmax(z)_k = (z_max - z_k) + log s: both parts >= 0, and
      // log s survives logits so large that z_max + log s rounds to z_max.
      const double log_s = std::log(s);
      for (std::size_t k = 0; k < Z.cols; ++k) {
        if (Y(i, k) != 0) sum += Y(i, k) * ((z_max - Z(i, k)) + log_s);
      }
    } else {
      // log sigmoid(z) = -softplus(-z), log(1 - sigmoid(z)) = -softplus(z).
      for (std::size_t k = 0; k < Z.cols; ++k) {
        const double y = Y(i, k), z = Z(i, k);
        if (y != 0) sum += y * Softplus(-z);
        if (y != 1) sum += (1 - y) * Softplus(z);
      }
    }
  }
  return sum * LogScale(log_base) / static_cast<double>(Z.rows);
}

namespace {

// dL/dz of the output layer for a fused pair, (n, c): for softmax with the
// cross-entropy d/dz_j [-sum_k y_k log softmax(z)_k] = yhat_j sum_k y_k -
// y_j; for sigmoid with the binary cross-entropy yhat - y.
Matrix FusedOutputDelta(Activation g, const Matrix& Yhat, const Matrix& Y,
                        double log_base) {
  Matrix G(Y.rows, Y.cols);
  const double scale = LogScale(log_base) / static_cast<double>(Y.rows);
  for (std::size_t i = 0; i < Y.rows; ++i) {
    double y_sum = 1;
    if (g == Activation::kSoftmax) {
      y_sum = 0;
      for (std::size_t k = 0; k < Y.cols; ++k) y_sum += Y(i, k);
    }
    for (std::size_t k = 0; k < Y.cols; ++k) {
      G(i, k) = (Yhat(i, k) * y_sum - Y(i, k)) * scale;
    }
  }
  return G;
}

// dL/dz from dL/da and the saved a = g(z).
Matrix ActivationBackward(Activation g, const Matrix& dA, const Matrix& A) {
  Matrix dZ(dA.rows, dA.cols);
  switch (g) {
    case Activation::kIdentity:
      dZ.data = dA.data;
      break;
    case Activation::kSigmoid:
      kernels::SigmoidBackward(dA.data, A.data, dZ.data);
      break;
    case Activation::kTanh:
      kernels::TanhBackward(dA.data, A.data, dZ.data);
      break;
    case Activation::kRelu:
      kernels::ReluBackward(dA.data, A.data, dZ.data);
      break;
    case Activation::kSoftmax:  // the full Jacobian, row by row
      kernels::SoftmaxBackward(dA.View(), A.View(), dZ.View());
      break;
  }
  return dZ;
}

}  // namespace

//! [backward]
Gradients Backward(const Mlp& net, const Trace& t, const Matrix& Y, Loss loss,
                   double log_base) {
  const auto& layers = net.layers();
  const std::size_t L = layers.size();
  Gradients grads;
  grads.W.resize(L);
  grads.b.resize(L);
  // g <- dJ/dyhat, then for k = L, ..., 1 (DL4NLP "Backward Pass"). A
  // fused output pair starts one step later, at dJ/dz[L] = yhat - y.
  const bool fused = IsFusedPair(layers.back().g, loss);
  CheckTargets(t.output(), Y);
  Matrix g = fused ? FusedOutputDelta(layers.back().g, t.output(), Y, log_base)
                   : LossGradient(loss, t.output(), Y, log_base);  // (n, d_L)
  for (std::size_t k = L; k-- > 0;) {
    const Layer& layer = layers[k];
    const Matrix& a_prev = t.a[k];  // h[k-1]: (n, d_in)
    // Exercise 3.1: backpropagation through a layer (3 points).
    // Slide: DL4NLP, 2. Neural Networks, slide 'The Algorithm: Backward
    //   Pass'.
    // Formula: with g = dJ/dh[k] on entry (dJ/dz[k] already for the fused
    //   output pair), g <- g (.) f'(z[k]) (ActivationBackward, from the
    //   saved a[k] = t.a[k + 1]); dJ/dW[k] = g^T h[k-1]; dJ/db[k] = the
    //   sum of g's rows; then g <- dJ/dh[k-1] = g W[k] for the layer below.
    //   Skip the g (.) f' step for the top layer (k = L - 1) when `fused`
    //   is true: g already is dJ/dz there. g already carries the 1/n of a
    //   mean loss: do not divide again.
    // Shapes: g: (n, d_out), h[k-1] = t.a[k]: (n, d_in), W[k] and
    //   grads.W[k]: (d_out, d_in), grads.b[k]: (d_out).
    // Builds on: 2.1 (the forward pass it differentiates), 2.3 (the
    //   softmax output layer it is graded on).
    // BEGIN SOLUTION ch03.1.backward
    // g <- dJ/dz[k] = g (.) f'(z[k]), from the saved a[k]
    if (!(fused && k + 1 == L)) {
      g = ActivationBackward(layer.g, g, t.a[k + 1]);  // (n, d_out)
    }
    // dJ/dW[k] = g^T h[k-1]: (d_out, n) (n, d_in), summed over examples
    grads.W[k] = Matrix(layer.W.rows, layer.W.cols);
    kernels::Gemm(1.0, g.View(), kernels::Trans::kYes, a_prev.View(),
                  kernels::Trans::kNo, 0.0, grads.W[k].View());
    // dJ/db[k] = sum over examples of g
    grads.b[k] = Vector(layer.W.rows, 0.0);
    const Vector ones(g.rows, 1.0);
    kernels::Gemv(1.0, g.View(), kernels::Trans::kYes, ones, 0.0, grads.b[k]);
    // g <- dJ/dh[k-1] = g W[k]: (n, d_out) (d_out, d_in)
    if (k > 0) {
      Matrix g_prev(g.rows, layer.W.cols);
      kernels::Gemm(1.0, g.View(), kernels::Trans::kNo, layer.W.View(),
                    kernels::Trans::kNo, 0.0, g_prev.View());
      g = std::move(g_prev);
    }
    // END SOLUTION
  }
  return grads;
}
//! [backward]

//! [deck_recipe]
DeckBackwardRecipe DeckIrisBackward(const Mlp& net, const Trace& t,
                                    const Vector& y, double eta) {
  using ch02::RoundTo;
  const std::size_t c = net.output_dim(), d_h = t.a[1].cols;
  if (net.layers().size() != 2 || t.a.size() != 3 || t.a[2].rows != 1 ||
      y.size() != c) {
    throw std::invalid_argument(
        "DeckIrisBackward: a 2-layer trace of one example and its target");
  }
  // The slide's inputs: the forward pass as it prints it, to 2 decimals.
  Vector yhat(c), z(c), h(d_h);
  for (std::size_t i = 0; i < c; ++i) {
    yhat[i] = RoundTo(t.a[2](0, i), 2);
    z[i] = RoundTo(t.z[2](0, i), 2);
  }
  for (std::size_t j = 0; j < d_h; ++j) h[j] = RoundTo(t.a[1](0, j), 2);
  double sum = 0;
  for (const double zi : z) sum += std::exp(zi);
  const Matrix& W2 = net.layers()[1].W;  // (c, d_h)
  DeckBackwardRecipe r{yhat, Vector(c), Vector(c), Matrix(c, d_h),
                       Matrix(c, d_h)};
  for (std::size_t i = 0; i < c; ++i) {
    r.dL_do[i] = RoundTo(-(y[i] / yhat[i] + (1 - y[i]) / (1 - yhat[i])), 2);
    const double p = std::exp(z[i]) / sum;
    r.dsoftmax[i] = RoundTo(p * (1 - p), 2);
    for (std::size_t j = 0; j < d_h; ++j) {
      r.dL_dW2(i, j) = RoundTo(r.dL_do[i] * r.dsoftmax[i] * h[j], 2);
      r.W2_updated(i, j) = RoundTo(W2(i, j) - eta * r.dL_dW2(i, j), 2);
    }
  }
  return r;
}
//! [deck_recipe]

Mlp SgdUpdate(const Mlp& net, const Gradients& g, double lr) {
  std::vector<Layer> layers = net.layers();
  for (std::size_t k = 0; k < layers.size(); ++k) {
    kernels::SgdStep(lr, g.W[k].data, layers[k].W.data);
    kernels::SgdStep(lr, g.b[k], layers[k].b);
  }
  return Mlp(std::move(layers));
}

Vector Flatten(const Mlp& net) {
  Vector theta;
  for (const Layer& l : net.layers()) {
    theta.insert(theta.end(), l.W.data.begin(), l.W.data.end());
    theta.insert(theta.end(), l.b.begin(), l.b.end());
  }
  return theta;
}

Mlp Unflatten(const Mlp& like, const Vector& theta) {
  std::vector<Layer> layers = like.layers();
  std::size_t at = 0;
  for (Layer& l : layers) {
    for (double& v : l.W.data) v = theta.at(at++);
    for (double& v : l.b) v = theta.at(at++);
  }
  if (at != theta.size()) {
    throw std::invalid_argument("Unflatten: " + std::to_string(theta.size()) +
                                " values for " + std::to_string(at) +
                                " parameters");
  }
  return Mlp(std::move(layers));
}

Vector Flatten(const Gradients& g) {
  Vector theta;
  for (std::size_t k = 0; k < g.W.size(); ++k) {
    theta.insert(theta.end(), g.W[k].data.begin(), g.W[k].data.end());
    theta.insert(theta.end(), g.b[k].begin(), g.b[k].end());
  }
  return theta;
}

}  // namespace ffnn::ch03
