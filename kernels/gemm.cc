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
// AVX-512, 16 with AVX2/SSE). Rows left over (m not a multiple of MR) go
// through a smaller tile of kMrTail rows; kMrTail divides kMr, so a tail
// group never straddles two packed panels of A.
#if HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX3_DL
constexpr size_t kMr = 12;
constexpr size_t kMrTail = 4;
#elif HWY_TARGET == HWY_SCALAR || HWY_TARGET == HWY_EMU128
constexpr size_t kMr = 4;
constexpr size_t kMrTail = 4;
#else
constexpr size_t kMr = 6;
constexpr size_t kMrTail = 3;
#endif
static_assert(kMr % kMrTail == 0);
// Cache blocks: a KC x NR micro-panel of B (32 KiB with AVX-512) stays in L1
// while the micro-kernel sweeps the MC x KC block of A; the KC x NC block of
// B lives in L2/L3. (KC = 192...384 and NC = 512...2048 measured within the
// machine's noise at every benchmarked shape.) KC is fixed, never derived
// from the thread count or the block a thread gets: every C(i, j) is summed
// in KC-long pieces in the same order on every path, which is what makes
// threaded results bit-identical.
constexpr size_t kKc = 256;
constexpr size_t kMc = kMr * 16;
constexpr size_t kNc = 2048;
// A is packed only when each MR x KC panel of it is reused by at least this
// many NR-column micro-panels of B; below that, packing costs more than the
// strided broadcasts it saves (the small products and the LM's dU and dH).
constexpr size_t kPackAMinPanels = 16;

// acc(r, :) = sum_{p < kc} a(r, p) Bp(p, :) for r < kRows, NR = 2 vectors,
// with a(r, p) = A[r rs + p ps] (kUnitRs: rs = 1, a packed panel or the rows
// of a transposed A; otherwise ps = 1, rows of A read in place) and Bp a
// packed (kc, NR) micro-panel. The accumulators live in registers. Then the
// epilogue: C(r, :) = alpha acc (overwrite) or C(r, :) = fma(alpha, acc, C).
template <size_t kRows, bool kUnitRs, class D, class T>
HWY_NOINLINE void MicroKernel(D d, size_t kc, const T* HWY_RESTRICT A,
                              size_t rs, size_t ps, const T* HWY_RESTRICT Bp,
                              T alpha, bool overwrite, T* HWY_RESTRICT C,
                              size_t ldc) {
  using V = decltype(hn::Zero(d));
  const size_t N = hn::Lanes(d);
  //! [gemm_microkernel]
  V acc0[kRows], acc1[kRows];
#pragma GCC unroll 16
  for (size_t r = 0; r < kRows; ++r) acc0[r] = acc1[r] = hn::Zero(d);
  if constexpr (kUnitRs) {
    for (size_t p = 0; p < kc; ++p) {
      const V b0 = hn::Load(d, Bp);
      const V b1 = hn::Load(d, Bp + N);
#pragma GCC unroll 16
      for (size_t r = 0; r < kRows; ++r) {
        const V a = hn::Set(d, A[r]);  // broadcast a(r, p)
        acc0[r] = hn::MulAdd(a, b0, acc0[r]);
        acc1[r] = hn::MulAdd(a, b1, acc1[r]);
      }
      A += ps;
      Bp += 2 * N;
    }
  } else {
    (void)ps;
    for (size_t p = 0; p < kc; ++p) {
      const V b0 = hn::Load(d, Bp);
      const V b1 = hn::Load(d, Bp + N);
#pragma GCC unroll 16
      for (size_t r = 0; r < kRows; ++r) {
        const V a = hn::Set(d, A[r * rs + p]);  // broadcast a(r, p)
        acc0[r] = hn::MulAdd(a, b0, acc0[r]);
        acc1[r] = hn::MulAdd(a, b1, acc1[r]);
      }
      Bp += 2 * N;
    }
  }
  //! [gemm_microkernel]
  const V va = hn::Set(d, alpha);
#pragma GCC unroll 16
  for (size_t r = 0; r < kRows; ++r) {
    T* c = C + r * ldc;
    if (overwrite) {
      hn::StoreU(hn::Mul(va, acc0[r]), d, c);
      hn::StoreU(hn::Mul(va, acc1[r]), d, c + N);
    } else {
      hn::StoreU(hn::MulAdd(va, acc0[r], hn::LoadU(d, c)), d, c);
      hn::StoreU(hn::MulAdd(va, acc1[r], hn::LoadU(d, c + N)), d, c + N);
    }
  }
}

