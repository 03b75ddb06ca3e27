// Per-target helpers shared by the kernel translation units. Included once per
// Highway target (hence the toggling include guard, as in hwy/examples).
//
// Tails: on AVX2 and AVX-512, one masked vector (MaskedLoad/BlendedStore are
// vmaskmov / vmovups{k} there, which never touch the masked-off lanes); on
// the other targets one lane at a time with a CappedTag<T, 1> (Highway 1.0.3
// has no LoadN/StoreN, and its SSE4 MaskedLoad reads the whole vector). No
// kernel reads or writes past the end of its operands. At d = 300 the masked
// tail replaces 12 scalar iterations. (Tried and measured slower for the
// in-place updates: computing the last whole vector, overlapping the main
// loop, first and storing it last; the next call's loads then straddle two
// stores and cannot be forwarded from them.)
#if defined(FFNN_KERNELS_SIMD_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef FFNN_KERNELS_SIMD_INL_H_
#undef FFNN_KERNELS_SIMD_INL_H_
#else
#define FFNN_KERNELS_SIMD_INL_H_
#endif

#include <cstddef>
#include <limits>

#include "hwy/highway.h"

// Whether this target's float/double masked loads and stores are safe at the
// end of an allocation (redefined for each target this header is read for).
#undef FFNN_MASKED_TAIL
#if HWY_TARGET == HWY_AVX2 || HWY_TARGET == HWY_AVX3 || \
    HWY_TARGET == HWY_AVX3_DL
#define FFNN_MASKED_TAIL 1
#else
#define FFNN_MASKED_TAIL 0
#endif

// Highway 1.0.3's WASM target has no double vectors (HWY_HAVE_FLOAT64 0):
// the WebAssembly build (tools/live) compiles the EMU128 target beside it,
// and each double kernel of the WASM target is EMU128's, by a
// using-declaration, so dispatch and HWY_EXPORT see one function per target.
#ifndef FFNN_F64_FROM_EMU128
#define FFNN_F64_FROM_EMU128(Name) using ::ffnn::kernels::N_EMU128::Name;
#endif

HWY_BEFORE_NAMESPACE();
namespace ffnn::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Calls f(d, i) for i = 0, N, 2N, ... with a full tag d while a whole vector
// fits, then f(d1, i) one lane at a time with a 1-lane tag d1.
template <class T, class F>
HWY_INLINE void ForEachVector(std::size_t n, const F& f) {
  const hn::ScalableTag<T> d;
  const std::size_t N = hn::Lanes(d);
  std::size_t i = 0;
  for (; i + N <= n; i += N) f(d, i);
  const hn::CappedTag<T, 1> d1;
  for (; i < n; ++i) f(d1, i);
}

// out_i = f(d, x_i) for i < n; f is called with a full tag and a 1-lane tag.
// out may alias x exactly.
template <class T, class F>
HWY_INLINE void Map1(const T* x, T* out, std::size_t n, const F& f) {
  const hn::ScalableTag<T> d;
  const std::size_t N = hn::Lanes(d);
  std::size_t i = 0;
  // Four independent vectors per iteration: the activations are long chains
  // of dependent operations, and interleaving four hides their latency.
  for (; i + 4 * N <= n; i += 4 * N) {
    const auto v0 = f(d, hn::LoadU(d, x + i));
    const auto v1 = f(d, hn::LoadU(d, x + i + N));
    const auto v2 = f(d, hn::LoadU(d, x + i + 2 * N));
    const auto v3 = f(d, hn::LoadU(d, x + i + 3 * N));
    hn::StoreU(v0, d, out + i);
    hn::StoreU(v1, d, out + i + N);
    hn::StoreU(v2, d, out + i + 2 * N);
    hn::StoreU(v3, d, out + i + 3 * N);
  }
  for (; i + N <= n; i += N) hn::StoreU(f(d, hn::LoadU(d, x + i)), d, out + i);
#if FFNN_MASKED_TAIL
  if (i < n) {
    const auto m = hn::FirstN(d, n - i);
    hn::BlendedStore(f(d, hn::MaskedLoad(m, d, x + i)), m, d, out + i);
  }
#else
  const hn::CappedTag<T, 1> d1;
  for (; i < n; ++i) hn::StoreU(f(d1, hn::LoadU(d1, x + i)), d1, out + i);
#endif
}

