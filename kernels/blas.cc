// Level-1 and level-2 kernels, compiled once per Highway target
// (hwy/examples/skeleton.cc pattern) and dispatched at run time.
#include <cassert>
#include <cstddef>
#include <limits>

// clang-format off: foreach_target.h must follow the define and precede
// every per-target header.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/blas.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
// clang-format on

#include "hwy/highway.h"
#include "kernels/exercise.h"  // the student pack's stubs
#include "kernels/simd-inl.h"

HWY_BEFORE_NAMESPACE();
namespace ffnn::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;
using std::size_t;

// Max with NaN propagation: x86 max instructions return the second operand
// when one is NaN, so NaN lanes are tracked in a mask alongside.
template <class T>
HWY_INLINE T MaxSimd(const T* HWY_RESTRICT x, std::size_t n) {
  // Exercise K.1: a SIMD kernel, the maximum of a vector (3 points).
  // Slide: DL4NLP, 2. Neural Networks, slide 'Softmax: a Generalization of
  //   Sigmoid' (the slide's plain softmax; exercise 2.3's stable form
  //   subtracts m = max_k z_k).
  // Formula: m = max_i x_i over n >= 1 values; NaN if any x_i is NaN (an
  //   x86 max returns its second operand when one is NaN, so track NaN
  //   lanes in a mask: hn::Not(hn::Eq(v, v))); -inf for n = 0. Load whole
  //   vectors of hn::Lanes(d) values with hn::LoadU (x may be misaligned),
  //   combine them with hn::Max, reduce with hn::MaxOfLanes and
  //   hn::GetLane, and finish the last n mod Lanes values in scalar code.
  // Shapes: x: (n), any alignment; the result: a scalar. Compiled once per
  //   Highway target; graded on every target this machine runs (by
  //   behaviour: a scalar loop would pass too, but the exercise is the
  //   SIMD).
  // Builds on: nothing (Highway's API: hwy/highway.h, quick_reference.md).
  // BEGIN SOLUTION kernels.1.max
  const hn::ScalableTag<T> d;
  const std::size_t N = hn::Lanes(d);
  const T kNegInf = -std::numeric_limits<T>::infinity();
  auto m0 = hn::Set(d, kNegInf), m1 = hn::Set(d, kNegInf);
  auto nan = hn::Ne(m0, m0);  // all false
  std::size_t i = 0;
  for (; i + 2 * N <= n; i += 2 * N) {
    const auto v0 = hn::LoadU(d, x + i);
    const auto v1 = hn::LoadU(d, x + i + N);
    m0 = hn::Max(m0, v0);
    m1 = hn::Max(m1, v1);
    nan = hn::Or(nan, hn::Or(hn::Not(hn::Eq(v0, v0)), hn::Not(hn::Eq(v1, v1))));
  }
  for (; i + N <= n; i += N) {
    const auto v = hn::LoadU(d, x + i);
    m0 = hn::Max(m0, v);
    nan = hn::Or(nan, hn::Not(hn::Eq(v, v)));
  }
  if (!hn::AllFalse(d, nan)) return std::numeric_limits<T>::quiet_NaN();
  T m = hn::GetLane(hn::MaxOfLanes(d, hn::Max(m0, m1)));
  for (; i < n; ++i) {
    if (x[i] != x[i]) return x[i];
    m = x[i] > m ? x[i] : m;
  }
  return m;
  // END SOLUTION
}

template <class T>
void AddImpl(const T* x, const T* y, T* out, size_t n) {
  Map2(x, y, out, n, [](auto, auto a, auto b) { return hn::Add(a, b); });
}
template <class T>
void SubImpl(const T* x, const T* y, T* out, size_t n) {
  Map2(x, y, out, n, [](auto, auto a, auto b) { return hn::Sub(a, b); });
}
template <class T>
void HadamardImpl(const T* x, const T* y, T* out, size_t n) {
  Map2(x, y, out, n, [](auto, auto a, auto b) { return hn::Mul(a, b); });
}

