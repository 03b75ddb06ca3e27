// Element-wise activations and their backward passes, float and double.
//
// Each backward takes the upstream gradient dy = dL/dy and the value y saved
// by the forward pass, and writes dx = dL/dx. `out` may alias an input.
//
// Error contract (relative error against the correctly rounded value):
//   sigmoid: <= 4 ulp (Highway Exp, 1 ulp, then one division); computed as
//            1/(1+e^-x) for x >= 0 and e^x/(1+e^x) for x < 0, so it never
//            overflows: sigmoid(-100) is a tiny positive number, not NaN.
//   tanh:    <= 4 ulp (Highway Tanh).
//   relu, step and every backward: exact up to the rounding of each
//            multiplication (<= 1 ulp per operation).
#ifndef FFNN_KERNELS_ACTIVATIONS_H_
#define FFNN_KERNELS_ACTIVATIONS_H_

#include <span>

namespace ffnn::kernels {

// sigmoid: y = 1 / (1 + exp(-x)); backward: dx = dy * y * (1 - y).
void Sigmoid(std::span<const float> x, std::span<float> y);
void Sigmoid(std::span<const double> x, std::span<double> y);
void SigmoidBackward(std::span<const float> dy, std::span<const float> y,
                     std::span<float> dx);
void SigmoidBackward(std::span<const double> dy, std::span<const double> y,
                     std::span<double> dx);

// tanh: y = tanh(x); backward: dx = dy * (1 - y^2).
void Tanh(std::span<const float> x, std::span<float> y);
void Tanh(std::span<const double> x, std::span<double> y);
void TanhBackward(std::span<const float> dy, std::span<const float> y,
                  std::span<float> dx);
void TanhBackward(std::span<const double> dy, std::span<const double> y,
                  std::span<double> dx);

// relu: y = max(0, x); backward: dx = dy where y > 0, else 0 (the
// subgradient 0 is taken at x = 0).
void Relu(std::span<const float> x, std::span<float> y);
void Relu(std::span<const double> x, std::span<double> y);
void ReluBackward(std::span<const float> dy, std::span<const float> y,
                  std::span<float> dx);
void ReluBackward(std::span<const double> dy, std::span<const double> y,
                  std::span<double> dx);

// step (the perceptron's activation): y = 1 if x > 0 else 0, as the decks
// write it (DL4NLP: y = 1 if w^T x > 0; J&M: y = 1 if w.x + b > 0).
// backward: dx = 0. The step is flat wherever it is differentiable, which is
// why the perceptron is trained by its own rule and not by gradient descent.
void Step(std::span<const float> x, std::span<float> y);
void Step(std::span<const double> x, std::span<double> y);
void StepBackward(std::span<const float> dy, std::span<const float> y,
                  std::span<float> dx);
void StepBackward(std::span<const double> dy, std::span<const double> y,
                  std::span<double> dx);

}  // namespace ffnn::kernels

#endif  // FFNN_KERNELS_ACTIVATIONS_H_
