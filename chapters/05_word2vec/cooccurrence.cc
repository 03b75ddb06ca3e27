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

// Pairs sorted at a time when counting sparsely: 64 MB of keys.
constexpr std::size_t kPairChunk = std::size_t(1) << 23;

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

// Counts of 64-bit keys: added one at a time, sorted and summed a chunk at
// a time, each chunk merged into the sorted sums so far.
class KeyCounter {
 public:
  using Count = std::pair<std::uint64_t, double>;  // (key, count)
  explicit KeyCounter(std::size_t expected) {
    chunk_.reserve(std::min(kPairChunk, expected));
  }
  void Add(std::uint64_t key) {
    chunk_.push_back(key);
    if (chunk_.size() == kPairChunk) Flush();
  }
  // The sums, sorted by key.
  const std::vector<Count>& Sums() {
    Flush();
    return sums_;
  }

 private:
  void Flush() {
    std::sort(chunk_.begin(), chunk_.end());
    std::vector<Count> merged;
    merged.reserve(sums_.size() + chunk_.size());
    std::size_t a = 0;
    for (std::size_t b = 0; b < chunk_.size();) {
      std::size_t e = b;
      while (e < chunk_.size() && chunk_[e] == chunk_[b]) ++e;
      while (a < sums_.size() && sums_[a].first < chunk_[b]) {
        merged.push_back(sums_[a++]);
      }
      double n = double(e - b);
      if (a < sums_.size() && sums_[a].first == chunk_[b]) {
        n += sums_[a++].second;
      }
      merged.emplace_back(chunk_[b], n);
      b = e;
    }
    merged.insert(merged.end(), sums_.begin() + std::ptrdiff_t(a), sums_.end());
    sums_.swap(merged);
    chunk_.clear();
  }
  std::vector<std::uint64_t> chunk_;
  std::vector<Count> sums_;
};

//! [count_sparse]
SparseMatrix CountCooccurrencesSparse(
    const std::vector<std::vector<std::int32_t>>& sentences, std::size_t V,
    std::size_t k) {
  if (k == 0) throw std::invalid_argument("CountCooccurrences: k must be > 0");
  CheckIds(sentences, V);
  std::size_t positions = 0;
  for (const auto& s : sentences) positions += s.size();
  // Each pair of positions once, as the key (min(w, c), max(w, c)).
  KeyCounter pairs(positions * k);
  for (const auto& s : sentences) {
    for (std::size_t i = 0; i < s.size(); ++i) {
      for (std::size_t j = i + 1; j < s.size() && j - i <= k; ++j) {
        const auto [w, c] = std::minmax(s[i], s[j]);
        pairs.Add(std::uint64_t(w) * V + std::uint64_t(c));
      }
    }
  }
  // Counted in both directions: (w, c) and (c, w), twice on the diagonal.
  std::vector<Eigen::Triplet<double, std::int64_t>> triplets;
  triplets.reserve(2 * pairs.Sums().size());
  for (const auto& [key, n] : pairs.Sums()) {
    const auto w = std::int64_t(key / V), c = std::int64_t(key % V);
    triplets.emplace_back(w, c, n);
    triplets.emplace_back(c, w, n);
  }
  SparseMatrix m(static_cast<std::int64_t>(V), static_cast<std::int64_t>(V));
  m.setFromTriplets(triplets.begin(), triplets.end());
  return m;
}
//! [count_sparse]

SparseMatrix SparsePpmi(const SparseMatrix& counts, double alpha) {
  const auto V = counts.rows();
  // #(w) = row sums; the matrix is symmetric, so #(c) too.
  Eigen::VectorXd row = Eigen::VectorXd::Zero(V);
  for (Eigen::Index w = 0; w < V; ++w) {
    for (SparseMatrix::InnerIterator it(counts, w); it; ++it) {
      row[w] += it.value();
    }
  }
  const Eigen::VectorXd col_alpha = row.array().pow(alpha);
  const double total_alpha = col_alpha.sum();
  SparseMatrix out = counts;
  for (Eigen::Index w = 0; w < V; ++w) {
    for (SparseMatrix::InnerIterator it(out, w); it; ++it) {
      // P(w, c) / (P(w) P_alpha(c)) = (n / N) / ((#(w) / N) (#(c)^alpha /
      // T_alpha)) = n T_alpha / (#(w) #(c)^alpha): N cancels.
      const double pmi =
          std::log(it.value() * total_alpha / (row[w] * col_alpha[it.col()]));
      it.valueRef() = std::max(0.0, pmi);
    }
  }
  out.prune(0.0);
  return out;
}

std::uint64_t CountVectorsBytes(std::uint64_t tokens, std::size_t n,
                                std::size_t k, std::size_t d) {
  const std::uint64_t pairs =
      std::min<std::uint64_t>(std::uint64_t(n + 1) * (n + 1), tokens * k);
  // sums and their merge (2 x 16), the triplets (2 x 24), the counts, the
  // kept block and PPMI (3 x 2 x 16) per distinct pair; the chunk; the
  // SVD's (n, d + 10) matrices, about six of them.
  return pairs * (32 + 48 + 96) +
         std::min<std::uint64_t>(kPairChunk, tokens * k) * 8 +
         6 * std::uint64_t(n) * (d + 10) * 8;
}

std::vector<double> CountVectors(
    const std::vector<std::vector<std::int32_t>>& sentences, std::size_t n,
    std::size_t k, std::size_t d, const std::string& source,
    const CountSettings& settings) {
  if (d > n) {
    throw std::invalid_argument("CountVectors: " + std::to_string(d) +
                                " dimensions for " + std::to_string(n) +
                                " words");
  }
  auto capped = sentences;
  for (auto& s : capped) {
    for (auto& w : s) w = std::min<std::int32_t>(w, std::int32_t(n));
  }
  const SparseMatrix counts = CountCooccurrencesSparse(capped, n + 1, k);
  const auto nn = std::int64_t(n);
  const SparseMatrix kept = counts.topLeftCorner(nn, nn);
  if (kept.nonZeros() == 0) {
    throw std::invalid_argument(
        source + ": no two words occur within " + std::to_string(k) +
        " words of each other in a line: the co-occurrence matrix is "
        "zero, and so would every vector be");
  }
  RandomizedSvdSettings svd_settings;
  svd_settings.seed = settings.seed;
  svd_settings.threads = settings.threads;
  const TruncatedSvd svd =
      RandomizedSvd(SparsePpmi(kept, settings.alpha), d, svd_settings);
  // W = U_d S_d^p (Levy et al.'s eigenvalue weighting).
  using Mat =
      Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  std::vector<double> out(n * d);
  Eigen::Map<Mat>(out.data(), nn, Eigen::Index(d)) =
      svd.U * svd.S.array().pow(settings.p).matrix().asDiagonal();
  return out;
}

//! [rich_poor]
Similarity CosineAndAngle(std::span<const double> a,
                          std::span<const double> b) {
  const double cos = chapters::Cosine(a, b);
  return {cos, std::acos(cos) * 180 / std::numbers::pi};
}
//! [rich_poor]

}  // namespace ffnn::ch05
