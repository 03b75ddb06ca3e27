// Level-1 and level-2 BLAS-style kernels on float and double.
//
// Every function checks its operands' shapes and throws std::invalid_argument
// naming both shapes on a mismatch; inside, it reads and writes exactly the
// elements its views name (any length, 0 included, any alignment).
//
// Error contract. Element-wise kernels (axpy, scal, add, sub, hadamard) are
// correctly rounded per operation, as the plain loop: axpy uses one fused
// multiply-add per element, so it may differ from `y + a*x` evaluated with two
// roundings by 1 ulp. Reductions (dot, sum, gemv) sum in a different order
// than a sequential loop: |computed - exact| <= gamma(n) * sum_i |terms_i|,
// gamma(n) = n*u / (1 - n*u), u the unit roundoff; max is exact.
#ifndef FFNN_KERNELS_BLAS_H_
#define FFNN_KERNELS_BLAS_H_

#include <span>

#include "kernels/views.h"

namespace ffnn::kernels {

// dot: returns x . y = sum_i x_i y_i.
float Dot(std::span<const float> x, std::span<const float> y);
double Dot(std::span<const double> x, std::span<const double> y);

// axpy: y <- a x + y.
void Axpy(float a, std::span<const float> x, std::span<float> y);
void Axpy(double a, std::span<const double> x, std::span<double> y);

// scal: x <- a x.
void Scal(float a, std::span<float> x);
void Scal(double a, std::span<double> x);

// add, sub, hadamard: out_i = x_i + y_i, x_i - y_i, x_i * y_i. `out` may
// alias x or y exactly.
void Add(std::span<const float> x, std::span<const float> y,
         std::span<float> out);
void Add(std::span<const double> x, std::span<const double> y,
         std::span<double> out);
void Sub(std::span<const float> x, std::span<const float> y,
         std::span<float> out);
void Sub(std::span<const double> x, std::span<const double> y,
         std::span<double> out);
void Hadamard(std::span<const float> x, std::span<const float> y,
              std::span<float> out);
void Hadamard(std::span<const double> x, std::span<const double> y,
              std::span<double> out);

// sum: returns sum_i x_i (0 for an empty x).
float Sum(std::span<const float> x);
double Sum(std::span<const double> x);

// max: returns max_i x_i (-infinity for an empty x; NaN if any x_i is NaN).
float Max(std::span<const float> x);
double Max(std::span<const double> x);

// gemv: y <- alpha op(A) x + beta y, op(A) = A or A^T. With beta = 0, y is
// overwritten (NaN in y does not propagate), as in BLAS.
// A: (m, n); trans = kNo: x (n), y (m); trans = kYes: x (m), y (n).
void Gemv(float alpha, ConstMatView<float> A, Trans trans,
          std::span<const float> x, float beta, std::span<float> y);
void Gemv(double alpha, ConstMatView<double> A, Trans trans,
          std::span<const double> x, double beta, std::span<double> y);

// ger: A <- A + alpha x y^T. A: (m, n), x: (m), y: (n).
void Ger(float alpha, std::span<const float> x, std::span<const float> y,
         MatView<float> A);
void Ger(double alpha, std::span<const double> x, std::span<const double> y,
         MatView<double> A);

}  // namespace ffnn::kernels

#endif  // FFNN_KERNELS_BLAS_H_
