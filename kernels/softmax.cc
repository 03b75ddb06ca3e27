// Row-wise softmax family, compiled once per Highway target.
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <limits>

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

// max_j x_j, without the NaN bookkeeping of MaxSimd: in the softmax family
// a NaN in x need not reach m, since e^(NaN - m) is NaN and so then is the
// row sum and every output (the tests check it). Four accumulators.
template <class T>
HWY_INLINE T RowMax(const T* HWY_RESTRICT x, size_t n) {
  const hn::ScalableTag<T> d;
  const size_t N = hn::Lanes(d);
  const auto lowest = hn::Set(d, -std::numeric_limits<T>::infinity());
  auto m0 = lowest, m1 = lowest, m2 = lowest, m3 = lowest;
  size_t j = 0;
  for (; j + 4 * N <= n; j += 4 * N) {
    m0 = hn::Max(m0, hn::LoadU(d, x + j));
    m1 = hn::Max(m1, hn::LoadU(d, x + j + N));
    m2 = hn::Max(m2, hn::LoadU(d, x + j + 2 * N));
    m3 = hn::Max(m3, hn::LoadU(d, x + j + 3 * N));
  }
  for (; j + N <= n; j += N) m0 = hn::Max(m0, hn::LoadU(d, x + j));
  T m =
      hn::GetLane(hn::MaxOfLanes(d, hn::Max(hn::Max(m0, m1), hn::Max(m2, m3))));
  for (; j < n; ++j) m = x[j] > m ? x[j] : m;
  return m;
}

