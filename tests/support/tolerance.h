// Comparison helpers that report the worst element instead of one assertion
// per element.
#ifndef FFNN_TESTS_SUPPORT_TOLERANCE_H_
#define FFNN_TESTS_SUPPORT_TOLERANCE_H_

#include <cmath>
#include <cstddef>
#include <limits>
#include <sstream>
#include <string>

namespace ffnn::testing {

// Unit roundoff u = eps / 2 of T.
template <class T>
constexpr double kUnitRoundoff = std::numeric_limits<T>::epsilon() / 2.0;

// gamma(n) = n u / (1 - n u): the classic bound on the relative error of a
// sum or dot product of n terms in any order (Higham, Accuracy and
// Stability of Numerical Algorithms, 2nd ed., section 3.1).
template <class T>
double Gamma(std::size_t n) {
  const double nu = static_cast<double>(n) * kUnitRoundoff<T>;
  return nu / (1.0 - nu);
}

// Tracks the worst |got - want| - tol(i) over a comparison.
struct Worst {
  double excess = -std::numeric_limits<double>::infinity();
  std::size_t index = 0;
  double got = 0, want = 0, tol = 0;
  bool ok() const { return excess <= 0; }
  void Add(std::size_t i, double g, double w, double t) {
    double e = std::abs(g - w) - t;
    if (std::isnan(g) != std::isnan(w))
      e = std::numeric_limits<double>::infinity();
    if (std::isnan(g) && std::isnan(w)) e = -t;
    if (e > excess) *this = {e, i, g, w, t};
  }
  std::string Describe() const {
    std::ostringstream os;
    os.precision(17);
    os << "worst element " << index << ": got " << got << ", want " << want
       << ", |diff| " << std::abs(got - want) << " > tolerance " << tol;
    return os.str();
  }
};

}  // namespace ffnn::testing

#endif  // FFNN_TESTS_SUPPORT_TOLERANCE_H_
