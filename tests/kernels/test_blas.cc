// Differential tests of kernels/blas.h against reference/blas.h on every
// Highway target, every length in TestLengths() and every misalignment.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <limits>

#include "kernels/blas.h"
#include "reference/blas.h"
#include "tests/kernels/common.h"

namespace ffnn::testing {
namespace {

namespace k = ffnn::kernels;
namespace ref = ffnn::reference;

BOOST_AUTO_TEST_SUITE(kernels)

// dot and sum: any summation order is within gamma(n) sum|terms| of the exact
// value, and the double reference is within gamma_double(n) of it, so the
// two differ by at most (gamma_T(n) + gamma_double(n)) sum|terms|.
BOOST_AUTO_TEST_CASE_TEMPLATE(dot_and_sum_match_reference, T, KernelTypes) {
  std::mt19937_64 rng(1);
  ForEachTarget([&](int64_t) {
    for (std::size_t n : TestLengths()) {
      for (std::size_t off : TestOffsets()) {
        auto x = RandomBuffer<T>(n, off, rng);
        auto y = RandomBuffer<T>(n, off + 1, rng);
        const auto xd = ToDouble(x.cspan()), yd = ToDouble(y.cspan());
        const double bound = Gamma<T>(n) + Gamma<double>(n);
        const double dot_tol = bound * xd.cwiseProduct(yd).cwiseAbs().sum();
        BOOST_TEST(std::abs(k::Dot(x.cspan(), y.cspan()) -
                            ref::Dot<double>(xd, yd)) <= dot_tol,
                   "Dot n=" << n << " off=" << off);
        const double sum_tol = bound * xd.cwiseAbs().sum();
        BOOST_TEST(
            std::abs(k::Sum(x.cspan()) - ref::Sum<double>(xd)) <= sum_tol,
            "Sum n=" << n << " off=" << off);
      }
    }
  });
}

// max is exact: the same element is selected whatever the order.
BOOST_AUTO_TEST_CASE_TEMPLATE(max_matches_reference_exactly, T, KernelTypes) {
  std::mt19937_64 rng(2);
  ForEachTarget([&](int64_t) {
    for (std::size_t n : TestLengths()) {
      auto x = RandomBuffer<T>(n, 1, rng, -100, 100);
      const T want = ref::Max<T>(Eigen::Map<const ref::Vec<T>>(x.data(), n));
      BOOST_TEST(k::Max(x.cspan()) == want, "Max n=" << n);
      if (n > 0) {  // NaN anywhere propagates
        x[n / 2] = std::numeric_limits<T>::quiet_NaN();
        BOOST_TEST(std::isnan(k::Max(x.cspan())), "Max NaN n=" << n);
      }
    }
  });
}

// add, sub, hadamard, scal: one correctly rounded operation per element on
// both sides, so the results are bit-identical. axpy: a fused multiply-add
// (one rounding) on FMA targets, a multiply and an add (two) elsewhere:
// within 2u (|a x_i| + |result|) of the double reference, which itself
// rounds at most as much (for double) or is exact up to 2^-53 (for float).
BOOST_AUTO_TEST_CASE_TEMPLATE(elementwise_match_reference, T, KernelTypes) {
  std::mt19937_64 rng(3);
  ForEachTarget([&](int64_t) {
    for (std::size_t n : TestLengths()) {
      for (std::size_t off : TestOffsets()) {
        auto x = RandomBuffer<T>(n, off, rng);
        auto y = RandomBuffer<T>(n, off + 2, rng);
        Buffer<T> out(n, off + 1);
        using Map = Eigen::Map<const ref::Vec<T>>;
        const Map xm(x.data(), n), ym(y.data(), n);
        ref::Vec<T> want(n);

        k::Add(x.cspan(), y.cspan(), out.span());
        ref::Add<T>(xm, ym, want);
        BOOST_TEST((Map(out.data(), n) == want), "Add n=" << n);
        k::Sub(x.cspan(), y.cspan(), out.span());
        ref::Sub<T>(xm, ym, want);
        BOOST_TEST((Map(out.data(), n) == want), "Sub n=" << n);
        k::Hadamard(x.cspan(), y.cspan(), out.span());
        ref::Hadamard<T>(xm, ym, want);
        BOOST_TEST((Map(out.data(), n) == want), "Hadamard n=" << n);
        BOOST_TEST(out.FrontIntact());

        want = xm;
        ref::Scal<T>(T(0.375), want);
        Buffer<T> s(n, off);
        std::copy(x.data(), x.data() + n, s.data());
        k::Scal(T(0.375), s.span());
        BOOST_TEST((Map(s.data(), n) == want), "Scal n=" << n);

        const T a = T(-1.7);
        Buffer<T> yk(n, off);
        std::copy(y.data(), y.data() + n, yk.data());
        k::Axpy(a, x.cspan(), yk.span());
        ref::Vec<double> want_d = ToDouble(y.cspan());
        ref::Axpy<double>(a, ToDouble(x.cspan()), want_d);
        Worst w;
        for (std::size_t i = 0; i < n; ++i) {
          const double ax = std::abs(double(a) * double(x[i]));
          w.Add(i, yk[i], want_d[i],
                2 * kUnitRoundoff<T> * (ax + std::abs(want_d[i])));
        }
        BOOST_TEST(w.ok(), "Axpy n=" << n << " " << w.Describe());
        BOOST_TEST(yk.FrontIntact());
      }
    }
  });
}

// gemv: each y_i is an alpha-scaled dot product of n (or m) terms plus
// beta y_i; bound (gamma_T(k + 2) + gamma_double(k + 2)) (|alpha| sum|A||x|
// + |beta y_i|), k the reduction length.
BOOST_AUTO_TEST_CASE_TEMPLATE(gemv_and_ger_match_reference, T, KernelTypes) {
  std::mt19937_64 rng(4);
  const std::size_t shapes[][2] = {{0, 0},   {1, 1},    {3, 5},   {4, 4},
                                   {5, 17},  {17, 5},   {33, 1},  {1, 33},
                                   {64, 64}, {67, 129}, {130, 31}};
  ForEachTarget([&](int64_t) {
    for (const auto& s : shapes) {
      const std::size_t m = s[0], n = s[1], lda = n + 3;
      for (bool trans : {false, true}) {
        for (double beta : {0.0, 1.0, -0.5}) {
          const std::size_t xn = trans ? m : n, yn = trans ? n : m;
          auto A = RandomBuffer<T>(m * lda, 1, rng);
          auto x = RandomBuffer<T>(xn, 3, rng);
          auto y = RandomBuffer<T>(yn, 2, rng);
          const double alpha = 0.75;
          ref::Mat<double> Ad(m, n);
          for (std::size_t i = 0; i < m; ++i)
            for (std::size_t j = 0; j < n; ++j) Ad(i, j) = A[i * lda + j];
          const auto xd = ToDouble(x.cspan());
          ref::Vec<double> want = ToDouble(y.cspan());
          const ref::Vec<double> y0 = want;
          ref::Gemv<double>(alpha, Ad, trans, xd, beta, want);
          // |alpha| |op(A)| |x| + |beta y|: the scale of each y_i's terms.
          const ref::Vec<double> scale =
              (trans
                   ? ref::Vec<double>(Ad.cwiseAbs().transpose() * xd.cwiseAbs())
                   : ref::Vec<double>(Ad.cwiseAbs() * xd.cwiseAbs())) *
                  alpha +
              std::abs(beta) * y0.cwiseAbs();
          k::Gemv(T(alpha), k::ConstMatView<T>(A.data(), m, n, lda),
                  trans ? k::Trans::kYes : k::Trans::kNo, x.cspan(), T(beta),
                  y.span());
          const double g = Gamma<T>(xn + 2) + Gamma<double>(xn + 2);
          Worst w;
          for (std::size_t i = 0; i < yn; ++i)
            w.Add(i, y[i], want[i], g * scale[i]);
          BOOST_TEST(w.ok(), "Gemv m=" << m << " n=" << n << " trans=" << trans
                                       << " beta=" << beta << " "
                                       << w.Describe());
          BOOST_TEST(y.FrontIntact());
        }
      }
      // ger: A + (alpha x_i) y_j: alpha x_i is rounded once, then a fused
      // multiply-add (or a multiply and an add without FMA): at most three
      // roundings, within 3u (|alpha x_i y_j| + |A|).
      auto A = RandomBuffer<T>(m * lda, 1, rng);
      auto x = RandomBuffer<T>(m, 0, rng);
      auto y = RandomBuffer<T>(n, 1, rng);
      ref::Mat<double> want(m, n);
      for (std::size_t i = 0; i < m; ++i)
        for (std::size_t j = 0; j < n; ++j) want(i, j) = A[i * lda + j];
      const ref::Mat<double> A0 = want;
      const std::vector<T> A_before = A.ToVector();
      ref::Ger<double>(-1.25, ToDouble(x.cspan()), ToDouble(y.cspan()), want);
      k::Ger(T(-1.25), x.cspan(), y.cspan(),
             k::MatView<T>(A.data(), m, n, lda));
      Worst w;
      bool padding_intact = true;
      for (std::size_t i = 0; i < m; ++i) {
        for (std::size_t j = 0; j < n; ++j) {
          const double tol =
              3 * kUnitRoundoff<T> *
              (std::abs(1.25 * x[i] * y[j]) + std::abs(A0(i, j)));
          w.Add(i * n + j, A[i * lda + j], want(i, j), tol);
        }
        for (std::size_t j = n; j < lda; ++j) {  // the stride's padding
          padding_intact &= A[i * lda + j] == A_before[i * lda + j];
        }
      }
      BOOST_TEST(w.ok(), "Ger m=" << m << " n=" << n << " " << w.Describe());
      BOOST_TEST(padding_intact, "Ger wrote into the stride padding");
    }
  });
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace ffnn::testing
