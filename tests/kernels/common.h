// Shared helpers of the kernel tests.
#ifndef FFNN_TESTS_KERNELS_COMMON_H_
#define FFNN_TESTS_KERNELS_COMMON_H_

#include <boost/test/unit_test.hpp>
#include <cstddef>
#include <random>
#include <span>
#include <vector>

#include "reference/types.h"
#include "tests/support/buffers.h"
#include "tests/support/targets.h"
#include "tests/support/tolerance.h"

namespace ffnn::testing {

// The element types every kernel is instantiated for.
using KernelTypes = std::tuple<float, double>;

// A copy in double of T data: the reference runs in double on exactly the
// values the kernel saw, so it is the more accurate side of the comparison.
template <class T>
reference::Vec<double> ToDouble(std::span<const T> x) {
  reference::Vec<double> v(static_cast<Eigen::Index>(x.size()));
  for (std::size_t i = 0; i < x.size(); ++i) v[i] = static_cast<double>(x[i]);
  return v;
}
template <class T>
reference::Mat<double> ToDoubleMat(std::span<const T> x, std::size_t rows,
                                   std::size_t cols) {
  reference::Mat<double> m(rows, cols);
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t j = 0; j < cols; ++j) m(i, j) = x[i * cols + j];
  }
  return m;
}

// Buffer of n seeded uniform values in [lo, hi) at misalignment off.
template <class T>
Buffer<T> RandomBuffer(std::size_t n, std::size_t off, std::mt19937_64& rng,
                       double lo = -1.0, double hi = 1.0) {
  Buffer<T> b(n, off);
  FillUniform(b.span(), rng, lo, hi);
  return b;
}

}  // namespace ffnn::testing

#endif  // FFNN_TESTS_KERNELS_COMMON_H_
