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

//! [hs_loss]
// The hierarchical-softmax loss of the word at the end of a path in the
// tree: -log of the product of the branch probabilities, sigma(u . v_j)
// where the path goes to the first child (code 0), 1 - sigma(u . v_j) where
// it goes to the second (code 1).
template <class S>
S HierarchicalSoftmaxLoss(VecIn<S> u, MatIn<S> node_table,
                          std::span<const int32_t> points,
                          std::span<const uint8_t> codes) {
  using std::log;
  S p(1);
  for (std::size_t j = 0; j < points.size(); ++j) {
    const S sigma = Sigmoid<S>(u.dot(node_table.row(points[j]).transpose()));
    p *= codes[j] == 0 ? sigma : S(S(1) - sigma);
  }
  return -log(p);
}
//! [hs_loss]

// One SGD step on that loss, as word2vec.c takes it: the nodes in path
// order, each from the u it was given (g = sigma(f) - (1 - code)), then u.
// For a path (no node twice) the loss is HierarchicalSoftmaxLoss.
template <class S>
S HierarchicalSoftmaxStep(S lr, VecOut<S> u, MatOut<S> node_table,
                          std::span<const int32_t> points,
                          std::span<const uint8_t> codes, VecOut<S> u_grad) {
  using std::log;
  // Each node's loss term from the node as the step finds it (a repeated
  // node has moved), as the kernel and word2vec.c take them.
  S loss(0);
  u_grad.setZero();
  for (std::size_t j = 0; j < points.size(); ++j) {
    auto v = node_table.row(points[j]);
    const S f = u.dot(v.transpose());
    loss -= log(Sigmoid<S>(codes[j] == 0 ? f : S(-f)));
    const S g = Sigmoid<S>(f) - S(1 - codes[j]);
    u_grad += g * v.transpose();
    v -= lr * g * u.transpose();
  }
  u -= lr * u_grad;
  return loss;
}

// A skip-gram window under hierarchical softmax: every input row in_idx[a]
// predicts the same word, whose path is (points, codes).
template <class S>
S HierarchicalSoftmaxWindowLoss(MatIn<S> in_table,
                                std::span<const int32_t> in_idx,
                                MatIn<S> node_table,
                                std::span<const int32_t> points,
                                std::span<const uint8_t> codes) {
  S loss(0);
  for (const int32_t a : in_idx) {
    loss += HierarchicalSoftmaxLoss<S>(in_table.row(a).transpose(), node_table,
                                       points, codes);
  }
  return loss;
}

// One SGD step on the window loss from the rows as they were (every row's
// change computed before any moves), repeated rows getting every
// occurrence's change.
template <class S>
S HierarchicalSoftmaxWindowStep(S lr, MatOut<S> in_table,
                                std::span<const int32_t> in_idx,
                                MatOut<S> node_table,
                                std::span<const int32_t> points,
                                std::span<const uint8_t> codes) {
  const std::size_t m = in_idx.size(), n = points.size();
  Mat<S> dU = Mat<S>::Zero(m, in_table.cols());
  Mat<S> dV = Mat<S>::Zero(n, node_table.cols());
  for (std::size_t a = 0; a < m; ++a) {
    for (std::size_t b = 0; b < n; ++b) {
      const auto u = in_table.row(in_idx[a]);
      const auto v = node_table.row(points[b]);
      const S g = Sigmoid<S>(u.dot(v)) - S(1 - codes[b]);
      dU.row(a) += g * v;
      dV.row(b) += g * u;
    }
  }
  const S loss = HierarchicalSoftmaxWindowLoss<S>(in_table, in_idx, node_table,
                                                  points, codes);
  for (std::size_t b = 0; b < n; ++b)
    node_table.row(points[b]) -= lr * dV.row(b);
  for (std::size_t a = 0; a < m; ++a) in_table.row(in_idx[a]) -= lr * dU.row(a);
  return loss;
}

}  // namespace ffnn::reference

#endif  // FFNN_REFERENCE_EMBEDDING_H_