// y <- alpha A x + beta y, A: (m, n) with row stride lda, x: (n), y: (m).
// Four rows at a time share each load of x.
//! [gemv_n]
template <class T>
void GemvNImpl(T alpha, const T* HWY_RESTRICT A, size_t m, size_t n, size_t lda,
               const T* HWY_RESTRICT x, T beta, T* HWY_RESTRICT y) {
  assert(lda >= n && (m == 0 || (A != nullptr && y != nullptr)));
  const hn::ScalableTag<T> d;
  const size_t N = hn::Lanes(d);
  size_t i = 0;
  for (; i + 4 <= m; i += 4) {
    const T* a0 = A + i * lda;
    const T* a1 = a0 + lda;
    const T* a2 = a1 + lda;
    const T* a3 = a2 + lda;
    auto s0 = hn::Zero(d), s1 = hn::Zero(d), s2 = hn::Zero(d), s3 = hn::Zero(d);
    size_t j = 0;
    for (; j + N <= n; j += N) {
      const auto xv = hn::LoadU(d, x + j);
      s0 = hn::MulAdd(hn::LoadU(d, a0 + j), xv, s0);
      s1 = hn::MulAdd(hn::LoadU(d, a1 + j), xv, s1);
      s2 = hn::MulAdd(hn::LoadU(d, a2 + j), xv, s2);
      s3 = hn::MulAdd(hn::LoadU(d, a3 + j), xv, s3);
    }
    T r[4] = {
        hn::GetLane(hn::SumOfLanes(d, s0)), hn::GetLane(hn::SumOfLanes(d, s1)),
        hn::GetLane(hn::SumOfLanes(d, s2)), hn::GetLane(hn::SumOfLanes(d, s3))};
    for (; j < n; ++j) {
      r[0] += a0[j] * x[j];
      r[1] += a1[j] * x[j];
      r[2] += a2[j] * x[j];
      r[3] += a3[j] * x[j];
    }
    for (size_t k = 0; k < 4; ++k) {
      y[i + k] = alpha * r[k] + (beta == T(0) ? T(0) : beta * y[i + k]);
    }
  }
  for (; i < m; ++i) {
    const T r = DotSimd(A + i * lda, x, n);
    y[i] = alpha * r + (beta == T(0) ? T(0) : beta * y[i]);
  }
}
//! [gemv_n]

// y <- alpha A^T x + beta y, A: (m, n), x: (m), y: (n). Each group of four
// rows of A is folded into y with one load and store of y.
template <class T>
void GemvTImpl(T alpha, const T* HWY_RESTRICT A, size_t m, size_t n, size_t lda,
               const T* HWY_RESTRICT x, T beta, T* HWY_RESTRICT y) {
  assert(lda >= n && (n == 0 || y != nullptr));
  ScaleOrZeroSimd(beta, y, n);
  const hn::ScalableTag<T> d;
  const size_t N = hn::Lanes(d);
  size_t i = 0;
  for (; i + 4 <= m; i += 4) {
    const T* a0 = A + i * lda;
    const T* a1 = a0 + lda;
    const T* a2 = a1 + lda;
    const T* a3 = a2 + lda;
    const T c0 = alpha * x[i], c1 = alpha * x[i + 1], c2 = alpha * x[i + 2],
            c3 = alpha * x[i + 3];
    const auto v0 = hn::Set(d, c0), v1 = hn::Set(d, c1), v2 = hn::Set(d, c2),
               v3 = hn::Set(d, c3);
    size_t j = 0;
    for (; j + N <= n; j += N) {
      auto acc = hn::LoadU(d, y + j);
      acc = hn::MulAdd(v0, hn::LoadU(d, a0 + j), acc);
      acc = hn::MulAdd(v1, hn::LoadU(d, a1 + j), acc);
      acc = hn::MulAdd(v2, hn::LoadU(d, a2 + j), acc);
      acc = hn::MulAdd(v3, hn::LoadU(d, a3 + j), acc);
      hn::StoreU(acc, d, y + j);
    }
    for (; j < n; ++j) {
      y[j] += c0 * a0[j] + c1 * a1[j] + c2 * a2[j] + c3 * a3[j];
    }
  }
  for (; i < m; ++i) AxpySimd(alpha * x[i], A + i * lda, y, n);
}

