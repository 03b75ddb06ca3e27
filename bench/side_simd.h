// The SIMD side of the benchmarks: raw-pointer adapters over kernels/.
#ifndef FFNN_BENCH_SIDE_SIMD_H_
#define FFNN_BENCH_SIDE_SIMD_H_

#include <cstddef>
#include <cstdint>

#include "kernels/activations.h"
#include "kernels/blas.h"
#include "kernels/embedding.h"
#include "kernels/fast.h"
#include "kernels/gemm.h"
#include "kernels/optim.h"
#include "kernels/softmax.h"

namespace ffnn::bench::simd_side {

namespace k = ffnn::kernels;
using std::size_t;
using CSpan = std::span<const float>;
using Span = std::span<float>;

inline constexpr const char* kName = "simd";
// Whether this side has multi-threaded kernels to benchmark.
inline constexpr bool kThreaded = true;

// The fast call path (kernels/fast.h), resolved once: what word2vec and the
// optimizers call on short vectors.
inline const k::VectorOps<float>& Ops() {
  static const k::VectorOps<float> ops = k::ResolveVectorOps<float>();
  return ops;
}

inline float Dot(const float* x, const float* y, size_t n) {
  return Ops().dot(x, y, n);
}
// The checked public entry point, to measure the fixed cost of a call.
inline float DotSpan(const float* x, const float* y, size_t n) {
  return k::Dot(CSpan(x, n), CSpan(y, n));
}
inline void Axpy(float a, const float* x, float* y, size_t n) {
  Ops().axpy(a, x, y, n);
}
inline void Add(const float* x, const float* y, float* o, size_t n) {
  k::Add(CSpan(x, n), CSpan(y, n), Span(o, n));
}
inline float Sum(const float* x, size_t n) { return k::Sum(CSpan(x, n)); }
inline float Max(const float* x, size_t n) { return k::Max(CSpan(x, n)); }
inline void Gemv(bool trans, const float* A, size_t m, size_t n, const float* x,
                 float* y) {
  k::Gemv(1.f, k::ConstMatView<float>(A, m, n),
          trans ? k::Trans::kYes : k::Trans::kNo, CSpan(x, trans ? m : n), 0.f,
          Span(y, trans ? n : m));
}
inline void Ger(const float* x, size_t m, const float* y, size_t n, float* A) {
  k::Ger(1.f, CSpan(x, m), CSpan(y, n), k::MatView<float>(A, m, n));
}
// C (m, n) = op(A) op(B), op(A): (m, k), op(B): (k, n).
inline void Gemm(bool ta, bool tb, size_t m, size_t n, size_t kk,
                 const float* A, const float* B, float* C, int threads = 1) {
  k::Gemm(
      1.f,
      ta ? k::ConstMatView<float>(A, kk, m) : k::ConstMatView<float>(A, m, kk),
      ta ? k::Trans::kYes : k::Trans::kNo,
      tb ? k::ConstMatView<float>(B, n, kk) : k::ConstMatView<float>(B, kk, n),
      tb ? k::Trans::kYes : k::Trans::kNo, 0.f, k::MatView<float>(C, m, n),
      threads);
}
inline void Sigmoid(const float* x, float* y, size_t n) {
  k::Sigmoid(CSpan(x, n), Span(y, n));
}
inline void Tanh(const float* x, float* y, size_t n) {
  k::Tanh(CSpan(x, n), Span(y, n));
}
inline void Relu(const float* x, float* y, size_t n) {
  k::Relu(CSpan(x, n), Span(y, n));
}
inline void SigmoidBackward(const float* dy, const float* y, float* dx,
                            size_t n) {
  Ops().sigmoid_backward(dy, y, dx, n);
}
inline void TanhBackward(const float* dy, const float* y, float* dx, size_t n) {
  Ops().tanh_backward(dy, y, dx, n);
}
inline void ReluBackward(const float* dy, const float* y, float* dx, size_t n) {
  Ops().relu_backward(dy, y, dx, n);
}
inline void Softmax(const float* x, float* y, size_t rows, size_t cols,
                    int threads = 1) {
  k::Softmax(k::ConstMatView<float>(x, rows, cols),
             k::MatView<float>(y, rows, cols), threads);
}
inline float SoftmaxXent(const float* z, const float* t, float* g, size_t rows,
                         size_t cols, int threads = 1) {
  return k::SoftmaxCrossEntropy(k::ConstMatView<float>(z, rows, cols),
                                k::ConstMatView<float>(t, rows, cols),
                                k::MatView<float>(g, rows, cols), threads);
}
inline float SoftmaxXentIndex(const float* z, std::span<const int32_t> t,
                              float* g, size_t rows, size_t cols,
                              int threads = 1) {
  return k::SoftmaxCrossEntropy(k::ConstMatView<float>(z, rows, cols), t,
                                k::MatView<float>(g, rows, cols), threads);
}
inline void Gather(const float* table, size_t V, size_t d,
                   std::span<const int32_t> idx, float* out) {
  k::EmbeddingGather(k::ConstMatView<float>(table, V, d), idx,
                     k::MatView<float>(out, idx.size(), d));
}
inline void ScatterAdd(const float* rows, std::span<const int32_t> idx,
                       size_t d, float* table, size_t V) {
  k::EmbeddingScatterAdd(1.f, k::ConstMatView<float>(rows, idx.size(), d), idx,
                         k::MatView<float>(table, V, d));
}
inline float Sgns(float lr, float* u, size_t d, float* table, size_t V,
                  std::span<const int32_t> ctx, float* u_grad) {
  return k::NegativeSamplingStep(lr, Span(u, d), k::MatView<float>(table, V, d),
                                 ctx, Span(u_grad, d));
}
inline void Sgd(float lr, const float* g, float* theta, size_t n) {
  Ops().sgd(lr, g, theta, n);
}
inline void Momentum(float lr, float mu, const float* g, float* v, float* theta,
                     size_t n) {
  k::MomentumStep(lr, mu, CSpan(g, n), Span(v, n), Span(theta, n));
}
inline void Adam(float lr, int64_t t, const float* g, float* m, float* v,
                 float* theta, size_t n) {
  k::AdamStep(lr, 0.9f, 0.999f, 1e-8f, t, CSpan(g, n), Span(m, n), Span(v, n),
              Span(theta, n));
}

}  // namespace ffnn::bench::simd_side

#endif  // FFNN_BENCH_SIDE_SIMD_H_
