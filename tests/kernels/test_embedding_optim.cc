// Differential tests of kernels/embedding.h and kernels/optim.h against
// reference/embedding.h and reference/optim.h.
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "kernels/embedding.h"
#include "kernels/optim.h"
#include "reference/embedding.h"
#include "reference/optim.h"
#include "tests/kernels/common.h"

namespace ffnn::testing {
namespace {

namespace k = ffnn::kernels;
namespace ref = ffnn::reference;

BOOST_AUTO_TEST_SUITE(kernels)

// gather copies (exact); scatter-add with repeated indices accumulates in
// index order: one fused multiply-add per contribution, so within
// u (|alpha| sum|rows| + |table|) per contribution of T plus the double
// reference's own rounding.
BOOST_AUTO_TEST_CASE_TEMPLATE(embedding_gather_scatter_match_reference, T,
                              KernelTypes) {
  std::mt19937_64 rng(11);
  ForEachTarget([&](int64_t) {
    for (std::size_t d : {0, 1, 3, 8, 17, 64, 100, 301}) {
      const std::size_t V = 13, ld = d + 2;
      auto table = RandomBuffer<T>(V * ld, 1, rng);
      const std::vector<int32_t> idx = {3, 0, 12, 3, 3, 7, 0};  // duplicates
      const std::size_t n = idx.size();
      Buffer<T> out(n * d, 2);
      k::EmbeddingGather(k::ConstMatView<T>(table.data(), V, d, ld), idx,
                         k::MatView<T>(out.data(), n, d));
      bool exact = true;
      for (std::size_t r = 0; r < n; ++r)
        for (std::size_t j = 0; j < d; ++j)
          exact &= out[r * d + j] == table[idx[r] * ld + j];
      BOOST_TEST(exact, "EmbeddingGather d=" << d);

      auto rows = RandomBuffer<T>(n * d, 1, rng);
      ref::Mat<double> want(V, d);
      for (std::size_t i = 0; i < V; ++i)
        for (std::size_t j = 0; j < d; ++j) want(i, j) = table[i * ld + j];
      ref::Mat<double> scale = want.cwiseAbs();
      const auto rows_d = ToDoubleMat(rows.cspan(), n, d);
      ref::EmbeddingScatterAdd<double>(-0.5, rows_d, idx, want);
      for (std::size_t r = 0; r < n; ++r)
        scale.row(idx[r]) += 0.5 * rows_d.row(r).cwiseAbs();
      k::EmbeddingScatterAdd(T(-0.5), k::ConstMatView<T>(rows.data(), n, d),
                             idx, k::MatView<T>(table.data(), V, d, ld));
      Worst w;
      for (std::size_t i = 0; i < V; ++i)
        for (std::size_t j = 0; j < d; ++j)
          w.Add(i * d + j, table[i * ld + j], want(i, j),
                (double(n) * kUnitRoundoff<T> + 1e-15) * scale(i, j));
      BOOST_TEST(w.ok(), "EmbeddingScatterAdd d=" << d << " " << w.Describe());
      BOOST_TEST(table.FrontIntact());
    }
  });
}

// The single-row steps (negative sampling, hierarchical softmax) against
// their double reference: dot products of d terms feed sigmoid and the
// updates, so each updated entry is within 8 (d + 4) u max(1, |entry|) of
// the reference (inputs are O(1), lr = 0.1, at most 6 output rows; the
// error of each score is gamma(d) |u||v| and sigmoid is 1/4-Lipschitz).
// `reference` steps (ud, td, gd) in double and returns its loss; `kernel`
// steps (u, table, u_grad) in T and returns its loss.
template <class T, class Reference, class Kernel>
void CompareRowStep(const char* name, std::mt19937_64& rng,
                    const Reference& reference, const Kernel& kernel) {
  for (std::size_t d : {1, 2, 7, 16, 33, 100, 300}) {
    const std::size_t V = 20;
    auto u = RandomBuffer<T>(d, 1, rng);
    auto table = RandomBuffer<T>(V * d, 2, rng);
    Buffer<T> u_grad(d, 3);
    ref::Vec<double> ud = ToDouble(u.cspan());
    ref::Mat<double> td = ToDoubleMat(table.cspan(), V, d);
    ref::Vec<double> gd(d);
    const double want_loss = reference(ud, td, gd);
    const T loss =
        kernel(u.span(), k::MatView<T>(table.data(), V, d), u_grad.span());
    const double tol = 8.0 * double(d + 4) * kUnitRoundoff<T>;
    BOOST_TEST(std::abs(loss - want_loss) <= tol * std::max(1.0, want_loss),
               name << " loss d=" << d);
    Worst w;
    for (std::size_t j = 0; j < d; ++j) {
      w.Add(j, u[j], ud[j], tol * std::max(1.0, std::abs(ud[j])));
      w.Add(d + j, u_grad[j], gd[j], tol * std::max(1.0, std::abs(gd[j])));
    }
    for (std::size_t i = 0; i < V; ++i)
      for (std::size_t j = 0; j < d; ++j)
        w.Add(2 * d + i * d + j, table[i * d + j], td(i, j),
              tol * std::max(1.0, std::abs(td(i, j))));
    BOOST_TEST(w.ok(), name << " d=" << d << " " << w.Describe());
  }
}

// The window steps (m input rows against n output rows, strided tables and
// scratch): scores are dot products of d terms, each updated entry a sum of
// m (or n) such terms, so the same 8 (d + 4) u max(1, |entry|) bound as the
// single step, with m, n <= 8. `reference` steps (in_d, out_d) in double,
// `kernel` (in, out, scratch, scores) in T; both return the loss.
template <class T, class Reference, class Kernel>
void CompareWindowStep(const char* name, std::mt19937_64& rng, std::size_t m,
                       std::size_t n, const Reference& reference,
                       const Kernel& kernel) {
  for (std::size_t d : {1, 2, 7, 16, 33, 100, 300}) {
    const std::size_t V = 20, ld = d + 3;
    auto in = RandomBuffer<T>(V * ld, 1, rng, -0.5, 0.5);
    auto out = RandomBuffer<T>(V * ld, 2, rng, -0.5, 0.5);
    Buffer<T> scratch(m * ld, 3), scores(m * n, 1);
    ref::Mat<double> in_d(V, d), out_d(V, d);
    for (std::size_t i = 0; i < V; ++i)
      for (std::size_t j = 0; j < d; ++j) {
        in_d(i, j) = in[i * ld + j];
        out_d(i, j) = out[i * ld + j];
      }
    const double want_loss = reference(in_d, out_d);
    const T loss = kernel(
        k::MatView<T>(in.data(), V, d, ld), k::MatView<T>(out.data(), V, d, ld),
        k::MatView<T>(scratch.data(), m, d, ld), scores.span());
    const double tol = 8.0 * double(d + 4) * kUnitRoundoff<T>;
    BOOST_TEST(std::abs(loss - want_loss) <= tol * std::max(1.0, want_loss),
               name << " loss d=" << d << ": " << loss << " vs " << want_loss);
    Worst w;
    for (std::size_t i = 0; i < V; ++i)
      for (std::size_t j = 0; j < d; ++j) {
        w.Add(i * d + j, in[i * ld + j], in_d(i, j),
              tol * std::max(1.0, std::abs(in_d(i, j))));
        w.Add(V * d + i * d + j, out[i * ld + j], out_d(i, j),
              tol * std::max(1.0, std::abs(out_d(i, j))));
      }
    BOOST_TEST(w.ok(), name << " d=" << d << " " << w.Describe());
    BOOST_TEST(in.FrontIntact());
    BOOST_TEST(out.FrontIntact());
  }
}

// Positive 4, negatives with a repeat (9 twice) and the positive again.
BOOST_AUTO_TEST_CASE_TEMPLATE(negative_sampling_step_matches_reference, T,
                              KernelTypes) {
  std::mt19937_64 rng(12);
  const std::vector<int32_t> ctx = {4, 9, 17, 9, 0, 4};
  ForEachTarget([&](int64_t) {
    CompareRowStep<T>(
        "NegativeSamplingStep", rng,
        [&](ref::Vec<double>& u, ref::Mat<double>& t, ref::Vec<double>& g) {
          return ref::NegativeSamplingStep<double>(0.1, u, t, ctx, g);
        },
        [&](std::span<T> u, k::MatView<T> t, std::span<T> g) {
          return k::NegativeSamplingStep(T(0.1), u, t, ctx, g);
        });
  });
}

// Repeated input and output rows.
BOOST_AUTO_TEST_CASE_TEMPLATE(negative_sampling_window_step_matches_reference,
                              T, KernelTypes) {
  std::mt19937_64 rng(14);
  const std::vector<int32_t> in_idx = {5, 11, 5, 0, 19, 2, 7};
  const std::vector<int32_t> out_idx = {11, 3, 3, 19, 0, 8};
  ForEachTarget([&](int64_t) {
    CompareWindowStep<T>(
        "NegativeSamplingWindowStep", rng, in_idx.size(), out_idx.size(),
        [&](ref::Mat<double>& in, ref::Mat<double>& out) {
          return ref::NegativeSamplingWindowStep<double>(0.1, in, in_idx, out,
                                                         out_idx);
        },
        [&](k::MatView<T> in, k::MatView<T> out, k::MatView<T> scratch,
            std::span<T> scores) {
          return k::NegativeSamplingWindowStep(T(0.1), in, in_idx, out, out_idx,
                                               scratch, scores);
        });
  });
}

// Hierarchical softmax: the same step with labels 1 - code; a path of 6
// nodes with a repeated node (a path never repeats one, but the kernel must
// not care) and both codes.
BOOST_AUTO_TEST_CASE_TEMPLATE(hierarchical_softmax_step_matches_reference, T,
                              KernelTypes) {
  std::mt19937_64 rng(15);
  const std::vector<int32_t> points = {18, 9, 3, 9, 0, 12};
  const std::vector<uint8_t> codes = {1, 0, 0, 1, 1, 0};
  ForEachTarget([&](int64_t) {
    CompareRowStep<T>(
        "HierarchicalSoftmaxStep", rng,
        [&](ref::Vec<double>& u, ref::Mat<double>& t, ref::Vec<double>& g) {
          return ref::HierarchicalSoftmaxStep<double>(0.1, u, t, points, codes,
                                                      g);
        },
        [&](std::span<T> u, k::MatView<T> t, std::span<T> g) {
          return k::HierarchicalSoftmaxStep(T(0.1), u, t, points, codes, g);
        });
  });
}

// The hierarchical-softmax window: repeated input rows.
BOOST_AUTO_TEST_CASE_TEMPLATE(hierarchical_softmax_window_matches_reference, T,
                              KernelTypes) {
  std::mt19937_64 rng(16);
  const std::vector<int32_t> in_idx = {5, 11, 5, 0, 19, 2, 7};
  const std::vector<int32_t> points = {19, 4, 13, 0, 8};
  const std::vector<uint8_t> codes = {0, 1, 1, 0, 1};
  ForEachTarget([&](int64_t) {
    CompareWindowStep<T>(
        "HierarchicalSoftmaxWindowStep", rng, in_idx.size(), points.size(),
        [&](ref::Mat<double>& in, ref::Mat<double>& nodes) {
          return ref::HierarchicalSoftmaxWindowStep<double>(
              0.1, in, in_idx, nodes, points, codes);
        },
        [&](k::MatView<T> in, k::MatView<T> nodes, k::MatView<T> scratch,
            std::span<T> scores) {
          return k::HierarchicalSoftmaxWindowStep(
              T(0.1), in, in_idx, nodes, points, codes, scratch, scores);
        });
  });
}

// Confident scores make tiny losses: -log sigma(20) = log1p(e^-20) ~ 2e-9
// per row. The loss must keep its relative accuracy there (log(1 + e) in
// float would return 0).
BOOST_AUTO_TEST_CASE_TEMPLATE(negative_sampling_loss_is_accurate_when_tiny, T,
                              KernelTypes) {
  ForEachTarget([&](int64_t) {
    const std::size_t d = 4, V = 3;
    std::vector<T> u(d, T(2)), u_grad(d);
    // Row 0: f = +20 (the positive); rows 1, 2: f = -20 (the negatives).
    std::vector<T> table = {2.5,  2.5,  2.5,  2.5,  -2.5, -2.5,
                            -2.5, -2.5, -2.5, -2.5, -2.5, -2.5};
    const std::vector<int32_t> ctx = {0, 1, 2};
    const T loss = k::NegativeSamplingStep(T(0), std::span<T>(u),
                                           k::MatView<T>(table.data(), V, d),
                                           ctx, std::span<T>(u_grad));
    const double want = 3.0 * std::log1p(std::exp(-20.0));
    BOOST_TEST(std::abs(loss - want) <= 16 * kUnitRoundoff<T> * want,
               "loss " << loss << " want " << want);
  });
}

// Optimizer updates: a fixed short sequence of operations per element on
// both sides; 4 ulp of T relative to the largest term involved (the
// contract in optim.h), plus the double reference's own rounding.
BOOST_AUTO_TEST_CASE_TEMPLATE(optimizer_steps_match_reference, T, KernelTypes) {
  std::mt19937_64 rng(13);
  ForEachTarget([&](int64_t) {
    for (std::size_t n : TestLengths()) {
      const std::size_t off = n % 4;
      auto g = RandomBuffer<T>(n, off, rng);
      auto theta = RandomBuffer<T>(n, off + 1, rng);
      auto m = RandomBuffer<T>(n, off + 2, rng, -0.1, 0.1);
      auto v = RandomBuffer<T>(n, off + 3, rng, 0.0, 0.1);
      const auto gd = ToDouble(g.cspan());
      ref::Vec<double> th = ToDouble(theta.cspan()), md = ToDouble(m.cspan()),
                       vd = ToDouble(v.cspan());
      const double tol = 4 * std::numeric_limits<T>::epsilon();
      auto check = [&](const char* what, const Buffer<T>& got,
                       const ref::Vec<double>& want) {
        Worst w;
        for (std::size_t i = 0; i < n; ++i)
          w.Add(i, got[i], want[i], tol * std::max(1.0, std::abs(want[i])));
        BOOST_TEST(w.ok(), what << " n=" << n << " " << w.Describe());
      };

      k::SgdStep(T(0.1), g.cspan(), theta.span());
      ref::SgdStep<double>(0.1, gd, th);
      check("SgdStep", theta, th);

      k::MomentumStep(T(0.1), T(0.9), g.cspan(), v.span(), theta.span());
      ref::MomentumStep<double>(0.1, 0.9, gd, vd, th);
      check("MomentumStep velocity", v, vd);
      check("MomentumStep theta", theta, th);

      for (std::int64_t t = 1; t <= 3; ++t) {
        k::AdamStep(T(1e-2), T(0.9), T(0.999), T(1e-8), t, g.cspan(), m.span(),
                    v.span(), theta.span());
        ref::AdamStep<double>(1e-2, 0.9, 0.999, 1e-8, t, gd, md, vd, th);
      }
      check("AdamStep m", m, md);
      check("AdamStep v", v, vd);
      check("AdamStep theta", theta, th);
    }
  });
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace ffnn::testing
