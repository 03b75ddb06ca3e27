#include "chapters/03_backprop/optimizers.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "chapters/common/random.h"
#include "kernels/exercise.h"  // the student pack's stubs
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
void OptimizerStep(Optimizer optimizer, double lr, std::int64_t t,
                   std::span<const double> g, Vector& m, Vector& v,
                   Vector& theta) {
  const double eps = 1e-8;
  switch (optimizer) {
    case Optimizer::kSgd:  // theta -= lr g
      kernels::SgdStep(lr, g, theta);
      break;
    case Optimizer::kMomentum:
      // Exercise 3.3: the momentum step (1 point).
      // Slide: DL4NLP, 2. Neural Networks, slide 'Batch and Mini-Batch
      //   SGD' (it names momentum; no deck gives the formula).
      // Formula: v <- mu v + g, then theta <- theta - lr v, with mu = 0.9
      //   (v starts at 0).
      // Shapes: g, v, theta: (P); lr: scalar.
      // Builds on: nothing.
      // BEGIN SOLUTION ch03.3.momentum
      kernels::MomentumStep(lr, 0.9, g, v, theta);
      // END SOLUTION
      break;
    case Optimizer::kAdagrad:  // G += g^2; theta -= lr g / (sqrt(G) + eps)
      for (std::size_t i = 0; i < theta.size(); ++i) {
        v[i] += g[i] * g[i];
        theta[i] -= lr * g[i] / (std::sqrt(v[i]) + eps);
      }
      break;
    case Optimizer::kRmsprop:  // E = 0.9 E + 0.1 g^2; theta -= lr g / ...
      for (std::size_t i = 0; i < theta.size(); ++i) {
        v[i] = 0.9 * v[i] + 0.1 * g[i] * g[i];
        theta[i] -= lr * g[i] / (std::sqrt(v[i]) + eps);
      }
      break;
    case Optimizer::kAdam:
      // Exercise 3.4: the Adam step (2 points).
      // Slide: UCL COMP0087, Introduction to neural networks and
      //   backpropagation, the slide after 'Updating the parameters of the
      //   NN' (it names Adam only); the formula is Kingma and Ba (2015),
      //   Algorithm 1.
      // Formula: m <- b1 m + (1 - b1) g, v <- b2 v + (1 - b2) g^2,
      //   theta <- theta - lr mhat / (sqrt(vhat) + eps) with the bias
      //   corrections mhat = m / (1 - b1^t), vhat = v / (1 - b2^t);
      //   b1 = 0.9, b2 = 0.999, eps = 1e-8, t = 1, 2, ... the step count.
      // Shapes: g, m, v, theta: (P); lr, t: scalars.
      // Builds on: nothing.
      // BEGIN SOLUTION ch03.4.adam
      kernels::AdamStep(lr, 0.9, 0.999, eps, t, g, m, v, theta);
      // END SOLUTION
      break;
  }
}
//! [optimizer_step]

TrainResult Train(const Mlp& init, const Matrix& X_train, const Matrix& Y_train,
                  const Matrix& X_test, const Matrix& Y_test,
                  const TrainConfig& config) {
  TrainResult result{{}, {}, 0.0, false, 0, init};
  Vector theta = Flatten(init);
  Vector m(theta.size(), 0.0), v(theta.size(), 0.0);  // optimizer state
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
    chapters::Shuffle(order.begin(), order.end(), rng);
    for (std::size_t b = 0; b < order.size(); b += config.batch) {
      const std::size_t e = std::min(order.size(), b + config.batch);
      const Matrix X = Rows(X_train, order, b, e),
                   Y = Rows(Y_train, order, b, e);
      const Mlp net = Unflatten(init, theta);
      const Vector g =
          Flatten(Backward(net, net.Forward(X), Y, Loss::kCrossEntropy));
      ++t;
      OptimizerStep(config.optimizer, config.lr, t, g, m, v, theta);
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

}  // namespace ffnn::ch03