// Packing buffers, reused across calls (one set per thread and target).
template <class T>
T* Scratch(hwy::AlignedFreeUniquePtr<T[]>& buf, size_t& cap, size_t n) {
  if (n > cap) {
    buf = hwy::AllocateAligned<T>(n);
    cap = n;
  }
  return buf.get();
}

// An operand: a row-major X with leading dimension ld, used as op(X) = X or
// X^T.
template <class T>
struct Operand {
  const T* data;
  size_t ld;
  bool trans;
};

// Stores the 128-bit blocks of v (four floats each) to dst + b block_stride
// for block b, splitting v in halves down to one block.
#if HWY_TARGET != HWY_SCALAR
template <class D, class V, class T>
HWY_INLINE void StoreBlocks(D d, V v, T* HWY_RESTRICT dst,
                            size_t block_stride) {
  if constexpr (hn::MaxLanes(d) * sizeof(T) <= 16) {
    hn::StoreU(v, d, dst);
  } else {
    const hn::Half<D> dh;
    const size_t half_blocks = hn::MaxLanes(d) * sizeof(T) / 32;
    StoreBlocks(dh, hn::LowerHalf(dh, v), dst, block_stride);
    StoreBlocks(dh, hn::UpperHalf(dh, v), dst + half_blocks * block_stride,
                block_stride);
  }
}
#endif  // HWY_TARGET != HWY_SCALAR

// dst[p * ld_dst + r] = src[r * ld_src + p] for r < 4, p < kc: four rows of
// a row-major matrix become four columns of a panel. Four vectors along p
// are transposed in 4 x 4 blocks (InterleaveLower/Upper act within each
// 128-bit block on every x86 target), and each block is stored where its p
// belongs. About 0.1 ns per element, against 0.3 for one gather per vector.
//! [transpose_pack]
template <class T>
HWY_INLINE void TransposeFourRows(const T* HWY_RESTRICT src, size_t ld_src,
                                  size_t kc, T* HWY_RESTRICT dst,
                                  size_t ld_dst) {
  const hn::ScalableTag<T> d;
  const size_t N = hn::Lanes(d);
  size_t p = 0;
#if HWY_TARGET != HWY_SCALAR
  if constexpr (sizeof(T) == 4) {
    for (; p + N <= kc; p += N) {
      const auto r0 = hn::LoadU(d, src + p);
      const auto r1 = hn::LoadU(d, src + ld_src + p);
      const auto r2 = hn::LoadU(d, src + 2 * ld_src + p);
      const auto r3 = hn::LoadU(d, src + 3 * ld_src + p);
      const auto t0 =
          hn::InterleaveLower(d, r0, r2);  // r0[0] r2[0] r0[1] r2[1]
      const auto t1 = hn::InterleaveLower(d, r1, r3);
      const auto t2 =
          hn::InterleaveUpper(d, r0, r2);  // r0[2] r2[2] r0[3] r2[3]
      const auto t3 = hn::InterleaveUpper(d, r1, r3);
      T* out = dst + p * ld_dst;
      const size_t block_stride = 4 * ld_dst;  // block b: p + 4 b + q
      StoreBlocks(d, hn::InterleaveLower(d, t0, t1), out, block_stride);
      StoreBlocks(d, hn::InterleaveUpper(d, t0, t1), out + ld_dst,
                  block_stride);
      StoreBlocks(d, hn::InterleaveLower(d, t2, t3), out + 2 * ld_dst,
                  block_stride);
      StoreBlocks(d, hn::InterleaveUpper(d, t2, t3), out + 3 * ld_dst,
                  block_stride);
    }
  }
#else
  (void)N;
#endif
  for (; p < kc; ++p) {
    for (size_t r = 0; r < 4; ++r) dst[p * ld_dst + r] = src[r * ld_src + p];
  }
}
//! [transpose_pack]

