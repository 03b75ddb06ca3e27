// Row-wise softmax family on row-major matrices (one example per row).
//
// All are max-subtracted, so logits of +-1000 give finite results.
//
// Error contract, for a row x of c entries with maximum m:
//   softmax: relative error <= (2 (c + 2) + |x_j - m|) ulp per element. The
//     Highway Exp and Log are ulp-accurate and the row sum adds gamma(c); the
//     shift x_j - m is rounded (absolute error u |x_j - m|), which e^z turns
//     into the same relative error: the conditioning of exp, not the kernel.
//   log-softmax: absolute error <= 2 (c + 2) ulp of (|x_j| + |lse|),
//     lse = m + log sum_k e^(x_k - m).
//   cross-entropy loss: absolute error <= 4 (c + 4) u per row times
//     (sum_k t_k |log p_k| + max_k |z_k| + 1); its gradient p - t as softmax,
//     plus one rounding of the subtraction. u is the unit roundoff. The
//     losses of the rows are summed in row order. A row's loss is computed
//     as sum_k t_k (m - z_k) + log s, two parts that are each >= 0, so it is
//     never negative for targets t >= 0 (a perplexity is never below 1) and
//     keeps log s for logits up to the type's largest finite value (equal
//     logits give log c), where m + log s would round back to m.
//
// Threads: every function takes `threads` >= 1 (default 1) and gives each
// thread a block of whole rows; results are bit-identical for every thread
// count (the summed loss too: per-row losses are added in row order).
#ifndef FFNN_KERNELS_SOFTMAX_H_
#define FFNN_KERNELS_SOFTMAX_H_

#include <cstdint>
#include <span>

#include "kernels/views.h"

namespace ffnn::kernels {

// softmax: y_ij = exp(x_ij - m_i) / sum_k exp(x_ik - m_i), m_i = max_k x_ik.
// x, y: (n, c); y may alias x.
void Softmax(ConstMatView<float> x, MatView<float> y, int threads = 1);
void Softmax(ConstMatView<double> x, MatView<double> y, int threads = 1);

// log-softmax: y_ij = x_ij - m_i - log sum_k exp(x_ik - m_i). y may alias x.
void LogSoftmax(ConstMatView<float> x, MatView<float> y, int threads = 1);
void LogSoftmax(ConstMatView<double> x, MatView<double> y, int threads = 1);

// softmax backward: dx_ij = y_ij (dy_ij - sum_k dy_ik y_ik), from the upstream
// gradient dy and the saved softmax output y. dx may alias dy.
void SoftmaxBackward(ConstMatView<float> dy, ConstMatView<float> y,
                     MatView<float> dx, int threads = 1);
void SoftmaxBackward(ConstMatView<double> dy, ConstMatView<double> y,
                     MatView<double> dx, int threads = 1);

// Fused softmax + cross-entropy. For logits z and target distributions t
// (one-hot rows or any rows summing to 1), both (n, c):
//   returns L = sum_i sum_k -t_ik log softmax(z_i)_k   (summed, not averaged)
//   writes  grad = dL/dz = softmax(z) - t.
// grad may alias z. Divide both by n for the mean loss.
float SoftmaxCrossEntropy(ConstMatView<float> z, ConstMatView<float> t,
                          MatView<float> grad, int threads = 1);
double SoftmaxCrossEntropy(ConstMatView<double> z, ConstMatView<double> t,
                           MatView<double> grad, int threads = 1);

// The same with class indices for targets, as a language model uses it:
// t_i is one-hot at targets[i] (one per row of z, each in [0, c); an index
// outside throws std::invalid_argument naming it). Returns
// L = sum_i (log sum_k e^(z_ik) - z_i,targets[i]); writes
// grad_i = softmax(z_i) - e_targets[i]. Reads each row three times (max,
// exponentials, scaling) and no target matrix. grad may alias z.
float SoftmaxCrossEntropy(ConstMatView<float> z,
                          std::span<const std::int32_t> targets,
                          MatView<float> grad, int threads = 1);
double SoftmaxCrossEntropy(ConstMatView<double> z,
                           std::span<const std::int32_t> targets,
                           MatView<double> grad, int threads = 1);

}  // namespace ffnn::kernels

#endif  // FFNN_KERNELS_SOFTMAX_H_