// A <- A + alpha x y^T: row i gets (alpha x_i) y added.
template <class T>
void GerImpl(T alpha, const T* HWY_RESTRICT x, size_t m,
             const T* HWY_RESTRICT y, size_t n, T* HWY_RESTRICT A, size_t lda) {
  for (size_t i = 0; i < m; ++i) AxpySimd(alpha * x[i], y, A + i * lda, n);
}

// One exported, non-template function per element type (Highway 1.0.3 has
// no HWY_EXPORT_T).
float DotF32(const float* x, const float* y, size_t n) {
  return DotSimd(x, y, n);
}
void AxpyF32(float a, const float* x, float* y, size_t n) {
  AxpySimd(a, x, y, n);
}
void ScalF32(float a, float* x, size_t n) { ScalSimd(a, x, n); }
void AddF32(const float* x, const float* y, float* o, size_t n) {
  AddImpl(x, y, o, n);
}
void SubF32(const float* x, const float* y, float* o, size_t n) {
  SubImpl(x, y, o, n);
}
void HadamardF32(const float* x, const float* y, float* o, size_t n) {
  HadamardImpl(x, y, o, n);
}
float SumF32(const float* x, size_t n) { return SumSimd(x, n); }
float MaxF32(const float* x, size_t n) { return MaxSimd(x, n); }
void GemvNF32(float alpha, const float* A, size_t m, size_t n, size_t lda,
              const float* x, float beta, float* y) {
  GemvNImpl(alpha, A, m, n, lda, x, beta, y);
}
void GemvTF32(float alpha, const float* A, size_t m, size_t n, size_t lda,
              const float* x, float beta, float* y) {
  GemvTImpl(alpha, A, m, n, lda, x, beta, y);
}
void GerF32(float alpha, const float* x, size_t m, const float* y, size_t n,
            float* A, size_t lda) {
  GerImpl(alpha, x, m, y, n, A, lda);
}

// Highway 1.0.3 has no double vectors on its WASM target: there the
// double kernels are the EMU128 target's, compiled beside it (simd-inl.h).
#if HWY_HAVE_FLOAT64
double DotF64(const double* x, const double* y, size_t n) {
  return DotSimd(x, y, n);
}
void AxpyF64(double a, const double* x, double* y, size_t n) {
  AxpySimd(a, x, y, n);
}
void ScalF64(double a, double* x, size_t n) { ScalSimd(a, x, n); }
void AddF64(const double* x, const double* y, double* o, size_t n) {
  AddImpl(x, y, o, n);
}
void SubF64(const double* x, const double* y, double* o, size_t n) {
  SubImpl(x, y, o, n);
}
void HadamardF64(const double* x, const double* y, double* o, size_t n) {
  HadamardImpl(x, y, o, n);
}
double SumF64(const double* x, size_t n) { return SumSimd(x, n); }
double MaxF64(const double* x, size_t n) { return MaxSimd(x, n); }
void GemvNF64(double alpha, const double* A, size_t m, size_t n, size_t lda,
              const double* x, double beta, double* y) {
  GemvNImpl(alpha, A, m, n, lda, x, beta, y);
}
void GemvTF64(double alpha, const double* A, size_t m, size_t n, size_t lda,
              const double* x, double beta, double* y) {
  GemvTImpl(alpha, A, m, n, lda, x, beta, y);
}
void GerF64(double alpha, const double* x, size_t m, const double* y, size_t n,
            double* A, size_t lda) {
  GerImpl(alpha, x, m, y, n, A, lda);
}
#else
FFNN_F64_FROM_EMU128(DotF64)
FFNN_F64_FROM_EMU128(AxpyF64)
FFNN_F64_FROM_EMU128(ScalF64)
FFNN_F64_FROM_EMU128(AddF64)
FFNN_F64_FROM_EMU128(SubF64)
FFNN_F64_FROM_EMU128(HadamardF64)
FFNN_F64_FROM_EMU128(SumF64)
FFNN_F64_FROM_EMU128(MaxF64)
FFNN_F64_FROM_EMU128(GemvNF64)
FFNN_F64_FROM_EMU128(GemvTF64)
FFNN_F64_FROM_EMU128(GerF64)
#endif  // HWY_HAVE_FLOAT64

}  // namespace ffnn::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include "kernels/blas.h"
#include "kernels/dispatch.h"
#include "kernels/fast.h"

