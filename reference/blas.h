// Reference (textbook) versions of kernels/blas.h and kernels/gemm.h.
#ifndef FFNN_REFERENCE_BLAS_H_
#define FFNN_REFERENCE_BLAS_H_

#include <limits>

#include "reference/types.h"

namespace ffnn::reference {

// x . y
template <class S>
S Dot(VecIn<S> x, VecIn<S> y) {
  return x.dot(y);
}

// y <- a x + y
template <class S>
void Axpy(S a, VecIn<S> x, VecOut<S> y) {
  y += a * x;
}

// x <- a x
template <class S>
void Scal(S a, VecOut<S> x) {
  x *= a;
}

template <class S>
void Add(VecIn<S> x, VecIn<S> y, VecOut<S> out) {
  out = x + y;
}
template <class S>
void Sub(VecIn<S> x, VecIn<S> y, VecOut<S> out) {
  out = x - y;
}
template <class S>
void Hadamard(VecIn<S> x, VecIn<S> y, VecOut<S> out) {
  out = x.cwiseProduct(y);
}

template <class S>
S Sum(VecIn<S> x) {
  return x.sum();
}

// max_i x_i; -infinity when empty, NaN when any x_i is NaN.
template <class S>
S Max(VecIn<S> x) {
  if (x.size() == 0) return -std::numeric_limits<S>::infinity();
  return x.template maxCoeff<Eigen::PropagateNaN>();
}

// y <- alpha op(A) x + beta y; beta = 0 overwrites y.
template <class S>
void Gemv(S alpha, MatIn<S> A, bool trans, VecIn<S> x, S beta, VecOut<S> y) {
  if (beta == S(0)) {
    y.setZero();
  } else {
    y *= beta;
  }
  if (trans) {
    y.noalias() += alpha * A.transpose() * x;
  } else {
    y.noalias() += alpha * A * x;
  }
}

// A <- A + alpha x y^T
template <class S>
void Ger(S alpha, VecIn<S> x, VecIn<S> y, MatOut<S> A) {
  A += alpha * x * y.transpose();
}

// C <- alpha op(A) op(B) + beta C; beta = 0 overwrites C. noalias() tells
// Eigen that C does not overlap A or B, so the product accumulates into C
// directly instead of through a temporary.
template <class S>
void Gemm(S alpha, MatIn<S> A, bool trans_a, MatIn<S> B, bool trans_b, S beta,
          MatOut<S> C) {
  if (beta == S(0)) {
    C.setZero();
  } else {
    C *= beta;
  }
  if (trans_a && trans_b) {
    C.noalias() += alpha * A.transpose() * B.transpose();
  } else if (trans_a) {
    C.noalias() += alpha * A.transpose() * B;
  } else if (trans_b) {
    C.noalias() += alpha * A * B.transpose();
  } else {
    C.noalias() += alpha * A * B;
  }
}

}  // namespace ffnn::reference

#endif  // FFNN_REFERENCE_BLAS_H_
