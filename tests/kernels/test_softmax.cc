// Differential tests of kernels/softmax.h against reference/softmax.h.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "kernels/softmax.h"
#include "reference/softmax.h"
#include "tests/kernels/common.h"

namespace ffnn::testing {
namespace {

namespace k = ffnn::kernels;
namespace ref = ffnn::reference;

// (rows, classes) shapes: single entries, every tail, and long rows.
const std::size_t kShapes[][2] = {{0, 0},  {1, 1},   {3, 2},   {4, 3},
                                  {2, 7},  {5, 16},  {3, 17},  {2, 33},
                                  {7, 10}, {1, 100}, {2, 1025}};

BOOST_AUTO_TEST_SUITE(kernels)

// softmax: the contract (softmax.h) is (2 (c + 2) + |x_j - m|) ulp of T
// relative per element: Exp is ulp-accurate and the row sum of c terms adds
// gamma(c), but the shift x_j - m is rounded (absolute error u |x_j - m|)
// and e^z turns an absolute error in z into the same relative error.
// Probabilities below T's smallest normal get an absolute floor.
BOOST_AUTO_TEST_CASE_TEMPLATE(softmax_and_log_softmax_match_reference, T,
                              KernelTypes) {
  std::mt19937_64 rng(8);
  ForEachTarget([&](int64_t) {
    for (const auto& s : kShapes) {
      const std::size_t n = s[0], c = s[1], ld = c + 1;
      auto x = RandomBuffer<T>(n * ld, 1, rng, -30, 30);
      Buffer<T> y(n * ld, 2);
      ref::Mat<double> xd(n, c), want(n, c);
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < c; ++j) xd(i, j) = x[i * ld + j];
      const double ulps = 2.0 * double(c + 2);
      const double eps = std::numeric_limits<T>::epsilon();

      k::Softmax(k::ConstMatView<T>(x.data(), n, c, ld),
                 k::MatView<T>(y.data(), n, c, ld));
      ref::Softmax<double>(xd, want);
      Worst ws;
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < c; ++j)
          ws.Add(i * c + j, y[i * ld + j], want(i, j),
                 (ulps + std::abs(xd(i, j) - xd.row(i).maxCoeff())) * eps *
                         want(i, j) +
                     std::numeric_limits<T>::min());
      BOOST_TEST(ws.ok(), "Softmax " << n << "x" << c << " " << ws.Describe());

      // log-softmax: y = x - lse, lse = m + log s; the error is absolute,
      // 2 (c + 2) ulp of the terms it is computed from, |x_j| + |lse|.
      k::LogSoftmax(k::ConstMatView<T>(x.data(), n, c, ld),
                    k::MatView<T>(y.data(), n, c, ld));
      ref::LogSoftmax<double>(xd, want);
      Worst wl;
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < c; ++j)
          wl.Add(i * c + j, y[i * ld + j], want(i, j),
                 ulps * eps *
                     (std::abs(xd(i, j)) + std::abs(xd(i, j) - want(i, j))));
      BOOST_TEST(wl.ok(),
                 "LogSoftmax " << n << "x" << c << " " << wl.Describe());
      BOOST_TEST(y.FrontIntact());
    }
  });
}

// Softmax backward: a dot product of c terms then one multiply-subtract per
// element: within (gamma_T(c + 2) + gamma_double(c + 2)) y (|dy| + sum|dy y|).
BOOST_AUTO_TEST_CASE_TEMPLATE(softmax_backward_matches_reference, T,
                              KernelTypes) {
  std::mt19937_64 rng(9);
  ForEachTarget([&](int64_t) {
    for (const auto& s : kShapes) {
      const std::size_t n = s[0], c = s[1];
      auto dy = RandomBuffer<T>(n * c, 1, rng);
      auto z = RandomBuffer<T>(n * c, 0, rng, -3, 3);
      Buffer<T> y(n * c, 0), dx(n * c, 2);
      k::Softmax(k::ConstMatView<T>(z.data(), n, c),
                 k::MatView<T>(y.data(), n, c));
      const auto dyd = ToDoubleMat(dy.cspan(), n, c);
      const auto yd = ToDoubleMat(y.cspan(), n, c);
      ref::Mat<double> want(n, c);
      ref::SoftmaxBackward<double>(dyd, yd, want);
      k::SoftmaxBackward(k::ConstMatView<T>(dy.data(), n, c),
                         k::ConstMatView<T>(y.data(), n, c),
                         k::MatView<T>(dx.data(), n, c));
      const double g = Gamma<T>(c + 2) + Gamma<double>(c + 2);
      Worst w;
      for (std::size_t i = 0; i < n; ++i) {
        const double dot_scale = dyd.row(i).cwiseAbs().dot(yd.row(i));
        for (std::size_t j = 0; j < c; ++j)
          w.Add(i * c + j, dx[i * c + j], want(i, j),
                g * yd(i, j) * (std::abs(dyd(i, j)) + dot_scale));
      }
      BOOST_TEST(w.ok(),
                 "SoftmaxBackward " << n << "x" << c << " " << w.Describe());
    }
  });
}

