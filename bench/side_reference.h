// The reference side of the benchmarks: the same raw-pointer adapters over
// reference/ (Eigen), with Eigen::Map so that no data is copied.
#ifndef FFNN_BENCH_SIDE_REFERENCE_H_
#define FFNN_BENCH_SIDE_REFERENCE_H_

#include <cstddef>
#include <cstdint>

#include "reference/activations.h"
#include "reference/blas.h"
#include "reference/embedding.h"
#include "reference/optim.h"
#include "reference/softmax.h"

namespace ffnn::bench::reference_side {

namespace ref = ffnn::reference;
using std::size_t;
using CVec = Eigen::Map<const ref::Vec<float>>;
using Vec = Eigen::Map<ref::Vec<float>>;
using CMat = Eigen::Map<const ref::Mat<float>>;
using Mat = Eigen::Map<ref::Mat<float>>;

inline constexpr const char* kName = "reference";
// Whether this side has multi-threaded kernels to benchmark.
inline constexpr bool kThreaded = false;

inline float Dot(const float* x, const float* y, size_t n) {
  return ref::Dot<float>(CVec(x, n), CVec(y, n));
}
inline void Axpy(float a, const float* x, float* y, size_t n) {
  ref::Axpy<float>(a, CVec(x, n), Vec(y, n));
}
inline void Add(const float* x, const float* y, float* o, size_t n) {
  ref::Add<float>(CVec(x, n), CVec(y, n), Vec(o, n));
}
inline float Sum(const float* x, size_t n) {
  return ref::Sum<float>(CVec(x, n));
}
inline float Max(const float* x, size_t n) {
  return ref::Max<float>(CVec(x, n));
}
inline void Gemv(bool trans, const float* A, size_t m, size_t n, const float* x,
                 float* y) {
  ref::Gemv<float>(1.f, CMat(A, m, n), trans, CVec(x, trans ? m : n), 0.f,
                   Vec(y, trans ? n : m));
}
inline void Ger(const float* x, size_t m, const float* y, size_t n, float* A) {
  ref::Ger<float>(1.f, CVec(x, m), CVec(y, n), Mat(A, m, n));
}
// Eigen is built without OpenMP here: one thread (threads is ignored; the
// benchmarks register only one-thread runs of the reference side).
inline void Gemm(bool ta, bool tb, size_t m, size_t n, size_t kk,
                 const float* A, const float* B, float* C,
                 int /*threads*/ = 1) {
  ref::Gemm<float>(1.f, ta ? CMat(A, kk, m) : CMat(A, m, kk), ta,
                   tb ? CMat(B, n, kk) : CMat(B, kk, n), tb, 0.f, Mat(C, m, n));
}
inline void Sigmoid(const float* x, float* y, size_t n) {
  ref::Sigmoid<float>(CVec(x, n), Vec(y, n));
}
inline void Tanh(const float* x, float* y, size_t n) {
  ref::Tanh<float>(CVec(x, n), Vec(y, n));
}
inline void Relu(const float* x, float* y, size_t n) {
  ref::Relu<float>(CVec(x, n), Vec(y, n));
}
inline void SigmoidBackward(const float* dy, const float* y, float* dx,
                            size_t n) {
  ref::SigmoidBackward<float>(CVec(dy, n), CVec(y, n), Vec(dx, n));
}
inline void TanhBackward(const float* dy, const float* y, float* dx, size_t n) {
  ref::TanhBackward<float>(CVec(dy, n), CVec(y, n), Vec(dx, n));
}
inline void ReluBackward(const float* dy, const float* y, float* dx, size_t n) {
  ref::ReluBackward<float>(CVec(dy, n), CVec(y, n), Vec(dx, n));
}
inline void Softmax(const float* x, float* y, size_t rows, size_t cols,
                    int /*threads*/ = 1) {
  ref::Softmax<float>(CMat(x, rows, cols), Mat(y, rows, cols));
}
inline float SoftmaxXent(const float* z, const float* t, float* g, size_t rows,
                         size_t cols, int /*threads*/ = 1) {
  return ref::SoftmaxCrossEntropy<float>(
      CMat(z, rows, cols), CMat(t, rows, cols), Mat(g, rows, cols));
}
inline float SoftmaxXentIndex(const float* z, std::span<const int32_t> t,
                              float* g, size_t rows, size_t cols,
                              int /*threads*/ = 1) {
  return ref::SoftmaxCrossEntropy<float>(CMat(z, rows, cols), t,
                                         Mat(g, rows, cols));
}
inline void Gather(const float* table, size_t V, size_t d,
                   std::span<const int32_t> idx, float* out) {
  ref::EmbeddingGather<float>(CMat(table, V, d), idx, Mat(out, idx.size(), d));
}
inline void ScatterAdd(const float* rows, std::span<const int32_t> idx,
                       size_t d, float* table, size_t V) {
  ref::EmbeddingScatterAdd<float>(1.f, CMat(rows, idx.size(), d), idx,
                                  Mat(table, V, d));
}
inline float Sgns(float lr, float* u, size_t d, float* table, size_t V,
                  std::span<const int32_t> ctx, float* u_grad) {
  return ref::NegativeSamplingStep<float>(lr, Vec(u, d), Mat(table, V, d), ctx,
                                          Vec(u_grad, d));
}
inline void Sgd(float lr, const float* g, float* theta, size_t n) {
  ref::SgdStep<float>(lr, CVec(g, n), Vec(theta, n));
}
inline void Momentum(float lr, float mu, const float* g, float* v, float* theta,
                     size_t n) {
  ref::MomentumStep<float>(lr, mu, CVec(g, n), Vec(v, n), Vec(theta, n));
}
inline void Adam(float lr, int64_t t, const float* g, float* m, float* v,
                 float* theta, size_t n) {
  ref::AdamStep<float>(lr, 0.9f, 0.999f, 1e-8f, t, CVec(g, n), Vec(m, n),
                       Vec(v, n), Vec(theta, n));
}

}  // namespace ffnn::bench::reference_side

#endif  // FFNN_BENCH_SIDE_REFERENCE_H_
