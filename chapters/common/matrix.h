// A small owning row-major matrix of doubles for the chapters, with views
// for the kernel layer. Shapes are written as in the slides: (rows, cols).
#ifndef FFNN_CHAPTERS_COMMON_MATRIX_H_
#define FFNN_CHAPTERS_COMMON_MATRIX_H_

#include <cstddef>
#include <initializer_list>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "kernels/views.h"

namespace ffnn::chapters {

struct Matrix {
  std::size_t rows = 0, cols = 0;
  std::vector<double> data;  // row-major

  Matrix() = default;
  Matrix(std::size_t r, std::size_t c, double fill = 0.0)
      : rows(r), cols(c), data(r * c, fill) {}
  // Matrix{{1, 2}, {3, 4}}: rows as written on a slide.
  Matrix(std::initializer_list<std::initializer_list<double>> rows_init);

  double& operator()(std::size_t i, std::size_t j) {
    return data[i * cols + j];
  }
  double operator()(std::size_t i, std::size_t j) const {
    return data[i * cols + j];
  }
  std::span<double> Row(std::size_t i) { return {&data[i * cols], cols}; }
  std::span<const double> Row(std::size_t i) const {
    return {&data[i * cols], cols};
  }
  kernels::MatView<double> View() { return {data.data(), rows, cols}; }
  kernels::ConstMatView<double> View() const {
    return {data.data(), rows, cols};
  }
  std::string Shape() const { return kernels::ShapeString(rows, cols); }
};

}  // namespace ffnn::chapters

#endif  // FFNN_CHAPTERS_COMMON_MATRIX_H_