// Fused softmax-cross-entropy against the reference: the loss within
// 4 (c + 4) u (sum_k t_k |log p_k| + |lse|) per row, u of T; the gradient
// p - t within the softmax tolerance plus one rounding of the subtraction.
BOOST_AUTO_TEST_CASE_TEMPLATE(softmax_cross_entropy_matches_reference, T,
                              KernelTypes) {
  std::mt19937_64 rng(10);
  ForEachTarget([&](int64_t) {
    for (const auto& s : kShapes) {
      const std::size_t n = s[0], c = s[1];
      auto z = RandomBuffer<T>(n * c, 1, rng, -10, 10);
      Buffer<T> t(n * c, 0), g(n * c, 3);
      std::uniform_int_distribution<std::size_t> cls(0, c ? c - 1 : 0);
      for (std::size_t i = 0; i < n; ++i) t[i * c + cls(rng)] = T(1);
      const auto zd = ToDoubleMat(z.cspan(), n, c);
      const auto td = ToDoubleMat(t.cspan(), n, c);
      ref::Mat<double> want_grad(n, c);
      const double want_loss =
          ref::SoftmaxCrossEntropy<double>(zd, td, want_grad);
      const T loss = k::SoftmaxCrossEntropy(k::ConstMatView<T>(z.data(), n, c),
                                            k::ConstMatView<T>(t.data(), n, c),
                                            k::MatView<T>(g.data(), n, c));
      double loss_scale = 0;
      for (std::size_t i = 0; i < n; ++i) {
        ref::Vec<double> lp = ref::LogSoftmax<double>(zd.row(i).transpose());
        loss_scale +=
            td.row(i).dot(lp.cwiseAbs()) + zd.row(i).cwiseAbs().maxCoeff() + 1;
      }
      const double u = kUnitRoundoff<T>;
      BOOST_TEST(
          std::abs(loss - want_loss) <= 4.0 * (c + 4) * u * loss_scale,
          "loss " << n << "x" << c << ": " << loss << " vs " << want_loss);
      Worst w;
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < c; ++j) {
          const double p = want_grad(i, j) + td(i, j);
          const double shift = std::abs(zd(i, j) - zd.row(i).maxCoeff());
          w.Add(i * c + j, g[i * c + j], want_grad(i, j),
                (2.0 * (c + 2) + shift) * 2 * u * p +
                    2 * u * std::abs(want_grad(i, j)) +
                    std::numeric_limits<T>::min());
        }
      BOOST_TEST(w.ok(), "grad " << n << "x" << c << " " << w.Describe());
    }
  });
}

// The extreme case: logits of +-1000 stay finite (no inf - inf).
BOOST_AUTO_TEST_CASE_TEMPLATE(softmax_of_huge_logits_is_finite, T,
                              KernelTypes) {
  ForEachTarget([&](int64_t) {
    const T z[] = {T(1000), T(-1000), T(999), T(1000), T(-1000), T(-999)};
    T p[6], lp[6], g[6];
    const T t[] = {0, 1, 0, 1, 0, 0};
    k::Softmax(k::ConstMatView<T>(z, 2, 3), k::MatView<T>(p, 2, 3));
    k::LogSoftmax(k::ConstMatView<T>(z, 2, 3), k::MatView<T>(lp, 2, 3));
    const T loss = k::SoftmaxCrossEntropy(k::ConstMatView<T>(z, 2, 3),
                                          k::ConstMatView<T>(t, 2, 3),
                                          k::MatView<T>(g, 2, 3));
    for (int i = 0; i < 6; ++i) {
      BOOST_TEST(std::isfinite(p[i]));
      BOOST_TEST(std::isfinite(lp[i]));
      BOOST_TEST(std::isfinite(g[i]));
    }
    // Row 0: p = (1, 0, e^-1) / (1 + e^-1) and label 1 has log p = -2000 -
    // log(1 + e^-1); row 1: the label has the largest logit, and its loss
    // log(1 + e^-2000 + e^-1999) is 0 in both types. The bounds are the
    // contract's (softmax.h), c = 3: p_0 has x_j = m, so 2 (c + 2) = 10 ulp
    // relative; log p_1 is 10 ulp of |x_j| + |lse| = 2000.3 absolute, and so
    // is the loss it is the negation of (row 1 adds an exact 0). In double
    // that is 2.2e-15 and 4.4e-12, in float 1.2e-6 and 2.4e-3; a 0.1% error
    // is 7e-4 and 2.
    const double eps = std::numeric_limits<T>::epsilon();
    const double p0 = 1 / (1 + std::exp(-1.0)),
                 lse0 = std::log1p(std::exp(-1.0));
    const double lp1 = -2000 - lse0;
    BOOST_TEST(std::abs(p[0] - p0) <= 10 * eps * p0);
    BOOST_TEST(std::abs(lp[1] - lp1) <= 10 * eps * (1000 + 1000 + lse0));
    BOOST_TEST(std::abs(loss + lp1) <= 10 * eps * (1000 + 1000 + lse0));
    BOOST_TEST(p[1] == T(0));  // e^-2000: 0 in both types
  });
}

