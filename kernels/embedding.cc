// Embedding gather / scatter-add and the negative-sampling step, compiled
// once per Highway target.
#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstddef>
#include <cstdint>

// clang-format off: foreach_target.h must follow the define and precede
// every per-target header.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/embedding.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
// clang-format on

#include "hwy/cache_control.h"
#include "hwy/contrib/math/math-inl.h"
#include "hwy/highway.h"
#include "kernels/simd-inl.h"

HWY_BEFORE_NAMESPACE();
namespace ffnn::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;
using std::size_t;

template <class T>
void GatherImpl(const T* table, size_t ldt, const int32_t* idx, size_t n,
                size_t d, T* out, size_t ldo) {
  assert(ldt >= d && ldo >= d);
  for (size_t r = 0; r < n; ++r) {
    assert(idx[r] >= 0);
    const T* src = table + static_cast<size_t>(idx[r]) * ldt;
    Map1(src, out + r * ldo, d, [](auto, auto v) { return v; });
  }
}

template <class T>
void ScatterAddImpl(T alpha, const T* rows, size_t ldr, const int32_t* idx,
                    size_t n, size_t d, T* table, size_t ldt) {
  for (size_t r = 0; r < n; ++r) {
    AxpySimd(alpha, rows + r * ldr, table + static_cast<size_t>(idx[r]) * ldt,
             d);
  }
}

//! [sigmoid_and_loss]
// sigma(f) and -log sigma(s f) for the sign s of a label-1 (s = +1) or
// label-0 (s = -1) score, from one exponential e = e^-|f| (never overflows):
//   sigma(f) = 1 / (1 + e) for f >= 0, e / (1 + e) below;
//   -log sigma(s f) = max(-s f, 0) + log1p(e).
template <class T>
struct SigmoidAndLoss {
  T sigma, loss;
};
// log1p(x) for x >= 0 as log(w) x / (w - 1), w = fl(1 + x) (Goldberg 1991,
// "What every computer scientist should know about floating-point
// arithmetic", Theorem 4: within a few ulp). glibc's log1pf costs as much as
// the rest of an SGNS row at d = 100; logf is several times cheaper.
template <class T>
T Log1p(T x) {
  const T w = T(1) + x;
  return w == T(1) ? x : std::log(w) * x / (w - T(1));
}

template <class T>
SigmoidAndLoss<T> SigmoidAndNegLog(T f, T s) {
  const T e = std::exp(-std::abs(f));
  const T inv = T(1) / (T(1) + e);
  return {f >= T(0) ? inv : e * inv, std::max(-s * f, T(0)) + Log1p(e)};
}
//! [sigmoid_and_loss]

// The label of output row j: with `codes` (hierarchical softmax) 1 - codes[j],
// the branch not taken; without (negative sampling) 1 for the observed word
// j = 0 and 0 for the negatives.
template <class T>
T Label(const uint8_t* codes, size_t j) {
  return codes != nullptr ? T(1 - codes[j]) : T(j == 0 ? 1 : 0);
}

//! [sgns_step]
template <class T>
T SgnsImpl(T lr, T* HWY_RESTRICT u, size_t d, T* out_table, size_t ldt,
           const int32_t* ctx, const uint8_t* codes, size_t k1,
           T* HWY_RESTRICT u_grad) {
  assert(ldt >= d && k1 >= 1);
  // Rows drawn by word frequency are mostly outside L1/L2: ask for all of
  // them now, so that their misses overlap instead of one per dot product.
  for (size_t j = 0; j < k1; ++j) {
    const T* v = out_table + static_cast<size_t>(ctx[j]) * ldt;
    for (size_t i = 0; i < d; i += 64 / sizeof(T)) hwy::Prefetch(v + i);
    hwy::Prefetch(v + d - 1);
  }
  std::fill(u_grad, u_grad + d, T(0));
  T loss = T(0);
  for (size_t j = 0; j < k1; ++j) {
    T* v = out_table + static_cast<size_t>(ctx[j]) * ldt;  // v_j: (d)
    const T f = DotSimd(u, v, d);                          // f_j = u . v_j
    const T label = Label<T>(codes, j);
    const auto [sigma, loss_j] = SigmoidAndNegLog(f, T(2) * label - T(1));
    loss += loss_j;
    const T g = sigma - label;  // dL/df_j
    // One pass over v_j: u_grad += g v_j (v_j before it moves), then
    // v_j -= lr g u.
    const T step = -lr * g;
    ForEachVector<T>(d, [&](auto dd, size_t i) {
      const auto vi = hn::LoadU(dd, v + i);
      hn::StoreU(hn::MulAdd(hn::Set(dd, g), vi, hn::LoadU(dd, u_grad + i)), dd,
                 u_grad + i);
      hn::StoreU(hn::MulAdd(hn::Set(dd, step), hn::LoadU(dd, u + i), vi), dd,
                 v + i);
    });
  }
  AxpySimd(-lr, u_grad, u, d);  // u -= lr u_grad
  return loss;
}
//! [sgns_step]

