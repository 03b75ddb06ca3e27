// The fast call path: raw-pointer entry points for the calls that word2vec
// and the optimizers make by the million on short vectors (d = 100...1024).
//
// A public kernel call (blas.h, activations.h, optim.h) checks shapes and
// picks the SIMD target on every call; at d = 100 that fixed cost is a third
// of the call. A VectorOps table is resolved once (ResolveVectorOps, for the
// target that dispatch would pick at that moment) and its functions do no
// checks: the caller guarantees the lengths, once per batch. Each function
// computes exactly what its checked counterpart computes, with the same
// error contract (see the headers named above).
#ifndef FFNN_KERNELS_FAST_H_
#define FFNN_KERNELS_FAST_H_

#include <cstddef>

namespace ffnn::kernels {

//! [vector_ops]
template <class T>
struct VectorOps {
  T (*dot)(const T* x, const T* y, std::size_t n);         // x . y
  void (*axpy)(T a, const T* x, T* y, std::size_t n);      // y += a x
  void (*scal)(T a, T* x, std::size_t n);                  // x *= a
  void (*sgd)(T lr, const T* g, T* theta, std::size_t n);  // theta -= lr g
  // dx = dy * f'(x), from the saved output y (activations.h).
  void (*sigmoid_backward)(const T* dy, const T* y, T* dx, std::size_t n);
  void (*tanh_backward)(const T* dy, const T* y, T* dx, std::size_t n);
  void (*relu_backward)(const T* dy, const T* y, T* dx, std::size_t n);
};
//! [vector_ops]

// The table for the best target the CPU supports (or the one a test forced
// with hwy::SetSupportedTargetsForTest). Cheap, but not free: resolve once,
// outside the loop.
VectorOps<float> ResolveVectorOpsF32();
VectorOps<double> ResolveVectorOpsF64();

template <class T>
VectorOps<T> ResolveVectorOps() {
  if constexpr (sizeof(T) == sizeof(float)) {
    return ResolveVectorOpsF32();
  } else {
    return ResolveVectorOpsF64();
  }
}

namespace detail {
// Fill in the entries of each translation unit (blas.cc, activations.cc,
// optim.cc) from its own dispatch tables.
void ResolveBlas(VectorOps<float>& ops);
void ResolveBlas(VectorOps<double>& ops);
void ResolveActivations(VectorOps<float>& ops);
void ResolveActivations(VectorOps<double>& ops);
void ResolveOptim(VectorOps<float>& ops);
void ResolveOptim(VectorOps<double>& ops);
}  // namespace detail

}  // namespace ffnn::kernels

#endif  // FFNN_KERNELS_FAST_H_
