// Reference versions of kernels/embedding.h.
#ifndef FFNN_REFERENCE_EMBEDDING_H_
#define FFNN_REFERENCE_EMBEDDING_H_

#include <cmath>
#include <cstdint>
#include <span>

#include "reference/activations.h"
#include "reference/types.h"

namespace ffnn::reference {

// out row r = table row idx[r]
template <class S>
void EmbeddingGather(MatIn<S> table, std::span<const int32_t> idx,
                     MatOut<S> out) {
  for (std::size_t r = 0; r < idx.size(); ++r) out.row(r) = table.row(idx[r]);
}

// table row idx[r] += alpha * rows row r, in order
template <class S>
void EmbeddingScatterAdd(S alpha, MatIn<S> rows, std::span<const int32_t> idx,
                         MatOut<S> table) {
  for (std::size_t r = 0; r < idx.size(); ++r) {
    table.row(idx[r]) += alpha * rows.row(r);
  }
}

//! [sgns_loss]
// The skip-gram negative-sampling loss of one (center, context) pair with
// negatives: L = -log sigma(u . v_0) - sum_{j>=1} log sigma(-u . v_j).
template <class S>
S NegativeSamplingLoss(VecIn<S> u, MatIn<S> out_table,
                       std::span<const int32_t> ctx) {
  using std::log;
  S loss(0);
  for (std::size_t j = 0; j < ctx.size(); ++j) {
    const S f = u.dot(out_table.row(ctx[j]).transpose());
    loss -= log(Sigmoid<S>(j == 0 ? f : S(-f)));
  }
  return loss;
}
//! [sgns_loss]

// One SGD step on that loss, updating the context rows in order (as
// word2vec.c does) and then the center vector; returns the loss.
template <class S>
S NegativeSamplingStep(S lr, VecOut<S> u, MatOut<S> out_table,
                       std::span<const int32_t> ctx, VecOut<S> u_grad) {
  using std::log;
  u_grad.setZero();
  S loss(0);
  for (std::size_t j = 0; j < ctx.size(); ++j) {
    auto v = out_table.row(ctx[j]);
    const S f = u.dot(v.transpose());
    const S label = j == 0 ? S(1) : S(0);
    loss -= log(Sigmoid<S>(j == 0 ? f : S(-f)));
    const S g = Sigmoid<S>(f) - label;  // dL/df_j
    u_grad += g * v.transpose();
    v -= lr * g * u.transpose();
  }
  u -= lr * u_grad;
  return loss;
}

//! [sgns_window_loss]
// The loss of a skip-gram window with shared negatives: every input row
// in_idx[a] against the observed word out_idx[0] and the negatives.
template <class S>
S NegativeSamplingWindowLoss(MatIn<S> in_table, std::span<const int32_t> in_idx,
                             MatIn<S> out_table,
                             std::span<const int32_t> out_idx) {
  using std::log;
  S loss(0);
  for (const int32_t a : in_idx) {
    for (std::size_t b = 0; b < out_idx.size(); ++b) {
      const S f = in_table.row(a).dot(out_table.row(out_idx[b]));
      loss -= log(Sigmoid<S>(b == 0 ? f : S(-f)));
    }
  }
  return loss;
}
//! [sgns_window_loss]

// One SGD step on that loss from the rows as they were: the gradients of
// the gathered rows, F = U V^T, G = sigma(F) - labels, dU = G V, dV = G^T U,
// then scattered back (repeated rows get every occurrence's change).
template <class S>
S NegativeSamplingWindowStep(S lr, MatOut<S> in_table,
                             std::span<const int32_t> in_idx,
                             MatOut<S> out_table,
                             std::span<const int32_t> out_idx) {
  using std::log;
  const std::size_t m = in_idx.size(), n = out_idx.size();
  Mat<S> U(m, in_table.cols()), V(n, out_table.cols());
  for (std::size_t a = 0; a < m; ++a) U.row(a) = in_table.row(in_idx[a]);
  for (std::size_t b = 0; b < n; ++b) V.row(b) = out_table.row(out_idx[b]);
  const Mat<S> F = U * V.transpose();  // (m, n)
  Mat<S> G(m, n);
  S loss(0);
  for (std::size_t a = 0; a < m; ++a) {
    for (std::size_t b = 0; b < n; ++b) {
      loss -= log(Sigmoid<S>(b == 0 ? F(a, b) : S(-F(a, b))));
      G(a, b) = Sigmoid<S>(F(a, b)) - (b == 0 ? S(1) : S(0));
    }
  }
  const Mat<S> dU = G * V, dV = G.transpose() * U;
  for (std::size_t b = 0; b < n; ++b)
    out_table.row(out_idx[b]) -= lr * dV.row(b);
  for (std::size_t a = 0; a < m; ++a) in_table.row(in_idx[a]) -= lr * dU.row(a);
  return loss;
}

}  // namespace ffnn::reference

#endif  // FFNN_REFERENCE_EMBEDDING_H_