// For every x_i (x_i = s f, the score signed by its label, s = +1 for label
// 1 and -1 for label 0): x_i <- sigma(-x_i); returns sum_i softplus(-x_i) =
// sum_i -log sigma(x_i), the loss. Vectorized with Highway's Exp and Log1p
// (1 and 2 ulp), from one e = e^-|x| per score as SigmoidAndNegLog: a
// window's m n scores at once cost a few vector operations instead of m n
// calls of expf and logf (a fifth of a hierarchical-softmax window).
template <class T>
T SigmoidsAndLoss(T* HWY_RESTRICT x, size_t n) {
  const hn::ScalableTag<T> d;
  const size_t N = hn::Lanes(d);
  const auto one = hn::Set(d, T(1));
  auto acc = hn::Zero(d);
  size_t i = 0;
  for (; i + N <= n; i += N) {
    const auto v = hn::LoadU(d, x + i);
    const auto e = hn::Exp(d, hn::Neg(hn::Abs(v)));
    const auto inv = hn::Div(one, hn::Add(one, e));
    hn::StoreU(hn::IfThenElse(hn::Ge(v, hn::Zero(d)), hn::Mul(e, inv), inv), d,
               x + i);
    acc = hn::Add(acc,
                  hn::Add(hn::Max(hn::Neg(v), hn::Zero(d)), hn::Log1p(d, e)));
  }
  T loss = hn::GetLane(hn::SumOfLanes(d, acc));
  for (; i < n; ++i) {
    const auto [sigma, loss_i] = SigmoidAndNegLog(x[i], T(1));
    x[i] = T(1) - sigma;
    loss += loss_i;
  }
  return loss;
}

// A skip-gram window with shared negatives (Ji et al. 2016): m input rows
// u_a against n output rows v_b, as three small matrix products that reuse
// every loaded row m or n times instead of once.
template <class T>
T SgnsWindowImpl(T lr, T* in_table, size_t ld_in, const int32_t* in_idx,
                 size_t m, T* out_table, size_t ld_out, const int32_t* out_idx,
                 const uint8_t* codes, size_t n, size_t d, T* HWY_RESTRICT g_in,
                 size_t ld_g, T* HWY_RESTRICT G) {
  auto u = [&](size_t a) { return in_table + size_t(in_idx[a]) * ld_in; };
  auto v = [&](size_t b) { return out_table + size_t(out_idx[b]) * ld_out; };
  //! [sgns_window_scores]
  for (size_t b = 0; b < n; ++b) {
    for (size_t i = 0; i < d; i += 64 / sizeof(T)) hwy::Prefetch(v(b) + i);
  }
  // F = U V^T: (m, n), signed by the labels (s F, s = 2 label - 1); then
  // G = dL/dF = sigma(F) - labels, which is -sigma(-F) for label 1 and
  // sigma(F) = sigma(-s F) for label 0, the loss on the way.
  for (size_t a = 0; a < m; ++a) {
    for (size_t b = 0; b < n; ++b) {
      const T f = DotSimd(u(a), v(b), d);
      G[a * n + b] = Label<T>(codes, b) != T(0) ? f : -f;
    }
  }
  const T loss = SigmoidsAndLoss(G, m * n);
  for (size_t a = 0; a < m; ++a) {
    for (size_t b = 0; b < n; ++b) {
      if (Label<T>(codes, b) != T(0)) G[a * n + b] = -G[a * n + b];
    }
  }
  //! [sgns_window_scores]
  //! [sgns_window_updates]
  // g_in = G V: (m, d), from the rows before any update.
  for (size_t a = 0; a < m; ++a) {
    T* ga = g_in + a * ld_g;
    ForEachVector<T>(d, [&](auto dd, size_t i) {
      auto acc = hn::Zero(dd);
      for (size_t b = 0; b < n; ++b) {
        acc =
            hn::MulAdd(hn::Set(dd, G[a * n + b]), hn::LoadU(dd, v(b) + i), acc);
      }
      hn::StoreU(acc, dd, ga + i);
    });
  }
  // V <- V - lr G^T U, with U still as it was.
  for (size_t b = 0; b < n; ++b) {
    T* vb = v(b);
    ForEachVector<T>(d, [&](auto dd, size_t i) {
      auto acc = hn::LoadU(dd, vb + i);
      for (size_t a = 0; a < m; ++a) {
        acc = hn::MulAdd(hn::Set(dd, -lr * G[a * n + b]),
                         hn::LoadU(dd, u(a) + i), acc);
      }
      hn::StoreU(acc, dd, vb + i);
    });
  }
  // U <- U - lr g_in.
  for (size_t a = 0; a < m; ++a) AxpySimd(-lr, g_in + a * ld_g, u(a), d);
  //! [sgns_window_updates]
  return loss;
}

