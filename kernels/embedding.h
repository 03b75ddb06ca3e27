// Embedding lookups and the skip-gram negative-sampling (SGNS) step.
//
// Indices are int32; every public entry point checks them against the table
// and throws std::invalid_argument naming the bad index and the table shape.
//
// Error contract: gather is an exact copy; scatter-add is one fused
// multiply-add per element (<= 1 ulp against the two-rounding loop), applied
// in index order, so duplicates accumulate deterministically. The SGNS step
// computes each score as a dot product (error as in blas.h: gamma(d) sum|.|)
// and then only element-wise updates: relative error of the updated rows
// <= 4 (d + 4) u against an exact evaluation, u the unit roundoff.
#ifndef FFNN_KERNELS_EMBEDDING_H_
#define FFNN_KERNELS_EMBEDDING_H_

#include <cstdint>
#include <span>

#include "kernels/views.h"

namespace ffnn::kernels {

// gather: out row r = table row idx[r]. table: (V, d), out: (len(idx), d).
void EmbeddingGather(ConstMatView<float> table, std::span<const int32_t> idx,
                     MatView<float> out);
void EmbeddingGather(ConstMatView<double> table, std::span<const int32_t> idx,
                     MatView<double> out);

// scatter-add: table row idx[r] += alpha * rows row r, for r in order;
// repeated indices accumulate. rows: (len(idx), d), table: (V, d).
void EmbeddingScatterAdd(float alpha, ConstMatView<float> rows,
                         std::span<const int32_t> idx, MatView<float> table);
void EmbeddingScatterAdd(double alpha, ConstMatView<double> rows,
                         std::span<const int32_t> idx, MatView<double> table);

//! [sgns_contract]
// One skip-gram negative-sampling step for a center word vector u (d) and
// k + 1 output vectors v_j = out_table row ctx[j]: ctx[0] is the observed
// context word (label 1), ctx[1..k] are the negative samples (label 0).
//   f_j = u . v_j,  L = -log sigma(f_0) - sum_{j>=1} log sigma(-f_j)
//   dL/df_j = sigma(f_j) - label_j
//   u_grad  = sum_j dL/df_j v_j          (with every v_j before its update)
//   v_j    <- v_j - lr dL/df_j u          (in order j = 0..k, as word2vec.c)
//   u      <- u - lr u_grad
// Returns L; writes u_grad (d). u must not alias a row of out_table.
//! [sgns_contract]
float NegativeSamplingStep(float lr, std::span<float> u,
                           MatView<float> out_table,
                           std::span<const int32_t> ctx,
                           std::span<float> u_grad);
double NegativeSamplingStep(double lr, std::span<double> u,
                            MatView<double> out_table,
                            std::span<const int32_t> ctx,
                            std::span<double> u_grad);

//! [sgns_window_contract]
// One skip-gram window with shared negatives (Ji et al. 2016): the m input
// rows u_a = in_table row in_idx[a] (a window's context words) against the
// n output rows v_b = out_table row out_idx[b], out_idx[0] the observed word
// (label 1) and the rest its negatives (label 0), all at once:
//   F = U V^T: (m, n)
//   L = sum_a [-log sigma(F_a0) - sum_{b>=1} log sigma(-F_ab)]
//   G = dL/dF = sigma(F) - labels  (written to scores, (m, n) row-major)
//   V <- V - lr G^T U
//   U <- U - lr G V                (both from the rows as they were; the
//                                   input gradients G V go to scratch)
// Repeated indices accumulate: every occurrence applies its own update.
// Returns L. The error contract is the SGNS step's: each score a dot
// product of d terms, then each updated entry one sum of m (or n) terms.
float NegativeSamplingWindowStep(float lr, MatView<float> in_table,
                                 std::span<const int32_t> in_idx,
                                 MatView<float> out_table,
                                 std::span<const int32_t> out_idx,
                                 MatView<float> scratch,
                                 std::span<float> scores);
double NegativeSamplingWindowStep(double lr, MatView<double> in_table,
                                  std::span<const int32_t> in_idx,
                                  MatView<double> out_table,
                                  std::span<const int32_t> out_idx,
                                  MatView<double> scratch,
                                  std::span<double> scores);
//! [sgns_window_contract]

//! [hs_contract]
// Hierarchical softmax (Morin and Bengio 2005; word2vec.c's -hs 1): the
// observed word is a leaf of a binary (Huffman) tree, and its probability
// the product, over the inner nodes on its path, of the branch taken:
// p(w | u) = prod_j sigma((1 - 2 codes[j]) u . v_j), v_j = node_table row
// points[j], codes[j] = 1 where the path goes to the second child. With
// label_j = 1 - codes[j] each node is a logistic regression, and the step is
// NegativeSamplingStep's with these labels in place of (1, 0, ..., 0):
//   L = -log p(w | u) = -sum_j log sigma((2 label_j - 1) f_j)
//   dL/df_j = sigma(f_j) - label_j, nodes updated in path order, then u.
// Returns L; writes u_grad (d). codes: one 0 or 1 per point. Same error
// contract as the SGNS step.
float HierarchicalSoftmaxStep(float lr, std::span<float> u,
                              MatView<float> node_table,
                              std::span<const int32_t> points,
                              std::span<const uint8_t> codes,
                              std::span<float> u_grad);
double HierarchicalSoftmaxStep(double lr, std::span<double> u,
                               MatView<double> node_table,
                               std::span<const int32_t> points,
                               std::span<const uint8_t> codes,
                               std::span<double> u_grad);

// A skip-gram window under hierarchical softmax: the window's context rows
// all predict the same center word, so they share its path, and the window
// is NegativeSamplingWindowStep's three products with the path's nodes as
// the output rows and label_b = 1 - codes[b] (scores: (m, len(points))).
float HierarchicalSoftmaxWindowStep(float lr, MatView<float> in_table,
                                    std::span<const int32_t> in_idx,
                                    MatView<float> node_table,
                                    std::span<const int32_t> points,
                                    std::span<const uint8_t> codes,
                                    MatView<float> scratch,
                                    std::span<float> scores);
double HierarchicalSoftmaxWindowStep(double lr, MatView<double> in_table,
                                     std::span<const int32_t> in_idx,
                                     MatView<double> node_table,
                                     std::span<const int32_t> points,
                                     std::span<const uint8_t> codes,
                                     MatView<double> scratch,
                                     std::span<double> scores);
//! [hs_contract]

}  // namespace ffnn::kernels

#endif  // FFNN_KERNELS_EMBEDDING_H_
