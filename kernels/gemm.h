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
// Threads: `threads` >= 1 threads share the work by blocks of whole rows or
// whole columns of C (kernels/parallel.h); the result is bit-identical for
// every thread count. Products under ~2 MFLOP per thread use fewer threads.
//
// Implementation: Goto/BLIS-style. Blocks of op(B) (KC x NC) and op(A)
// (MC x KC) are packed into contiguous micro-panels, and a register-blocked
// micro-kernel computes an MR x NR tile of C (MR x 2 vectors of
// accumulators, MR chosen per target from its register count). A is read in
// place, without packing, when each of its panels meets few panels of B (the
// small products): packing would cost more than it saves. alpha is applied
// once per tile to the accumulated sum; with beta = 0 the first k-block
// stores into C without reading it.
#ifndef FFNN_KERNELS_GEMM_H_
#define FFNN_KERNELS_GEMM_H_

#include "kernels/views.h"

namespace ffnn::kernels {

void Gemm(float alpha, ConstMatView<float> A, Trans trans_a,
          ConstMatView<float> B, Trans trans_b, float beta, MatView<float> C,
          int threads = 1);
void Gemm(double alpha, ConstMatView<double> A, Trans trans_a,
          ConstMatView<double> B, Trans trans_b, double beta, MatView<double> C,
          int threads = 1);

}  // namespace ffnn::kernels

#endif  // FFNN_KERNELS_GEMM_H_
