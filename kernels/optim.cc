// Optimizer updates, compiled once per Highway target.
#include <cmath>
#include <cstddef>
#include <cstdint>

// clang-format off: foreach_target.h must follow the define and precede
// every per-target header.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/optim.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
// clang-format on

#include "hwy/highway.h"
#include "kernels/simd-inl.h"

HWY_BEFORE_NAMESPACE();
namespace ffnn::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;
using std::size_t;

template <class T>
void SgdImpl(T lr, const T* g, T* theta, size_t n) {
  AxpySimd(-lr, g, theta, n);
}

template <class T>
void MomentumImpl(T lr, T mu, const T* g, T* v, T* theta, size_t n) {
  ForEachVector<T>(n, [&](auto d, size_t i) {
    const auto vi = hn::MulAdd(hn::Set(d, mu), hn::LoadU(d, v + i),
                               hn::LoadU(d, g + i));  // mu v + g
    hn::StoreU(vi, d, v + i);
    hn::StoreU(hn::NegMulAdd(hn::Set(d, lr), vi, hn::LoadU(d, theta + i)), d,
               theta + i);  // theta - lr v
  });
}

//! [adam_simd]
// The bias corrections are folded into two scalars: with
// c1 = lr / (1 - b1^t) and c2 = 1 / sqrt(1 - b2^t),
// theta -= c1 m / (c2 sqrt(v) + eps).
template <class T>
void AdamImpl(T lr, T b1, T b2, T eps, std::int64_t t, const T* g, T* m, T* v,
              T* theta, size_t n) {
  const T c1 = lr / (T(1) - std::pow(b1, T(t)));
  const T c2 = T(1) / std::sqrt(T(1) - std::pow(b2, T(t)));
  ForEachVector<T>(n, [&](auto d, size_t i) {
    const auto gi = hn::LoadU(d, g + i);
    // m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2
    const auto mi = hn::MulAdd(hn::Set(d, b1), hn::LoadU(d, m + i),
                               hn::Mul(hn::Set(d, T(1) - b1), gi));
    const auto vi = hn::MulAdd(hn::Set(d, b2), hn::LoadU(d, v + i),
                               hn::Mul(hn::Set(d, T(1) - b2), hn::Mul(gi, gi)));
    hn::StoreU(mi, d, m + i);
    hn::StoreU(vi, d, v + i);
    const auto denom =
        hn::MulAdd(hn::Set(d, c2), hn::Sqrt(vi), hn::Set(d, eps));
    const auto step = hn::Div(hn::Mul(hn::Set(d, c1), mi), denom);
    hn::StoreU(hn::Sub(hn::LoadU(d, theta + i), step), d, theta + i);
  });
}
//! [adam_simd]

void SgdF32(float lr, const float* g, float* theta, size_t n) {
  SgdImpl(lr, g, theta, n);
}
void MomentumF32(float lr, float mu, const float* g, float* v, float* theta,
                 size_t n) {
  MomentumImpl(lr, mu, g, v, theta, n);
}
void AdamF32(float lr, float b1, float b2, float eps, std::int64_t t,
             const float* g, float* m, float* v, float* theta, size_t n) {
  AdamImpl(lr, b1, b2, eps, t, g, m, v, theta, n);
}

// Highway 1.0.3 has no double vectors on its WASM target: there the
// double kernels are the EMU128 target's, compiled beside it (simd-inl.h).
#if HWY_HAVE_FLOAT64
void SgdF64(double lr, const double* g, double* theta, size_t n) {
  SgdImpl(lr, g, theta, n);
}
void MomentumF64(double lr, double mu, const double* g, double* v,
                 double* theta, size_t n) {
  MomentumImpl(lr, mu, g, v, theta, n);
}
void AdamF64(double lr, double b1, double b2, double eps, std::int64_t t,
             const double* g, double* m, double* v, double* theta, size_t n) {
  AdamImpl(lr, b1, b2, eps, t, g, m, v, theta, n);
}
#else
FFNN_F64_FROM_EMU128(SgdF64)
FFNN_F64_FROM_EMU128(MomentumF64)
FFNN_F64_FROM_EMU128(AdamF64)
#endif  // HWY_HAVE_FLOAT64

}  // namespace ffnn::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include <stdexcept>
#include <string>

#include "kernels/dispatch.h"
#include "kernels/fast.h"
#include "kernels/optim.h"
#include "kernels/views.h"

namespace ffnn::kernels {

HWY_EXPORT(SgdF32);
HWY_EXPORT(SgdF64);
HWY_EXPORT(MomentumF32);
HWY_EXPORT(MomentumF64);
HWY_EXPORT(AdamF32);
HWY_EXPORT(AdamF64);

namespace {

template <class T>
void SgdT(T lr, std::span<const T> g, std::span<T> theta) {
  CheckSameLength("SgdStep", "g", g.size(), "theta", theta.size());
  FFNN_DISPATCH(T, Sgd, lr, g.data(), theta.data(), g.size());
}
template <class T>
void MomentumT(T lr, T mu, std::span<const T> g, std::span<T> v,
               std::span<T> theta) {
  CheckSameLength("MomentumStep", "g", g.size(), "v", v.size());
  CheckSameLength("MomentumStep", "g", g.size(), "theta", theta.size());
  FFNN_DISPATCH(T, Momentum, lr, mu, g.data(), v.data(), theta.data(),
                g.size());
}
template <class T>
void AdamT(T lr, T b1, T b2, T eps, std::int64_t t, std::span<const T> g,
           std::span<T> m, std::span<T> v, std::span<T> theta) {
  CheckSameLength("AdamStep", "g", g.size(), "m", m.size());
  CheckSameLength("AdamStep", "g", g.size(), "v", v.size());
  CheckSameLength("AdamStep", "g", g.size(), "theta", theta.size());
  if (t < 1) {
    throw std::invalid_argument("AdamStep: step t must be >= 1, got " +
                                std::to_string(t));
  }
  FFNN_DISPATCH(T, Adam, lr, b1, b2, eps, t, g.data(), m.data(), v.data(),
                theta.data(), g.size());
}

}  // namespace

void SgdStep(float lr, std::span<const float> g, std::span<float> theta) {
  SgdT(lr, g, theta);
}
void SgdStep(double lr, std::span<const double> g, std::span<double> theta) {
  SgdT(lr, g, theta);
}
void MomentumStep(float lr, float mu, std::span<const float> g,
                  std::span<float> v, std::span<float> theta) {
  MomentumT(lr, mu, g, v, theta);
}
void MomentumStep(double lr, double mu, std::span<const double> g,
                  std::span<double> v, std::span<double> theta) {
  MomentumT(lr, mu, g, v, theta);
}
void AdamStep(float lr, float b1, float b2, float eps, std::int64_t t,
              std::span<const float> g, std::span<float> m, std::span<float> v,
              std::span<float> theta) {
  AdamT(lr, b1, b2, eps, t, g, m, v, theta);
}
void AdamStep(double lr, double b1, double b2, double eps, std::int64_t t,
              std::span<const double> g, std::span<double> m,
              std::span<double> v, std::span<double> theta) {
  AdamT(lr, b1, b2, eps, t, g, m, v, theta);
}

namespace detail {
template <class T>
void ResolveOptimT(VectorOps<T>& ops) {
  ops.sgd = FFNN_DISPATCH_POINTER(T, Sgd);
}
void ResolveOptim(VectorOps<float>& ops) { ResolveOptimT(ops); }
void ResolveOptim(VectorOps<double>& ops) { ResolveOptimT(ops); }
}  // namespace detail

}  // namespace ffnn::kernels
#endif  // HWY_ONCE