void GatherF32(const float* t, size_t ldt, const int32_t* idx, size_t n,
               size_t d, float* o, size_t ldo) {
  GatherImpl(t, ldt, idx, n, d, o, ldo);
}
void ScatterAddF32(float alpha, const float* rows, size_t ldr,
                   const int32_t* idx, size_t n, size_t d, float* t,
                   size_t ldt) {
  ScatterAddImpl(alpha, rows, ldr, idx, n, d, t, ldt);
}
float SgnsF32(float lr, float* u, size_t d, float* t, size_t ldt,
              const int32_t* ctx, const uint8_t* codes, size_t k1,
              float* u_grad) {
  return SgnsImpl(lr, u, d, t, ldt, ctx, codes, k1, u_grad);
}
float SgnsWindowF32(float lr, float* ti, size_t ldi, const int32_t* ii,
                    size_t m, float* to, size_t ldo, const int32_t* io,
                    const uint8_t* codes, size_t n, size_t d, float* g,
                    size_t ldg, float* G) {
  return SgnsWindowImpl(lr, ti, ldi, ii, m, to, ldo, io, codes, n, d, g, ldg,
                        G);
}

// Highway 1.0.3 has no double vectors on its WASM target: there the
// double kernels are the EMU128 target's, compiled beside it (simd-inl.h).
#if HWY_HAVE_FLOAT64
void GatherF64(const double* t, size_t ldt, const int32_t* idx, size_t n,
               size_t d, double* o, size_t ldo) {
  GatherImpl(t, ldt, idx, n, d, o, ldo);
}
void ScatterAddF64(double alpha, const double* rows, size_t ldr,
                   const int32_t* idx, size_t n, size_t d, double* t,
                   size_t ldt) {
  ScatterAddImpl(alpha, rows, ldr, idx, n, d, t, ldt);
}
double SgnsF64(double lr, double* u, size_t d, double* t, size_t ldt,
               const int32_t* ctx, const uint8_t* codes, size_t k1,
               double* u_grad) {
  return SgnsImpl(lr, u, d, t, ldt, ctx, codes, k1, u_grad);
}
double SgnsWindowF64(double lr, double* ti, size_t ldi, const int32_t* ii,
                     size_t m, double* to, size_t ldo, const int32_t* io,
                     const uint8_t* codes, size_t n, size_t d, double* g,
                     size_t ldg, double* G) {
  return SgnsWindowImpl(lr, ti, ldi, ii, m, to, ldo, io, codes, n, d, g, ldg,
                        G);
}
#else
FFNN_F64_FROM_EMU128(GatherF64)
FFNN_F64_FROM_EMU128(ScatterAddF64)
FFNN_F64_FROM_EMU128(SgnsF64)
FFNN_F64_FROM_EMU128(SgnsWindowF64)
#endif  // HWY_HAVE_FLOAT64

}  // namespace ffnn::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include <stdexcept>
#include <string>

#include "kernels/dispatch.h"
#include "kernels/embedding.h"