// out_j = exp(x_j - m); returns sum_j out_j. out may alias x.
template <class T>
HWY_INLINE T ExpShiftSum(const T* x, T m, T* out, size_t c) {
  const hn::ScalableTag<T> d;
  const size_t N = hn::Lanes(d);
  const auto mv = hn::Set(d, m);
  auto s0 = hn::Zero(d), s1 = hn::Zero(d), s2 = hn::Zero(d), s3 = hn::Zero(d);
  size_t j = 0;
  // Four independent exponentials per iteration hide their latency.
  for (; j + 4 * N <= c; j += 4 * N) {
    const auto e0 = ExpNonPositive(d, hn::Sub(hn::LoadU(d, x + j), mv));
    const auto e1 = ExpNonPositive(d, hn::Sub(hn::LoadU(d, x + j + N), mv));
    const auto e2 = ExpNonPositive(d, hn::Sub(hn::LoadU(d, x + j + 2 * N), mv));
    const auto e3 = ExpNonPositive(d, hn::Sub(hn::LoadU(d, x + j + 3 * N), mv));
    hn::StoreU(e0, d, out + j);
    hn::StoreU(e1, d, out + j + N);
    hn::StoreU(e2, d, out + j + 2 * N);
    hn::StoreU(e3, d, out + j + 3 * N);
    s0 = hn::Add(s0, e0);
    s1 = hn::Add(s1, e1);
    s2 = hn::Add(s2, e2);
    s3 = hn::Add(s3, e3);
  }
  for (; j + N <= c; j += N) {
    const auto e0 = ExpNonPositive(d, hn::Sub(hn::LoadU(d, x + j), mv));
    hn::StoreU(e0, d, out + j);
    s0 = hn::Add(s0, e0);
  }
#if FFNN_MASKED_TAIL
  if (j < c) {  // masked-off lanes are neither stored nor summed
    const auto m = hn::FirstN(d, c - j);
    const auto e0 = hn::IfThenElseZero(
        m, ExpNonPositive(d, hn::Sub(hn::MaskedLoad(m, d, x + j), mv)));
    hn::BlendedStore(e0, m, d, out + j);
    s1 = hn::Add(s1, e0);
    j = c;
  }
#endif
  T sum =
      hn::GetLane(hn::SumOfLanes(d, hn::Add(hn::Add(s0, s1), hn::Add(s2, s3))));
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
    const T m = RowMax(xi, c);              // m = max_k x_k
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
    const T m = RowMax(xi, c);
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
    // (x - m) - log s, not x - (m + log s): for huge logits m + log s
    // rounds back to m and log s would be lost (equal logits of 2.4e38
    // would give log-probabilities of 0 instead of -log c).
    const T log_s = LogScalar(s);
    Map1(xi, yi, c, [m, log_s](auto d, auto v) {
      return hn::Sub(hn::Sub(v, hn::Set(d, m)), hn::Set(d, log_s));
    });
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

// sum_k t_k (m - z_k), each gap taken before it is weighted: for huge
// logits, m t_sum - t . z would cancel to nothing.
template <class T>
HWY_INLINE T TargetGap(const T* HWY_RESTRICT t, const T* HWY_RESTRICT z, T m,
                       size_t c) {
  const hn::ScalableTag<T> d;
  const size_t N = hn::Lanes(d);
  const auto mv = hn::Set(d, m);
  auto s0 = hn::Zero(d);
  size_t j = 0;
  for (; j + N <= c; j += N) {
    s0 = hn::MulAdd(hn::LoadU(d, t + j), hn::Sub(mv, hn::LoadU(d, z + j)), s0);
  }
  T sum = hn::GetLane(hn::SumOfLanes(d, s0));
  for (; j < c; ++j) sum += t[j] * (m - z[j]);
  return sum;
}

//! [softmax_xent]
// Per row, with m = max_k z_k and s = sum_k e^(z_k - m):
// loss = sum_k t_k ((m - z_k) + log s); grad_k = e^(z_k - m) / s - t_k.
// The loss never takes log of a probability, so a probability that
// underflows to 0 cannot produce -inf * 0 = NaN; and it adds the two
// non-negative parts m - z_k and log s instead of forming m + log s, which
// for huge logits rounds back to m (equal logits of 2.4e38 would score 0,
// not log c).
template <class T>
void SoftmaxXentImpl(const T* z, size_t n, size_t c, size_t ldz, const T* t,
                     size_t ldt, T* grad, size_t ldg, T* row_loss) {
  assert(ldz >= c && ldt >= c && ldg >= c);
  for (size_t i = 0; i < n; ++i) {
    const T* zi = z + i * ldz;
    const T* ti = t + i * ldt;
    T* gi = grad + i * ldg;
    const T m = RowMax(zi, c);
    const T gap = TargetGap(ti, zi, m, c);  // before grad overwrites z
    const T t_sum = SumSimd(ti, c);
    const T s = ExpShiftSum(zi, m, gi, c);  // g_k = e^(z_k - m)
    row_loss[i] = gap + t_sum * LogScalar(s);
    const T inv = T(1) / s;
    Map2(gi, ti, gi, c, [inv](auto d, auto e, auto tv) {
      return hn::MulSub(e, hn::Set(d, inv), tv);  // e / s - t
    });
  }
}
//! [softmax_xent]

//! [softmax_xent_index]
// With class indices for targets: three passes over the row (max; exp,
// store and sum; scale), one exponential per element, and the target's -1
// added after the scaling: loss_i = (m - z_target) + log s. (Computing max and
// exponentials per L1-sized chunk, to read z from L2/L3 once, measured no
// faster: the exponentials, not the memory, bound the row.)
template <class T>
void SoftmaxXentIndexImpl(const T* z, size_t n, size_t c, size_t ldz,
                          const int32_t* targets, T* grad, size_t ldg,
                          T* row_loss) {
  assert(ldz >= c && ldg >= c);
  for (size_t i = 0; i < n; ++i) {
    const T* zi = z + i * ldz;
    T* gi = grad + i * ldg;
    const size_t target = static_cast<size_t>(targets[i]);
    const T z_target = zi[target];                // before grad overwrites z
    const T m = RowMax(zi, c);                    // m = max_k z_k
    const T s = ExpShiftSum(zi, m, gi, c);        // g_k = e^(z_k - m), s = sum
    row_loss[i] = (m - z_target) + LogScalar(s);  // both parts >= 0
    const T inv = T(1) / s;
    Map1(gi, gi, c, [inv](auto d, auto v) {  // g_k = p_k
      return hn::Mul(v, hn::Set(d, inv));
    });
    gi[target] -= T(1);
  }
}
//! [softmax_xent_index]

void SoftmaxF32(const float* x, size_t n, size_t c, size_t ldx, float* y,
                size_t ldy) {
  SoftmaxImpl(x, n, c, ldx, y, ldy);
}
void LogSoftmaxF32(const float* x, size_t n, size_t c, size_t ldx, float* y,
                   size_t ldy) {
  LogSoftmaxImpl(x, n, c, ldx, y, ldy);
}
void SoftmaxBackwardF32(const float* dy, size_t n, size_t c, size_t lddy,
                        const float* y, size_t ldy, float* dx, size_t lddx) {
  SoftmaxBackwardImpl(dy, n, c, lddy, y, ldy, dx, lddx);
}
void SoftmaxXentF32(const float* z, size_t n, size_t c, size_t ldz,
                    const float* t, size_t ldt, float* g, size_t ldg,
                    float* row_loss) {
  SoftmaxXentImpl(z, n, c, ldz, t, ldt, g, ldg, row_loss);
}
void SoftmaxXentIndexF32(const float* z, size_t n, size_t c, size_t ldz,
                         const int32_t* targets, float* g, size_t ldg,
                         float* row_loss) {
  SoftmaxXentIndexImpl(z, n, c, ldz, targets, g, ldg, row_loss);
}

// Highway 1.0.3 has no double vectors on its WASM target: there the
// double kernels are the EMU128 target's, compiled beside it (simd-inl.h).
#if HWY_HAVE_FLOAT64
void SoftmaxF64(const double* x, size_t n, size_t c, size_t ldx, double* y,
                size_t ldy) {
  SoftmaxImpl(x, n, c, ldx, y, ldy);
}
void LogSoftmaxF64(const double* x, size_t n, size_t c, size_t ldx, double* y,
                   size_t ldy) {
  LogSoftmaxImpl(x, n, c, ldx, y, ldy);
}
void SoftmaxBackwardF64(const double* dy, size_t n, size_t c, size_t lddy,
                        const double* y, size_t ldy, double* dx, size_t lddx) {
  SoftmaxBackwardImpl(dy, n, c, lddy, y, ldy, dx, lddx);
}
void SoftmaxXentF64(const double* z, size_t n, size_t c, size_t ldz,
                    const double* t, size_t ldt, double* g, size_t ldg,
                    double* row_loss) {
  SoftmaxXentImpl(z, n, c, ldz, t, ldt, g, ldg, row_loss);
}
void SoftmaxXentIndexF64(const double* z, size_t n, size_t c, size_t ldz,
                         const int32_t* targets, double* g, size_t ldg,
                         double* row_loss) {
  SoftmaxXentIndexImpl(z, n, c, ldz, targets, g, ldg, row_loss);
}
#else
FFNN_F64_FROM_EMU128(SoftmaxF64)
FFNN_F64_FROM_EMU128(LogSoftmaxF64)
FFNN_F64_FROM_EMU128(SoftmaxBackwardF64)
FFNN_F64_FROM_EMU128(SoftmaxXentF64)
FFNN_F64_FROM_EMU128(SoftmaxXentIndexF64)
#endif  // HWY_HAVE_FLOAT64

}  // namespace ffnn::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "kernels/dispatch.h"
#include "kernels/parallel.h"
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
HWY_EXPORT(SoftmaxXentIndexF32);
HWY_EXPORT(SoftmaxXentIndexF64);

