// Differential tests of kernels/activations.h against reference/activations.h.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <limits>

#include "kernels/activations.h"
#include "reference/activations.h"
#include "tests/kernels/common.h"

namespace ffnn::testing {
namespace {

namespace k = ffnn::kernels;
namespace ref = ffnn::reference;

// Inputs spanning the interesting range, with the extremes the issue names
// (sigmoid(+-100) must not be NaN) planted at the front.
template <class T>
Buffer<T> ActivationInputs(std::size_t n, std::size_t off,
                           std::mt19937_64& rng) {
  auto x = RandomBuffer<T>(n, off, rng, -20, 20);
  const T specials[] = {T(0),     T(-0.0), T(100),   T(-100), T(1000),
                        T(-1000), T(1e-8), T(-1e-8), T(88),   T(-88)};
  for (std::size_t i = 0; i < n && i < std::size(specials); ++i) {
    x[i] = specials[i];
  }
  return x;
}

// Tolerance of a transcendental activation: the kernel's contract is 4 ulp
// of T relative to the exact value; the double reference adds at most 4 ulp
// of double. Below the smallest normal number of T relative error is
// meaningless (subnormals have fewer digits), hence the absolute floor.
template <class T>
double TranscendentalTol(double want) {
  return 4 * std::numeric_limits<T>::epsilon() * std::abs(want) +
         8 * std::numeric_limits<double>::epsilon() * std::abs(want) +
         std::numeric_limits<T>::min();
}

BOOST_AUTO_TEST_SUITE(kernels)

BOOST_AUTO_TEST_CASE_TEMPLATE(activations_match_reference, T, KernelTypes) {
  std::mt19937_64 rng(6);
  ForEachTarget([&](int64_t) {
    for (std::size_t n : TestLengths()) {
      for (std::size_t off : TestOffsets()) {
        const auto x = ActivationInputs<T>(n, off, rng);
        const auto xd = ToDouble(x.cspan());
        Buffer<T> y(n, off + 1);
        ref::Vec<double> want(n);

        // sigmoid and tanh: 4 ulp (TranscendentalTol).
        k::Sigmoid(x.cspan(), y.span());
        ref::Sigmoid<double>(xd, want);
        Worst ws;
        for (std::size_t i = 0; i < n; ++i)
          ws.Add(i, y[i], want[i], TranscendentalTol<T>(want[i]));
        BOOST_TEST(ws.ok(), "Sigmoid n=" << n << " " << ws.Describe());

        k::Tanh(x.cspan(), y.span());
        ref::Tanh<double>(xd, want);
        Worst wt;
        for (std::size_t i = 0; i < n; ++i)
          wt.Add(i, y[i], want[i], TranscendentalTol<T>(want[i]));
        BOOST_TEST(wt.ok(), "Tanh n=" << n << " " << wt.Describe());

        // relu and step select or copy: exact.
        k::Relu(x.cspan(), y.span());
        ref::Relu<double>(xd, want);
        bool relu_exact = true, step_exact = true;
        for (std::size_t i = 0; i < n; ++i) relu_exact &= y[i] == want[i];
        BOOST_TEST(relu_exact, "Relu n=" << n);
        k::Step(x.cspan(), y.span());
        ref::Step<double>(xd, want);
        for (std::size_t i = 0; i < n; ++i) step_exact &= y[i] == want[i];
        BOOST_TEST(step_exact, "Step n=" << n);
        BOOST_TEST(y.FrontIntact());
      }
    }
  });
}

// The backward passes are two or three multiplications/subtractions: at
// most 3 roundings of T, so within 3u |dx| plus the double reference's own.
// tanh': 1 - y^2 cancels as |y| -> 1, and the rounding of y^2 (on targets
// without FMA) is absolute, u y^2, so its bound is 3u |dy| (y^2 + |1 - y^2|).
BOOST_AUTO_TEST_CASE_TEMPLATE(activation_backward_match_reference, T,
                              KernelTypes) {
  std::mt19937_64 rng(7);
  ForEachTarget([&](int64_t) {
    for (std::size_t n : TestLengths()) {
      const std::size_t off = n % 3;
      auto dy = RandomBuffer<T>(n, off, rng);
      auto s = RandomBuffer<T>(n, off + 1, rng, 0, 1);   // a sigmoid output
      auto t = RandomBuffer<T>(n, off + 2, rng, -1, 1);  // a tanh output
      auto r = RandomBuffer<T>(n, off, rng, -1, 1);      // relu output proxy
      for (std::size_t i = 0; i < n; ++i) r[i] = r[i] < 0 ? T(0) : r[i];
      Buffer<T> dx(n, 1);
      const auto dyd = ToDouble(dy.cspan());
      ref::Vec<double> want(n);
      const double tol_u = 3 * kUnitRoundoff<T> + 3 * kUnitRoundoff<double>;

      k::SigmoidBackward(dy.cspan(), s.cspan(), dx.span());
      ref::SigmoidBackward<double>(dyd, ToDouble(s.cspan()), want);
      Worst w1;
      for (std::size_t i = 0; i < n; ++i)
        w1.Add(i, dx[i], want[i], tol_u * std::abs(want[i]));
      BOOST_TEST(w1.ok(), "SigmoidBackward n=" << n << " " << w1.Describe());

      k::TanhBackward(dy.cspan(), t.cspan(), dx.span());
      ref::TanhBackward<double>(dyd, ToDouble(t.cspan()), want);
      Worst w2;
      for (std::size_t i = 0; i < n; ++i)
        w2.Add(i, dx[i], want[i],
               tol_u * std::abs(dy[i]) *
                   (double(t[i]) * t[i] + std::abs(1 - double(t[i]) * t[i])));
      BOOST_TEST(w2.ok(), "TanhBackward n=" << n << " " << w2.Describe());

      k::ReluBackward(dy.cspan(), r.cspan(), dx.span());
      ref::ReluBackward<double>(dyd, ToDouble(r.cspan()), want);
      bool relu_exact = true;
      for (std::size_t i = 0; i < n; ++i) relu_exact &= dx[i] == want[i];
      BOOST_TEST(relu_exact, "ReluBackward n=" << n);

      k::StepBackward(dy.cspan(), r.cspan(), dx.span());
      bool step_zero = true;
      for (std::size_t i = 0; i < n; ++i) step_zero &= dx[i] == T(0);
      BOOST_TEST(step_zero, "StepBackward n=" << n);
      BOOST_TEST(dx.FrontIntact());
    }
  });
}

// The extreme inputs: sigmoid(+-100) gives no NaN, and the limits
// are right. sigma(100) and sigma(1000) round to 1 and sigma(-1000) =
// 5.1e-435 to 0 in both types. sigma(-100) = e^-100 / (1 + e^-100) =
// 3.72007597602083596e-44 (Python decimal, 50 digits) is a normal double, held
// to the contract's 4 ulp (a 0.1% error would be 4.5e12 ulp); in float it is
// below the smallest normal 1.2e-38, where the contract, like IEEE
// arithmetic, only promises an absolute error of T's smallest normal, and
// Highway's Exp may flush it to 0.
BOOST_AUTO_TEST_CASE_TEMPLATE(sigmoid_extremes_are_finite, T, KernelTypes) {
  ForEachTarget([&](int64_t) {
    const T x[] = {T(100), T(-100), T(1000), T(-1000)};
    T y[4];
    k::Sigmoid(std::span<const T>(x), std::span<T>(y));
    BOOST_TEST(y[0] == T(1));
    BOOST_TEST(y[2] == T(1));
    const double sigma_m100 = 3.72007597602083596e-44;
    const double eps = std::numeric_limits<T>::epsilon();
    const double bound = sigma_m100 >= std::numeric_limits<T>::min()
                             ? 4 * eps * sigma_m100
                             : std::numeric_limits<T>::min();
    BOOST_TEST(y[1] >= T(0));
    BOOST_TEST(std::abs(double(y[1]) - sigma_m100) <= bound);
    BOOST_TEST(y[3] == T(0));
    for (T v : y) BOOST_TEST(std::isfinite(v));
  });
}

// Bad input is never silently repaired: a NaN in gives NaN out, on every
// target (x86 max/min and Highway's scalar max/min treat NaN differently).
BOOST_AUTO_TEST_CASE_TEMPLATE(nan_propagates_through_activations, T,
                              KernelTypes) {
  ForEachTarget([&](int64_t) {
    for (std::size_t n : {1, 17, 40}) {
      std::vector<T> x(n, T(0.5)), y(n);
      x[n - 1] = std::numeric_limits<T>::quiet_NaN();
      k::Sigmoid(std::span<const T>(x), std::span<T>(y));
      BOOST_TEST(std::isnan(y[n - 1]), "Sigmoid n=" << n);
      k::Tanh(std::span<const T>(x), std::span<T>(y));
      BOOST_TEST(std::isnan(y[n - 1]), "Tanh n=" << n);
      k::Relu(std::span<const T>(x), std::span<T>(y));
      BOOST_TEST(std::isnan(y[n - 1]), "Relu n=" << n);
      if (n > 1) BOOST_TEST(y[0] == T(0.5));  // the other lanes are intact
    }
  });
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace ffnn::testing
