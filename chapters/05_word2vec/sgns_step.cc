#include "chapters/05_word2vec/sgns_step.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <vector>

#include "kernels/embedding.h"
#include "kernels/exercise.h"  // the student pack's stubs

namespace ffnn::ch05 {
namespace {

using Table =
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

double Sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

Eigen::Index Rows(std::span<const double> table, std::size_t d) {
  return static_cast<Eigen::Index>(table.size() / d);
}

}  // namespace

//! [sgns_loss]
double SgnsLoss(std::span<const double> u, std::span<const double> out,
                std::size_t d, std::span<const std::int32_t> ctx) {
  const Eigen::Map<const Eigen::VectorXd> uu(u.data(), Eigen::Index(d));
  const Eigen::Map<const Table> v(out.data(), Rows(out, d), Eigen::Index(d));
  double loss = 0;
  for (std::size_t j = 0; j < ctx.size(); ++j) {
    const double f = uu.dot(v.row(ctx[j]).transpose());
    loss -= std::log(Sigmoid(j == 0 ? f : -f));
  }
  return loss;
}
//! [sgns_loss]

double SgnsStep(double lr, std::span<double> u, std::span<double> out,
                std::size_t d, std::span<const std::int32_t> ctx,
                std::span<double> u_grad) {
  Eigen::Map<Eigen::VectorXd> uu(u.data(), Eigen::Index(d));
  Eigen::Map<Eigen::VectorXd> grad(u_grad.data(), Eigen::Index(d));
  Eigen::Map<Table> table(out.data(), Rows(out, d), Eigen::Index(d));
  grad.setZero();
  double loss = 0;
  // Exercise 5.3: one skip-gram negative-sampling step (3 points).
  // Slide: LMU, Feedforward Neural Networks and Word Embeddings, slides
  //   'Word2Vec' and 'Simplifications' ("negative sampling"; Mikolov et
  //   al. 2013).
  // Formula: for j = 0, 1, ..., with f_j = u . v_j (v_j = row ctx[j] of
  //   the output table), label 1 for j = 0 (the observed word) and 0 for
  //   the negatives: L = -sum_j log sigma(+-f_j) (+ for j = 0),
  //   g_j = dL/df_j = sigma(f_j) - label_j; accumulate dL/du = sum_j g_j v_j
  //   (into grad, before v_j moves), then v_j <- v_j - lr g_j u, in order;
  //   finally u <- u - lr dL/du. Return L.
  // Shapes: u, grad: (d); table: (rows, d), row-major; ctx: (1 + k).
  // Builds on: nothing (SgnsLoss is L alone).
  // BEGIN SOLUTION ch05.3.sgns_step
  for (std::size_t j = 0; j < ctx.size(); ++j) {
    auto v = table.row(ctx[j]);
    const double f = uu.dot(v.transpose());
    const double label = j == 0 ? 1.0 : 0.0;
    loss -= std::log(Sigmoid(j == 0 ? f : -f));
    const double g = Sigmoid(f) - label;  // dL/df_j
    grad += g * v.transpose();
    v -= lr * g * uu.transpose();
  }
  uu -= lr * grad;
  // END SOLUTION
  return loss;
}

//! [one_step]
double SkipGramStep(double lr, std::span<double> in, std::span<double> out,
                    std::size_t d, std::int32_t center,
                    std::span<const std::int32_t> ctx,
                    std::span<double> u_grad) {
  const std::span<double> u = in.subspan(std::size_t(center) * d, d);
  return kernels::NegativeSamplingStep(
      lr, u, kernels::MatView<double>(out.data(), out.size() / d, d), ctx,
      u_grad);
}

double CbowStep(double lr, std::span<double> in, std::span<double> out,
                std::size_t d, std::span<const std::int32_t> context,
                std::span<const std::int32_t> ctx, std::span<double> h,
                std::span<double> h_grad) {
  const double m = static_cast<double>(context.size());
  std::fill(h.begin(), h.end(), 0.0);
  for (const std::int32_t c : context) {
    for (std::size_t i = 0; i < d; ++i) h[i] += in[c * d + i] / m;
  }
  std::vector<double> moved(h.begin(), h.end());  // the step moves h
  const double loss = kernels::NegativeSamplingStep(
      lr, std::span<double>(moved),
      kernels::MatView<double>(out.data(), out.size() / d, d), ctx, h_grad);
  // word2vec.c (and gensim) subtract lr h_grad from EVERY context row,
  // though the gradient of L with respect to one occurrence is h_grad / m.
  for (const std::int32_t c : context) {
    for (std::size_t i = 0; i < d; ++i) in[c * d + i] -= lr * h_grad[i];
  }
  return loss;
}
//! [one_step]

}  // namespace ffnn::ch05
