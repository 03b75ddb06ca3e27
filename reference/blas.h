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
  Vec<S> Ax = trans ? Vec<S>(A.transpose() * x) : Vec<S>(A * x);
  if (beta == S(0)) {
    y = alpha * Ax;
  } else {
    y = alpha * Ax + beta * y;
  }
}

// A <- A + alpha x y^T
template <class S>
void Ger(S alpha, VecIn<S> x, VecIn<S> y, MatOut<S> A) {
  A += alpha * x * y.transpose();
}

// C <- alpha op(A) op(B) + beta C; beta = 0 overwrites C.
template <class S>
void Gemm(S alpha, MatIn<S> A, bool trans_a, MatIn<S> B, bool trans_b, S beta,
          MatOut<S> C) {
  Mat<S> AB;
  if (trans_a && trans_b) {
    AB = A.transpose() * B.transpose();
  } else if (trans_a) {
    AB = A.transpose() * B;
  } else if (trans_b) {
    AB = A * B.transpose();
  } else {
    AB = A * B;
  }
  if (beta == S(0)) {
    C = alpha * AB;
  } else {
    C = alpha * AB + beta * C;
  }
}

}  // namespace ffnn::reference

#endif  // FFNN_REFERENCE_BLAS_H_
