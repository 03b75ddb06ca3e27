#include "tests/support/gradcheck.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace ffnn::testing {

std::string GradCheckResult::Describe() const {
  std::ostringstream os;
  os.precision(17);
  os << "worst coordinate " << worst_index << ": analytic " << analytic
     << ", finite difference " << numeric << ", relative error " << worst_error;
  return os.str();
}

std::vector<double> NumericGradient(
    const std::function<double(const std::vector<double>&)>& F,
    const std::vector<double>& theta) {
  const double kCbrtEps = std::cbrt(std::numeric_limits<double>::epsilon());
  std::vector<double> grad(theta.size());
  std::vector<double> t = theta;
  for (std::size_t i = 0; i < theta.size(); ++i) {
    const double h = kCbrtEps * std::max(1.0, std::abs(theta[i]));
    t[i] = theta[i] + h;
    const double f_plus = F(t);
    t[i] = theta[i] - h;
    const double f_minus = F(t);
    t[i] = theta[i];
    // Divide by the step actually taken, (theta+h) - (theta-h), which can
    // differ from 2h by rounding.
    grad[i] = (f_plus - f_minus) / ((theta[i] + h) - (theta[i] - h));
  }
  return grad;
}

GradCheckResult CheckGradient(
    const std::function<double(const std::vector<double>&)>& F,
    const std::vector<double>& theta, const std::vector<double>& analytic) {
  if (analytic.size() != theta.size()) {
    throw std::invalid_argument(
        "CheckGradient: analytic has " + std::to_string(analytic.size()) +
        " entries but theta has " + std::to_string(theta.size()));
  }
  const std::vector<double> numeric = NumericGradient(F, theta);
  GradCheckResult r;
  for (std::size_t i = 0; i < theta.size(); ++i) {
    const double scale =
        std::max({1.0, std::abs(analytic[i]), std::abs(numeric[i])});
    const double err = std::abs(analytic[i] - numeric[i]) / scale;
    if (std::isnan(r.worst_error)) break;  // a NaN is the worst; keep it
    if (i == 0 || !(err <= r.worst_error)) {
      r = {i, err, analytic[i], numeric[i]};
    }
  }
  return r;
}

}  // namespace ffnn::testing
