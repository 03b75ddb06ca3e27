#include "chapters/03_backprop/optimizers.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "chapters/common/errors.h"
#include "chapters/common/iris.h"
#include "kernels/optim.h"

namespace ffnn::ch03 {

const char* OptimizerName(Optimizer o) {
  switch (o) {
    case Optimizer::kSgd:
      return "SGD";
    case Optimizer::kMomentum:
      return "momentum";
    case Optimizer::kAdagrad:
      return "Adagrad";
    case Optimizer::kRmsprop:
      return "RMSProp";
    case Optimizer::kAdam:
      return "Adam";
  }
  return "?";
}

Mlp RandomMlp(const std::vector<std::size_t>& widths,
              reference::Activation hidden, reference::Activation out,
              std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Layer> layers;
  for (std::size_t i = 1; i < widths.size(); ++i) {
    const double r = 1 / std::sqrt(static_cast<double>(widths[i - 1]));
    std::uniform_real_distribution<double> u(-r, r);
    Layer l{Matrix(widths[i], widths[i - 1]), Vector(widths[i], 0.0),
            i + 1 == widths.size() ? out : hidden};
    for (double& v : l.W.data) v = u(rng);
    layers.push_back(std::move(l));
  }
  return Mlp(std::move(layers));
}

namespace {

Matrix Rows(const Matrix& M, const std::vector<std::size_t>& idx,
            std::size_t begin, std::size_t end) {
  Matrix out(end - begin, M.cols);
  for (std::size_t r = begin; r < end; ++r) {
    std::copy(M.Row(idx[r]).begin(), M.Row(idx[r]).end(),
              out.Row(r - begin).begin());
  }
  return out;
}

double Accuracy(const Matrix& P, const Matrix& Y) {
  std::size_t correct = 0;
  for (std::size_t i = 0; i < P.rows; ++i) {
    const auto p = P.Row(i), y = Y.Row(i);
    correct += ch02::Argmax(p) == ch02::Argmax(y);
  }
  return static_cast<double>(correct) / static_cast<double>(P.rows);
}

}  // namespace

//! [optimizer_step]
TrainResult Train(const Mlp& init, const Matrix& X_train, const Matrix& Y_train,
                  const Matrix& X_test, const Matrix& Y_test,
                  const TrainConfig& config) {
  TrainResult result{{}, {}, 0.0, false, 0, init};
  Vector theta = Flatten(init);
  Vector m(theta.size(), 0.0), v(theta.size(), 0.0);  // optimizer state
  const double eps = 1e-8;
  std::mt19937_64 rng(config.seed);
  std::vector<std::size_t> order(X_train.rows);
  std::iota(order.begin(), order.end(), 0);
  std::int64_t t = 0;  // steps taken (Adam's bias correction)
  // The mean cross-entropy from the logits (TraceLoss): a test example the
  // network gets confidently wrong costs a large finite loss, not inf.
  auto cross_entropy = [](const Mlp& net, const Matrix& X, const Matrix& Y) {
    return TraceLoss(net, net.Forward(X), Y, Loss::kCrossEntropy);
  };
  const double initial_loss = cross_entropy(init, X_train, Y_train);
  for (int epoch = 1; epoch <= config.epochs; ++epoch) {
    std::shuffle(order.begin(), order.end(), rng);
    for (std::size_t b = 0; b < order.size(); b += config.batch) {
      const std::size_t e = std::min(order.size(), b + config.batch);
      const Matrix X = Rows(X_train, order, b, e),
                   Y = Rows(Y_train, order, b, e);
      const Mlp net = Unflatten(init, theta);
      const Vector g =
          Flatten(Backward(net, net.Forward(X), Y, Loss::kCrossEntropy));
      ++t;
      switch (config.optimizer) {
        case Optimizer::kSgd:  // theta -= lr g
          kernels::SgdStep(config.lr, g, theta);
          break;
        case Optimizer::kMomentum:  // v = 0.9 v + g; theta -= lr v
          kernels::MomentumStep(config.lr, 0.9, g, v, theta);
          break;
        case Optimizer::kAdagrad:  // G += g^2; theta -= lr g / (sqrt(G) + eps)
          for (std::size_t i = 0; i < theta.size(); ++i) {
            v[i] += g[i] * g[i];
            theta[i] -= config.lr * g[i] / (std::sqrt(v[i]) + eps);
          }
          break;
        case Optimizer::kRmsprop:  // E = 0.9 E + 0.1 g^2; theta -= lr g / ...
          for (std::size_t i = 0; i < theta.size(); ++i) {
            v[i] = 0.9 * v[i] + 0.1 * g[i] * g[i];
            theta[i] -= config.lr * g[i] / (std::sqrt(v[i]) + eps);
          }
          break;
        case Optimizer::kAdam:
          kernels::AdamStep(config.lr, 0.9, 0.999, eps, t, g, m, v, theta);
          break;
      }
    }
    const Mlp net = Unflatten(init, theta);
    const double train = cross_entropy(net, X_train, Y_train);
    // Divergence: the loss stopped being a number or exploded.
    if (!std::isfinite(train) || train > 1e3 * std::max(1.0, initial_loss)) {
      result.diverged = true;
      result.diverged_epoch = epoch;
      break;
    }
    result.train_loss.push_back(train);
    result.test_loss.push_back(cross_entropy(net, X_test, Y_test));
    result.net = net;
  }
  result.test_accuracy = Accuracy(result.net.Forward(X_test).output(), Y_test);
  return result;
}
//! [optimizer_step]

IrisSplit SplitIris(const std::string& data_dir) {
  const std::string path = data_dir + "/iris.csv";
  const chapters::IrisData iris = chapters::LoadIris(path);
  if (iris.X.rows <= 120) {
    throw chapters::InputError(path + ": " + std::to_string(iris.X.rows) +
                                " rows; the 120 / rest split needs more");
  }
  std::vector<std::size_t> idx(iris.X.rows);
  for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::mt19937_64 rng(2024);
  std::shuffle(idx.begin(), idx.end(), rng);
  const std::size_t n_train = 120, d = iris.X.cols;
  IrisSplit s{Matrix(n_train, d), Matrix(n_train, 3),
              Matrix(idx.size() - n_train, d), Matrix(idx.size() - n_train, 3)};
  for (std::size_t r = 0; r < idx.size(); ++r) {
    Matrix& X = r < n_train ? s.X_train : s.X_test;
    Matrix& Y = r < n_train ? s.Y_train : s.Y_test;
    const std::size_t row = r < n_train ? r : r - n_train;
    for (std::size_t j = 0; j < d; ++j) X(row, j) = iris.X(idx[r], j);
    Y(row, static_cast<std::size_t>(iris.labels[idx[r]])) = 1;
  }
  for (std::size_t j = 0; j < d; ++j) {
    double mean = 0, var = 0;
    for (std::size_t r = 0; r < n_train; ++r) mean += s.X_train(r, j) / n_train;
    for (std::size_t r = 0; r < n_train; ++r) {
      var += (s.X_train(r, j) - mean) * (s.X_train(r, j) - mean) / n_train;
    }
    const double sd = std::sqrt(var);
    // A constant measurement cannot be standardized (0 / 0).
    if (!(sd > 0)) {
      throw chapters::InputError(
          path + ": measurement " + std::to_string(j + 1) +
          " is the same in every training row and cannot be standardized");
    }
    for (std::size_t r = 0; r < n_train; ++r)
      s.X_train(r, j) = (s.X_train(r, j) - mean) / sd;
    for (std::size_t r = 0; r < s.X_test.rows; ++r)
      s.X_test(r, j) = (s.X_test(r, j) - mean) / sd;
  }
  return s;
}

}  // namespace ffnn::ch03
