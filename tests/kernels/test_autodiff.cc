// An independent derivative oracle: forward-mode automatic differentiation
// (Eigen's AutoDiffScalar) through the scalar-templated reference/, compared
// with the kernels' analytic backward passes in double on every target.
//
// Tolerance: AutoDiff is exact up to rounding, so the two sides differ only
// by the kernels' own error: <= 4 ulp in the forward value (activations.h),
// amplified by at most 1 / (1 - y) <= 150 in sigma' = y (1 - y) for
// |x| <= 5, and by gamma(d) sums elsewhere: 1e-12 relative covers all cases
// here (observed errors are ~1e-15).
#include <Eigen/Core>
#include <boost/test/unit_test.hpp>
#include <unsupported/Eigen/AutoDiff>

#include "kernels/activations.h"
#include "kernels/embedding.h"
#include "kernels/softmax.h"
#include "reference/activations.h"
#include "reference/embedding.h"
#include "reference/softmax.h"
#include "tests/kernels/common.h"

namespace ffnn::testing {
namespace {

namespace k = ffnn::kernels;
namespace ref = ffnn::reference;
using AD = Eigen::AutoDiffScalar<Eigen::VectorXd>;

constexpr double kTol = 1e-12;

// Active variables: value v[i] with derivative vector e_i.
std::vector<AD> Activate(const std::vector<double>& v) {
  std::vector<AD> out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    out.emplace_back(v[i], static_cast<Eigen::Index>(v.size()),
                     static_cast<Eigen::Index>(i));
  }
  return out;
}

// d/dx_i of an AutoDiff result. A result that does not depend on the active
// variables (ReLU's S(0) branch) carries an empty derivative vector: 0.
double Derivative(const AD& y, Eigen::Index i) {
  return y.derivatives().size() > i ? y.derivatives()[i] : 0.0;
}

// A window step (m input rows against n output rows of two (6, 4) tables)
// against AutoDiff: `loss` (in, out) is the reference's window loss on
// AutoDiff scalars, `step` the kernel's step on the double tables; the step
// returns the loss, and both tables' moves divided by lr are its
// derivatives. (before - after) / lr cancels: its rounding is eps |v| / lr
// ~ 1e-13, allowed beside kTol.
template <class Loss, class Step>
void CheckWindowAgainstAutoDiff(std::mt19937_64& rng, std::size_t m,
                                std::size_t n, const Loss& loss_of,
                                const Step& step) {
  const std::size_t V = 6, d = 4;
  std::vector<double> all(2 * V * d);
  FillUniform(std::span<double>(all), rng);
  const std::vector<AD> a = Activate(all);
  ref::Mat<AD> ia(V, d), oa(V, d);
  for (std::size_t i = 0; i < V * d; ++i) {
    ia(i / d, i % d) = a[i];
    oa(i / d, i % d) = a[V * d + i];
  }
  const AD loss = loss_of(ia, oa);
  const double lr = 0.01;
  ForEachTarget([&](int64_t) {
    std::vector<double> t = all, scratch(m * d), scores(m * n);
    const double kl = step(lr, k::MatView<double>(t.data(), V, d),
                           k::MatView<double>(t.data() + V * d, V, d),
                           k::MatView<double>(scratch.data(), m, d),
                           std::span<double>(scores));
    BOOST_TEST(std::abs(kl - loss.value()) <= kTol * loss.value());
    Worst w;
    for (std::size_t i = 0; i < 2 * V * d; ++i)
      w.Add(i, (all[i] - t[i]) / lr, Derivative(loss, Eigen::Index(i)),
            kTol + 4 * std::numeric_limits<double>::epsilon() / lr);
    BOOST_TEST(w.ok(), "dL/d(tables) " << w.Describe());
  });
}

BOOST_AUTO_TEST_SUITE(autodiff)

// dy/dx of each activation at 41 points in [-5, 5] (avoiding the ReLU kink
// at 0): AutoDiff of the reference formula vs the kernel's backward with
// upstream gradient 1.
BOOST_AUTO_TEST_CASE(activation_derivatives_match_autodiff) {
  std::vector<double> x;
  for (int i = 0; i <= 40; ++i) x.push_back(-5.0 + 0.25 * i + 0.01);
  const std::vector<double> ones(x.size(), 1.0);
  ForEachTarget([&](int64_t) {
    std::vector<double> y(x.size()), dx(x.size());
    Worst ws, wt, wr;
    k::Sigmoid(x, y);
    k::SigmoidBackward(ones, y, dx);
    for (std::size_t i = 0; i < x.size(); ++i) {
      const AD s = ref::Sigmoid<AD>(AD(x[i], 1, 0));
      ws.Add(i, dx[i], Derivative(s, 0), kTol * Derivative(s, 0));
    }
    k::Tanh(x, y);
    k::TanhBackward(ones, y, dx);
    for (std::size_t i = 0; i < x.size(); ++i) {
      const AD t = ref::Tanh<AD>(AD(x[i], 1, 0));
      wt.Add(i, dx[i], Derivative(t, 0),
             kTol * std::max(1e-3, Derivative(t, 0)));
    }
    k::Relu(x, y);
    k::ReluBackward(ones, y, dx);
    for (std::size_t i = 0; i < x.size(); ++i) {
      const AD r = ref::Relu<AD>(AD(x[i], 1, 0));
      wr.Add(i, dx[i], Derivative(r, 0), 0.0);  // 0 or 1 exactly
    }
    BOOST_TEST(ws.ok(), "sigmoid' " << ws.Describe());
    BOOST_TEST(wt.ok(), "tanh' " << wt.Describe());
    BOOST_TEST(wr.ok(), "relu' " << wr.Describe());
  });
}

// d(loss)/dz of softmax-cross-entropy: AutoDiff through the reference loss
// (log-softmax, then the dot with t) vs the fused kernel's p - t.
BOOST_AUTO_TEST_CASE(softmax_cross_entropy_gradient_matches_autodiff) {
  std::mt19937_64 rng(31);
  const std::size_t n = 3, c = 6;
  std::vector<double> z(n * c), t(n * c, 0.0);
  FillUniform(std::span<double>(z), rng, -4, 4);
  t[2] = 1.0;
  t[c + 5] = 1.0;
  for (std::size_t j = 0; j < c; ++j) t[2 * c + j] = j < 3 ? 1.0 / 3 : 0.0;
  const std::vector<AD> za = Activate(z);
  ref::Mat<AD> zm(n, c), tm(n, c), gm(n, c);
  for (std::size_t i = 0; i < n * c; ++i) {
    zm(i / c, i % c) = za[i];
    tm(i / c, i % c) = AD(t[i]);
  }
  const AD loss = ref::SoftmaxCrossEntropy<AD>(zm, tm, gm);
  ForEachTarget([&](int64_t) {
    std::vector<double> g(n * c);
    const double kl =
        k::SoftmaxCrossEntropy(k::ConstMatView<double>(z.data(), n, c),
                               k::ConstMatView<double>(t.data(), n, c),
                               k::MatView<double>(g.data(), n, c));
    BOOST_TEST(std::abs(kl - loss.value()) <= kTol * loss.value());
    Worst w;
    for (std::size_t i = 0; i < n * c; ++i)
      w.Add(i, g[i], Derivative(loss, i), kTol);
    BOOST_TEST(w.ok(), "dL/dz " << w.Describe());
  });
}

// The negative-sampling loss differentiated by AutoDiff with respect to the
// center vector u and every entry of the output table, against the kernel's
// u_grad and its table moves divided by the learning rate.
BOOST_AUTO_TEST_CASE(negative_sampling_gradients_match_autodiff) {
  std::mt19937_64 rng(32);
  const std::size_t V = 7, d = 5;
  const std::vector<int32_t> ctx = {2, 5, 0, 6};
  std::vector<double> u(d), table(V * d);
  FillUniform(std::span<double>(u), rng);
  FillUniform(std::span<double>(table), rng);
  std::vector<double> all = u;
  all.insert(all.end(), table.begin(), table.end());
  const std::vector<AD> a = Activate(all);
  ref::Vec<AD> ua(d);
  ref::Mat<AD> ta(V, d);
  for (std::size_t j = 0; j < d; ++j) ua[j] = a[j];
  for (std::size_t i = 0; i < V * d; ++i) ta(i / d, i % d) = a[d + i];
  const AD loss = ref::NegativeSamplingLoss<AD>(ua, ta, ctx);
  const double lr = 0.01;
  ForEachTarget([&](int64_t) {
    std::vector<double> uk = u, tk = table, u_grad(d);
    const double kl = k::NegativeSamplingStep(
        lr, std::span<double>(uk), k::MatView<double>(tk.data(), V, d), ctx,
        std::span<double>(u_grad));
    BOOST_TEST(std::abs(kl - loss.value()) <= kTol * loss.value());
    Worst wu, wt;
    for (std::size_t j = 0; j < d; ++j)
      wu.Add(j, u_grad[j], Derivative(loss, j), kTol);
    // (before - after) / lr cancels: its rounding is eps |v| / lr ~ 1e-13.
    for (std::size_t i = 0; i < V * d; ++i)
      wt.Add(i, (table[i] - tk[i]) / lr, Derivative(loss, d + i),
             kTol + 4 * std::numeric_limits<double>::epsilon() / lr);
    BOOST_TEST(wu.ok(), "dL/du " << wu.Describe());
    BOOST_TEST(wt.ok(), "dL/dV " << wt.Describe());
  });
}

// The window loss differentiated by AutoDiff with respect to both tables,
// against the window step's moves divided by the learning rate.
BOOST_AUTO_TEST_CASE(negative_sampling_window_gradients_match_autodiff) {
  std::mt19937_64 rng(33);
  const std::vector<int32_t> in_idx = {1, 3, 1};
  const std::vector<int32_t> out_idx = {5, 0, 2, 0};
  CheckWindowAgainstAutoDiff(
      rng, in_idx.size(), out_idx.size(),
      [&](const ref::Mat<AD>& in, const ref::Mat<AD>& out) {
        return ref::NegativeSamplingWindowLoss<AD>(in, in_idx, out, out_idx);
      },
      [&](double lr, k::MatView<double> in, k::MatView<double> out,
          k::MatView<double> scratch, std::span<double> scores) {
        return k::NegativeSamplingWindowStep(lr, in, in_idx, out, out_idx,
                                             scratch, scores);
      });
}

// The hierarchical-softmax path loss differentiated by AutoDiff with
// respect to the window's input rows and the nodes, against the window
// step's moves divided by the learning rate.
BOOST_AUTO_TEST_CASE(hierarchical_softmax_window_gradients_match_autodiff) {
  std::mt19937_64 rng(34);
  const std::vector<int32_t> in_idx = {1, 3, 1};
  const std::vector<int32_t> points = {5, 0, 2};
  const std::vector<uint8_t> codes = {1, 1, 0};
  CheckWindowAgainstAutoDiff(
      rng, in_idx.size(), points.size(),
      [&](const ref::Mat<AD>& in, const ref::Mat<AD>& nodes) {
        return ref::HierarchicalSoftmaxWindowLoss<AD>(in, in_idx, nodes, points,
                                                      codes);
      },
      [&](double lr, k::MatView<double> in, k::MatView<double> nodes,
          k::MatView<double> scratch, std::span<double> scores) {
        return k::HierarchicalSoftmaxWindowStep(lr, in, in_idx, nodes, points,
                                                codes, scratch, scores);
      });
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace ffnn::testing
