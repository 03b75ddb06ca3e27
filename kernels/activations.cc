// Activations and their backward passes, compiled once per Highway target.
#include <cstddef>

// clang-format off: foreach_target.h must follow the define and precede
// every per-target header.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/activations.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
// clang-format on

#include "hwy/highway.h"
#include "kernels/fastmath-inl.h"
#include "kernels/simd-inl.h"

HWY_BEFORE_NAMESPACE();
namespace ffnn::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;
using std::size_t;

//! [sigmoid_simd]
// sigma(x) = 1 / (1 + e^-x), evaluated without overflow: with e = e^-|x|,
// sigma(x) = 1 / (1 + e) for x >= 0 and e / (1 + e) for x < 0.
template <class D, class V>
HWY_INLINE V SigmoidVec(D d, V x) {
  const V e = ExpNonPositive(d, hn::Neg(hn::Abs(x)));
  const V r = Reciprocal(d, hn::Add(hn::Set(d, 1), e));
  return hn::IfThenElse(hn::Lt(x, hn::Zero(d)), hn::Mul(e, r), r);
}
//! [sigmoid_simd]

template <class T>
void SigmoidImpl(const T* x, T* y, size_t n) {
  Map1(x, y, n, [](auto d, auto v) { return SigmoidVec(d, v); });
}
// dx = dy * y * (1 - y)
template <class T>
void SigmoidBackwardImpl(const T* dy, const T* y, T* dx, size_t n) {
  Map2(dy, y, dx, n, [](auto d, auto g, auto s) {
    return hn::Mul(g, hn::Mul(s, hn::Sub(hn::Set(d, 1), s)));
  });
}
template <class T>
void TanhImpl(const T* x, T* y, size_t n) {
  Map1(x, y, n, [](auto d, auto v) { return TanhFast(d, v); });
}
// dx = dy * (1 - y^2)
template <class T>
void TanhBackwardImpl(const T* dy, const T* y, T* dx, size_t n) {
  Map2(dy, y, dx, n, [](auto d, auto g, auto t) {
    return hn::Mul(g, hn::NegMulAdd(t, t, hn::Set(d, 1)));
  });
}
// max(0, x), keeping NaN (one vmaxps on x86).
template <class T>
void ReluImpl(const T* x, T* y, size_t n) {
  Map1(x, y, n, [](auto d, auto v) { return MaxKeepNaN(d, hn::Zero(d), v); });
}
// dx = dy where y > 0
template <class T>
void ReluBackwardImpl(const T* dy, const T* y, T* dx, size_t n) {
  Map2(dy, y, dx, n, [](auto d, auto g, auto r) {
    return hn::IfThenElseZero(hn::Gt(r, hn::Zero(d)), g);
  });
}
template <class T>
void StepImpl(const T* x, T* y, size_t n) {
  Map1(x, y, n, [](auto d, auto v) {
    return hn::IfThenElseZero(hn::Gt(v, hn::Zero(d)), hn::Set(d, 1));
  });
}
template <class T>
void StepBackwardImpl(const T* dy, const T* y, T* dx, size_t n) {
  Map2(dy, y, dx, n, [](auto d, auto, auto) { return hn::Zero(d); });
}

#define FFNN_ACTIVATION_EXPORTS(Name)                                         \
  void Name##F32(const float* x, float* y, size_t n) { Name##Impl(x, y, n); } \
  void Name##BackwardF32(const float* dy, const float* y, float* dx,          \
                         size_t n) {                                          \
    Name##BackwardImpl(dy, y, dx, n);                                         \
  }                                                                           \
  FFNN_ACTIVATION_EXPORTS_F64(Name)
