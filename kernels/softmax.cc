// Row-wise softmax family, compiled once per Highway target.
#include <cassert>
#include <cstddef>

// clang-format off: foreach_target.h must follow the define and precede
// every per-target header.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/softmax.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
// clang-format on

#include "hwy/contrib/math/math-inl.h"
#include "hwy/highway.h"
#include "kernels/fastmath-inl.h"
#include "kernels/simd-inl.h"

HWY_BEFORE_NAMESPACE();
namespace ffnn::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;
using std::size_t;

// out_j = exp(x_j - m); returns sum_j out_j. out may alias x.
template <class T>
HWY_INLINE T ExpShiftSum(const T* x, T m, T* out, size_t c) {
  const hn::ScalableTag<T> d;
  const size_t N = hn::Lanes(d);
  const auto mv = hn::Set(d, m);
  auto s0 = hn::Zero(d), s1 = hn::Zero(d);
  size_t j = 0;
  for (; j + 2 * N <= c; j += 2 * N) {
    const auto e0 = ExpNonPositive(d, hn::Sub(hn::LoadU(d, x + j), mv));
    const auto e1 = ExpNonPositive(d, hn::Sub(hn::LoadU(d, x + j + N), mv));
    hn::StoreU(e0, d, out + j);
    hn::StoreU(e1, d, out + j + N);
    s0 = hn::Add(s0, e0);
    s1 = hn::Add(s1, e1);
  }
  T sum = hn::GetLane(hn::SumOfLanes(d, hn::Add(s0, s1)));
  const hn::CappedTag<T, 1> d1;
  for (; j < c; ++j) {
    const auto e =
        ExpNonPositive(d1, hn::Sub(hn::LoadU(d1, x + j), hn::Set(d1, m)));
    hn::StoreU(e, d1, out + j);
    sum += hn::GetLane(e);
  }
  return sum;
}

// log(s) for a scalar, through the same Highway Log as the vector code.
template <class T>
HWY_INLINE T LogScalar(T s) {
  const hn::CappedTag<T, 1> d1;
  return hn::GetLane(hn::Log(d1, hn::Set(d1, s)));
}

//! [softmax_rows]
template <class T>
void SoftmaxImpl(const T* x, size_t n, size_t c, size_t ldx, T* y, size_t ldy) {
  assert(ldx >= c && ldy >= c);
  for (size_t i = 0; i < n; ++i) {
    const T* xi = x + i * ldx;
    T* yi = y + i * ldy;
    const T m = MaxSimd(xi, c);             // m = max_k x_k
    const T s = ExpShiftSum(xi, m, yi, c);  // y_k = e^(x_k - m), s = sum
    const T inv = T(1) / s;
    Map1(yi, yi, c, [inv](auto d, auto v) {  // y_k /= s
      return hn::Mul(v, hn::Set(d, inv));
    });
  }
}
//! [softmax_rows]

template <class T>
void LogSoftmaxImpl(const T* x, size_t n, size_t c, size_t ldx, T* y,
                    size_t ldy) {
  for (size_t i = 0; i < n; ++i) {
    const T* xi = x + i * ldx;
    T* yi = y + i * ldy;
    const T m = MaxSimd(xi, c);
    // The exponentials go to y, then y is overwritten with x - lse: x is
    // read again, so with y aliasing x the exponentials must not be stored.
    T s = T(0);
    if (xi == yi) {
      for (size_t j = 0; j < c; ++j) {
        const hn::CappedTag<T, 1> d1;
        s += hn::GetLane(ExpNonPositive(d1, hn::Set(d1, xi[j] - m)));
      }
    } else {
      s = ExpShiftSum(xi, m, yi, c);
    }
    const T lse = m + LogScalar(s);
    Map1(xi, yi, c,
         [lse](auto d, auto v) { return hn::Sub(v, hn::Set(d, lse)); });
  }
}

template <class T>
void SoftmaxBackwardImpl(const T* dy, size_t n, size_t c, size_t lddy,
                         const T* y, size_t ldy, T* dx, size_t lddx) {
  for (size_t i = 0; i < n; ++i) {
    const T* g = dy + i * lddy;
    const T* yi = y + i * ldy;
    const T dot = DotSimd(g, yi, c);  // sum_k dy_k y_k
    Map2(g, yi, dx + i * lddx, c, [dot](auto d, auto gv, auto yv) {
      return hn::Mul(yv, hn::Sub(gv, hn::Set(d, dot)));
    });
  }
}

//! [softmax_xent]
// Per row: lse = m + log sum_k e^(z_k - m); loss = sum_k t_k (lse - z_k);
// grad_k = e^(z_k - lse) - t_k. The loss never takes log of a probability,
// so a probability that underflows to 0 cannot produce -inf * 0 = NaN.
template <class T>
T SoftmaxXentImpl(const T* z, size_t n, size_t c, size_t ldz, const T* t,
                  size_t ldt, T* grad, size_t ldg) {
  assert(ldz >= c && ldt >= c && ldg >= c);
  T loss = T(0);
  for (size_t i = 0; i < n; ++i) {
    const T* zi = z + i * ldz;
    const T* ti = t + i * ldt;
    T* gi = grad + i * ldg;
    const T m = MaxSimd(zi, c);
    const T t_dot_z = DotSimd(ti, zi, c);  // before grad overwrites z
    const T t_sum = SumSimd(ti, c);
    const T s = ExpShiftSum(zi, m, gi, c);  // g_k = e^(z_k - m)
    const T lse = m + LogScalar(s);
    loss += lse * t_sum - t_dot_z;
    const T inv = T(1) / s;
    Map2(gi, ti, gi, c, [inv](auto d, auto e, auto tv) {
      return hn::MulSub(e, hn::Set(d, inv), tv);  // e / s - t
    });
  }
  return loss;
}
//! [softmax_xent]