// out_i = f(d, x_i, y_i); out may alias x or y exactly.
template <class T, class F>
HWY_INLINE void Map2(const T* x, const T* y, T* out, std::size_t n,
                     const F& f) {
  const hn::ScalableTag<T> d;
  const std::size_t N = hn::Lanes(d);
  std::size_t i = 0;
  for (; i + 4 * N <= n; i += 4 * N) {
    const auto v0 = f(d, hn::LoadU(d, x + i), hn::LoadU(d, y + i));
    const auto v1 = f(d, hn::LoadU(d, x + i + N), hn::LoadU(d, y + i + N));
    const auto v2 =
        f(d, hn::LoadU(d, x + i + 2 * N), hn::LoadU(d, y + i + 2 * N));
    const auto v3 =
        f(d, hn::LoadU(d, x + i + 3 * N), hn::LoadU(d, y + i + 3 * N));
    hn::StoreU(v0, d, out + i);
    hn::StoreU(v1, d, out + i + N);
    hn::StoreU(v2, d, out + i + 2 * N);
    hn::StoreU(v3, d, out + i + 3 * N);
  }
  for (; i + N <= n; i += N) {
    hn::StoreU(f(d, hn::LoadU(d, x + i), hn::LoadU(d, y + i)), d, out + i);
  }
#if FFNN_MASKED_TAIL
  if (i < n) {
    const auto m = hn::FirstN(d, n - i);
    hn::BlendedStore(
        f(d, hn::MaskedLoad(m, d, x + i), hn::MaskedLoad(m, d, y + i)), m, d,
        out + i);
  }
#else
  const hn::CappedTag<T, 1> d1;
  for (; i < n; ++i) {
    hn::StoreU(f(d1, hn::LoadU(d1, x + i), hn::LoadU(d1, y + i)), d1, out + i);
  }
#endif
}

// Returns sum_i x_i y_i with four independent accumulators (hides the FMA
// latency) and a scalar tail.
template <class T>
HWY_INLINE T DotSimd(const T* HWY_RESTRICT x, const T* HWY_RESTRICT y,
                     std::size_t n) {
  const hn::ScalableTag<T> d;
  const std::size_t N = hn::Lanes(d);
  auto s0 = hn::Zero(d), s1 = hn::Zero(d), s2 = hn::Zero(d), s3 = hn::Zero(d);
  std::size_t i = 0;
  for (; i + 4 * N <= n; i += 4 * N) {
    s0 = hn::MulAdd(hn::LoadU(d, x + i), hn::LoadU(d, y + i), s0);
    s1 = hn::MulAdd(hn::LoadU(d, x + i + N), hn::LoadU(d, y + i + N), s1);
    s2 = hn::MulAdd(hn::LoadU(d, x + i + 2 * N), hn::LoadU(d, y + i + 2 * N),
                    s2);
    s3 = hn::MulAdd(hn::LoadU(d, x + i + 3 * N), hn::LoadU(d, y + i + 3 * N),
                    s3);
  }
  for (; i + N <= n; i += N) {
    s0 = hn::MulAdd(hn::LoadU(d, x + i), hn::LoadU(d, y + i), s0);
  }
#if FFNN_MASKED_TAIL
  if (i < n) {
    const auto m = hn::FirstN(d, n - i);
    s1 = hn::MulAdd(hn::MaskedLoad(m, d, x + i), hn::MaskedLoad(m, d, y + i),
                    s1);
    i = n;
  }
#endif
  T sum =
      hn::GetLane(hn::SumOfLanes(d, hn::Add(hn::Add(s0, s1), hn::Add(s2, s3))));
  for (; i < n; ++i) sum += x[i] * y[i];
  return sum;
}

template <class T>
HWY_INLINE T SumSimd(const T* HWY_RESTRICT x, std::size_t n) {
  const hn::ScalableTag<T> d;
  const std::size_t N = hn::Lanes(d);
  auto s0 = hn::Zero(d), s1 = hn::Zero(d), s2 = hn::Zero(d), s3 = hn::Zero(d);
  std::size_t i = 0;
  for (; i + 4 * N <= n; i += 4 * N) {
    s0 = hn::Add(s0, hn::LoadU(d, x + i));
    s1 = hn::Add(s1, hn::LoadU(d, x + i + N));
    s2 = hn::Add(s2, hn::LoadU(d, x + i + 2 * N));
    s3 = hn::Add(s3, hn::LoadU(d, x + i + 3 * N));
  }
  for (; i + N <= n; i += N) s0 = hn::Add(s0, hn::LoadU(d, x + i));
#if FFNN_MASKED_TAIL
  if (i < n) {
    s1 = hn::Add(s1, hn::MaskedLoad(hn::FirstN(d, n - i), d, x + i));
    i = n;
  }
#endif
  T sum =
      hn::GetLane(hn::SumOfLanes(d, hn::Add(hn::Add(s0, s1), hn::Add(s2, s3))));
  for (; i < n; ++i) sum += x[i];
  return sum;
}

// x <- a x.
template <class T>
HWY_INLINE void ScalSimd(T a, T* x, std::size_t n) {
  Map1(x, x, n, [a](auto d, auto v) { return hn::Mul(hn::Set(d, a), v); });
}

// y <- beta y, with beta = 0 overwriting (BLAS semantics: no NaN from y).
template <class T>
HWY_INLINE void ScaleOrZeroSimd(T beta, T* y, std::size_t n) {
  if (beta == T(1)) return;
  if (beta == T(0)) {
    for (std::size_t i = 0; i < n; ++i) y[i] = T(0);
    return;
  }
  ScalSimd(beta, y, n);
}

// y <- a x + y.
template <class T>
HWY_INLINE void AxpySimd(T a, const T* HWY_RESTRICT x, T* HWY_RESTRICT y,
                         std::size_t n) {
  Map2(x, y, y, n, [a](auto d, auto xv, auto yv) {
    return hn::MulAdd(hn::Set(d, a), xv, yv);
  });
}

}  // namespace ffnn::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // FFNN_KERNELS_SIMD_INL_H_
