// Finite-difference gradient checks of every kernel that has a backward, in
// double, on every Highway target: the analytic gradient the kernels compute
// must match central differences to a relative error of 1e-7 (the checker's
// noise floor is about eps^(2/3) ~ 4e-11, see tests/support/gradcheck.h).
#include <boost/test/unit_test.hpp>
#include <functional>
#include <numeric>

#include "kernels/activations.h"
#include "kernels/blas.h"
#include "kernels/embedding.h"
#include "kernels/gemm.h"
#include "kernels/softmax.h"
#include "reference/embedding.h"
#include "tests/kernels/common.h"
#include "tests/support/gradcheck.h"

namespace ffnn::testing {
namespace {

namespace k = ffnn::kernels;
namespace ref = ffnn::reference;
using Vector = std::vector<double>;
using Fn = std::function<double(const Vector&)>;

constexpr double kMaxRelError = 1e-7;

Vector Random(std::size_t n, std::mt19937_64& rng, double lo = -1,
              double hi = 1) {
  Vector v(n);
  FillUniform(std::span<double>(v), rng, lo, hi);
  return v;
}

double WeightedSum(const Vector& w, const Vector& y) {
  return std::inner_product(w.begin(), w.end(), y.begin(), 0.0);
}

#define FFNN_CHECK_GRADIENT(what, F, theta, analytic)                          \
  do {                                                                         \
    const GradCheckResult r_ = CheckGradient(F, theta, analytic);              \
    BOOST_TEST(r_.worst_error <= kMaxRelError, what << ": " << r_.Describe()); \
  } while (0)

// A vector and a (rows, d) table as the reference's Eigen arguments.
Eigen::Map<const ref::Vec<double>> VecMap(const Vector& v) {
  return Eigen::Map<const ref::Vec<double>>(v.data(), Eigen::Index(v.size()));
}
Eigen::Map<const ref::Mat<double>> TableMap(const Vector& t, std::size_t d) {
  return Eigen::Map<const ref::Mat<double>>(
      t.data(), Eigen::Index(t.size() / d), Eigen::Index(d));
}

// A single-row step (negative sampling, hierarchical softmax) on u (d) and
// a (V, d) table: `loss` (u, table) is the reference's formula, `step` the
// kernel's step, which writes u_grad and returns the loss. The step must
// return the loss at the pre-step point, and u_grad, u's move / lr and the
// table's move / lr must be the loss's gradients there (the table's rows
// distinct, so each row's move is one gradient).
using RowLoss = std::function<double(const Vector& u, const Vector& table)>;
using RowStep =
    std::function<double(double lr, Vector& u, Vector& table, Vector& u_grad)>;
void CheckRowStep(std::size_t V, std::size_t d, std::mt19937_64& rng,
                  const RowLoss& loss, const RowStep& step,
                  const char* table_name) {
  const double lr = 0.05;
  const Vector u0 = Random(d, rng), T0 = Random(V * d, rng);
  const Fn loss_of_u = [&](const Vector& uu) { return loss(uu, T0); };
  const Fn loss_of_table = [&](const Vector& tt) { return loss(u0, tt); };
  Vector u = u0, table = T0, u_grad(d);
  const double l = step(lr, u, table, u_grad);
  BOOST_TEST(std::abs(l - loss_of_u(u0)) <= 1e-14 * std::max(1.0, l));
  FFNN_CHECK_GRADIENT("u_grad", loss_of_u, u0, u_grad);
  Vector u_moved(d), table_grad(V * d);
  for (std::size_t j = 0; j < d; ++j) u_moved[j] = (u0[j] - u[j]) / lr;
  for (std::size_t i = 0; i < V * d; ++i)
    table_grad[i] = (T0[i] - table[i]) / lr;
  FFNN_CHECK_GRADIENT("u step / lr", loss_of_u, u0, u_moved);
  FFNN_CHECK_GRADIENT(table_name << " step / lr", loss_of_table, T0,
                      table_grad);
}

// A window step (m input rows against n output rows of two (V, d) tables):
// it must return the window loss at the pre-step point and move both
// tables' rows by -lr times its gradients.
using WindowLoss = std::function<double(const Vector& in, const Vector& out)>;
using WindowStep = std::function<double(double lr, Vector& in, Vector& out,
                                        Vector& scratch, Vector& scores)>;
void CheckWindowStep(std::size_t V, std::size_t d, std::size_t m, std::size_t n,
                     std::mt19937_64& rng, const WindowLoss& loss,
                     const WindowStep& step, const char* out_name) {
  const double lr = 0.05;
  const Vector I0 = Random(V * d, rng), O0 = Random(V * d, rng);
  const Fn loss_of_in = [&](const Vector& t) { return loss(t, O0); };
  const Fn loss_of_out = [&](const Vector& t) { return loss(I0, t); };
  Vector in = I0, out = O0, scratch(m * d), scores(m * n);
  const double l = step(lr, in, out, scratch, scores);
  BOOST_TEST(std::abs(l - loss_of_in(I0)) <= 1e-14 * std::max(1.0, l));
  Vector in_moved(V * d), out_moved(V * d);
  for (std::size_t i = 0; i < V * d; ++i) {
    in_moved[i] = (I0[i] - in[i]) / lr;
    out_moved[i] = (O0[i] - out[i]) / lr;
  }
  FFNN_CHECK_GRADIENT("input rows' step / lr", loss_of_in, I0, in_moved);
  FFNN_CHECK_GRADIENT(out_name << " rows' step / lr", loss_of_out, O0,
                      out_moved);
}

BOOST_AUTO_TEST_SUITE(gradcheck)

// The checker itself (issue 12): on F = 0.5 + sum_i c_i theta_i^2 with
// gradients from 1e-4 to 2 and one exactly 0, the true gradient scores below
// the 1e-7 bound, and a 0.1% error on the smallest gradient (1e-4, below
// the checker's noise floor 1e-3 |F| = 1.5e-3) scores 1e-7 / 1.5e-3 = 6.7e-5,
// 670 times the bound, where an absolute floor of 1 once gave it 1e-7.
BOOST_AUTO_TEST_CASE(
    the_checker_sees_a_small_relative_error_on_a_small_gradient) {
  const std::vector<double> c = {1.0, 5e-5, 0.3}, theta = {1.0, 1.0, 0.0};
  const auto F = [&](const std::vector<double>& t) {
    double f = 0.5;
    for (std::size_t i = 0; i < t.size(); ++i) f += c[i] * t[i] * t[i];
    return f;
  };
  std::vector<double> grad = {2.0, 1e-4, 0.0};
  BOOST_TEST(testing::CheckGradient(F, theta, grad).worst_error <= 1e-7);
  grad[1] *= 1.001;
  const auto r = testing::CheckGradient(F, theta, grad);
  BOOST_TEST(r.worst_index == 1u);
  BOOST_TEST(r.worst_error >= 6e-5, r.Describe());
}

// For an activation g, F(x) = sum_i w_i g(x_i) has dF/dx = backward(w, g(x)).
// Inputs avoid |x| < 0.05, where ReLU and the step have their kink.
BOOST_AUTO_TEST_CASE(activation_backward_passes_match_finite_differences) {
  using Forward = void (*)(std::span<const double>, std::span<double>);
  using Backward = void (*)(std::span<const double>, std::span<const double>,
                            std::span<double>);
  struct Case {
    const char* name;
    Forward fwd;
    Backward bwd;
  };
  const Case cases[] = {{"sigmoid", k::Sigmoid, k::SigmoidBackward},
                        {"tanh", k::Tanh, k::TanhBackward},
                        {"relu", k::Relu, k::ReluBackward},
                        {"step", k::Step, k::StepBackward}};
  std::mt19937_64 rng(21);
  ForEachTarget([&](int64_t) {
    for (const Case& c : cases) {
      const std::size_t n = 37;
      Vector x = Random(n, rng, -4, 4), w = Random(n, rng);
      for (double& v : x) v += v < 0 ? -0.05 : 0.05;
      const Fn F = [&](const Vector& t) {
        Vector y(t.size());
        c.fwd(t, y);
        return WeightedSum(w, y);
      };
      Vector y(n), dx(n);
      c.fwd(x, y);
      c.bwd(w, y, dx);
      FFNN_CHECK_GRADIENT(c.name, F, x, dx);
    }
  });
}

// F(x) = sum w * softmax(x) row-wise: dF/dx = SoftmaxBackward(w, softmax(x)).
BOOST_AUTO_TEST_CASE(softmax_backward_matches_finite_differences) {
  std::mt19937_64 rng(22);
  ForEachTarget([&](int64_t) {
    const std::size_t n = 3, c = 11;
    const Vector x = Random(n * c, rng, -3, 3), w = Random(n * c, rng);
    const Fn F = [&](const Vector& t) {
      Vector y(n * c);
      k::Softmax(k::ConstMatView<double>(t.data(), n, c),
                 k::MatView<double>(y.data(), n, c));
      return WeightedSum(w, y);
    };
    Vector y(n * c), dx(n * c);
    k::Softmax(k::ConstMatView<double>(x.data(), n, c),
               k::MatView<double>(y.data(), n, c));
    k::SoftmaxBackward(k::ConstMatView<double>(w.data(), n, c),
                       k::ConstMatView<double>(y.data(), n, c),
                       k::MatView<double>(dx.data(), n, c));
    FFNN_CHECK_GRADIENT("softmax", F, x, dx);
  });
}

// The fused loss's gradient p - t against differences of its own loss, for
// one-hot and for soft targets.
BOOST_AUTO_TEST_CASE(
    softmax_cross_entropy_gradient_matches_finite_differences) {
  std::mt19937_64 rng(23);
  ForEachTarget([&](int64_t) {
    const std::size_t n = 4, c = 7;
    const Vector z = Random(n * c, rng, -5, 5);
    Vector t(n * c, 0.0);
    for (std::size_t i = 0; i < n; ++i) t[i * c + (3 * i) % c] = 1.0;
    for (std::size_t j = 0; j < c; ++j) t[3 * c + j] = 1.0 / c;  // soft row
    const Fn F = [&](const Vector& zz) {
      Vector g(n * c);
      return k::SoftmaxCrossEntropy(k::ConstMatView<double>(zz.data(), n, c),
                                    k::ConstMatView<double>(t.data(), n, c),
                                    k::MatView<double>(g.data(), n, c));
    };
    Vector g(n * c);
    k::SoftmaxCrossEntropy(k::ConstMatView<double>(z.data(), n, c),
                           k::ConstMatView<double>(t.data(), n, c),
                           k::MatView<double>(g.data(), n, c));
    FFNN_CHECK_GRADIENT("softmax cross-entropy", F, z, g);
  });
}

// The backward of C = A B is two more gemms: for F = sum W * (A B),
// dF/dA = W B^T (NT) and dF/dB = A^T W (TN). This is how chapter 3 uses them.
BOOST_AUTO_TEST_CASE(gemm_nt_and_tn_are_the_backward_of_gemm_nn) {
  std::mt19937_64 rng(24);
  ForEachTarget([&](int64_t) {
    const std::size_t m = 5, kk = 7, n = 9;
    const Vector A = Random(m * kk, rng), B = Random(kk * n, rng),
                 W = Random(m * n, rng);
    auto forward = [&](const Vector& a, const Vector& b) {
      Vector C(m * n);
      k::Gemm(1.0, k::ConstMatView<double>(a.data(), m, kk), k::Trans::kNo,
              k::ConstMatView<double>(b.data(), kk, n), k::Trans::kNo, 0.0,
              k::MatView<double>(C.data(), m, n));
      return WeightedSum(W, C);
    };
    Vector dA(m * kk), dB(kk * n);
    k::Gemm(1.0, k::ConstMatView<double>(W.data(), m, n), k::Trans::kNo,
            k::ConstMatView<double>(B.data(), kk, n), k::Trans::kYes, 0.0,
            k::MatView<double>(dA.data(), m, kk));
    k::Gemm(1.0, k::ConstMatView<double>(A.data(), m, kk), k::Trans::kYes,
            k::ConstMatView<double>(W.data(), m, n), k::Trans::kNo, 0.0,
            k::MatView<double>(dB.data(), kk, n));
    FFNN_CHECK_GRADIENT("dA = W B^T",
                        Fn([&](const Vector& a) { return forward(a, B); }), A,
                        dA);
    FFNN_CHECK_GRADIENT("dB = A^T W",
                        Fn([&](const Vector& b) { return forward(A, b); }), B,
                        dB);
  });
}

// y = A x: for F = w . (A x), dF/dx = A^T w (gemv transposed) and
// dF/dA = w x^T (ger).
BOOST_AUTO_TEST_CASE(gemv_transposed_and_ger_are_the_backward_of_gemv) {
  std::mt19937_64 rng(25);
  ForEachTarget([&](int64_t) {
    const std::size_t m = 6, n = 19;
    const Vector A = Random(m * n, rng), x = Random(n, rng), w = Random(m, rng);
    auto forward = [&](const Vector& a, const Vector& xx) {
      Vector y(m);
      k::Gemv(1.0, k::ConstMatView<double>(a.data(), m, n), k::Trans::kNo, xx,
              0.0, y);
      return WeightedSum(w, y);
    };
    Vector dx(n), dA(m * n, 0.0);
    k::Gemv(1.0, k::ConstMatView<double>(A.data(), m, n), k::Trans::kYes, w,
            0.0, dx);
    k::Ger(1.0, w, x, k::MatView<double>(dA.data(), m, n));
    FFNN_CHECK_GRADIENT("dx = A^T w",
                        Fn([&](const Vector& xx) { return forward(A, xx); }), x,
                        dx);
    FFNN_CHECK_GRADIENT("dA = w x^T",
                        Fn([&](const Vector& a) { return forward(a, x); }), A,
                        dA);
  });
}

// The backward of an embedding gather is a scatter-add into a zero table:
// for F = sum W * gather(E, idx), dF/dE = scatter_add(W, idx), with repeated
// indices accumulating.
BOOST_AUTO_TEST_CASE(scatter_add_is_the_backward_of_gather) {
  std::mt19937_64 rng(26);
  ForEachTarget([&](int64_t) {
    const std::size_t V = 6, d = 5;
    const std::vector<int32_t> idx = {2, 0, 2, 5, 2};
    const std::size_t n = idx.size();
    const Vector E = Random(V * d, rng), W = Random(n * d, rng);
    const Fn F = [&](const Vector& e) {
      Vector out(n * d);
      k::EmbeddingGather(k::ConstMatView<double>(e.data(), V, d), idx,
                         k::MatView<double>(out.data(), n, d));
      return WeightedSum(W, out);
    };
    Vector dE(V * d, 0.0);
    k::EmbeddingScatterAdd(1.0, k::ConstMatView<double>(W.data(), n, d), idx,
                           k::MatView<double>(dE.data(), V, d));
    FFNN_CHECK_GRADIENT("dE = scatter_add(W)", F, E, dE);
  });
}

// The negative-sampling step moves u by -lr u_grad and each v_j by
// -lr dL/dv_j: both must be the gradient of the SGNS loss (reference
// NegativeSamplingLoss, an independent formula) at the pre-step point.
// Context rows are distinct here so that each row's move is one gradient.
BOOST_AUTO_TEST_CASE(negative_sampling_step_follows_the_loss_gradient) {
  std::mt19937_64 rng(27);
  const std::size_t V = 10, d = 8;
  const std::vector<int32_t> ctx = {3, 7, 1, 9, 0};
  ForEachTarget([&](int64_t) {
    CheckRowStep(
        V, d, rng,
        [&](const Vector& u, const Vector& t) {
          return ref::NegativeSamplingLoss<double>(VecMap(u), TableMap(t, d),
                                                   ctx);
        },
        [&](double lr, Vector& u, Vector& t, Vector& u_grad) {
          return k::NegativeSamplingStep(lr, std::span<double>(u),
                                         k::MatView<double>(t.data(), V, d),
                                         ctx, std::span<double>(u_grad));
        },
        "table");
  });
}

// The window step with shared negatives moves every row by -lr times the
// gradient of the window loss (reference NegativeSamplingWindowLoss) at the
// pre-step point, repeated rows included: it computes every change from the
// rows as they were, so a repeated row's moves add up to its gradient.
BOOST_AUTO_TEST_CASE(negative_sampling_window_step_follows_the_loss_gradient) {
  std::mt19937_64 rng(28);
  const std::size_t V = 9, d = 7;
  const std::vector<int32_t> in_idx = {4, 1, 4, 8};
  const std::vector<int32_t> out_idx = {2, 6, 0, 6};
  ForEachTarget([&](int64_t) {
    CheckWindowStep(
        V, d, in_idx.size(), out_idx.size(), rng,
        [&](const Vector& in, const Vector& out) {
          return ref::NegativeSamplingWindowLoss<double>(
              TableMap(in, d), in_idx, TableMap(out, d), out_idx);
        },
        [&](double lr, Vector& in, Vector& out, Vector& scratch,
            Vector& scores) {
          return k::NegativeSamplingWindowStep(
              lr, k::MatView<double>(in.data(), V, d), in_idx,
              k::MatView<double>(out.data(), V, d), out_idx,
              k::MatView<double>(scratch.data(), in_idx.size(), d),
              std::span<double>(scores));
        },
        "output");
  });
}

// The hierarchical-softmax steps move u, the nodes (and, in the window, the
// input rows) by -lr times the gradient of the path loss (reference
// HierarchicalSoftmaxLoss, written as -log of the product of the branch
// probabilities) at the pre-step point.
BOOST_AUTO_TEST_CASE(hierarchical_softmax_step_follows_the_loss_gradient) {
  std::mt19937_64 rng(29);
  const std::size_t V = 10, d = 8;
  const std::vector<int32_t> points = {8, 2, 5, 0};
  const std::vector<uint8_t> codes = {1, 0, 1, 1};
  ForEachTarget([&](int64_t) {
    CheckRowStep(
        V, d, rng,
        [&](const Vector& u, const Vector& t) {
          return ref::HierarchicalSoftmaxLoss<double>(VecMap(u), TableMap(t, d),
                                                      points, codes);
        },
        [&](double lr, Vector& u, Vector& t, Vector& u_grad) {
          return k::HierarchicalSoftmaxStep(
              lr, std::span<double>(u), k::MatView<double>(t.data(), V, d),
              points, codes, std::span<double>(u_grad));
        },
        "node");
  });
}

BOOST_AUTO_TEST_CASE(hierarchical_softmax_window_follows_the_loss_gradient) {
  std::mt19937_64 rng(30);
  const std::size_t V = 9, d = 7;
  const std::vector<int32_t> in_idx = {4, 1, 4, 8};
  const std::vector<int32_t> points = {7, 3, 0};
  const std::vector<uint8_t> codes = {0, 1, 0};
  ForEachTarget([&](int64_t) {
    CheckWindowStep(
        V, d, in_idx.size(), points.size(), rng,
        [&](const Vector& in, const Vector& nodes) {
          return ref::HierarchicalSoftmaxWindowLoss<double>(
              TableMap(in, d), in_idx, TableMap(nodes, d), points, codes);
        },
        [&](double lr, Vector& in, Vector& nodes, Vector& scratch,
            Vector& scores) {
          return k::HierarchicalSoftmaxWindowStep(
              lr, k::MatView<double>(in.data(), V, d), in_idx,
              k::MatView<double>(nodes.data(), V, d), points, codes,
              k::MatView<double>(scratch.data(), in_idx.size(), d),
              std::span<double>(scores));
        },
        "node");
  });
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace ffnn::testing
