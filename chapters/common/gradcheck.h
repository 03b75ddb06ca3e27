// The finite-difference gradient checker, shared by the tests and by the
// chapter targets that show a gradient check.
//
// Central differences in double: dF/dtheta_i ~ (F(theta + h e_i) -
// F(theta - h e_i)) / (2h) with h = cbrt(eps) max(1, |theta_i|). The
// truncation error is O(h^2) and the rounding error O(eps / h); the cube root
// of eps balances them at about eps^(2/3) ~ 4e-11 relative to F's scale.
#ifndef FFNN_CHAPTERS_COMMON_GRADCHECK_H_
#define FFNN_CHAPTERS_COMMON_GRADCHECK_H_

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace ffnn::gradcheck {

// The bound of a chapter target's finite-difference check, and why: the
// central difference errs by about eps^(2/3) ~ 4e-11 of the function's
// scale (above), so 1e-7 leaves three orders of margin for larger third
// derivatives and still fails any wrong term of a gradient of size >= 1e-6.
inline constexpr double kFiniteDifferenceBound = 1e-7;
inline constexpr const char* kFiniteDifferenceWhy =
    "central differences err by ~eps^(2/3) = 4e-11";
// The bound of two orders of the same double arithmetic (a loop against a
// batch, (AB)x against A(Bx)) on values of order 1: a few ulps per
// operation over a handful of terms stays below 1e-14; 1e-12 is loose by
// 100 and tight enough for any real difference.
inline constexpr double kRoundingBound = 1e-12;
inline constexpr const char* kRoundingWhy =
    "the same sums in another order: a few ulps";

struct GradCheckResult {
  std::size_t worst_index = 0;  // coordinate with the largest error
  double worst_error = 0.0;     // its relative error (see below)
  double analytic = 0.0;        // the analytic derivative there
  double numeric = 0.0;         // the finite-difference derivative there
  std::string Describe() const;
};

// Compares `analytic` (dF/dtheta) with central differences of F at theta.
// The error of coordinate i is |a_i - n_i| / max(|a_i|, |n_i|, 1e-3 |F|):
// relative at every magnitude above the finite difference's noise (about
// 4e-11 |F|, so 1e-3 |F| keeps an exact 0 derivative's noise at 4e-8), so a
// 0.1% error shows as 1e-3 on a gradient of any size above 1e-3 |F|.
GradCheckResult CheckGradient(
    const std::function<double(const std::vector<double>&)>& F,
    const std::vector<double>& theta, const std::vector<double>& analytic);

// The central difference of a function of one variable at x.
double CentralDifference(const std::function<double(double)>& f, double x);

// The central-difference gradient itself.
std::vector<double> NumericGradient(
    const std::function<double(const std::vector<double>&)>& F,
    const std::vector<double>& theta);

}  // namespace ffnn::gradcheck

#endif  // FFNN_CHAPTERS_COMMON_GRADCHECK_H_
