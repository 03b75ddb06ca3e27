// Reference versions of kernels/activations.h: the formulas as the slides
// write them. Plain expressions of S, so AutoDiffScalar differentiates them.
#ifndef FFNN_REFERENCE_ACTIVATIONS_H_
#define FFNN_REFERENCE_ACTIVATIONS_H_

#include <cmath>

#include "reference/types.h"

namespace ffnn::reference {

//! [sigmoid]
// sigma(z) = 1 / (1 + e^-z)
template <class S>
S Sigmoid(const S& z) {
  using std::exp;
  return S(1) / (S(1) + exp(-z));
}
//! [sigmoid]

template <class S>
S Tanh(const S& z) {
  using std::tanh;
  return tanh(z);
}

template <class S>
S Relu(const S& z) {
  return z > S(0) ? z : S(0);
}

// The perceptron's step: 1 if z > 0 else 0.
template <class S>
S Step(const S& z) {
  return z > S(0) ? S(1) : S(0);
}

// Vector forms and backward passes (dx from upstream dy and saved output y),
// written as Eigen array expressions so that Eigen vectorizes them.
template <class S>
void Sigmoid(VecIn<S> x, VecOut<S> y) {
  y = (S(1) + (-x.array()).exp()).inverse().matrix();
}
template <class S>
void SigmoidBackward(VecIn<S> dy, VecIn<S> y, VecOut<S> dx) {
  dx = dy.cwiseProduct(y.cwiseProduct((S(1) - y.array()).matrix()));
}
template <class S>
void Tanh(VecIn<S> x, VecOut<S> y) {
  y = x.array().tanh().matrix();
}
template <class S>
void TanhBackward(VecIn<S> dy, VecIn<S> y, VecOut<S> dx) {
  dx = dy.cwiseProduct((S(1) - y.array().square()).matrix());
}
template <class S>
void Relu(VecIn<S> x, VecOut<S> y) {
  y = x.array().max(S(0)).matrix();
}
template <class S>
void ReluBackward(VecIn<S> dy, VecIn<S> y, VecOut<S> dx) {
  dx = (y.array() > S(0)).select(dy, S(0));
}
template <class S>
void Step(VecIn<S> x, VecOut<S> y) {
  y = (x.array() > S(0)).select(Vec<S>::Ones(x.size()), S(0));
}
template <class S>
void StepBackward(VecIn<S> /*dy*/, VecIn<S> /*y*/, VecOut<S> dx) {
  // The step is flat on both sides of 0: its derivative is 0 wherever it
  // exists, whatever dy.
  dx.setZero();
}

}  // namespace ffnn::reference

#endif  // FFNN_REFERENCE_ACTIVATIONS_H_
