// A truncated SVD that never forms a dense copy of its (sparse) matrix: the
// randomized range finder of Halko, Martinsson and Tropp (2011, "Finding
// structure with randomness", algorithms 4.4 and 5.1). The full-vocabulary
// PPMI matrix of chapter 5 is 11,000 x 11,000 with a few million nonzeros:
// dense, it is a gigabyte and its SVD a few minutes; sampled, a few products
// of the sparse matrix with a tall thin one and an SVD of size k + p.
//
// Chosen over a Lanczos solver (Spectra) because it needs nothing beyond
// Eigen, its cost is a fixed number of sparse products that split across
// threads without changing a bit of the result, and its error for the
// leading singular vectors, which word vectors use, falls geometrically
// with the power iterations (Halko et al., section 10.4).
#ifndef FFNN_CH05_RANDOMIZED_SVD_H_
#define FFNN_CH05_RANDOMIZED_SVD_H_

#include <Eigen/Dense>
#include <Eigen/SparseCore>
#include <cstdint>

namespace ffnn::ch05 {

// Compressed rows, 64-bit indices (a few million nonzeros and growing).
using SparseMatrix = Eigen::SparseMatrix<double, Eigen::RowMajor, std::int64_t>;

struct TruncatedSvd {
  Eigen::MatrixXd U;  // (rows, k), orthonormal columns
  Eigen::VectorXd S;  // (k), falling
};

struct RandomizedSvdSettings {
  std::size_t oversample = 10;  // p: extra sampled directions
  int power_iterations = 4;     // q: passes of (A A^T) to sharpen the range
  std::uint64_t seed = 1;       // the Gaussian test matrix's
  int threads = 1;              // the same bits for any count
};

// The k leading singular values and left singular vectors of A (m x n):
// Y = (A A^T)^q A Omega with Omega (n, k + p) Gaussian, re-orthonormalized
// between passes; Q an orthonormal basis of Y; the SVD of the small
// B = Q^T A = U_B S V^T; U = Q U_B. Throws std::invalid_argument if k is 0
// or above min(m, n).
TruncatedSvd RandomizedSvd(const SparseMatrix& A, std::size_t k,
                           const RandomizedSvdSettings& settings = {});

}  // namespace ffnn::ch05

#endif  // FFNN_CH05_RANDOMIZED_SVD_H_
