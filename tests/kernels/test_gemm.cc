// Differential tests of kernels/gemm.h against reference/blas.h (Gemm).
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <limits>

#include "kernels/gemm.h"
#include "reference/blas.h"
#include "tests/kernels/common.h"

namespace ffnn::testing {
namespace {

namespace k = ffnn::kernels;
namespace ref = ffnn::reference;

// Stores op(X) for an (r, c) op(X) as an X with padded stride in a Buffer.
template <class T>
struct Operand {
  Buffer<T> buf;
  std::size_t rows, cols, ld;  // of the stored X
  ref::Mat<double> op;         // op(X) in double
};

template <class T>
Operand<T> MakeOperand(std::size_t r, std::size_t c, bool trans,
                       std::mt19937_64& rng) {
  const std::size_t rows = trans ? c : r, cols = trans ? r : c;
  const std::size_t ld = cols + 5;
  Operand<T> o{RandomBuffer<T>(rows * ld, 1, rng), rows, cols, ld, {}};
  o.op.resize(r, c);
  for (std::size_t i = 0; i < r; ++i) {
    for (std::size_t j = 0; j < c; ++j) {
      o.op(i, j) = trans ? o.buf[j * ld + i] : o.buf[i * ld + j];
    }
  }
  return o;
}

BOOST_AUTO_TEST_SUITE(kernels)

// Each C(i,j) sums k products plus beta C: within (gamma_T(k + 2) +
// gamma_double(k + 2)) (|alpha| sum_p |A(i,p)||B(p,j)| + |beta C(i,j)|) of the
// double reference. Shapes cover empty matrices, every partial micro-tile
// (m, n not multiples of MR = 4/6/12 or NR = 2 vectors), k across the
// KC = 256 cache block, A read in place (few column panels) and packed (many).
BOOST_AUTO_TEST_CASE_TEMPLATE(gemm_all_transposes_match_reference, T,
                              KernelTypes) {
  std::mt19937_64 rng(5);
  const std::size_t shapes[][3] = {
      {0, 0, 0},
      {0, 3, 2},
      {3, 0, 2},
      {3, 2, 0},
      {1, 1, 1},
      {2, 3, 4},
      {7, 9, 5},
      {12, 32, 8},
      {13, 33, 17},
      {25, 70, 3},
      {6, 16, 300},
      {37, 41, 257},
      {64, 64, 64},
      {100, 3, 99},
      {5, 200, 11},
      {129, 65, 520},
      // Wide products: A is packed (n >= 16 column panels of B on every
      // target), B^T is packed by 4x4 transposes, k crosses KC, n crosses
      // NC = 2048, and the last rows go through the tail tiles.
      {37, 600, 70},
      {13, 1030, 300},
      {27, 2100, 9}};
  ForEachTarget([&](int64_t) {
    for (const auto& s : shapes) {
      const std::size_t m = s[0], n = s[1], kk = s[2];
      for (int t = 0; t < 4; ++t) {
        const bool ta = t & 1, tb = t & 2;
        for (double beta : {0.0, 0.5}) {
          const double alpha = -1.5;
          auto A = MakeOperand<T>(m, kk, ta, rng);
          auto B = MakeOperand<T>(kk, n, tb, rng);
          const std::size_t ldc = n + 2;
          auto C = RandomBuffer<T>(m * ldc, 3, rng);
          if (beta == 0.0 && m * n > 0) {
            C[0] = std::numeric_limits<T>::quiet_NaN();  // must not leak
          }
          ref::Mat<double> want(m, n);
          for (std::size_t i = 0; i < m; ++i)
            for (std::size_t j = 0; j < n; ++j) want(i, j) = C[i * ldc + j];
          const ref::Mat<double> C0 = want;
          const std::vector<T> C_before = C.ToVector();
          ref::Gemm<double>(alpha, A.op, false, B.op, false, beta, want);
          k::Gemm(T(alpha),
                  k::ConstMatView<T>(A.buf.data(), A.rows, A.cols, A.ld),
                  ta ? k::Trans::kYes : k::Trans::kNo,
                  k::ConstMatView<T>(B.buf.data(), B.rows, B.cols, B.ld),
                  tb ? k::Trans::kYes : k::Trans::kNo, T(beta),
                  k::MatView<T>(C.data(), m, n, ldc));
          const ref::Mat<double> scale =
              std::abs(alpha) * A.op.cwiseAbs() * B.op.cwiseAbs();
          const double g = Gamma<T>(kk + 2) + Gamma<double>(kk + 2);
          Worst w;
          bool padding_intact = true;
          for (std::size_t i = 0; i < m; ++i) {
            for (std::size_t j = 0; j < n; ++j) {
              const double c0 = beta == 0.0 ? 0.0 : std::abs(beta * C0(i, j));
              w.Add(i * n + j, C[i * ldc + j], want(i, j),
                    g * (scale(i, j) + c0));
            }
            for (std::size_t j = n; j < ldc; ++j)
              padding_intact &= C[i * ldc + j] == C_before[i * ldc + j] ||
                                std::isnan(C_before[i * ldc + j]);
          }
          BOOST_TEST(w.ok(), "Gemm m=" << m << " n=" << n << " k=" << kk
                                       << " ta=" << ta << " tb=" << tb
                                       << " beta=" << beta << " "
                                       << w.Describe());
          BOOST_TEST(padding_intact, "Gemm wrote into C's stride padding");
          BOOST_TEST(C.FrontIntact());
        }
      }
    }
  });
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace ffnn::testing
