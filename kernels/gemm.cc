// Cache-tiled, register-blocked gemm, compiled once per Highway target.
#include <algorithm>
#include <cassert>
#include <cstddef>

// clang-format off: foreach_target.h must follow the define and precede
// every per-target header.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/gemm.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
// clang-format on

#include "hwy/aligned_allocator.h"
#include "hwy/highway.h"
#include "kernels/simd-inl.h"

HWY_BEFORE_NAMESPACE();
namespace ffnn::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;
using std::size_t;

// Rows of the register tile: MR x 2 vector accumulators, plus two vectors of
// B and one broadcast of A, must fit the register file (32 registers with
// AVX-512, 16 with AVX2/SSE).
#if HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX3_DL
constexpr size_t kMr = 12;
#elif HWY_TARGET == HWY_SCALAR || HWY_TARGET == HWY_EMU128
constexpr size_t kMr = 4;
#else
constexpr size_t kMr = 6;
#endif
// Cache blocks: a KC x NR micro-panel of B stays in L1 while the micro-kernel
// sweeps the MC x KC block of A held in L2; the KC x NC block of B lives in L3.
constexpr size_t kKc = 384;
constexpr size_t kMc = kMr * 16;
constexpr size_t kNc = 2048;

//! [gemm_microkernel]
// C(0:MR, 0:NR) += Ap Bp, Ap: (kc, MR) packed, Bp: (kc, NR) packed,
// NR = 2 vectors. The accumulators acc0/acc1 (MR x NR) live in registers.
template <class D, class T>
HWY_NOINLINE void MicroKernel(D d, size_t kc, const T* HWY_RESTRICT Ap,
                              const T* HWY_RESTRICT Bp, T* HWY_RESTRICT C,
                              size_t ldc) {
  using V = decltype(hn::Zero(d));
  const size_t N = hn::Lanes(d);
  V acc0[kMr], acc1[kMr];
#pragma GCC unroll 16
  for (size_t r = 0; r < kMr; ++r) acc0[r] = acc1[r] = hn::Zero(d);
  for (size_t p = 0; p < kc; ++p) {
    const V b0 = hn::Load(d, Bp);
    const V b1 = hn::Load(d, Bp + N);
#pragma GCC unroll 16
    for (size_t r = 0; r < kMr; ++r) {
      const V a = hn::Set(d, Ap[r]);  // broadcast A(i + r, p)
      acc0[r] = hn::MulAdd(a, b0, acc0[r]);
      acc1[r] = hn::MulAdd(a, b1, acc1[r]);
    }
    Ap += kMr;
    Bp += 2 * N;
  }
#pragma GCC unroll 16
  for (size_t r = 0; r < kMr; ++r) {
    T* c = C + r * ldc;
    hn::StoreU(hn::Add(hn::LoadU(d, c), acc0[r]), d, c);
    hn::StoreU(hn::Add(hn::LoadU(d, c + N), acc1[r]), d, c + N);
  }
}
//! [gemm_microkernel]

// Packing buffers, reused across calls (one set per thread and target).
template <class T>
T* Scratch(hwy::AlignedFreeUniquePtr<T[]>& buf, size_t& cap, size_t n) {
  if (n > cap) {
    buf = hwy::AllocateAligned<T>(n);
    cap = n;
  }
  return buf.get();
}

// Operand accessors: op(X)(i, j) for a row-major X with leading dimension ld.
template <class T>
struct Operand {
  const T* data;
  size_t ld;
  bool trans;
  T operator()(size_t i, size_t j) const {
    return trans ? data[j * ld + i] : data[i * ld + j];
  }
};

// Packs alpha op(A)(i0:i0+mc, p0:p0+kc) into MR-row panels:
// Ap[panel][p][r], rows past mc are zero. The loops are specialized for the
// two layouts so that the inner loop reads memory contiguously.
template <class T>
void PackA(const Operand<T>& A, T alpha, size_t i0, size_t mc, size_t p0,
           size_t kc, T* HWY_RESTRICT Ap) {
  for (size_t ip = 0; ip < mc; ip += kMr) {
    const size_t mr = std::min(kMr, mc - ip);
    T* panel = Ap + ip * kc;
    if (!A.trans) {  // row i0 + ip + r of A is contiguous along p
      for (size_t r = 0; r < mr; ++r) {
        const T* row = A.data + (i0 + ip + r) * A.ld + p0;
        for (size_t p = 0; p < kc; ++p) panel[p * kMr + r] = alpha * row[p];
      }
    } else {  // op(A)(i, p) = A(p, i): row p0 + p of A is contiguous along i
      for (size_t p = 0; p < kc; ++p) {
        const T* row = A.data + (p0 + p) * A.ld + i0 + ip;
        for (size_t r = 0; r < mr; ++r) panel[p * kMr + r] = alpha * row[r];
      }
    }
    for (size_t r = mr; r < kMr; ++r) {
      for (size_t p = 0; p < kc; ++p) panel[p * kMr + r] = T(0);
    }
  }
}

// Packs op(B)(p0:p0+kc, j0:j0+nc) into NR-column panels: Bp[panel][p][j],
// columns past nc are zero.
template <class T>
void PackB(const Operand<T>& B, size_t p0, size_t kc, size_t j0, size_t nc,
           size_t nr_full, T* HWY_RESTRICT Bp) {
  for (size_t jp = 0; jp < nc; jp += nr_full) {
    const size_t nr = std::min(nr_full, nc - jp);
    T* panel = Bp + jp * kc;
    if (!B.trans) {
      for (size_t p = 0; p < kc; ++p) {
        const T* row = B.data + (p0 + p) * B.ld + j0 + jp;
        T* dst = panel + p * nr_full;
        std::copy(row, row + nr, dst);
        std::fill(dst + nr, dst + nr_full, T(0));
      }
    } else {
      for (size_t j = 0; j < nr_full; ++j) {
        if (j < nr) {
          const T* col = B.data + (j0 + jp + j) * B.ld + p0;
          for (size_t p = 0; p < kc; ++p) panel[p * nr_full + j] = col[p];
        } else {
          for (size_t p = 0; p < kc; ++p) panel[p * nr_full + j] = T(0);
        }
      }
    }
  }
}