// Equal logits near the type's largest value (2.4e38 in float, 1.3e308 in
// double): the uniform distribution, so every log-probability is -log c and
// the loss log c per row. The old m + log(s) - z rounded m + log(s) back to
// m and scored 0 (a perplexity of 1 for any c), and x - (m + log s) gave
// log-probabilities of 0. (m - z) + log(s) keeps log s: m - z is an exact
// 0, s = c exactly (c ones, c < 2^24), so the error is Log's, a few ulp of
// log c; 8 ulp is the bound, log c itself is the size of the old error.
BOOST_AUTO_TEST_CASE_TEMPLATE(equal_huge_logits_score_log_c, T, KernelTypes) {
  const T big = T(0.7) * std::numeric_limits<T>::max();
  const double eps = std::numeric_limits<T>::epsilon();
  ForEachTarget([&](int64_t) {
    for (const std::size_t c : {2, 3, 17, 1000}) {
      const std::size_t n = 2;
      std::vector<T> z(n * c, big), y(n * c), g(n * c), t(n * c, T(0));
      const std::vector<std::int32_t> targets = {0, std::int32_t(c - 1)};
      for (std::size_t i = 0; i < n; ++i) t[i * c + targets[i]] = T(1);
      const double log_c = std::log(double(c)), bound = 8 * eps * log_c;
      const T by_index =
          k::SoftmaxCrossEntropy(k::ConstMatView<T>(z.data(), n, c), targets,
                                 k::MatView<T>(g.data(), n, c));
      BOOST_TEST(std::abs(by_index - n * log_c) <= n * bound,
                 "index c=" << c << ": " << by_index);
      const T dense = k::SoftmaxCrossEntropy(k::ConstMatView<T>(z.data(), n, c),
                                             k::ConstMatView<T>(t.data(), n, c),
                                             k::MatView<T>(g.data(), n, c));
      BOOST_TEST(std::abs(dense - n * log_c) <= n * bound,
                 "dense c=" << c << ": " << dense);
      for (std::size_t j = 0; j < n * c; ++j) {  // p - t = 1/c - t
        BOOST_TEST(std::abs(g[j] - (1.0 / double(c) - t[j])) <= 4 * eps);
      }
      k::LogSoftmax(k::ConstMatView<T>(z.data(), n, c),
                    k::MatView<T>(y.data(), n, c));
      for (const T v : y) BOOST_TEST(std::abs(v + log_c) <= bound);
      // In place, where the exponentials are not stored.
      k::LogSoftmax(k::ConstMatView<T>(z.data(), n, c),
                    k::MatView<T>(z.data(), n, c));
      for (const T v : z) BOOST_TEST(std::abs(v + log_c) <= bound);
    }
  });
  // The twin, which the differential tests trust, keeps log c too.
  const std::size_t c = 5;
  ref::Mat<double> zd = ref::Mat<double>::Constant(1, c, 1.3e308);
  ref::Mat<double> td = ref::Mat<double>::Zero(1, c), grad(1, c);
  td(0, 2) = 1;
  const std::int32_t target[] = {2};
  BOOST_TEST(std::abs(ref::SoftmaxCrossEntropy<double>(zd, td, grad) -
                      std::log(5.0)) <= 8e-16 * std::log(5.0));
  BOOST_TEST(std::abs(ref::SoftmaxCrossEntropy<double>(zd, target, grad) -
                      std::log(5.0)) <= 8e-16 * std::log(5.0));
}

// A NaN logit makes its row NaN (never a silently finite probability).
BOOST_AUTO_TEST_CASE_TEMPLATE(nan_logit_gives_nan_row, T, KernelTypes) {
  ForEachTarget([&](int64_t) {
    for (std::size_t c : {3, 21}) {
      std::vector<T> z(c, T(1)), p(c), t(c, T(0)), g(c);
      z[c / 2] = std::numeric_limits<T>::quiet_NaN();
      t[0] = T(1);
      k::Softmax(k::ConstMatView<T>(z.data(), 1, c),
                 k::MatView<T>(p.data(), 1, c));
      BOOST_TEST(std::isnan(p[0]), "Softmax c=" << c);
      const T loss = k::SoftmaxCrossEntropy(k::ConstMatView<T>(z.data(), 1, c),
                                            k::ConstMatView<T>(t.data(), 1, c),
                                            k::MatView<T>(g.data(), 1, c));
      BOOST_TEST(std::isnan(loss), "SoftmaxCrossEntropy c=" << c);
    }
  });
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace ffnn::testing