// Packs op(A)(i0:i0+mc, p0:p0+kc) into MR-row panels: Ap[panel][p][r], rows
// past mc are zero. The loops are specialized for the two layouts so that
// the inner loop reads memory contiguously.
template <class T>
void PackA(const Operand<T>& A, size_t i0, size_t mc, size_t p0, size_t kc,
           T* HWY_RESTRICT Ap) {
  for (size_t ip = 0; ip < mc; ip += kMr) {
    const size_t mr = std::min(kMr, mc - ip);
    T* panel = Ap + ip * kc;
    if (!A.trans && mr == kMr && kMr % 4 == 0) {  // rows -> panel columns
      for (size_t r = 0; r < kMr; r += 4) {
        TransposeFourRows(A.data + (i0 + ip + r) * A.ld + p0, A.ld, kc,
                          panel + r, kMr);
      }
    } else if (!A.trans) {  // row i0 + ip + r of A is contiguous along p
      for (size_t r = 0; r < mr; ++r) {
        const T* row = A.data + (i0 + ip + r) * A.ld + p0;
        for (size_t p = 0; p < kc; ++p) panel[p * kMr + r] = row[p];
      }
    } else {  // op(A)(i, p) = A(p, i): row p0 + p of A is contiguous along i
      for (size_t p = 0; p < kc; ++p) {
        const T* row = A.data + (p0 + p) * A.ld + i0 + ip;
        for (size_t r = 0; r < mr; ++r) panel[p * kMr + r] = row[r];
      }
    }
    for (size_t r = mr; r < kMr; ++r) {
      for (size_t p = 0; p < kc; ++p) panel[p * kMr + r] = T(0);
    }
  }
}