namespace ffnn::kernels {

HWY_EXPORT(DotF32);
HWY_EXPORT(DotF64);
HWY_EXPORT(AxpyF32);
HWY_EXPORT(AxpyF64);
HWY_EXPORT(ScalF32);
HWY_EXPORT(ScalF64);
HWY_EXPORT(AddF32);
HWY_EXPORT(AddF64);
HWY_EXPORT(SubF32);
HWY_EXPORT(SubF64);
HWY_EXPORT(HadamardF32);
HWY_EXPORT(HadamardF64);
HWY_EXPORT(SumF32);
HWY_EXPORT(SumF64);
HWY_EXPORT(MaxF32);
HWY_EXPORT(MaxF64);
HWY_EXPORT(GemvNF32);
HWY_EXPORT(GemvNF64);
HWY_EXPORT(GemvTF32);
HWY_EXPORT(GemvTF64);
HWY_EXPORT(GerF32);
HWY_EXPORT(GerF64);

namespace {

// Public entry points: check shapes, then dispatch to the best target.
template <class T>
T DotT(std::span<const T> x, std::span<const T> y) {
  CheckSameLength("Dot", "x", x.size(), "y", y.size());
  return FFNN_DISPATCH(T, Dot, x.data(), y.data(), x.size());
}
template <class T>
void AxpyT(T a, std::span<const T> x, std::span<T> y) {
  CheckSameLength("Axpy", "x", x.size(), "y", y.size());
  FFNN_DISPATCH(T, Axpy, a, x.data(), y.data(), x.size());
}
template <class T>
void ScalT(T a, std::span<T> x) {
  FFNN_DISPATCH(T, Scal, a, x.data(), x.size());
}
template <class T>
void AddT(std::span<const T> x, std::span<const T> y, std::span<T> out) {
  CheckSameLength("Add", "x", x.size(), "y", y.size());
  CheckSameLength("Add", "x", x.size(), "out", out.size());
  FFNN_DISPATCH(T, Add, x.data(), y.data(), out.data(), x.size());
}
template <class T>
void SubT(std::span<const T> x, std::span<const T> y, std::span<T> out) {
  CheckSameLength("Sub", "x", x.size(), "y", y.size());
  CheckSameLength("Sub", "x", x.size(), "out", out.size());
  FFNN_DISPATCH(T, Sub, x.data(), y.data(), out.data(), x.size());
}
template <class T>
void HadamardT(std::span<const T> x, std::span<const T> y, std::span<T> out) {
  CheckSameLength("Hadamard", "x", x.size(), "y", y.size());
  CheckSameLength("Hadamard", "x", x.size(), "out", out.size());
  FFNN_DISPATCH(T, Hadamard, x.data(), y.data(), out.data(), x.size());
}
template <class T>
T SumT(std::span<const T> x) {
  return FFNN_DISPATCH(T, Sum, x.data(), x.size());
}
template <class T>
T MaxT(std::span<const T> x) {
  return FFNN_DISPATCH(T, Max, x.data(), x.size());
}
template <class T>
void GemvT(T alpha, ConstMatView<T> A, Trans trans, std::span<const T> x,
           T beta, std::span<T> y) {
  CheckView("Gemv", "A", A);
  if (trans == Trans::kNo) {
    CheckSameShape("Gemv", "A", A.rows, A.cols, "(y, x)", y.size(), x.size());
    FFNN_DISPATCH(T, GemvN, alpha, A.data, A.rows, A.cols, A.stride, x.data(),
                  beta, y.data());
  } else {
    CheckSameShape("Gemv", "A", A.rows, A.cols, "(x, y)", x.size(), y.size());
    FFNN_DISPATCH(T, GemvT, alpha, A.data, A.rows, A.cols, A.stride, x.data(),
                  beta, y.data());
  }
}
template <class T>
void GerT(T alpha, std::span<const T> x, std::span<const T> y, MatView<T> A) {
  CheckView("Ger", "A", A);
  CheckSameShape("Ger", "A", A.rows, A.cols, "(x, y)", x.size(), y.size());
  FFNN_DISPATCH(T, Ger, alpha, x.data(), x.size(), y.data(), y.size(), A.data,
                A.stride);
}

}  // namespace

float Dot(std::span<const float> x, std::span<const float> y) {
  return DotT(x, y);
}
double Dot(std::span<const double> x, std::span<const double> y) {
  return DotT(x, y);
}
void Axpy(float a, std::span<const float> x, std::span<float> y) {
  AxpyT(a, x, y);
}
void Axpy(double a, std::span<const double> x, std::span<double> y) {
  AxpyT(a, x, y);
}
void Scal(float a, std::span<float> x) { ScalT(a, x); }
void Scal(double a, std::span<double> x) { ScalT(a, x); }
void Add(std::span<const float> x, std::span<const float> y,
         std::span<float> out) {
  AddT(x, y, out);
}
void Add(std::span<const double> x, std::span<const double> y,
         std::span<double> out) {
  AddT(x, y, out);
}
void Sub(std::span<const float> x, std::span<const float> y,
         std::span<float> out) {
  SubT(x, y, out);
}
void Sub(std::span<const double> x, std::span<const double> y,
         std::span<double> out) {
  SubT(x, y, out);
}
void Hadamard(std::span<const float> x, std::span<const float> y,
              std::span<float> out) {
  HadamardT(x, y, out);
}
void Hadamard(std::span<const double> x, std::span<const double> y,
              std::span<double> out) {
  HadamardT(x, y, out);
}
float Sum(std::span<const float> x) { return SumT(x); }
double Sum(std::span<const double> x) { return SumT(x); }
float Max(std::span<const float> x) { return MaxT(x); }
double Max(std::span<const double> x) { return MaxT(x); }
void Gemv(float alpha, ConstMatView<float> A, Trans trans,
          std::span<const float> x, float beta, std::span<float> y) {
  GemvT(alpha, A, trans, x, beta, y);
}
void Gemv(double alpha, ConstMatView<double> A, Trans trans,
          std::span<const double> x, double beta, std::span<double> y) {
  GemvT(alpha, A, trans, x, beta, y);
}
void Ger(float alpha, std::span<const float> x, std::span<const float> y,
         MatView<float> A) {
  GerT(alpha, x, y, A);
}
void Ger(double alpha, std::span<const double> x, std::span<const double> y,
         MatView<double> A) {
  GerT(alpha, x, y, A);
}

namespace detail {
template <class T>
void ResolveBlasT(VectorOps<T>& ops) {
  ops.dot = FFNN_DISPATCH_POINTER(T, Dot);
  ops.axpy = FFNN_DISPATCH_POINTER(T, Axpy);
  ops.scal = FFNN_DISPATCH_POINTER(T, Scal);
}
void ResolveBlas(VectorOps<float>& ops) { ResolveBlasT(ops); }
void ResolveBlas(VectorOps<double>& ops) { ResolveBlasT(ops); }
}  // namespace detail

}  // namespace ffnn::kernels
#endif  // HWY_ONCE
