// Chapter 1: the neural unit, logistic regression and the perceptron.
//
// Vectors carry the bias as their first component where the slides do
// ("add 1 to all x"): x = (1, x1, x2), w = (w0, w1, w2). Everything runs on
// the kernel layer (kernels::Dot, kernels::Axpy, the activations) in double.
#ifndef FFNN_CHAPTERS_01_PERCEPTRON_PERCEPTRON_H_
#define FFNN_CHAPTERS_01_PERCEPTRON_PERCEPTRON_H_

#include <span>
#include <vector>

namespace ffnn::ch01 {

using Vector = std::vector<double>;

// The neural unit: z = w . x + b, then an activation a = g(z).
double Preactivation(std::span<const double> w, std::span<const double> x,
                     double b);
double Sigmoid(double z);

// An activation's derivative as backpropagation computes it, from the
// saved output y = g(x) (sigma' = y (1 - y), tanh' = 1 - y^2, ReLU' =
// [y > 0]), through the kernels' backward functions, beside a central
// finite difference of g at each x.
struct DerivativeCheck {
  const char* name;        // "sigmoid", "tanh", "relu"
  Vector derivative;       // g'(x) at each point of the grid
  double worst_error = 0;  // max |g' - fd| / max(1, |fd|) over the grid
};
std::vector<DerivativeCheck> CheckDerivatives(std::span<const double> grid);

// Logistic regression with the bias in theta[0] and x[0] = 1:
// p = sigma(theta . x), binary cross-entropy summed over the examples,
//   L = -sum_i [y_i log p_i + (1 - y_i) log(1 - p_i)],
// and its gradient dL/dtheta = sum_i (p_i - y_i) x_i.
double LogisticLoss(std::span<const double> theta, const std::vector<Vector>& X,
                    std::span<const double> y);
Vector LogisticGradient(std::span<const double> theta,
                        const std::vector<Vector>& X,
                        std::span<const double> y);

// The perceptron's prediction: 1 if w . x > 0, else -1 (DL4NLP).
int Predict(std::span<const double> w, std::span<const double> x);

// One step of online perceptron training: the score w . x_i, the loss
// max(0, -y_i w . x_i), and whether w moved.
struct PerceptronStep {
  int epoch;  // from 1
  int index;  // which example
  double score;
  double loss;
  bool updated;
  Vector w;  // the weights after this step
};

struct PerceptronRun {
  Vector w;                           // final weights
  std::vector<PerceptronStep> steps;  // every step of every epoch
  int epochs = 0;                     // epochs run
  bool converged = false;             // an epoch passed without a single update
  // When the weights at the start of an epoch repeat an earlier epoch's,
  // training is a deterministic loop that never ends: the epochs it repeats.
  int cycle_from_epoch = 0;
  int cycle_length = 0;
};

// Online perceptron training (DL4NLP "Perceptron Training I/II"): visit the
// examples in order; when y_i w . x_i <= 0 (the slide's gradient -y_i x_i),
// update w <- w + eta y_i x_i. Stops after an epoch without an update, when
// the weights at the start of an epoch repeat (a cycle), or at max_epochs.
PerceptronRun TrainPerceptron(const std::vector<Vector>& X,
                              std::span<const int> y, Vector w, double eta,
                              int max_epochs);

// The data sets of the chapter, inputs with the constant 1 first.
struct LabeledSet {
  std::vector<Vector> X;
  std::vector<int> y;  // +1 / -1
};
// DL4NLP "Perceptron Training I": (1, 3)+, (5, 4)+, (6, 3)-, (3, 1)-.
LabeledSet Dl4nlpTrainingPoints();
// The four Boolean inputs (0,0), (0,1), (1,0), (1,1) with the labels of
// AND, OR and XOR (+1 for true).
struct BooleanTask {
  const char* name;
  LabeledSet data;
};
std::vector<BooleanTask> AndOrXor();

}  // namespace ffnn::ch01

#endif  // FFNN_CHAPTERS_01_PERCEPTRON_PERCEPTRON_H_
