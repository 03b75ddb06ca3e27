// Training the chapter 2 network with the optimizers of the UCL deck:
// SGD, momentum, Adagrad, RMSProp and Adam, on flat parameter vectors.
#ifndef FFNN_CHAPTERS_03_BACKPROP_OPTIMIZERS_H_
#define FFNN_CHAPTERS_03_BACKPROP_OPTIMIZERS_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "chapters/03_backprop/backprop.h"
#include "chapters/common/iris.h"

namespace ffnn::ch03 {

using chapters::IrisSplit;
using chapters::SplitIris;

enum class Optimizer { kSgd, kMomentum, kAdagrad, kRmsprop, kAdam };
const char* OptimizerName(Optimizer o);

struct TrainConfig {
  Optimizer optimizer = Optimizer::kSgd;
  double lr = 0.1;
  int epochs = 100;
  std::size_t batch = 16;
  std::uint64_t seed = 1;  // minibatch order
};

struct TrainResult {
  std::vector<double> train_loss, test_loss;  // mean CE after each epoch
  double test_accuracy = 0;
  bool diverged = false;
  int diverged_epoch = 0;  // the epoch whose loss stopped being finite
  Mlp net;
};

// One step of an optimizer of the UCL deck on the flat parameters theta
// with the gradient g; m and v (each theta's size) hold its state: the
// velocity (momentum), the summed or averaged squared gradients (Adagrad,
// RMSProp) or Adam's moments. t counts steps from 1 (Adam's bias
// correction).
void OptimizerStep(Optimizer optimizer, double lr, std::int64_t t,
                   std::span<const double> g, Vector& m, Vector& v,
                   Vector& theta);

// Minibatch training with the cross-entropy. Stops and reports divergence
// (a non-finite or exploding loss) instead of carrying NaN forward.
TrainResult Train(const Mlp& init, const Matrix& X_train, const Matrix& Y_train,
                  const Matrix& X_test, const Matrix& Y_test,
                  const TrainConfig& config);

}  // namespace ffnn::ch03

#endif  // FFNN_CHAPTERS_03_BACKPROP_OPTIMIZERS_H_