namespace ffnn::kernels {

HWY_EXPORT(GatherF32);
HWY_EXPORT(GatherF64);
HWY_EXPORT(ScatterAddF32);
HWY_EXPORT(ScatterAddF64);
HWY_EXPORT(SgnsF32);
HWY_EXPORT(SgnsF64);
HWY_EXPORT(SgnsWindowF32);
HWY_EXPORT(SgnsWindowF64);

namespace {

// Throws unless every index names a row of a table with `rows` rows.
void CheckIndices(const char* op, std::span<const int32_t> idx,
                  std::size_t rows, std::size_t cols) {
  for (std::size_t r = 0; r < idx.size(); ++r) {
    if (idx[r] < 0 || static_cast<std::size_t>(idx[r]) >= rows) {
      throw std::invalid_argument(
          std::string(op) + ": index[" + std::to_string(r) +
          "] = " + std::to_string(idx[r]) + " is outside a table of shape " +
          ShapeString(rows, cols));
    }
  }
}

template <class T>
void GatherT(ConstMatView<T> table, std::span<const int32_t> idx,
             MatView<T> out) {
  CheckView("EmbeddingGather", "table", table);
  CheckView("EmbeddingGather", "out", out);
  CheckSameShape("EmbeddingGather", "out", out.rows, out.cols,
                 "(len(idx), table columns)", idx.size(), table.cols);
  CheckIndices("EmbeddingGather", idx, table.rows, table.cols);
  FFNN_DISPATCH(T, Gather, table.data, table.stride, idx.data(), idx.size(),
                table.cols, out.data, out.stride);
}

template <class T>
void ScatterAddT(T alpha, ConstMatView<T> rows, std::span<const int32_t> idx,
                 MatView<T> table) {
  CheckView("EmbeddingScatterAdd", "rows", rows);
  CheckView("EmbeddingScatterAdd", "table", table);
  CheckSameShape("EmbeddingScatterAdd", "rows", rows.rows, rows.cols,
                 "(len(idx), table columns)", idx.size(), table.cols);
  CheckIndices("EmbeddingScatterAdd", idx, table.rows, table.cols);
  FFNN_DISPATCH(T, ScatterAdd, alpha, rows.data, rows.stride, idx.data(),
                idx.size(), table.cols, table.data, table.stride);
}

// Throws unless the codes are one bit (0 or 1) per path node.
void CheckCodes(const char* op, std::span<const int32_t> points,
                std::span<const uint8_t> codes) {
  CheckSameLength(op, "codes", codes.size(), "points", points.size());
  for (std::size_t j = 0; j < codes.size(); ++j) {
    if (codes[j] > 1) {
      throw std::invalid_argument(
          std::string(op) + ": codes[" + std::to_string(j) +
          "] = " + std::to_string(codes[j]) + " is not 0 or 1");
    }
  }
}

// The single-row step: negative sampling (codes empty, ctx[0] observed) or
// hierarchical softmax (ctx the path's nodes, codes their branches).
template <class T>
T SgnsT(const char* op, T lr, std::span<T> u, MatView<T> out_table,
        std::span<const int32_t> ctx, std::span<const uint8_t> codes, bool hs,
        std::span<T> u_grad) {
  CheckView(op, "out_table", out_table);
  CheckSameLength(op, "u", u.size(), "out_table columns", out_table.cols);
  CheckSameLength(op, "u", u.size(), "u_grad", u_grad.size());
  if (ctx.empty()) {
    throw std::invalid_argument(
        std::string(op) +
        (hs ? ": points has shape (0) but a path has at least one node"
            : ": ctx has shape (0) but needs the positive context word "
              "first"));
  }
  if (hs) CheckCodes(op, ctx, codes);
  CheckIndices(op, ctx, out_table.rows, out_table.cols);
  return FFNN_DISPATCH(T, Sgns, lr, u.data(), u.size(), out_table.data,
                       out_table.stride, ctx.data(),
                       hs ? codes.data() : nullptr, ctx.size(), u_grad.data());
}

template <class T>
T SgnsWindowT(const char* op, T lr, MatView<T> in_table,
              std::span<const int32_t> in_idx, MatView<T> out_table,
              std::span<const int32_t> out_idx, std::span<const uint8_t> codes,
              bool hs, MatView<T> scratch, std::span<T> scores) {
  const char* out_name = hs ? "points" : "out_idx";
  CheckView(op, "in_table", in_table);
  CheckView(op, "out_table", out_table);
  CheckView(op, "scratch", scratch);
  CheckSameLength(op, "in_table columns", in_table.cols, "out_table columns",
                  out_table.cols);
  if (out_idx.empty()) {
    throw std::invalid_argument(
        std::string(op) + ": " + out_name + " has shape (0) but needs " +
        (hs ? "at least one node" : "the observed word first"));
  }
  if (hs) CheckCodes(op, out_idx, codes);
  CheckSameShape(op, "scratch", scratch.rows, scratch.cols,
                 "(len(in_idx), in_table columns)", in_idx.size(),
                 in_table.cols);
  CheckSameLength(op, "scores", scores.size(),
                  hs ? "len(in_idx) len(points)" : "len(in_idx) len(out_idx)",
                  in_idx.size() * out_idx.size());
  CheckIndices(op, in_idx, in_table.rows, in_table.cols);
  CheckIndices(op, out_idx, out_table.rows, out_table.cols);
  if (in_table.data == out_table.data) {
    throw std::invalid_argument(std::string(op) +
                                ": in_table and out_table are the same table");
  }
  return FFNN_DISPATCH(
      T, SgnsWindow, lr, in_table.data, in_table.stride, in_idx.data(),
      in_idx.size(), out_table.data, out_table.stride, out_idx.data(),
      hs ? codes.data() : nullptr, out_idx.size(), in_table.cols, scratch.data,
      scratch.stride, scores.data());
}

}  // namespace

void EmbeddingGather(ConstMatView<float> table, std::span<const int32_t> idx,
                     MatView<float> out) {
  GatherT(table, idx, out);
}
void EmbeddingGather(ConstMatView<double> table, std::span<const int32_t> idx,
                     MatView<double> out) {
  GatherT(table, idx, out);
}
void EmbeddingScatterAdd(float alpha, ConstMatView<float> rows,
                         std::span<const int32_t> idx, MatView<float> table) {
  ScatterAddT(alpha, rows, idx, table);
}
void EmbeddingScatterAdd(double alpha, ConstMatView<double> rows,
                         std::span<const int32_t> idx, MatView<double> table) {
  ScatterAddT(alpha, rows, idx, table);
}
constexpr char kSgns[] = "NegativeSamplingStep";
constexpr char kSgnsWindow[] = "NegativeSamplingWindowStep";
constexpr char kHs[] = "HierarchicalSoftmaxStep";
constexpr char kHsWindow[] = "HierarchicalSoftmaxWindowStep";

float NegativeSamplingStep(float lr, std::span<float> u,
                           MatView<float> out_table,
                           std::span<const int32_t> ctx,
                           std::span<float> u_grad) {
  return SgnsT(kSgns, lr, u, out_table, ctx, {}, false, u_grad);
}
double NegativeSamplingStep(double lr, std::span<double> u,
                            MatView<double> out_table,
                            std::span<const int32_t> ctx,
                            std::span<double> u_grad) {
  return SgnsT(kSgns, lr, u, out_table, ctx, {}, false, u_grad);
}

float NegativeSamplingWindowStep(float lr, MatView<float> in_table,
                                 std::span<const int32_t> in_idx,
                                 MatView<float> out_table,
                                 std::span<const int32_t> out_idx,
                                 MatView<float> scratch,
                                 std::span<float> scores) {
  return SgnsWindowT(kSgnsWindow, lr, in_table, in_idx, out_table, out_idx, {},
                     false, scratch, scores);
}
double NegativeSamplingWindowStep(double lr, MatView<double> in_table,
                                  std::span<const int32_t> in_idx,
                                  MatView<double> out_table,
                                  std::span<const int32_t> out_idx,
                                  MatView<double> scratch,
                                  std::span<double> scores) {
  return SgnsWindowT(kSgnsWindow, lr, in_table, in_idx, out_table, out_idx, {},
                     false, scratch, scores);
}

float HierarchicalSoftmaxStep(float lr, std::span<float> u,
                              MatView<float> node_table,
                              std::span<const int32_t> points,
                              std::span<const uint8_t> codes,
                              std::span<float> u_grad) {
  return SgnsT(kHs, lr, u, node_table, points, codes, true, u_grad);
}
double HierarchicalSoftmaxStep(double lr, std::span<double> u,
                               MatView<double> node_table,
                               std::span<const int32_t> points,
                               std::span<const uint8_t> codes,
                               std::span<double> u_grad) {
  return SgnsT(kHs, lr, u, node_table, points, codes, true, u_grad);
}

float HierarchicalSoftmaxWindowStep(float lr, MatView<float> in_table,
                                    std::span<const int32_t> in_idx,
                                    MatView<float> node_table,
                                    std::span<const int32_t> points,
                                    std::span<const uint8_t> codes,
                                    MatView<float> scratch,
                                    std::span<float> scores) {
  return SgnsWindowT(kHsWindow, lr, in_table, in_idx, node_table, points, codes,
                     true, scratch, scores);
}
double HierarchicalSoftmaxWindowStep(double lr, MatView<double> in_table,
                                     std::span<const int32_t> in_idx,
                                     MatView<double> node_table,
                                     std::span<const int32_t> points,
                                     std::span<const uint8_t> codes,
                                     MatView<double> scratch,
                                     std::span<double> scores) {
  return SgnsWindowT(kHsWindow, lr, in_table, in_idx, node_table, points, codes,
                     true, scratch, scores);
}

}  // namespace ffnn::kernels
#endif  // HWY_ONCE