// Packs op(B)(p0:p0+kc, j0:j0+nc) into NR-column panels: Bp[panel][p][j],
// columns past nc are zero. op(B) = B copies rows; op(B) = B^T transposes
// rows of B four at a time (a scalar transpose would cost a fifth of the
// product at the LM's logits shape, where m is only the batch).
template <class T>
void PackB(const Operand<T>& B, size_t p0, size_t kc, size_t j0, size_t nc,
           T* HWY_RESTRICT Bp) {
  const hn::ScalableTag<T> d;
  const size_t N = hn::Lanes(d);
  const size_t nr_full = 2 * N;
  for (size_t jp = 0; jp < nc; jp += nr_full) {
    const size_t nr = std::min(nr_full, nc - jp);
    T* panel = Bp + jp * kc;
    if (!B.trans && nr == nr_full) {  // two vectors per panel row
      const T* row = B.data + p0 * B.ld + j0 + jp;
      for (size_t p = 0; p < kc; ++p, row += B.ld) {
        hn::Store(hn::LoadU(d, row), d, panel + p * nr_full);
        hn::Store(hn::LoadU(d, row + N), d, panel + p * nr_full + N);
      }
    } else if (!B.trans) {
      for (size_t p = 0; p < kc; ++p) {
        const T* row = B.data + (p0 + p) * B.ld + j0 + jp;
        T* dst = panel + p * nr_full;
        std::copy(row, row + nr, dst);
        std::fill(dst + nr, dst + nr_full, T(0));
      }
    } else if (nr == nr_full && nr_full % 4 == 0) {
      for (size_t j = 0; j < nr_full; j += 4) {
        TransposeFourRows(B.data + (j0 + jp + j) * B.ld + p0, B.ld, kc,
                          panel + j, nr_full);
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

// One kRows x NR tile of C at rows [i, i + rows) of op(A), columns
// [j, j + cols) of the packed B panel (rows <= kRows, cols <= NR). `a` is
// the A operand of the micro-kernel or null when the rows must first be
// copied into a zero-padded panel (in-place A at its last rows). Partial
// tiles are computed into a local tile and finished by the same epilogue
// with one-lane vectors, so every element gets the same arithmetic whichever
// tile it falls in.
template <size_t kRows, bool kUnitRs, class T>
HWY_INLINE void Tile(size_t kc, const T* a, size_t rs, size_t ps, const T* Bp,
                     size_t rows, size_t cols, T alpha, bool overwrite, T* c,
                     size_t ldc) {
  const hn::ScalableTag<T> d;
  const size_t nr_full = 2 * hn::Lanes(d);
  if (rows == kRows && cols == nr_full) {
    MicroKernel<kRows, kUnitRs>(d, kc, a, rs, ps, Bp, alpha, overwrite, c, ldc);
    return;
  }
  HWY_ALIGN T edge[kRows * 2 * hn::MaxLanes(d)];
  MicroKernel<kRows, kUnitRs>(d, kc, a, rs, ps, Bp, T(1), true, edge, nr_full);
  const hn::CappedTag<T, 1> d1;
  const auto va = hn::Set(d1, alpha);
  for (size_t r = 0; r < rows; ++r) {
    for (size_t j = 0; j < cols; ++j) {
      const auto e = hn::Set(d1, edge[r * nr_full + j]);
      T* cj = c + r * ldc + j;
      hn::StoreU(
          overwrite ? hn::Mul(va, e) : hn::MulAdd(va, e, hn::LoadU(d1, cj)), d1,
          cj);
    }
  }
}

// Copies rows [i0, i0 + rows) x [p0, p0 + kc) of op(A) into a zero-padded
// kRows-row panel (layout of PackA): the last rows of an in-place A.
template <size_t kRows, class T>
const T* PackTailRows(const Operand<T>& A, size_t i0, size_t rows, size_t p0,
                      size_t kc, T* HWY_RESTRICT buf) {
  for (size_t p = 0; p < kc; ++p) {
    for (size_t r = 0; r < kRows; ++r) {
      buf[p * kRows + r] = r < rows
                               ? (A.trans ? A.data[(p0 + p) * A.ld + i0 + r]
                                          : A.data[(i0 + r) * A.ld + p0 + p])
                               : T(0);
    }
  }
  return buf;
}

// The rows [ic, ic + mc) of one (jc, pc) block against the packed B block:
// full MR-row tiles, then kMrTail-row tiles for what is left.
template <size_t kRows, class T>
void RowGroup(const Operand<T>& A, bool packed, const T* Ap, size_t ic,
              size_t ir, size_t rows, size_t pc, size_t kc, const T* Bp,
              size_t nc, T alpha, bool overwrite, T* C, size_t ldc,
              T* tail_buf) {
  const hn::ScalableTag<T> d;
  const size_t nr_full = 2 * hn::Lanes(d);
  const T* a;
  size_t rs, ps;
  bool unit_rs;
  if (packed) {  // panel ir / kMr, row ir % kMr of it
    a = Ap + (ir / kMr) * kMr * kc + ir % kMr;
    rs = 1, ps = kMr, unit_rs = true;
  } else if (rows < kRows) {
    a = PackTailRows<kRows>(A, ic + ir, rows, pc, kc, tail_buf);
    rs = 1, ps = kRows, unit_rs = true;
  } else if (A.trans) {  // a(r, p) = A(pc + p, ic + ir + r)
    a = A.data + pc * A.ld + ic + ir;
    rs = 1, ps = A.ld, unit_rs = true;
  } else {  // a(r, p) = A(ic + ir + r, pc + p)
    a = A.data + (ic + ir) * A.ld + pc;
    rs = A.ld, ps = 1, unit_rs = false;
  }
  for (size_t jr = 0; jr < nc; jr += nr_full) {
    const size_t cols = std::min(nr_full, nc - jr);
    T* c = C + (ic + ir) * ldc + jr;
    if (unit_rs) {
      Tile<kRows, true>(kc, a, rs, ps, Bp + jr * kc, rows, cols, alpha,
                        overwrite, c, ldc);
    } else {
      Tile<kRows, false>(kc, a, rs, ps, Bp + jr * kc, rows, cols, alpha,
                         overwrite, c, ldc);
    }
  }
}

template <class T>
void GemmImpl(bool trans_a, bool trans_b, size_t m, size_t n, size_t k, T alpha,
              const T* A, size_t lda, const T* B, size_t ldb, T beta, T* C,
              size_t ldc) {
  assert(ldc >= n && lda >= (trans_a ? m : k) && ldb >= (trans_b ? k : n));
  assert((m == 0 || n == 0 || C != nullptr));
  if (m == 0 || n == 0) return;
  // C <- beta C first where it cannot be folded into the first k-block
  // (beta = 0 overwrites: the first block stores alpha acc directly).
  const bool product = k != 0 && alpha != T(0);
  if (!product || (beta != T(0) && beta != T(1))) {
    for (size_t i = 0; i < m; ++i) ScaleOrZeroSimd(beta, C + i * ldc, n);
  }
  if (!product) return;

  const hn::ScalableTag<T> d;
  const size_t nr_full = 2 * hn::Lanes(d);
  const Operand<T> opA{A, lda, trans_a};
  const Operand<T> opB{B, ldb, trans_b};
  const bool pack_a =
      (std::min(n, kNc) + nr_full - 1) / nr_full >= kPackAMinPanels;

  thread_local hwy::AlignedFreeUniquePtr<T[]> a_buf, b_buf, t_buf;
  thread_local size_t a_cap = 0, b_cap = 0, t_cap = 0;
  const size_t nc_max = std::min(kNc, (n + nr_full - 1) / nr_full * nr_full);
  T* Bp = Scratch(b_buf, b_cap, kKc * nc_max);
  T* Ap = pack_a ? Scratch(a_buf, a_cap, kKc * kMc) : nullptr;
  T* tail = Scratch(t_buf, t_cap, kKc * kMr);

  for (size_t jc = 0; jc < n; jc += kNc) {
    const size_t nc = std::min(kNc, n - jc);
    for (size_t pc = 0; pc < k; pc += kKc) {
      const size_t kc = std::min(kKc, k - pc);
      const bool overwrite = beta == T(0) && pc == 0;
      PackB(opB, pc, kc, jc, nc, Bp);
      for (size_t ic = 0; ic < m; ic += kMc) {
        const size_t mc = std::min(kMc, m - ic);
        if (pack_a) PackA(opA, ic, mc, pc, kc, Ap);
        T* Cb = C + jc;
        size_t ir = 0;
        for (; ir + kMr <= mc; ir += kMr) {
          RowGroup<kMr>(opA, pack_a, Ap, ic, ir, kMr, pc, kc, Bp, nc, alpha,
                        overwrite, Cb, ldc, tail);
        }
        for (; ir < mc; ir += kMrTail) {
          RowGroup<kMrTail>(opA, pack_a, Ap, ic, ir, std::min(kMrTail, mc - ir),
                            pc, kc, Bp, nc, alpha, overwrite, Cb, ldc, tail);
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

// Highway 1.0.3 has no double vectors on its WASM target: there the
// double kernels are the EMU128 target's, compiled beside it (simd-inl.h).
#if HWY_HAVE_FLOAT64
void GemmF64(bool ta, bool tb, size_t m, size_t n, size_t k, double alpha,
             const double* A, size_t lda, const double* B, size_t ldb,
             double beta, double* C, size_t ldc) {
  GemmImpl(ta, tb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
}
#else
FFNN_F64_FROM_EMU128(GemmF64)
#endif  // HWY_HAVE_FLOAT64

}  // namespace ffnn::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include "kernels/dispatch.h"
#include "kernels/gemm.h"
#include "kernels/parallel.h"

namespace ffnn::kernels {

HWY_EXPORT(GemmF32);
HWY_EXPORT(GemmF64);

namespace {

// Work below which a second thread costs more than it saves (waking a
// worker is a few microseconds).
constexpr double kMinFlopsPerThread = 2e6;

template <class T>
void GemmT(T alpha, ConstMatView<T> A, Trans trans_a, ConstMatView<T> B,
           Trans trans_b, T beta, MatView<T> C, int threads) {
  CheckView("Gemm", "A", A);
  CheckView("Gemm", "B", B);
  CheckView("Gemm", "C", C);
  CheckThreads("Gemm", threads);
  const bool ta = trans_a == Trans::kYes, tb = trans_b == Trans::kYes;
  // op(A): (m, k), op(B): (k, n), C: (m, n).
  const std::size_t m = ta ? A.cols : A.rows, k = ta ? A.rows : A.cols;
  const std::size_t kb = tb ? B.cols : B.rows, n = tb ? B.rows : B.cols;
  CheckSameLength("Gemm", "op(A) columns", k, "op(B) rows", kb);
  CheckSameShape("Gemm", "C", C.rows, C.cols, "op(A) op(B)", m, n);
  // Resolved once here, so every thread runs the caller's target.
  const auto gemm = FFNN_DISPATCH_POINTER(T, Gemm);
  const double flops = 2.0 * m * n * k;
  const std::size_t blocks =
      std::min<std::size_t>(threads, std::max(1.0, flops / kMinFlopsPerThread));
  if (blocks <= 1) {
    gemm(ta, tb, m, n, k, alpha, A.data, A.stride, B.data, B.stride, beta,
         C.data, C.stride);
    return;
  }
  //! [gemm_threads]
  // Blocks of whole rows or whole columns of C (whichever is longer), never
  // of the reduction over k: each C(i, j) is summed by one thread in the
  // same order as with one thread, so results are bit-identical for every
  // thread count. Columns when m = n: each thread then packs only its part
  // of B. Boundaries are multiples of 64 elements, a multiple of
  // every target's register tile.
  const bool split_rows = m > n;
  ParallelFor(static_cast<int>(blocks), blocks, [&](std::size_t b) {
    const Range r = BlockRange(split_rows ? m : n, blocks, b, 64);
    if (r.begin == r.end) return;
    const std::size_t len = r.end - r.begin;
    if (split_rows) {  // rows of op(A) and C
      const T* a = A.data + (ta ? r.begin : r.begin * A.stride);
      gemm(ta, tb, len, n, k, alpha, a, A.stride, B.data, B.stride, beta,
           C.data + r.begin * C.stride, C.stride);
    } else {  // columns of op(B) and C
      const T* bb = B.data + (tb ? r.begin * B.stride : r.begin);
      gemm(ta, tb, m, len, k, alpha, A.data, A.stride, bb, B.stride, beta,
           C.data + r.begin, C.stride);
    }
  });
  //! [gemm_threads]
}

}  // namespace

void Gemm(float alpha, ConstMatView<float> A, Trans trans_a,
          ConstMatView<float> B, Trans trans_b, float beta, MatView<float> C,
          int threads) {
  GemmT(alpha, A, trans_a, B, trans_b, beta, C, threads);
}
void Gemm(double alpha, ConstMatView<double> A, Trans trans_a,
          ConstMatView<double> B, Trans trans_b, double beta, MatView<double> C,
          int threads) {
  GemmT(alpha, A, trans_a, B, trans_b, beta, C, threads);
}

}  // namespace ffnn::kernels
#endif  // HWY_ONCE
