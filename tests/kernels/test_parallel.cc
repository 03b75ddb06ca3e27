// Threads and the fast call path: the thread pool runs every task once,
// threaded gemm and softmax give bit-identical results for every thread
// count on every Highway target, and the resolved-once VectorOps table
// computes exactly what the checked entry points compute.
#include <algorithm>
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <vector>

#include "kernels/activations.h"
#include "kernels/blas.h"
#include "kernels/fast.h"
#include "kernels/gemm.h"
#include "kernels/optim.h"
#include "kernels/parallel.h"
#include "kernels/softmax.h"
#include "reference/softmax.h"
#include "tests/kernels/common.h"

namespace ffnn::testing {
namespace {

namespace k = ffnn::kernels;
namespace ref = ffnn::reference;

template <class T>
bool BitIdentical(const std::vector<T>& a, const std::vector<T>& b) {
  // memcmp must not see the null data() of an empty vector, even for 0 bytes.
  return a.size() == b.size() &&
         (a.empty() ||
          std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
}

BOOST_AUTO_TEST_SUITE(kernels)

BOOST_AUTO_TEST_CASE(parallel_for_runs_every_task_exactly_once) {
  for (int threads : {1, 2, 3, 5}) {
    for (std::size_t tasks : {0, 1, 2, 3, 7, 64}) {
      std::vector<std::atomic<int>> runs(tasks);
      for (auto& r : runs) r = 0;
      k::ParallelFor(threads, tasks, [&](std::size_t i) { ++runs[i]; });
      bool once = std::all_of(runs.begin(), runs.end(),
                              [](const std::atomic<int>& r) { return r == 1; });
      BOOST_TEST(once, "threads=" << threads << " tasks=" << tasks);
    }
  }
}

BOOST_AUTO_TEST_CASE(parallel_for_rethrows_and_nests_serially) {
  BOOST_CHECK_THROW(k::ParallelFor(2, 4,
                                   [](std::size_t i) {
                                     if (i == 2) throw std::runtime_error("x");
                                   }),
                    std::runtime_error);
  // The pool is usable after an exception, and a parallel loop inside a
  // task runs on the calling thread instead of deadlocking.
  std::atomic<int> inner{0};
  k::ParallelFor(2, 3, [&](std::size_t) {
    k::ParallelFor(2, 4, [&](std::size_t) { ++inner; });
  });
  BOOST_TEST(inner.load() == 12);
  BOOST_CHECK_THROW(k::ParallelFor(0, 1, [](std::size_t) {}),
                    std::invalid_argument);
}

// Back-to-back loops of alternating size, more threads than cores: every
// task of every loop runs exactly once, and none runs after its loop has
// returned. (A worker that woke late once took a task of the next, larger
// loop through the previous loop's exhausted ticket, ran it twice and
// let the caller return while it was still running.)
BOOST_AUTO_TEST_CASE(parallel_loops_back_to_back_never_leak_tasks) {
  std::vector<std::atomic<int>> runs(64);
  std::atomic<int> running{0};
  bool exact = true, quiet = true;
  for (int loop = 0; loop < 20000 && exact && quiet; ++loop) {
    const std::size_t tasks = loop % 2 ? 64 : 2 + loop % 5;
    for (std::size_t i = 0; i < tasks; ++i) runs[i].store(0);
    k::ParallelFor(3, tasks, [&](std::size_t i) {
      running.fetch_add(1);
      runs[i].fetch_add(1);
      running.fetch_sub(1);
    });
    quiet = running.load() == 0;
    for (std::size_t i = 0; i < tasks; ++i) exact &= runs[i].load() == 1;
  }
  BOOST_TEST(exact, "a task ran twice or never");
  BOOST_TEST(quiet, "a task was still running after its loop returned");
}

// Blocks cover [0, n) in order, without gaps or overlaps, with boundaries on
// multiples of `align`.
BOOST_AUTO_TEST_CASE(block_range_partitions_with_aligned_boundaries) {
  for (std::size_t n : {0, 1, 5, 63, 64, 65, 200, 1001}) {
    for (std::size_t blocks : {1, 2, 3, 7}) {
      for (std::size_t align : {1, 8, 64}) {
        std::size_t next = 0;
        for (std::size_t b = 0; b < blocks; ++b) {
          const k::Range r = k::BlockRange(n, blocks, b, align);
          BOOST_TEST(r.begin == next);
          BOOST_TEST(r.begin <= r.end);
          BOOST_TEST((r.end == n || r.end % align == 0));
          next = r.end;
        }
        BOOST_TEST(next == n, "n=" << n << " blocks=" << blocks);
      }
    }
  }
}

// Gemm with 1, 2 and 3 threads: the same bits on every target, for every
// transpose, splits by rows (m > n) and by columns, shapes that divide by
// nothing, and beta = 0 (overwrite), 1 and 0.5. Every shape is above the
// 2 MFLOP-per-thread threshold, so the threads really split the work.
BOOST_AUTO_TEST_CASE_TEMPLATE(gemm_is_bit_identical_for_every_thread_count, T,
                              KernelTypes) {
  std::mt19937_64 rng(31);
  const std::size_t shapes[][3] = {
      {301, 97, 53}, {67, 389, 61}, {150, 130, 200}, {129, 1031, 17}};
  ForEachTarget([&](int64_t) {
    for (const auto& s : shapes) {
      const std::size_t m = s[0], n = s[1], kk = s[2];
      for (int t = 0; t < 4; ++t) {
        const bool ta = t & 1, tb = t & 2;
        auto A = RandomBuffer<T>(m * kk, 1, rng);
        auto B = RandomBuffer<T>(kk * n, 3, rng);
        const auto C0 = RandomBuffer<T>(m * n, 0, rng).ToVector();
        for (double beta : {0.0, 1.0, 0.5}) {
          std::vector<std::vector<T>> results;
          for (int threads : {1, 2, 3}) {
            std::vector<T> C = C0;
            k::Gemm(T(0.75),
                    ta ? k::ConstMatView<T>(A.data(), kk, m)
                       : k::ConstMatView<T>(A.data(), m, kk),
                    ta ? k::Trans::kYes : k::Trans::kNo,
                    tb ? k::ConstMatView<T>(B.data(), n, kk)
                       : k::ConstMatView<T>(B.data(), kk, n),
                    tb ? k::Trans::kYes : k::Trans::kNo, T(beta),
                    k::MatView<T>(C.data(), m, n), threads);
            results.push_back(std::move(C));
          }
          BOOST_TEST(BitIdentical(results[0], results[1]),
                     "T=2 differs: " << m << "x" << n << "x" << kk << " ta="
                                     << ta << " tb=" << tb << " beta=" << beta);
          BOOST_TEST(BitIdentical(results[0], results[2]),
                     "T=3 differs: " << m << "x" << n << "x" << kk << " ta="
                                     << ta << " tb=" << tb << " beta=" << beta);
        }
      }
    }
  });
}

// Every softmax-family kernel with 1, 2 and 3 threads: same bits, the
// summed losses included (per-row losses are added in row order).
BOOST_AUTO_TEST_CASE_TEMPLATE(
    softmax_family_is_bit_identical_for_every_thread_count, T, KernelTypes) {
  std::mt19937_64 rng(32);
  const std::size_t shapes[][2] = {{7, 10007}, {5, 20000}, {37, 2049}};
  ForEachTarget([&](int64_t) {
    for (const auto& s : shapes) {
      const std::size_t n = s[0], c = s[1];
      auto z = RandomBuffer<T>(n * c, 1, rng, -8, 8);
      auto dy = RandomBuffer<T>(n * c, 0, rng);
      std::vector<T> t(n * c, T(0));
      std::vector<int32_t> idx(n);
      std::uniform_int_distribution<int32_t> cls(0,
                                                 static_cast<int32_t>(c) - 1);
      for (std::size_t i = 0; i < n; ++i) {
        idx[i] = cls(rng);
        t[i * c + idx[i]] = T(1);
      }
      const k::ConstMatView<T> zv(z.data(), n, c);
      std::vector<std::vector<T>> out(5);
      std::vector<T> loss_dense, loss_index;
      for (int threads : {1, 2, 3}) {
        std::vector<T> y(n * c), ly(n * c), dx(n * c), g(n * c), gi(n * c);
        k::Softmax(zv, k::MatView<T>(y.data(), n, c), threads);
        k::LogSoftmax(zv, k::MatView<T>(ly.data(), n, c), threads);
        k::SoftmaxBackward(k::ConstMatView<T>(dy.data(), n, c),
                           k::ConstMatView<T>(y.data(), n, c),
                           k::MatView<T>(dx.data(), n, c), threads);
        loss_dense.push_back(
            k::SoftmaxCrossEntropy(zv, k::ConstMatView<T>(t.data(), n, c),
                                   k::MatView<T>(g.data(), n, c), threads));
        loss_index.push_back(k::SoftmaxCrossEntropy(
            zv, idx, k::MatView<T>(gi.data(), n, c), threads));
        if (threads == 1) {
          out = {y, ly, dx, g, gi};
          continue;
        }
        const char* names[] = {"Softmax", "LogSoftmax", "SoftmaxBackward",
                               "SoftmaxCrossEntropy grad",
                               "SoftmaxCrossEntropy(index) grad"};
        const std::vector<T>* got[] = {&y, &ly, &dx, &g, &gi};
        for (int q = 0; q < 5; ++q) {
          BOOST_TEST(BitIdentical(out[q], *got[q]),
                     names[q] << " " << n << "x" << c << " T=" << threads);
        }
      }
      for (int q = 1; q < 3; ++q) {
        BOOST_TEST(std::memcmp(&loss_dense[0], &loss_dense[q], sizeof(T)) == 0);
        BOOST_TEST(std::memcmp(&loss_index[0], &loss_index[q], sizeof(T)) == 0);
      }
    }
  });
}

// Index targets against the Eigen twin (reference/softmax.h), within the
// contract of softmax.h: the loss within 4 (c + 4) u (|lse| + max|z| + 1)
// per row, the gradient within the softmax bound plus one rounding; and the
// same loss as the dense form with one-hot rows.
BOOST_AUTO_TEST_CASE_TEMPLATE(
    softmax_cross_entropy_with_indices_matches_reference, T, KernelTypes) {
  std::mt19937_64 rng(33);
  const std::size_t shapes[][2] = {{1, 1},  {3, 2},   {4, 15},   {5, 16},
                                   {2, 17}, {6, 100}, {3, 1000}, {2, 11264}};
  ForEachTarget([&](int64_t) {
    for (const auto& s : shapes) {
      const std::size_t n = s[0], c = s[1];
      auto z = RandomBuffer<T>(n * c, 1, rng, -10, 10);
      Buffer<T> g(n * c, 3);
      std::vector<int32_t> idx(n);
      std::uniform_int_distribution<int32_t> cls(0,
                                                 static_cast<int32_t>(c) - 1);
      for (auto& i : idx) i = cls(rng);
      const auto zd = ToDoubleMat(z.cspan(), n, c);
      ref::Mat<double> want_grad(n, c);
      const double want_loss =
          ref::SoftmaxCrossEntropy<double>(zd, idx, want_grad);
      const T loss = k::SoftmaxCrossEntropy(k::ConstMatView<T>(z.data(), n, c),
                                            idx, k::MatView<T>(g.data(), n, c));
      const double u = kUnitRoundoff<T>;
      double loss_scale = 0;
      for (std::size_t i = 0; i < n; ++i) {
        const double m = zd.row(i).maxCoeff();
        const double lse = m + std::log((zd.row(i).array() - m).exp().sum());
        loss_scale += std::abs(lse) + zd.row(i).cwiseAbs().maxCoeff() + 1;
      }
      BOOST_TEST(
          std::abs(loss - want_loss) <= 4.0 * (c + 4) * u * loss_scale,
          "loss " << n << "x" << c << ": " << loss << " vs " << want_loss);
      Worst w;
      for (std::size_t i = 0; i < n; ++i) {
        const double m = zd.row(i).maxCoeff();
        for (std::size_t j = 0; j < c; ++j) {
          const double p = want_grad(i, j) + (idx[i] == int32_t(j) ? 1 : 0);
          w.Add(i * c + j, g[i * c + j], want_grad(i, j),
                (2.0 * (c + 2) + std::abs(zd(i, j) - m)) * 2 * u * p +
                    2 * u * std::abs(want_grad(i, j)) +
                    std::numeric_limits<T>::min());
        }
      }
      BOOST_TEST(w.ok(), "grad " << n << "x" << c << " " << w.Describe());
      // The dense form with one-hot targets: the same loss to rounding.
      std::vector<T> t(n * c, T(0)), gd(n * c);
      for (std::size_t i = 0; i < n; ++i) t[i * c + idx[i]] = T(1);
      const T dense = k::SoftmaxCrossEntropy(k::ConstMatView<T>(z.data(), n, c),
                                             k::ConstMatView<T>(t.data(), n, c),
                                             k::MatView<T>(gd.data(), n, c));
      BOOST_TEST(std::abs(dense - loss) <= 8.0 * (c + 4) * u * loss_scale);
    }
  });
}

// The VectorOps table computes bit for bit what the checked entry points
// compute, on every target, at every test length and misalignment.
BOOST_AUTO_TEST_CASE_TEMPLATE(fast_vector_ops_equal_the_checked_entry_points, T,
                              KernelTypes) {
  std::mt19937_64 rng(34);
  ForEachTarget([&](int64_t) {
    const k::VectorOps<T> ops = k::ResolveVectorOps<T>();
    for (std::size_t n : TestLengths()) {
      for (std::size_t off : TestOffsets()) {
        auto x = RandomBuffer<T>(n, off, rng);
        auto y = RandomBuffer<T>(n, (off + 1) % 4, rng);
        auto y2 = y.ToVector();
        const T a = T(0.375);
        bool same = true;
        const T d1 = ops.dot(x.data(), y.data(), n);
        const T d2 = k::Dot(x.cspan(), y.cspan());
        same &= std::memcmp(&d1, &d2, sizeof(T)) == 0;
        ops.axpy(a, x.data(), y.data(), n);
        k::Axpy(a, x.cspan(), std::span<T>(y2));
        same &= BitIdentical(y.ToVector(), y2);
        ops.scal(a, y.data(), n);
        k::Scal(a, std::span<T>(y2));
        same &= BitIdentical(y.ToVector(), y2);
        ops.sgd(a, x.data(), y.data(), n);
        k::SgdStep(a, x.cspan(), std::span<T>(y2));
        same &= BitIdentical(y.ToVector(), y2);
        using Bwd = void (*)(const T*, const T*, T*, std::size_t);
        using Checked =
            void (*)(std::span<const T>, std::span<const T>, std::span<T>);
        const std::pair<Bwd, Checked> bwd[] = {
            {ops.sigmoid_backward, &k::SigmoidBackward},
            {ops.tanh_backward, &k::TanhBackward},
            {ops.relu_backward, &k::ReluBackward}};
        for (const auto& [fast, checked] : bwd) {
          std::vector<T> dx1(n), dx2(n);
          fast(x.data(), y.data(), dx1.data(), n);
          checked(x.cspan(), y.cspan(), std::span<T>(dx2));
          same &= BitIdentical(dx1, dx2);
        }
        BOOST_TEST(same, "VectorOps n=" << n << " off=" << off);
        BOOST_TEST(x.FrontIntact());
        BOOST_TEST(y.FrontIntact());
      }
    }
  });
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace ffnn::testing