template <class T>
void GemmImpl(bool trans_a, bool trans_b, size_t m, size_t n, size_t k, T alpha,
              const T* A, size_t lda, const T* B, size_t ldb, T beta, T* C,
              size_t ldc) {
  assert(ldc >= n && lda >= (trans_a ? m : k) && ldb >= (trans_b ? k : n));
  assert((m == 0 || n == 0 || C != nullptr));
  // C <- beta C first (beta = 0 overwrites), then C += alpha op(A) op(B).
  for (size_t i = 0; i < m; ++i) ScaleOrZeroSimd(beta, C + i * ldc, n);
  if (m == 0 || n == 0 || k == 0 || alpha == T(0)) return;

  const hn::ScalableTag<T> d;
  const size_t nr_full = 2 * hn::Lanes(d);
  const Operand<T> opA{A, lda, trans_a};
  const Operand<T> opB{B, ldb, trans_b};

  thread_local hwy::AlignedFreeUniquePtr<T[]> a_buf, b_buf;
  thread_local size_t a_cap = 0, b_cap = 0;
  const size_t nc_max = std::min(kNc, (n + nr_full - 1) / nr_full * nr_full);
  T* Bp = Scratch(b_buf, b_cap, kKc * nc_max);
  T* Ap = Scratch(a_buf, a_cap, kKc * kMc);
  HWY_ALIGN T edge[kMr * 2 * hn::MaxLanes(d)];

  for (size_t jc = 0; jc < n; jc += kNc) {
    const size_t nc = std::min(kNc, n - jc);
    for (size_t pc = 0; pc < k; pc += kKc) {
      const size_t kc = std::min(kKc, k - pc);
      PackB(opB, pc, kc, jc, nc, nr_full, Bp);
      for (size_t ic = 0; ic < m; ic += kMc) {
        const size_t mc = std::min(kMc, m - ic);
        PackA(opA, alpha, ic, mc, pc, kc, Ap);
        for (size_t jr = 0; jr < nc; jr += nr_full) {
          const size_t nr = std::min(nr_full, nc - jr);
          for (size_t ir = 0; ir < mc; ir += kMr) {
            const size_t mr = std::min(kMr, mc - ir);
            T* c = C + (ic + ir) * ldc + jc + jr;
            if (mr == kMr && nr == nr_full) {
              MicroKernel(d, kc, Ap + ir * kc, Bp + jr * kc, c, ldc);
            } else {
              // Partial tile: compute into a local tile, add what is valid.
              std::fill(edge, edge + kMr * nr_full, T(0));
              MicroKernel(d, kc, Ap + ir * kc, Bp + jr * kc, edge, nr_full);
              for (size_t r = 0; r < mr; ++r) {
                for (size_t j = 0; j < nr; ++j) {
                  c[r * ldc + j] += edge[r * nr_full + j];
                }
              }
            }
          }
        }
      }
    }
  }
}

void GemmF32(bool ta, bool tb, size_t m, size_t n, size_t k, float alpha,
             const float* A, size_t lda, const float* B, size_t ldb, float beta,
             float* C, size_t ldc) {
  GemmImpl(ta, tb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
}
void GemmF64(bool ta, bool tb, size_t m, size_t n, size_t k, double alpha,
             const double* A, size_t lda, const double* B, size_t ldb,
             double beta, double* C, size_t ldc) {
  GemmImpl(ta, tb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
}

}  // namespace ffnn::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include "kernels/dispatch.h"
#include "kernels/gemm.h"

namespace ffnn::kernels {

HWY_EXPORT(GemmF32);
HWY_EXPORT(GemmF64);

namespace {

template <class T>
void GemmT(T alpha, ConstMatView<T> A, Trans trans_a, ConstMatView<T> B,
           Trans trans_b, T beta, MatView<T> C) {
  CheckView("Gemm", "A", A);
  CheckView("Gemm", "B", B);
  CheckView("Gemm", "C", C);
  const bool ta = trans_a == Trans::kYes, tb = trans_b == Trans::kYes;
  // op(A): (m, k), op(B): (k, n), C: (m, n).
  const std::size_t m = ta ? A.cols : A.rows, k = ta ? A.rows : A.cols;
  const std::size_t kb = tb ? B.cols : B.rows, n = tb ? B.rows : B.cols;
  CheckSameLength("Gemm", "op(A) columns", k, "op(B) rows", kb);
  CheckSameShape("Gemm", "C", C.rows, C.cols, "op(A) op(B)", m, n);
  FFNN_DISPATCH(T, Gemm, ta, tb, m, n, k, alpha, A.data, A.stride, B.data,
                B.stride, beta, C.data, C.stride);
}

}  // namespace

void Gemm(float alpha, ConstMatView<float> A, Trans trans_a,
          ConstMatView<float> B, Trans trans_b, float beta, MatView<float> C) {
  GemmT(alpha, A, trans_a, B, trans_b, beta, C);
}
void Gemm(double alpha, ConstMatView<double> A, Trans trans_a,
          ConstMatView<double> B, Trans trans_b, double beta,
          MatView<double> C) {
  GemmT(alpha, A, trans_a, B, trans_b, beta, C);
}

}  // namespace ffnn::kernels
#endif  // HWY_ONCE