namespace {

template <class T>
void CheckPair(const char* op, const char* a_name, const MatView<T>& a,
               const char* b_name, const MatView<T>& b) {
  CheckView(op, a_name, a);
  CheckView(op, b_name, b);
  CheckSameShape(op, a_name, a.rows, a.cols, b_name, b.rows, b.cols);
}

// Rows below which a second thread costs more than it saves.
constexpr std::size_t kMinElementsPerThread = 1 << 15;

//! [rows_threads]
// Runs f(r0, r1) on contiguous blocks of rows, one block per thread. Rows
// are independent, so the result does not depend on the split.
template <class F>
void ForRowBlocks(int threads, std::size_t rows, std::size_t cols, const F& f) {
  const std::size_t blocks = std::min<std::size_t>(
      {static_cast<std::size_t>(threads), rows,
       std::max<std::size_t>(1, rows * cols / kMinElementsPerThread)});
  if (blocks <= 1) {
    f(std::size_t{0}, rows);
    return;
  }
  ParallelFor(static_cast<int>(blocks), blocks, [&](std::size_t b) {
    const Range r = BlockRange(rows, blocks, b, 1);
    if (r.begin < r.end) f(r.begin, r.end);
  });
}
//! [rows_threads]

// Sums the per-row losses in row order: the same sum for every thread count.
template <class T>
T SumInRowOrder(const std::vector<T>& row_loss) {
  T loss = T(0);
  for (const T l : row_loss) loss += l;
  return loss;
}

template <class T>
void SoftmaxT(ConstMatView<T> x, MatView<T> y, int threads) {
  CheckPair<const T>("Softmax", "x", x, "y", y);
  CheckThreads("Softmax", threads);
  const auto fn = FFNN_DISPATCH_POINTER(T, Softmax);
  ForRowBlocks(threads, x.rows, x.cols, [&](std::size_t r0, std::size_t r1) {
    fn(x.Row(r0), r1 - r0, x.cols, x.stride, y.Row(r0), y.stride);
  });
}
template <class T>
void LogSoftmaxT(ConstMatView<T> x, MatView<T> y, int threads) {
  CheckPair<const T>("LogSoftmax", "x", x, "y", y);
  CheckThreads("LogSoftmax", threads);
  const auto fn = FFNN_DISPATCH_POINTER(T, LogSoftmax);
  ForRowBlocks(threads, x.rows, x.cols, [&](std::size_t r0, std::size_t r1) {
    fn(x.Row(r0), r1 - r0, x.cols, x.stride, y.Row(r0), y.stride);
  });
}
template <class T>
void SoftmaxBackwardT(ConstMatView<T> dy, ConstMatView<T> y, MatView<T> dx,
                      int threads) {
  CheckPair<const T>("SoftmaxBackward", "dy", dy, "y", y);
  CheckPair<const T>("SoftmaxBackward", "dy", dy, "dx", dx);
  CheckThreads("SoftmaxBackward", threads);
  const auto fn = FFNN_DISPATCH_POINTER(T, SoftmaxBackward);
  ForRowBlocks(threads, dy.rows, dy.cols, [&](std::size_t r0, std::size_t r1) {
    fn(dy.Row(r0), r1 - r0, dy.cols, dy.stride, y.Row(r0), y.stride, dx.Row(r0),
       dx.stride);
  });
}
template <class T>
T SoftmaxCrossEntropyT(ConstMatView<T> z, ConstMatView<T> t, MatView<T> grad,
                       int threads) {
  CheckPair<const T>("SoftmaxCrossEntropy", "z", z, "t", t);
  CheckPair<const T>("SoftmaxCrossEntropy", "z", z, "grad", grad);
  CheckThreads("SoftmaxCrossEntropy", threads);
  const auto fn = FFNN_DISPATCH_POINTER(T, SoftmaxXent);
  std::vector<T> row_loss(z.rows);
  ForRowBlocks(threads, z.rows, z.cols, [&](std::size_t r0, std::size_t r1) {
    fn(z.Row(r0), r1 - r0, z.cols, z.stride, t.Row(r0), t.stride, grad.Row(r0),
       grad.stride, row_loss.data() + r0);
  });
  return SumInRowOrder(row_loss);
}
template <class T>
T SoftmaxCrossEntropyIndexT(ConstMatView<T> z,
                            std::span<const std::int32_t> targets,
                            MatView<T> grad, int threads) {
  CheckPair<const T>("SoftmaxCrossEntropy", "z", z, "grad", grad);
  CheckSameLength("SoftmaxCrossEntropy", "z rows", z.rows, "targets",
                  targets.size());
  CheckThreads("SoftmaxCrossEntropy", threads);
  for (std::size_t i = 0; i < targets.size(); ++i) {
    if (targets[i] < 0 || static_cast<std::size_t>(targets[i]) >= z.cols) {
      throw std::invalid_argument(
          "SoftmaxCrossEntropy: targets[" + std::to_string(i) +
          "] = " + std::to_string(targets[i]) +
          " is not a class of z with shape " + ShapeString(z.rows, z.cols));
    }
  }
  const auto fn = FFNN_DISPATCH_POINTER(T, SoftmaxXentIndex);
  std::vector<T> row_loss(z.rows);
  ForRowBlocks(threads, z.rows, z.cols, [&](std::size_t r0, std::size_t r1) {
    fn(z.Row(r0), r1 - r0, z.cols, z.stride, targets.data() + r0, grad.Row(r0),
       grad.stride, row_loss.data() + r0);
  });
  return SumInRowOrder(row_loss);
}

}  // namespace

