#include "chapters/05_word2vec/randomized_svd.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

#include "chapters/common/random.h"
#include "kernels/parallel.h"

namespace ffnn::ch05 {
namespace {

// The tall, thin matrices by rows, so that a sparse row's products read
// whole contiguous rows.
using RowMat =
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// out = A X, the rows of A split among the threads: each output row is one
// sparse row times X, computed whole by one thread, so the bits do not
// depend on the split.
RowMat Times(const SparseMatrix& A, const RowMat& X, int threads) {
  RowMat out = RowMat::Zero(A.rows(), X.cols());
  const auto T = static_cast<std::size_t>(threads);
  kernels::ParallelFor(threads, T, [&](std::size_t t) {
    const kernels::Range r =
        kernels::BlockRange(std::size_t(A.rows()), T, t, 1);
    for (auto i = Eigen::Index(r.begin); i < Eigen::Index(r.end); ++i) {
      for (SparseMatrix::InnerIterator it(A, i); it; ++it) {
        out.row(i) += it.value() * X.row(it.col());
      }
    }
  });
  return out;
}

// out = A^T X, the columns of X split among the threads: column j of the
// result is A^T times column j, summed over A's rows in order, so again
// independent of the split.
RowMat TransposeTimes(const SparseMatrix& A, const RowMat& X, int threads) {
  RowMat out = RowMat::Zero(A.cols(), X.cols());
  const auto T = static_cast<std::size_t>(threads);
  kernels::ParallelFor(threads, T, [&](std::size_t t) {
    const kernels::Range r =
        kernels::BlockRange(std::size_t(X.cols()), T, t, 1);
    const auto c0 = Eigen::Index(r.begin), nc = Eigen::Index(r.end - r.begin);
    if (nc == 0) return;
    for (Eigen::Index i = 0; i < A.rows(); ++i) {
      for (SparseMatrix::InnerIterator it(A, i); it; ++it) {
        out.row(it.col()).segment(c0, nc) +=
            it.value() * X.row(i).segment(c0, nc);
      }
    }
  });
  return out;
}

// An orthonormal basis of Y's columns (thin Householder QR).
RowMat Orthonormal(const RowMat& Y) {
  Eigen::HouseholderQR<Eigen::MatrixXd> qr(Y);
  return qr.householderQ() * Eigen::MatrixXd::Identity(Y.rows(), Y.cols());
}

}  // namespace

//! [randomized_svd]
TruncatedSvd RandomizedSvd(const SparseMatrix& A, std::size_t k,
                           const RandomizedSvdSettings& s) {
  const std::size_t m = A.rows(), n = A.cols();
  if (k == 0 || k > std::min(m, n)) {
    throw std::invalid_argument("RandomizedSvd: rank " + std::to_string(k) +
                                " for a " + std::to_string(m) + " x " +
                                std::to_string(n) + " matrix");
  }
  const auto l = Eigen::Index(std::min(k + s.oversample, std::min(m, n)));
  // Omega: (n, l), standard normal (Box-Muller), from the seed alone.
  chapters::SplitMix64 rng(s.seed);
  RowMat omega(Eigen::Index(n), l);
  for (Eigen::Index j = 0; j < l; ++j) {
    for (Eigen::Index i = 0; i < Eigen::Index(n); ++i) {
      const double u1 = 1.0 - rng.Uniform(), u2 = rng.Uniform();
      omega(i, j) =
          std::sqrt(-2 * std::log(u1)) * std::cos(2 * std::numbers::pi * u2);
    }
  }
  // The range of A, sharpened by q passes of A A^T: singular value s_i
  // weighs as s_i^(2q + 1), so the leading directions dominate the sample.
  RowMat Q = Orthonormal(Times(A, omega, s.threads));  // (m, l)
  for (int pass = 0; pass < s.power_iterations; ++pass) {
    const RowMat Z = Orthonormal(TransposeTimes(A, Q, s.threads));
    Q = Orthonormal(Times(A, Z, s.threads));
  }
  // B = Q^T A: (l, n), small enough for a dense SVD.
  const Eigen::MatrixXd B = TransposeTimes(A, Q, s.threads).transpose();
  Eigen::BDCSVD<Eigen::MatrixXd> svd(B, Eigen::ComputeThinU);
  const auto kk = Eigen::Index(k);
  return {Q * svd.matrixU().leftCols(kk), svd.singularValues().head(kk)};
}
//! [randomized_svd]

}  // namespace ffnn::ch05
