#include "chapters/01_perceptron/perceptron.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "chapters/common/gradcheck.h"
#include "kernels/activations.h"
#include "kernels/blas.h"
#include "kernels/exercise.h"  // the student pack's stubs

namespace ffnn::ch01 {

//! [unit_impl]
double Preactivation(std::span<const double> w, std::span<const double> x,
                     double b) {
  // Exercise 1.1: the unit's preactivation (1 point).
  // Slide: Jurafsky & Martin, Neural Networks and Neural Language Models,
  //   slide 'Neural Networks – Units: An Example'.
  // Formula: z = w . x + b = sum_i w_i x_i + b.
  // Shapes: w, x: (n); b, z: scalars.
  // Builds on: nothing.
  // BEGIN SOLUTION ch01.1.preactivation
  return kernels::Dot(w, x) + b;  // z = w . x + b
  // END SOLUTION
}

double Sigmoid(double z) {
  // Exercise 1.2: the sigmoid (1 point).
  // Slide: Jurafsky & Martin, Neural Networks and Neural Language Models,
  //   slide 'Neural Networks – Units: An Example'.
  // Formula: a = sigma(z) = 1 / (1 + e^-z), finite for every finite z
  //   (sigma(-1000) = 0, sigma(1000) = 1, never NaN).
  // Shapes: z, a: scalars.
  // Builds on: nothing.
  // BEGIN SOLUTION ch01.2.sigmoid
  double a = 0;
  kernels::Sigmoid(std::span<const double>(&z, 1), std::span<double>(&a, 1));
  return a;  // a = 1 / (1 + e^-z)
  // END SOLUTION
}
//! [unit_impl]

namespace {

void CheckExamples(const char* what, const std::vector<Vector>& X,
                   std::size_t n_labels, std::size_t dim) {
  if (X.size() != n_labels) {
    throw std::invalid_argument(std::string(what) + ": " +
                                std::to_string(X.size()) + " examples but " +
                                std::to_string(n_labels) + " labels");
  }
  for (const Vector& x : X) {
    if (x.size() != dim) {
      throw std::invalid_argument(
          std::string(what) + ": an example has " + std::to_string(x.size()) +
          " components but the weights have " + std::to_string(dim));
    }
  }
}

}  // namespace

double LogisticLoss(std::span<const double> theta, const std::vector<Vector>& X,
                    std::span<const double> y) {
  CheckExamples("LogisticLoss", X, y.size(), theta.size());
  double loss = 0;
  for (std::size_t i = 0; i < X.size(); ++i) {
    const double z = kernels::Dot(theta, X[i]);
    // log sigma(z) = -log(1 + e^-z) and log(1 - sigma(z)) = -log(1 + e^z),
    // evaluated without overflow.
    const double log_p =
        -(std::max(-z, 0.0) + std::log1p(std::exp(-std::abs(z))));
    const double log_1mp =
        -(std::max(z, 0.0) + std::log1p(std::exp(-std::abs(z))));
    loss -= y[i] * log_p + (1 - y[i]) * log_1mp;
  }
  return loss;
}

//! [logistic_gradient]
Vector LogisticGradient(std::span<const double> theta,
                        const std::vector<Vector>& X,
                        std::span<const double> y) {
  CheckExamples("LogisticGradient", X, y.size(), theta.size());
  Vector grad(theta.size(), 0.0);
  // Exercise 1.3: the logistic-regression gradient (2 points).
  // Slide: UCL COMP0087, Introduction to neural networks and
  //   backpropagation, slide 'Cross-entropy loss for binary
  //   classification'.
  // Formula: p_i = sigma(theta . x_i),
  //   dL/dtheta = sum_i (p_i - y_i) x_i, of the summed binary cross-entropy.
  // Shapes: theta, x_i, grad: (n), with x_i[0] = 1 for the bias; y_i in
  //   {0, 1}.
  // Builds on: 1.2 (Sigmoid).
  // BEGIN SOLUTION ch01.3.logistic_gradient
  for (std::size_t i = 0; i < X.size(); ++i) {
    const double p = Sigmoid(kernels::Dot(theta, X[i]));  // p_i
    kernels::Axpy(p - y[i], X[i], grad);  // grad += (p_i - y_i) x_i
  }
  // END SOLUTION
  return grad;
}
//! [logistic_gradient]

int Predict(std::span<const double> w, std::span<const double> x) {
  return kernels::Dot(w, x) > 0 ? 1 : -1;
}

//! [perceptron_training]
PerceptronRun TrainPerceptron(const std::vector<Vector>& X,
                              std::span<const int> y, Vector w, double eta,
                              int max_epochs) {
  CheckExamples("TrainPerceptron", X, y.size(), w.size());
  PerceptronRun run;
  std::vector<Vector> epoch_starts;  // w at the start of each epoch
  for (int epoch = 1; epoch <= max_epochs; ++epoch) {
    // The same weights at an epoch's start mean the same epoch again: a
    // cycle that never ends (the data are not linearly separable).
    const auto seen = std::find(epoch_starts.begin(), epoch_starts.end(), w);
    if (seen != epoch_starts.end()) {
      run.cycle_from_epoch = static_cast<int>(seen - epoch_starts.begin()) + 1;
      run.cycle_length = epoch - run.cycle_from_epoch;
      break;
    }
    epoch_starts.push_back(w);
    run.epochs = epoch;
    bool updated_any = false;
    for (std::size_t i = 0; i < X.size(); ++i) {
      const double score = kernels::Dot(w, X[i]);  // w . x_i
      const double loss = std::max(0.0, -y[i] * score);
      bool update = false;
      // Exercise 1.4: the perceptron update (1 point).
      // Slide: DL4NLP, 2. Neural Networks, slides 'Perceptron Training I'
      //   and 'Perceptron Training II'.
      // Formula: if y_i w . x_i <= 0 (the slide's gradient -y_i x_i),
      //   w <- w + eta y_i x_i and update = true; otherwise w stays.
      // Shapes: w, x_i: (3) with x_i[0] = 1; y_i in {+1, -1}; eta, score
      //   = w . x_i: scalars.
      // Builds on: nothing.
      // BEGIN SOLUTION ch01.4.perceptron_update
      update = y[i] * score <= 0;
      if (update) kernels::Axpy(eta * y[i], X[i], w);  // w += eta y_i x_i
      // END SOLUTION
      updated_any |= update;
      run.steps.push_back({epoch, static_cast<int>(i), score, loss, update, w});
    }
    if (!updated_any) {
      run.converged = true;
      break;
    }
  }
  run.w = w;
  return run;
}
//! [perceptron_training]

LabeledSet Dl4nlpTrainingPoints() {
  return {{{1, 1, 3}, {1, 5, 4}, {1, 6, 3}, {1, 3, 1}}, {1, 1, -1, -1}};
}

std::vector<BooleanTask> AndOrXor() {
  const std::vector<Vector> X = {{1, 0, 0}, {1, 0, 1}, {1, 1, 0}, {1, 1, 1}};
  return {{"AND", {X, {-1, -1, -1, 1}}},
          {"OR", {X, {-1, 1, 1, 1}}},
          {"XOR", {X, {-1, 1, 1, -1}}}};
}

//! [activation_derivatives]
std::vector<DerivativeCheck> CheckDerivatives(std::span<const double> grid) {
  using Forward = void (*)(std::span<const double>, std::span<double>);
  using Backward = void (*)(std::span<const double>, std::span<const double>,
                            std::span<double>);
  const struct {
    const char* name;
    Forward g;
    Backward g_backward;
  } activations[] = {{"sigmoid", kernels::Sigmoid, kernels::SigmoidBackward},
                     {"tanh", kernels::Tanh, kernels::TanhBackward},
                     {"relu", kernels::Relu, kernels::ReluBackward}};
  std::vector<DerivativeCheck> checks;
  for (const auto& act : activations) {
    const std::size_t n = grid.size();
    Vector y(n), ones(n, 1.0);
    DerivativeCheck c{act.name, Vector(n)};
    act.g(grid, y);
    act.g_backward(ones, y, c.derivative);  // from the saved output y
    for (std::size_t i = 0; i < n; ++i) {
      const auto g = [&](double t) {
        double out = 0;
        act.g(std::span<const double>(&t, 1), std::span<double>(&out, 1));
        return out;
      };
      const double fd = gradcheck::CentralDifference(g, grid[i]);
      c.worst_error = std::max(c.worst_error, std::abs(c.derivative[i] - fd) /
                                                  std::max(1.0, std::abs(fd)));
    }
    checks.push_back(std::move(c));
  }
  return checks;
}
//! [activation_derivatives]

}  // namespace ffnn::ch01
