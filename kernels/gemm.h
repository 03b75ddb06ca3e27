// General matrix-matrix product on row-major float and double matrices.
//
// gemm: C <- alpha op(A) op(B) + beta C, op(X) = X or X^T.
//   op(A): (m, k), op(B): (k, n), C: (m, n). With beta = 0, C is overwritten
//   (NaN in C does not propagate), as in BLAS. All four transpose
//   combinations are supported; the chapters use NN (forward), NT (gradient
//   with respect to the input) and TN (gradient with respect to the weights).
//
// Error contract: each C(i, j) is a sum of k products accumulated in a
// different order than the textbook loop, so
//   |computed - exact| <= gamma(k + 2) * (|alpha| sum_p |A(i,p)||B(p,j)|
//                                          + |beta C(i,j)|),
// gamma(n) = n u / (1 - n u), u the unit roundoff.
//
// Implementation: Goto/BLIS-style. Blocks of op(B) (KC x NC) and op(A)
// (MC x KC) are packed into contiguous micro-panels, and a register-blocked
// micro-kernel computes an MR x NR tile of C (MR x 2 vectors of
// accumulators, MR chosen per target from its register count).
#ifndef FFNN_KERNELS_GEMM_H_
#define FFNN_KERNELS_GEMM_H_

#include "kernels/views.h"

namespace ffnn::kernels {

void Gemm(float alpha, ConstMatView<float> A, Trans trans_a,
          ConstMatView<float> B, Trans trans_b, float beta, MatView<float> C);
void Gemm(double alpha, ConstMatView<double> A, Trans trans_a,
          ConstMatView<double> B, Trans trans_b, double beta,
          MatView<double> C);

}  // namespace ffnn::kernels

#endif  // FFNN_KERNELS_GEMM_H_