void Softmax(ConstMatView<float> x, MatView<float> y, int threads) {
  SoftmaxT(x, y, threads);
}
void Softmax(ConstMatView<double> x, MatView<double> y, int threads) {
  SoftmaxT(x, y, threads);
}
void LogSoftmax(ConstMatView<float> x, MatView<float> y, int threads) {
  LogSoftmaxT(x, y, threads);
}
void LogSoftmax(ConstMatView<double> x, MatView<double> y, int threads) {
  LogSoftmaxT(x, y, threads);
}
void SoftmaxBackward(ConstMatView<float> dy, ConstMatView<float> y,
                     MatView<float> dx, int threads) {
  SoftmaxBackwardT(dy, y, dx, threads);
}
void SoftmaxBackward(ConstMatView<double> dy, ConstMatView<double> y,
                     MatView<double> dx, int threads) {
  SoftmaxBackwardT(dy, y, dx, threads);
}
float SoftmaxCrossEntropy(ConstMatView<float> z, ConstMatView<float> t,
                          MatView<float> grad, int threads) {
  return SoftmaxCrossEntropyT(z, t, grad, threads);
}
double SoftmaxCrossEntropy(ConstMatView<double> z, ConstMatView<double> t,
                           MatView<double> grad, int threads) {
  return SoftmaxCrossEntropyT(z, t, grad, threads);
}
float SoftmaxCrossEntropy(ConstMatView<float> z,
                          std::span<const std::int32_t> targets,
                          MatView<float> grad, int threads) {
  return SoftmaxCrossEntropyIndexT(z, targets, grad, threads);
}
double SoftmaxCrossEntropy(ConstMatView<double> z,
                           std::span<const std::int32_t> targets,
                           MatView<double> grad, int threads) {
  return SoftmaxCrossEntropyIndexT(z, targets, grad, threads);
}

}  // namespace ffnn::kernels
#endif  // HWY_ONCE