// Highway 1.0.3 has no double vectors on its WASM target: there the
// double kernels are the EMU128 target's, compiled beside it (simd-inl.h).
#if HWY_HAVE_FLOAT64
#define FFNN_ACTIVATION_EXPORTS_F64(Name)                               \
  void Name##F64(const double* x, double* y, size_t n) {                \
    Name##Impl(x, y, n);                                                \
  }                                                                     \
  void Name##BackwardF64(const double* dy, const double* y, double* dx, \
                         size_t n) {                                    \
    Name##BackwardImpl(dy, y, dx, n);                                   \
  }
#else
#define FFNN_ACTIVATION_EXPORTS_F64(Name) \
  FFNN_F64_FROM_EMU128(Name##F64)         \
  FFNN_F64_FROM_EMU128(Name##BackwardF64)
#endif
FFNN_ACTIVATION_EXPORTS(Sigmoid)
FFNN_ACTIVATION_EXPORTS(Tanh)
FFNN_ACTIVATION_EXPORTS(Relu)
FFNN_ACTIVATION_EXPORTS(Step)
#undef FFNN_ACTIVATION_EXPORTS
#undef FFNN_ACTIVATION_EXPORTS_F64

}  // namespace ffnn::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include "kernels/activations.h"
#include "kernels/dispatch.h"
#include "kernels/fast.h"
#include "kernels/views.h"

namespace ffnn::kernels {

HWY_EXPORT(SigmoidF32);
HWY_EXPORT(SigmoidF64);
HWY_EXPORT(SigmoidBackwardF32);
HWY_EXPORT(SigmoidBackwardF64);
HWY_EXPORT(TanhF32);
HWY_EXPORT(TanhF64);
HWY_EXPORT(TanhBackwardF32);
HWY_EXPORT(TanhBackwardF64);
HWY_EXPORT(ReluF32);
HWY_EXPORT(ReluF64);
HWY_EXPORT(ReluBackwardF32);
HWY_EXPORT(ReluBackwardF64);
HWY_EXPORT(StepF32);
HWY_EXPORT(StepF64);
HWY_EXPORT(StepBackwardF32);
HWY_EXPORT(StepBackwardF64);

// Public entry points: the same shape checks for every activation.
#define FFNN_ACTIVATION_API(Name, T)                                     \
  void Name(std::span<const T> x, std::span<T> y) {                      \
    CheckSameLength(#Name, "x", x.size(), "y", y.size());                \
    FFNN_DISPATCH(T, Name, x.data(), y.data(), x.size());                \
  }                                                                      \
  void Name##Backward(std::span<const T> dy, std::span<const T> y,       \
                      std::span<T> dx) {                                 \
    CheckSameLength(#Name "Backward", "dy", dy.size(), "y", y.size());   \
    CheckSameLength(#Name "Backward", "dy", dy.size(), "dx", dx.size()); \
    FFNN_DISPATCH(T, Name##Backward, dy.data(), y.data(), dx.data(),     \
                  dy.size());                                            \
  }
FFNN_ACTIVATION_API(Sigmoid, float)
FFNN_ACTIVATION_API(Sigmoid, double)
FFNN_ACTIVATION_API(Tanh, float)
FFNN_ACTIVATION_API(Tanh, double)
FFNN_ACTIVATION_API(Relu, float)
FFNN_ACTIVATION_API(Relu, double)
FFNN_ACTIVATION_API(Step, float)
FFNN_ACTIVATION_API(Step, double)
#undef FFNN_ACTIVATION_API

namespace detail {
template <class T>
void ResolveActivationsT(VectorOps<T>& ops) {
  ops.sigmoid_backward = FFNN_DISPATCH_POINTER(T, SigmoidBackward);
  ops.tanh_backward = FFNN_DISPATCH_POINTER(T, TanhBackward);
  ops.relu_backward = FFNN_DISPATCH_POINTER(T, ReluBackward);
}
void ResolveActivations(VectorOps<float>& ops) { ResolveActivationsT(ops); }
void ResolveActivations(VectorOps<double>& ops) { ResolveActivationsT(ops); }
}  // namespace detail

}  // namespace ffnn::kernels
#endif  // HWY_ONCE
