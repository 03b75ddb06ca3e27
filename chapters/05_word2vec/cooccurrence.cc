#include "chapters/05_word2vec/cooccurrence.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

#include "chapters/common/cosine.h"
#include "kernels/exercise.h"  // the student pack's stubs

namespace ffnn::ch05 {
namespace {

void CheckIds(const std::vector<std::vector<std::int32_t>>& sentences,
              std::size_t V) {
  for (const auto& s : sentences) {
    for (const std::int32_t w : s) {
      if (w < 0 || static_cast<std::size_t>(w) >= V) {
        throw std::invalid_argument("CountCooccurrences: id " +
                                    std::to_string(w) + " outside [0, " +
                                    std::to_string(V) + ")");
      }
    }
  }
}

}  // namespace

//! [count_cooccurrences]
WordMatrix CountCooccurrences(
    const std::vector<std::vector<std::int32_t>>& sentences, std::size_t V,
    std::size_t k) {
  if (k == 0) throw std::invalid_argument("CountCooccurrences: k must be > 0");
  WordMatrix m{V, std::vector<double>(V * V, 0.0)};
  CheckIds(sentences, V);
  for (const auto& s : sentences) {
    // Each pair (i, j) with 0 < j - i <= k once, counted in both directions.
    for (std::size_t i = 0; i < s.size(); ++i) {
      for (std::size_t j = i + 1; j < s.size() && j - i <= k; ++j) {
        m(s[i], s[j]) += 1;
        m(s[j], s[i]) += 1;
      }
    }
  }
  return m;
}
//! [count_cooccurrences]

//! [ppmi]
WordMatrix Ppmi(const WordMatrix& counts, double alpha) {
  const std::size_t V = counts.V;
  WordMatrix out{V, std::vector<double>(V * V, 0.0)};
  // Exercise 5.1: PPMI with context-distribution smoothing (2 points).
  // Slide: LMU, Feedforward Neural Networks and Word Embeddings, slide
  //   'Word cooccurrence in Wikipedia' (the counts; PPMI weighs them,
  //   Levy, Goldberg and Dagan 2015 smooth the contexts).
  // Formula: with N = sum_{w,c} #(w,c), #(w) = sum_c #(w,c) (the matrix
  //   is symmetric: #(c) is a row sum too), P_alpha(c) = #(c)^alpha /
  //   sum_c' #(c')^alpha: PPMI(w,c) = max(0, log(P(w,c) / (P(w)
  //   P_alpha(c)))), P(w,c) = #(w,c)/N, P(w) = #(w)/N; 0 where #(w,c) = 0.
  // Shapes: counts, out: (V, V), symmetric; counts(w, c), out(w, c).
  // Builds on: nothing.
  // BEGIN SOLUTION ch05.1.ppmi
  std::vector<double> row(V, 0.0), col_alpha(V, 0.0);
  double total = 0, total_alpha = 0;
  for (std::size_t w = 0; w < V; ++w) {
    for (std::size_t c = 0; c < V; ++c) row[w] += counts(w, c);
    total += row[w];
  }
  // The matrix is symmetric, so #(c) is the row sum too.
  for (std::size_t c = 0; c < V; ++c) {
    col_alpha[c] = std::pow(row[c], alpha);
    total_alpha += col_alpha[c];
  }
  for (std::size_t w = 0; w < V; ++w) {
    for (std::size_t c = 0; c < V; ++c) {
      const double n = counts(w, c);
      if (n <= 0) continue;
      const double pmi = std::log(
          (n / total) / ((row[w] / total) * (col_alpha[c] / total_alpha)));
      out(w, c) = std::max(0.0, pmi);
    }
  }
  // END SOLUTION
  return out;
}
//! [ppmi]

//! [svd_vectors]
std::vector<double> SvdVectors(const WordMatrix& m, std::size_t d) {
  if (d > m.V) {
    throw std::invalid_argument("SvdVectors: " + std::to_string(d) +
                                " dimensions for " + std::to_string(m.V) +
                                " words");
  }
  using Mat =
      Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const auto V = static_cast<Eigen::Index>(m.V);
  const Eigen::Map<const Mat> M(m.values.data(), V, V);
  Eigen::BDCSVD<Eigen::MatrixXd> svd(M, Eigen::ComputeThinU);
  const auto dd = static_cast<Eigen::Index>(d);
  // U_d S_d^(1/2): the symmetric split, so that dot products of the vectors
  // approximate the PPMI matrix's entries for a symmetric M.
  const Eigen::MatrixXd W =
      svd.matrixU().leftCols(dd) *
      svd.singularValues().head(dd).cwiseSqrt().asDiagonal();
  std::vector<double> out(m.V * d);
  Eigen::Map<Mat>(out.data(), V, dd) = W;
  return out;
}
//! [svd_vectors]

std::vector<double> CountVectors(
    const std::vector<std::vector<std::int32_t>>& sentences, std::size_t n,
    std::size_t k, std::size_t d, const std::string& source) {
  auto capped = sentences;
  for (auto& s : capped) {
    for (auto& w : s) w = std::min<std::int32_t>(w, std::int32_t(n));
  }
  const WordMatrix counts = CountCooccurrences(capped, n + 1, k);
  WordMatrix kept{n, std::vector<double>(n * n)};
  for (std::size_t w = 0; w < n; ++w) {
    for (std::size_t x = 0; x < n; ++x) kept(w, x) = counts(w, x);
  }
  if (std::all_of(kept.values.begin(), kept.values.end(),
                  [](double x) { return x == 0; })) {
    throw std::invalid_argument(
        source + ": no two words occur within " + std::to_string(k) +
        " words of each other in a line: the co-occurrence matrix is "
        "zero, and so would every vector be");
  }
  return SvdVectors(Ppmi(kept), d);
}

//! [rich_poor]
Similarity CosineAndAngle(std::span<const double> a,
                          std::span<const double> b) {
  const double cos = chapters::Cosine(a, b);
  return {cos, std::acos(cos) * 180 / std::numbers::pi};
}
//! [rich_poor]

}  // namespace ffnn::ch05
