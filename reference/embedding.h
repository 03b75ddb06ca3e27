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

}  // namespace ffnn::reference

#endif  // FFNN_REFERENCE_EMBEDDING_H_
