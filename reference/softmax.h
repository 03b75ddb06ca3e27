// Reference versions of kernels/softmax.h, row by row as the slides write
// softmax: p_k = e^{z_k} / sum_j e^{z_j}, shifted by the row maximum.
#ifndef FFNN_REFERENCE_SOFTMAX_H_
#define FFNN_REFERENCE_SOFTMAX_H_

#include <cmath>
#include <cstdint>
#include <span>

#include "reference/types.h"

namespace ffnn::reference {

//! [softmax]
// softmax(z)_k = e^(z_k - m) / sum_j e^(z_j - m), m = max_j z_j. Subtracting
// m changes nothing mathematically and keeps e^(.) <= 1.
template <class S>
Vec<S> Softmax(VecIn<S> z) {
  const S m = z.maxCoeff();
  const Vec<S> e = (z.array() - m).exp().matrix();
  return e / e.sum();
}
//! [softmax]

// log softmax(z)_k = z_k - m - log sum_j e^(z_j - m)
template <class S>
Vec<S> LogSoftmax(VecIn<S> z) {
  using std::log;
  const S m = z.maxCoeff();
  // (z - m) - log s: for huge logits m + log s would round back to m.
  const S log_s = log((z.array() - m).exp().sum());
  return ((z.array() - m) - log_s).matrix();
}

// Row-wise forms on (n, c) matrices.
template <class S>
void Softmax(MatIn<S> x, MatOut<S> y) {
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    y.row(i) = Softmax<S>(x.row(i).transpose()).transpose();
  }
}
template <class S>
void LogSoftmax(MatIn<S> x, MatOut<S> y) {
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    y.row(i) = LogSoftmax<S>(x.row(i).transpose()).transpose();
  }
}

// dx = y (dy - dy . y), the softmax Jacobian diag(y) - y y^T applied to dy.
template <class S>
void SoftmaxBackward(MatIn<S> dy, MatIn<S> y, MatOut<S> dx) {
  for (Eigen::Index i = 0; i < dy.rows(); ++i) {
    const S dot = dy.row(i).dot(y.row(i));
    dx.row(i) = (y.row(i).array() * (dy.row(i).array() - dot)).matrix();
  }
}

//! [softmax_xent]
// Cross-entropy of softmax(z) against targets t, summed over rows:
// L = sum_i -t_i . log softmax(z_i); dL/dz = softmax(z) - t.
template <class S>
S SoftmaxCrossEntropy(MatIn<S> z, MatIn<S> t, MatOut<S> grad) {
  S loss(0);
  for (Eigen::Index i = 0; i < z.rows(); ++i) {
    const Vec<S> log_p = LogSoftmax<S>(z.row(i).transpose());
    loss -= t.row(i).dot(log_p);
    grad.row(i) = log_p.array().exp().matrix().transpose() - t.row(i);
  }
  return loss;
}
//! [softmax_xent]

//! [softmax_xent_index]
// The same with class indices for targets (t_i = one-hot at targets[i]), as
// a language model uses it: L = sum_i (log sum_k e^(z_ik) - z_i,targets[i]),
// dL/dz_i = softmax(z_i) - e_targets[i]. One exponential per element.
template <class S>
S SoftmaxCrossEntropy(MatIn<S> z, std::span<const std::int32_t> targets,
                      MatOut<S> grad) {
  using std::log;
  S loss(0);
  for (Eigen::Index i = 0; i < z.rows(); ++i) {
    const S m = z.row(i).maxCoeff();
    const S z_target = z(i, targets[i]);
    grad.row(i) = (z.row(i).array() - m).exp().matrix();
    const S s = grad.row(i).sum();
    loss += (m - z_target) + log(s);  // not m + log(s) - z_target
    grad.row(i) /= s;
    grad(i, targets[i]) -= S(1);
  }
  return loss;
}
//! [softmax_xent_index]

}  // namespace ffnn::reference

#endif  // FFNN_REFERENCE_SOFTMAX_H_