void SoftmaxF32(const float* x, size_t n, size_t c, size_t ldx, float* y,
                size_t ldy) {
  SoftmaxImpl(x, n, c, ldx, y, ldy);
}
void SoftmaxF64(const double* x, size_t n, size_t c, size_t ldx, double* y,
                size_t ldy) {
  SoftmaxImpl(x, n, c, ldx, y, ldy);
}
void LogSoftmaxF32(const float* x, size_t n, size_t c, size_t ldx, float* y,
                   size_t ldy) {
  LogSoftmaxImpl(x, n, c, ldx, y, ldy);
}
void LogSoftmaxF64(const double* x, size_t n, size_t c, size_t ldx, double* y,
                   size_t ldy) {
  LogSoftmaxImpl(x, n, c, ldx, y, ldy);
}
void SoftmaxBackwardF32(const float* dy, size_t n, size_t c, size_t lddy,
                        const float* y, size_t ldy, float* dx, size_t lddx) {
  SoftmaxBackwardImpl(dy, n, c, lddy, y, ldy, dx, lddx);
}
void SoftmaxBackwardF64(const double* dy, size_t n, size_t c, size_t lddy,
                        const double* y, size_t ldy, double* dx, size_t lddx) {
  SoftmaxBackwardImpl(dy, n, c, lddy, y, ldy, dx, lddx);
}
float SoftmaxXentF32(const float* z, size_t n, size_t c, size_t ldz,
                     const float* t, size_t ldt, float* g, size_t ldg) {
  return SoftmaxXentImpl(z, n, c, ldz, t, ldt, g, ldg);
}
double SoftmaxXentF64(const double* z, size_t n, size_t c, size_t ldz,
                      const double* t, size_t ldt, double* g, size_t ldg) {
  return SoftmaxXentImpl(z, n, c, ldz, t, ldt, g, ldg);
}

}  // namespace ffnn::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include "kernels/dispatch.h"
#include "kernels/softmax.h"

namespace ffnn::kernels {

HWY_EXPORT(SoftmaxF32);
HWY_EXPORT(SoftmaxF64);
HWY_EXPORT(LogSoftmaxF32);
HWY_EXPORT(LogSoftmaxF64);
HWY_EXPORT(SoftmaxBackwardF32);
HWY_EXPORT(SoftmaxBackwardF64);
HWY_EXPORT(SoftmaxXentF32);
HWY_EXPORT(SoftmaxXentF64);

namespace {

template <class T>
void CheckPair(const char* op, const char* a_name, const MatView<T>& a,
               const char* b_name, const MatView<T>& b) {
  CheckView(op, a_name, a);
  CheckView(op, b_name, b);
  CheckSameShape(op, a_name, a.rows, a.cols, b_name, b.rows, b.cols);
}

template <class T>
void SoftmaxT(ConstMatView<T> x, MatView<T> y) {
  CheckPair<const T>("Softmax", "x", x, "y", y);
  FFNN_DISPATCH(T, Softmax, x.data, x.rows, x.cols, x.stride, y.data, y.stride);
}
template <class T>
void LogSoftmaxT(ConstMatView<T> x, MatView<T> y) {
  CheckPair<const T>("LogSoftmax", "x", x, "y", y);
  FFNN_DISPATCH(T, LogSoftmax, x.data, x.rows, x.cols, x.stride, y.data,
                y.stride);
}
template <class T>
void SoftmaxBackwardT(ConstMatView<T> dy, ConstMatView<T> y, MatView<T> dx) {
  CheckPair<const T>("SoftmaxBackward", "dy", dy, "y", y);
  CheckPair<const T>("SoftmaxBackward", "dy", dy, "dx", dx);
  FFNN_DISPATCH(T, SoftmaxBackward, dy.data, dy.rows, dy.cols, dy.stride,
                y.data, y.stride, dx.data, dx.stride);
}
template <class T>
T SoftmaxCrossEntropyT(ConstMatView<T> z, ConstMatView<T> t, MatView<T> grad) {
  CheckPair<const T>("SoftmaxCrossEntropy", "z", z, "t", t);
  CheckPair<const T>("SoftmaxCrossEntropy", "z", z, "grad", grad);
  return FFNN_DISPATCH(T, SoftmaxXent, z.data, z.rows, z.cols, z.stride, t.data,
                       t.stride, grad.data, grad.stride);
}

}  // namespace

void Softmax(ConstMatView<float> x, MatView<float> y) { SoftmaxT(x, y); }
void Softmax(ConstMatView<double> x, MatView<double> y) { SoftmaxT(x, y); }
void LogSoftmax(ConstMatView<float> x, MatView<float> y) { LogSoftmaxT(x, y); }
void LogSoftmax(ConstMatView<double> x, MatView<double> y) {
  LogSoftmaxT(x, y);
}
void SoftmaxBackward(ConstMatView<float> dy, ConstMatView<float> y,
                     MatView<float> dx) {
  SoftmaxBackwardT(dy, y, dx);
}
void SoftmaxBackward(ConstMatView<double> dy, ConstMatView<double> y,
                     MatView<double> dx) {
  SoftmaxBackwardT(dy, y, dx);
}
float SoftmaxCrossEntropy(ConstMatView<float> z, ConstMatView<float> t,
                          MatView<float> grad) {
  return SoftmaxCrossEntropyT(z, t, grad);
}
double SoftmaxCrossEntropy(ConstMatView<double> z, ConstMatView<double> t,
                           MatView<double> grad) {
  return SoftmaxCrossEntropyT(z, t, grad);
}

}  // namespace ffnn::kernels
#endif  // HWY_ONCE
