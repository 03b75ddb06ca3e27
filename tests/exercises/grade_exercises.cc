// ffnn-grade: the graded checks of every exercise (docs/exercises.md).
//
//   ffnn-grade --list   the exercise ids this grader checks, one per line
//   ffnn-grade ID       runs the checks of exercise ID and prints one line:
//     "passed"                                          exit 0
//     "failed: yhat = 0.5000, the slide says 0.7047"    exit 1
//     "not done yet: exercise 2.3 (stable softmax) ..." exit 10
//     "needs an earlier exercise: exercise 2.1 (...) is not done yet"
//                                                       exit 11
// scripts/grade.py runs one process per exercise, under a time limit, so a
// student's crash, hang or endless loop fails that exercise alone.
//
// Grading is by behaviour only: slide values, finite differences computed
// here (never by exercise 3.2's code), independent loops written here,
// truth tables and invariants. A failure message names the quantity, the
// value computed and what it should be.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <limits>
#include <numeric>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "chapters/01_perceptron/perceptron.h"
#include "chapters/02_mlp/mlp.h"
#include "chapters/03_backprop/backprop.h"
#include "chapters/03_backprop/optimizers.h"
#include "chapters/04_neural_lm/kneser_ney.h"
#include "chapters/04_neural_lm/lookup.h"
#include "chapters/04_neural_lm/nplm.h"
#include "chapters/05_word2vec/cooccurrence.h"
#include "chapters/05_word2vec/evaluation.h"
#include "chapters/05_word2vec/sgns_step.h"
#include "chapters/common/gradcheck.h"
#include "hwy/targets.h"
#include "kernels/blas.h"
#include "kernels/exercise.h"

namespace ffnn::grading {
namespace {

using Vector = std::vector<double>;

// A failed check: its message is the one line the scorecard shows.
struct Failed {
  std::string message;
};

std::string Num(double v) {
  if (std::isnan(v)) return "nan";  // not printf's "-nan"
  char buf[64];
  const double a = std::abs(v);
  if (std::isfinite(v) && v != 0 && (a < 1e-3 || a >= 1e5)) {
    std::snprintf(buf, sizeof buf, "%.4g", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.4f", v);
  }
  return buf;
}

std::string Vec(std::span<const double> v) {
  std::string s = "(";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + Num(v[i]);
  return s + ")";
}

void Expect(bool ok, const std::string& message) {
  if (!ok) throw Failed{message};
}

// |got - want| <= tol (NaN fails): "what = got, <source> want".
void ExpectNear(const std::string& what, double got, double want, double tol,
                const std::string& source) {
  Expect(std::abs(got - want) <= tol,
         what + " = " + Num(got) + ", " + source + " " + Num(want));
}

// Relative to the larger magnitude, with an absolute floor of 1.
void ExpectClose(const std::string& what, double got, double want, double rel,
                 const std::string& source) {
  ExpectNear(what, got, want, rel * std::max({1.0, std::abs(want)}), source);
}

// Central differences in double with a step for a relative error ~1e-10
// on smooth functions: the grader's own, independent of exercise 3.2.
Vector FiniteDifferences(const std::function<double(const Vector&)>& F,
                         const Vector& theta) {
  Vector grad(theta.size());
  Vector t = theta;
  for (std::size_t i = 0; i < theta.size(); ++i) {
    const double h = 1e-5 * std::max(1.0, std::abs(theta[i]));
    t[i] = theta[i] + h;
    const double up = F(t);
    t[i] = theta[i] - h;
    const double down = F(t);
    t[i] = theta[i];
    grad[i] = (up - down) / (2 * h);
  }
  return grad;
}

// Every entry of an analytic gradient against finite differences.
void ExpectGradient(const std::function<std::string(std::size_t)>& name,
                    const Vector& analytic, const Vector& numeric) {
  Expect(analytic.size() == numeric.size(),
         "the gradient has " + std::to_string(analytic.size()) +
             " entries, the parameters " + std::to_string(numeric.size()));
  for (std::size_t i = 0; i < analytic.size(); ++i) {
    ExpectClose(name(i), analytic[i], numeric[i], 1e-6,
                "finite differences give");
  }
}

Vector Uniform(std::size_t n, std::mt19937_64& rng, double lo = -1,
               double hi = 1) {
  std::uniform_real_distribution<double> u(lo, hi);
  Vector v(n);
  for (double& x : v) x = u(rng);
  return v;
}

// ---- Chapter 1 -------------------------------------------------------

void Preactivation() {
  // J&M "Neural Networks – Units: An Example": z = .87.
  const double z =
      ch01::Preactivation({{0.2, 0.3, 0.9}}, {{0.5, 0.6, 0.1}}, 0.5);
  ExpectNear("z", z, 0.87, 0.005, "the slide says");
  std::mt19937_64 rng(11);
  const Vector w = Uniform(7, rng), x = Uniform(7, rng);
  double want = -0.25;
  for (std::size_t i = 0; i < 7; ++i) want += w[i] * x[i];
  ExpectClose("z of 7 random inputs", ch01::Preactivation(w, x, -0.25), want,
              1e-12, "w . x + b is");
  ExpectNear("z with no inputs", ch01::Preactivation({}, {}, 2.5), 2.5, 0,
             "b is");
}

void Sigmoid() {
  ExpectNear("sigma(0.87)", ch01::Sigmoid(0.87), 0.70, 0.005, "the slide says");
  ExpectNear("sigma(0)", ch01::Sigmoid(0), 0.5, 1e-15, "it should be");
  for (const double z : {-3.0, -0.5, 0.25, 2.0, 7.5}) {
    ExpectClose("sigma(" + Num(z) + ")", ch01::Sigmoid(z),
                1 / (1 + std::exp(-z)), 1e-14, "1 / (1 + e^-z) is");
  }
  ExpectNear("sigma(-1000)", ch01::Sigmoid(-1000), 0, 1e-300,
             "it should be (no NaN)");
  ExpectNear("sigma(1000)", ch01::Sigmoid(1000), 1, 0, "it should be");
}

void LogisticGradient() {
  std::mt19937_64 rng(12);
  std::vector<Vector> X(6);
  Vector y(6);
  for (std::size_t i = 0; i < X.size(); ++i) {
    X[i] = Uniform(3, rng, -2, 2);
    X[i][0] = 1;
    y[i] = i % 2;
  }
  const Vector theta = {0.3, -0.7, 1.1};
  const Vector g = ch01::LogisticGradient(theta, X, y);
  const Vector fd = FiniteDifferences(
      [&](const Vector& t) { return ch01::LogisticLoss(t, X, y); }, theta);
  ExpectGradient(
      [](std::size_t i) { return "dL/dtheta[" + std::to_string(i) + "]"; }, g,
      fd);
}

void PerceptronUpdate() {
  const auto [X, y] = ch01::Dl4nlpTrainingPoints();
  const ch01::PerceptronRun run =
      ch01::TrainPerceptron(X, y, {0, -1, 1}, 0.5, 100);
  Expect(run.steps.size() >= 3, "training stopped after " +
                                    std::to_string(run.steps.size()) +
                                    " steps; the slide shows five");
  const Vector slide[] = {{0, -1, 1}, {0.5, 1.5, 3}, {0, -1.5, 1.5}};
  for (int s = 0; s < 3; ++s) {
    Expect(run.steps[s].w == slide[s], "w after step " + std::to_string(s + 1) +
                                           " = " + Vec(run.steps[s].w) +
                                           ", the slide says " + Vec(slide[s]));
  }
  Expect(run.converged && run.epochs == 15 && run.w == Vector{0.5, -5, 9.5},
         "training ends with w = " + Vec(run.w) + " after " +
             std::to_string(run.epochs) +
             " epochs; the update rule gives (0.5, -5, 9.5) after 15");
  const auto tasks = ch01::AndOrXor();
  const ch01::PerceptronRun xor_run = ch01::TrainPerceptron(
      tasks[2].data.X, tasks[2].data.y, {0, 0, 0}, 0.5, 1000);
  Expect(!xor_run.converged, "the perceptron 'converged' on XOR");
}

// ---- Chapter 2 -------------------------------------------------------

// a = g(W a_prev + b) layer by layer, in plain loops.
ch02::Matrix PlainForward(const ch02::Mlp& net, const ch02::Matrix& X) {
  ch02::Matrix a = X;
  for (const ch02::Layer& l : net.layers()) {
    ch02::Matrix z(a.rows, l.W.rows);
    for (std::size_t n = 0; n < a.rows; ++n) {
      for (std::size_t i = 0; i < l.W.rows; ++i) {
        double s = l.b[i];
        for (std::size_t j = 0; j < l.W.cols; ++j) s += l.W(i, j) * a(n, j);
        switch (l.g) {
          case ch02::Activation::kSigmoid:
            s = 1 / (1 + std::exp(-s));
            break;
          case ch02::Activation::kTanh:
            s = std::tanh(s);
            break;
          case ch02::Activation::kRelu:
            s = std::max(s, 0.0);
            break;
          default:
            break;
        }
        z(n, i) = s;
      }
    }
    a = z;
  }
  return a;
}

void Forward() {
  // DL4NLP "XOR-Problem: Deep Feedforward Network": outputs 0, 1, 1, 0.
  const ch02::Matrix X{{0, 0}, {0, 1}, {1, 0}, {1, 1}};
  const ch02::Trace t = ch02::XorReluNetwork().Forward(X);
  Expect(t.a.size() == 3 && t.z.size() == 3,
         "the trace of a two-layer network has " + std::to_string(t.a.size()) +
             " activations; a[0] = x, a[1], "
             "a[2] make 3");
  const double want_h[4][2] = {{0, 0}, {1, 0}, {1, 0}, {2, 1}};
  const double want_y[4] = {0, 1, 1, 0};
  for (std::size_t n = 0; n < 4; ++n) {
    // Named by the input, so that a student can redo it by hand.
    const std::string x = " of the slide's XOR network at x = (" +
                          std::to_string(int(X(n, 0))) + ", " +
                          std::to_string(int(X(n, 1))) + ")";
    for (std::size_t i = 0; i < 2; ++i) {
      ExpectNear("h" + std::to_string(i + 1) + x, t.a[1](n, i), want_h[n][i],
                 1e-12, "the slide says");
    }
    ExpectNear("y" + x, t.a[2](n, 0), want_y[n], 1e-12, "the slide says");
    // DL4NLP 'Design matrix: One sample per row': XW + c before the ReLU.
    const double want_z[2] = {want_h[n][0], want_h[n][1] - (n == 0 ? 1 : 0)};
    for (std::size_t i = 0; i < 2; ++i) {
      ExpectNear("z1_" + std::to_string(i + 1) + x + " (t.z[1])", t.z[1](n, i),
                 want_z[i], 1e-12, "the slide says");
    }
    ExpectNear("z2" + x + " (t.z[2])", t.z[2](n, 0), want_y[n], 1e-12,
               "the slide says");
  }
  const ch02::Mlp net = ch02::RandomMlp({3, 5, 4, 2}, ch02::Activation::kTanh,
                                        ch02::Activation::kSigmoid, 7);
  ch02::Matrix Xr(3, 3);
  std::mt19937_64 rng(13);
  Xr.data = Uniform(9, rng);
  const ch02::Matrix got = net.Forward(Xr).output(),
                     want = PlainForward(net, Xr);
  for (std::size_t k = 0; k < got.data.size(); ++k) {
    ExpectClose("yhat[" + std::to_string(k / 2) + "][" + std::to_string(k % 2) +
                    "] of a random 3-layer network",
                got.data[k], want.data[k], 1e-12, "plain loops give");
  }
}

void Xnor() {
  const ch02::Mlp net = ch02::XnorNetwork();
  const auto& L = net.layers();
  Expect(
      L.size() == 2 && L[0].W.rows == 2 && L[0].W.cols == 2 && L[1].W.rows == 1,
      "the network should be 2 inputs, 2 hidden units, 1 output");
  for (int x1 = 0; x1 <= 1; ++x1) {
    for (int x2 = 0; x2 <= 1; ++x2) {
      const double y =
          net.Forward(ch02::Matrix{{double(x1), double(x2)}}).output()(0, 0);
      const std::string what =
          "XNOR(" + std::to_string(x1) + ", " + std::to_string(x2) + "): yhat";
      if (x1 == x2) {
        Expect(y >= 0.99, what + " = " + Num(y) + ", it should be >= 0.99");
      } else {
        Expect(y <= 0.01, what + " = " + Num(y) + ", it should be <= 0.01");
      }
    }
  }
}

void Softmax() {
  const ch02::Matrix Z{{1, 2, 3}, {1000, 999, 998}, {-1000, -1000, -999}};
  const ch02::Matrix A = ch02::Apply(ch02::Activation::kSoftmax, Z);
  Expect(A.rows == 3 && A.cols == 3,
         "softmax changed the shape to " + A.Shape());
  for (std::size_t r = 0; r < 3; ++r) {
    const auto z = Z.Row(r);
    const double m = *std::max_element(z.begin(), z.end());
    double s = 0;
    for (const double v : z) s += std::exp(v - m);
    for (std::size_t k = 0; k < 3; ++k) {
      ExpectClose("softmax(" + Vec(z) + ")[" + std::to_string(k) + "], row " +
                      std::to_string(r) +
                      " of Z = [(1, 2, 3); (1000, 999, 998); (-1000, -1000, "
                      "-999)]",
                  A(r, k), std::exp(z[k] - m) / s, 1e-14,
                  "e^(z_k - max of its row) / sum gives");
    }
  }
}

void CrossEntropy() {
  const Vector yhat = {0.7, 0.2, 0.1}, one_hot = {1, 0, 0};
  ExpectClose("CE((0.7, 0.2, 0.1), (1, 0, 0))",
              ch02::CrossEntropy(yhat, one_hot), -std::log(0.7), 1e-14,
              "-log 0.7 is");
  const Vector soft = {0.5, 0, 0.5};
  ExpectClose("CE((0.7, 0.2, 0.1), (0.5, 0, 0.5))",
              ch02::CrossEntropy(yhat, soft),
              -0.5 * std::log(0.7) - 0.5 * std::log(0.1), 1e-14, "it is");
  const Vector certain = {1, 0, 0};
  ExpectNear("CE((1, 0, 0), (1, 0, 0))", ch02::CrossEntropy(certain, one_hot),
             0, 1e-15, "0 log 0 = 0 gives");
  ExpectClose("CE in bits", ch02::CrossEntropy(yhat, one_hot, 2),
              -std::log2(0.7), 1e-14, "-log2 0.7 is");
}

// ---- Chapter 3 -------------------------------------------------------

// "dJ/dW2[1][0]" for an index into Flatten's order (W then b per layer).
std::string ParameterName(const ch02::Mlp& net, std::size_t index) {
  for (std::size_t k = 0; k < net.layers().size(); ++k) {
    const ch02::Layer& l = net.layers()[k];
    const std::string layer = std::to_string(k + 1);
    if (index < l.W.data.size()) {
      return "dJ/dW" + layer + "[" + std::to_string(index / l.W.cols) + "][" +
             std::to_string(index % l.W.cols) + "]";
    }
    index -= l.W.data.size();
    if (index < l.b.size()) {
      return "dJ/db" + layer + "[" + std::to_string(index) + "]";
    }
    index -= l.b.size();
  }
  return "dJ/dtheta[?]";
}

void CheckBackward(ch02::Activation hidden, ch02::Activation output,
                   ch03::Loss loss, std::uint64_t seed) {
  const ch02::Mlp net = ch02::RandomMlp({3, 4, 3}, hidden, output, seed);
  std::mt19937_64 rng(seed);
  ch02::Matrix X(5, 3), Y(5, 3);
  X.data = Uniform(15, rng);
  for (std::size_t n = 0; n < 5; ++n) Y(n, n % 3) = 1;
  const auto J = [&](const Vector& theta) {
    const ch02::Mlp m = ch03::Unflatten(net, theta);
    return ch03::TraceLoss(m, m.Forward(X), Y, loss);
  };
  const ch03::Gradients g = ch03::Backward(net, net.Forward(X), Y, loss);
  const Vector theta = ch03::Flatten(net);
  ExpectGradient([&](std::size_t i) { return ParameterName(net, i); },
                 ch03::Flatten(g), FiniteDifferences(J, theta));
}

void Backward() {
  CheckBackward(ch02::Activation::kTanh, ch02::Activation::kSigmoid,
                ch03::Loss::kMse, 31);
  CheckBackward(ch02::Activation::kRelu, ch02::Activation::kSoftmax,
                ch03::Loss::kCrossEntropy, 32);
}

void NumericGradient() {
  // F = sin(t0) t1^2 + e^t2 t0: dF = (cos(t0) t1^2 + e^t2, 2 sin(t0) t1,
  // e^t2 t0).
  const auto F = [](const std::vector<double>& t) {
    return std::sin(t[0]) * t[1] * t[1] + std::exp(t[2]) * t[0];
  };
  const Vector theta = {0.3, -1.2, 0.5};
  const Vector want = {std::cos(0.3) * 1.44 + std::exp(0.5),
                       2 * std::sin(0.3) * -1.2, std::exp(0.5) * 0.3};
  // At the bottom of t^2 a central difference is exactly 0 and a forward
  // difference is its step h.
  const Vector flat = gradcheck::NumericGradient(
      [](const std::vector<double>& t) { return t[0] * t[0]; }, {0.0});
  Expect(flat.size() == 1, "the gradient of t0^2 has " +
                               std::to_string(flat.size()) + " entries");
  ExpectNear("d(t0^2)/dt0 at 0", flat[0], 0, 1e-12,
             "a central difference gives");
  const Vector got = gradcheck::NumericGradient(F, theta);
  Expect(got.size() == 3, "the gradient has " + std::to_string(got.size()) +
                              " entries for 3 parameters");
  for (std::size_t i = 0; i < 3; ++i) {
    // A central difference is good to ~1e-10 here; a forward difference
    // (error ~h) is not.
    ExpectClose("dF/dtheta[" + std::to_string(i) + "]", got[i], want[i], 1e-7,
                "calculus gives");
  }
}

void Momentum() {
  Vector theta = {1, -2}, m(2, 0.0), v(2, 0.0);
  const Vector g1 = {0.5, -1}, g2 = {0.25, 2};
  ch03::OptimizerStep(ch03::Optimizer::kMomentum, 0.1, 1, g1, m, v, theta);
  // v1 = g1, theta1 = theta0 - 0.1 g1
  const Vector t1 = {1 - 0.05, -2 + 0.1};
  for (int i = 0; i < 2; ++i) {
    ExpectClose("theta[" + std::to_string(i) + "] after step 1", theta[i],
                t1[i], 1e-14, "v = g, theta - lr v gives");
  }
  ch03::OptimizerStep(ch03::Optimizer::kMomentum, 0.1, 2, g2, m, v, theta);
  for (int i = 0; i < 2; ++i) {
    const double v2 = 0.9 * g1[i] + g2[i];
    ExpectClose("theta[" + std::to_string(i) + "] after step 2", theta[i],
                t1[i] - 0.1 * v2, 1e-14, "v = 0.9 v + g, theta - lr v gives");
  }
}

void Adam() {
  Vector theta = {1, -2, 0.5}, m(3, 0.0), v(3, 0.0);
  Vector want = theta, wm(3, 0.0), wv(3, 0.0);
  const Vector gs[3] = {{0.5, -1, 0}, {0.25, 2, -3}, {-0.1, 0.3, 1e-3}};
  for (int t = 1; t <= 3; ++t) {
    ch03::OptimizerStep(ch03::Optimizer::kAdam, 0.01, t, gs[t - 1], m, v,
                        theta);
    for (int i = 0; i < 3; ++i) {
      const double g = gs[t - 1][i];
      wm[i] = 0.9 * wm[i] + 0.1 * g;
      wv[i] = 0.999 * wv[i] + 0.001 * g * g;
      const double mhat = wm[i] / (1 - std::pow(0.9, t));
      const double vhat = wv[i] / (1 - std::pow(0.999, t));
      want[i] -= 0.01 * mhat / (std::sqrt(vhat) + 1e-8);
      ExpectClose(
          "theta[" + std::to_string(i) + "] after step " + std::to_string(t),
          theta[i], want[i], 1e-12, "Adam with bias correction gives");
    }
  }
}

// ---- Chapter 4 -------------------------------------------------------

void Lookup() {
  const std::size_t V = 5, d = 3;
  std::mt19937_64 rng(41);
  const Vector C = Uniform(d * V, rng);  // (d, V) as the slide writes it
  const Vector table = ch04::Transposed(C, d, V);
  for (std::int32_t w = 0; w < static_cast<std::int32_t>(V); ++w) {
    const Vector got = ch04::GatherRow(table, V, d, w);
    const Vector want = ch04::OneHotProduct(C, d, V, w);
    Expect(got == want, "the row of word " + std::to_string(w) + " = " +
                            Vec(got) + ", C w gives " + Vec(want));
  }
}

struct TinyNplm {
  ch04::NplmParams<double> p;
  std::vector<std::int32_t> contexts, targets;
  explicit TinyNplm(std::uint64_t seed)
      : p(ch04::NplmShape{.vocab = 7, .context = 2, .dim = 3, .hidden = 4}) {
    ch04::Initialize(p, seed);
    std::mt19937_64 rng(seed);
    p.b = Uniform(p.b.size(), rng, -0.5, 0.5);
    p.c = Uniform(p.c.size(), rng, -0.5, 0.5);
    // Word 3 twice in one context and again in another: its row of dC
    // must add three contributions.
    contexts = {3, 3, 1, 5, 3, 0};
    targets = {2, 6, 4};
  }
  // The mean loss, as ForwardBackward's gradient is of the mean.
  double MeanLoss() {
    ch04::NplmWorkspace<double> ws;
    return ch04::ForwardBackward<double>(p, contexts, targets, nullptr, ws) /
           double(targets.size());
  }
};

void Hidden() {
  TinyNplm m(42);
  ch04::NplmWorkspace<double> ws;
  ch04::ForwardBackward<double>(m.p, m.contexts, m.targets, nullptr, ws);
  const std::size_t n = 2, d = 3, h = 4, B = 3;
  Expect(ws.H.size() == B * h, "H has " + std::to_string(ws.H.size()) +
                                   " values; (B, h) = (3, 4) is 12");
  for (std::size_t i = 0; i < B; ++i) {
    for (std::size_t u = 0; u < h; ++u) {
      double a = m.p.b[u];
      for (std::size_t j = 0; j < n; ++j) {
        for (std::size_t c = 0; c < d; ++c) {
          a += m.p.W[u * n * d + j * d + c] *
               m.p.C[std::size_t(m.contexts[i * n + j]) * d + c];
        }
      }
      ExpectClose("H[" + std::to_string(i) + "][" + std::to_string(u) + "]",
                  ws.H[i * h + u], std::tanh(a), 1e-12,
                  "tanh(x W^T + b) gives");
    }
  }
}

// ForwardBackward's gradient of the mean loss; a student pack's unsolved
// exercise 4.4 (which runs after the hidden layer's gradients are written)
// is let through when `allow_scatter_stub` is set.
// Run twice into the same gradient and workspace, as training reuses them
// batch after batch: a step that adds to what it should overwrite fails.
ch04::NplmParams<double> Gradient(TinyNplm& m, bool allow_scatter_stub) {
  ch04::NplmParams<double> grad(m.p.shape);
  ch04::NplmWorkspace<double> ws;
  for (int pass = 0; pass < 2; ++pass) {
    try {
      ch04::ForwardBackward<double>(m.p, m.contexts, m.targets, &grad, ws);
    } catch (const ExerciseNotDone& e) {
      if (!allow_scatter_stub || e.id() != "ch04.4.scatter_add") throw;
    }
  }
  return grad;
}

void CheckBlock(TinyNplm& m, std::vector<double>& block,
                const std::vector<double>& analytic, const std::string& name,
                std::size_t cols) {
  const Vector fd = FiniteDifferences(
      [&](const Vector& values) {
        const Vector saved = block;
        block = values;
        const double loss = m.MeanLoss();
        block = saved;
        return loss;
      },
      block);
  ExpectGradient(
      [&](std::size_t i) {
        return name + "[" + std::to_string(i / cols) + "][" +
               std::to_string(i % cols) + "]";
      },
      analytic, fd);
}

void HiddenBackward() {
  TinyNplm m(43);
  const ch04::NplmParams<double> g = Gradient(m, true);
  CheckBlock(m, m.p.W, g.W, "dJ/dW", m.p.shape.In());
  CheckBlock(m, m.p.b, g.b, "dJ/db", m.p.b.size());
}

void ScatterAdd() {
  TinyNplm m(44);
  const ch04::NplmParams<double> g = Gradient(m, false);
  CheckBlock(m, m.p.C, g.C, "dJ/dC", m.p.shape.dim);
}

void KneserNey() {
  // tests/ch04's stream a b a b a c a, bigrams, every discount 0.5, worked
  // by hand (see the derivation there).
  const std::vector<std::int32_t> train = {0, 1, 0, 1, 0, 2, 0};
  const ch04::KneserNey kn(train, 3, 2, {ch04::Discounts{}, ch04::Discounts{}});
  const double want[3][3] = {{0.5 / 3, 1.75 / 3, 0.75 / 3},
                             {1.75 / 2, 0.0625, 0.0625},
                             {0.75, 0.125, 0.125}};
  const char* name = "abc";
  for (std::int32_t h = 0; h < 3; ++h) {
    ExpectClose(std::string("p(a)"), kn.Prob({}, 0), 0.5, 1e-14,
                "by hand it is");
    for (std::int32_t w = 0; w < 3; ++w) {
      ExpectClose(std::string("p(") + name[w] + " | " + name[h] + ")",
                  kn.Prob(std::vector<std::int32_t>{h}, w), want[h][w], 1e-14,
                  "by hand it is");
    }
  }
  // A trigram model with its own discounts is still a distribution.
  std::vector<std::int32_t> text;
  std::mt19937_64 rng(45);
  for (int i = 0; i < 400; ++i) text.push_back(std::int32_t(rng() % 9));
  const ch04::KneserNey kn3(text, 9, 3);
  for (const std::vector<std::int32_t>& h :
       {std::vector<std::int32_t>{4, 2}, {8, 8}, {1}}) {
    double sum = 0;
    for (std::int32_t w = 0; w < 9; ++w) sum += kn3.Prob(h, w);
    ExpectClose("sum_w p(w | a trigram history)", sum, 1, 1e-12,
                "a distribution sums to");
  }
}

// ---- Chapter 5 -------------------------------------------------------

void PpmiCheck() {
  ch05::WordMatrix counts{3, {0, 2, 1, 2, 0, 3, 1, 3, 4}};
  for (const double alpha : {1.0, 0.75}) {
    const ch05::WordMatrix got = ch05::Ppmi(counts, alpha);
    double N = 0, Na = 0;
    Vector row(3, 0.0);
    for (std::size_t w = 0; w < 3; ++w) {
      for (std::size_t c = 0; c < 3; ++c) row[w] += counts(w, c);
      N += row[w];
      Na += std::pow(row[w], alpha);
    }
    for (std::size_t w = 0; w < 3; ++w) {
      for (std::size_t c = 0; c < 3; ++c) {
        const double n = counts(w, c);
        const double want =
            n == 0
                ? 0
                : std::max(0.0,
                           std::log((n / N) / (row[w] / N *
                                               std::pow(row[c], alpha) / Na)));
        ExpectClose("PPMI(" + std::to_string(w) + ", " + std::to_string(c) +
                        ") at alpha " + Num(alpha),
                    got(w, c), want, 1e-13, "the formula gives");
      }
    }
  }
}

void Neighbours() {
  chapters::WordVectors v;
  // f repeats b's vector: the tie goes to the smaller id, b.
  v.words = {"a", "b", "c", "d", "e", "f"};
  v.dim = 3;
  v.values = {1,    0,    0,    0.9f, 0.1f, 0, -1,   0,    0,
              0.5f, 0.5f, 0.5f, 0,    1,    0, 0.9f, 0.1f, 0};
  const auto row = [&](std::size_t i) {
    return Vector(v.values.begin() + i * 3, v.values.begin() + i * 3 + 3);
  };
  const auto cosine = [&](std::size_t i, std::size_t j) {
    const Vector a = row(i), b = row(j);
    return std::inner_product(a.begin(), a.end(), b.begin(), 0.0) /
           std::sqrt(std::inner_product(a.begin(), a.end(), a.begin(), 0.0) *
                     std::inner_product(b.begin(), b.end(), b.begin(), 0.0));
  };
  for (const std::size_t k : {2u, 10u}) {
    const auto got = ch05::NearestNeighbours(v, 0, k);
    const std::size_t expected = std::min<std::size_t>(k, 5);
    Expect(got.size() == expected,
           "k = " + std::to_string(k) + " gave " + std::to_string(got.size()) +
               " neighbours of 6 words; it should give " +
               std::to_string(expected));
    const std::size_t want_rows[] = {1, 5, 3, 4, 2};  // by falling cosine
    for (std::size_t i = 0; i < got.size(); ++i) {
      Expect(got[i].row == want_rows[i],
             "neighbour " + std::to_string(i + 1) + " of 'a' is '" +
                 v.words.at(std::min(got[i].row, std::size_t{5})) +
                 "', the cosines rank '" + v.words[want_rows[i]] + "' there");
      ExpectClose("cos(a, " + v.words[want_rows[i]] + ")", got[i].cosine,
                  cosine(0, want_rows[i]), 1e-12, "a . b / (|a| |b|) gives");
    }
  }
}

// A negative drawn twice: its second update starts from the row the first
// one moved (the context rows in order, word2vec.c's loop).
void SgnsRepeatedNegative(const Vector& u0, const Vector& out0, std::size_t d) {
  const std::vector<std::int32_t> ctx = {2, 5, 5};
  const double lr = 0.5;
  Vector u = u0, out = out0, grad(d);
  ch05::SgnsStep(lr, u, out, d, ctx, grad);
  Vector want = out0, want_grad(d, 0.0);
  for (std::size_t j = 0; j < ctx.size(); ++j) {
    double* v = &want[std::size_t(ctx[j]) * d];
    double f = 0;
    for (std::size_t i = 0; i < d; ++i) f += u0[i] * v[i];
    const double g = 1 / (1 + std::exp(-f)) - (j == 0 ? 1 : 0);
    for (std::size_t i = 0; i < d; ++i) {
      want_grad[i] += g * v[i];
      v[i] -= lr * g * u0[i];
    }
  }
  for (std::size_t i = 0; i < d; ++i) {
    ExpectClose("v_5[" + std::to_string(i) +
                    "] after a step that draws it "
                    "twice",
                out[5 * d + i], want[5 * d + i], 1e-13,
                "two updates in order give");
    ExpectClose("dL/du[" + std::to_string(i) + "] with v_5 drawn twice",
                grad[i], want_grad[i], 1e-13, "the rows in order give");
  }
}

void Sgns() {
  std::mt19937_64 rng(51);
  const std::size_t d = 4;
  const Vector u0 = Uniform(d, rng), out0 = Uniform(6 * d, rng);
  const std::vector<std::int32_t> ctx = {2, 5, 0};
  Vector u = u0, out = out0, grad(d);
  const double lr = 0.1;
  const double loss = ch05::SgnsStep(lr, u, out, d, ctx, grad);
  ExpectClose("the returned loss", loss, ch05::SgnsLoss(u0, out0, d, ctx),
              1e-13, "SgnsLoss gives");
  const Vector fd = FiniteDifferences(
      [&](const Vector& uu) { return ch05::SgnsLoss(uu, out0, d, ctx); }, u0);
  ExpectGradient(
      [](std::size_t i) { return "dL/du[" + std::to_string(i) + "]"; }, grad,
      fd);
  for (std::size_t i = 0; i < d; ++i) {
    ExpectClose("u[" + std::to_string(i) + "] after the step", u[i],
                u0[i] - lr * fd[i], 1e-8, "u - lr dL/du gives");
  }
  for (std::size_t j = 0; j < ctx.size(); ++j) {
    const double* v = &out0[std::size_t(ctx[j]) * d];
    double f = 0;
    for (std::size_t i = 0; i < d; ++i) f += u0[i] * v[i];
    const double g = 1 / (1 + std::exp(-f)) - (j == 0 ? 1 : 0);
    for (std::size_t i = 0; i < d; ++i) {
      ExpectClose("v_" + std::to_string(ctx[j]) + "[" + std::to_string(i) +
                      "] after the step",
                  out[std::size_t(ctx[j]) * d + i], v[i] - lr * g * u0[i],
                  1e-13, "v - lr g u gives");
    }
  }
  SgnsRepeatedNegative(u0, out0, d);
}

void Spearman() {
  const Vector x = {1, 2, 3, 4, 5, 6}, y = {2, 1, 4, 3, 6, 5};
  // No ties: rho = 1 - 6 sum d^2 / (n (n^2 - 1)) = 1 - 36 / 210.
  ExpectClose("rho of x = (1, 2, 3, 4, 5, 6), y = (2, 1, 4, 3, 6, 5)",
              ch05::SpearmanRho(x, y), 1 - 36.0 / 210, 1e-14,
              "1 - 6 sum d^2 / (n (n^2 - 1)) gives");
  const Vector z = {10, 20, 20, 40, 50, 50};  // ties: ranks 1 2.5 2.5 4 5.5 5.5
  const Vector rz = {1, 2.5, 2.5, 4, 5.5, 5.5};
  double sxy = 0, sxx = 0, syy = 0;
  for (int i = 0; i < 6; ++i) {
    sxy += (x[i] - 3.5) * (rz[i] - 3.5);
    sxx += (x[i] - 3.5) * (x[i] - 3.5);
    syy += (rz[i] - 3.5) * (rz[i] - 3.5);
  }
  ExpectClose(
      "rho of x = (1, 2, 3, 4, 5, 6), y = (10, 20, 20, 40, 50, 50) (tied "
      "values share their average rank)",
      ch05::SpearmanRho(x, z), sxy / std::sqrt(sxx * syy), 1e-14,
      "Pearson's r of the ranks (1, 2.5, 2.5, 4, 5.5, 5.5) gives");
  const Vector w = {5, 4, 3, 2, 1, 0};
  ExpectClose("rho of a reversed order", ch05::SpearmanRho(x, w), -1, 1e-14,
              "it is");
}

// ---- The kernel ------------------------------------------------------

template <class T>
void MaxOnOneTarget(const std::string& target, std::mt19937_64& rng) {
  const char* type = sizeof(T) == 4 ? "float" : "double";
  std::vector<T> storage(1100);
  const T none = kernels::Max(std::span<const T>());
  Expect(none == -std::numeric_limits<T>::infinity(),
         "max of no values on " + target + " = " + Num(none) +
             ", it should be -inf");
  for (std::size_t n = 1; n <= 1030; n = n < 70 ? n + 1 : n * 3 + 1) {
    for (std::size_t off = 0; off < 3; ++off) {
      std::uniform_real_distribution<double> u(-100, 100);
      for (std::size_t i = 0; i < n; ++i) storage[off + i] = T(u(rng));
      const std::span<const T> x(storage.data() + off, n);
      const std::string where = " on " + target + " (" + type +
                                ", n = " + std::to_string(n) + ", offset " +
                                std::to_string(off) + ")";
      const T want = *std::max_element(x.begin(), x.end());
      const T got = kernels::Max(x);
      Expect(got == want, "max" + where + " = " + Num(got) +
                              ", the largest value is " + Num(want));
      storage[off + (n * 7 / 11)] = std::numeric_limits<T>::quiet_NaN();
      Expect(std::isnan(kernels::Max(x)),
             "max" + where + " with a NaN at " + std::to_string(n * 7 / 11) +
                 " = " + Num(kernels::Max(x)) + ", it should be NaN");
    }
  }
}

void MaxKernel() {
  std::mt19937_64 rng(61);
  const auto targets = hwy::SupportedAndGeneratedTargets();
  Expect(!targets.empty(), "no Highway target is compiled in");
  for (const std::int64_t target : targets) {
    hwy::SetSupportedTargetsForTest(target);
    MaxOnOneTarget<float>(hwy::TargetName(target), rng);
    MaxOnOneTarget<double>(hwy::TargetName(target), rng);
  }
  hwy::SetSupportedTargetsForTest(0);
}

struct Exercise {
  const char* id;
  void (*check)();
};

// In teaching order (the ids sort that way).
constexpr Exercise kExercises[] = {
    {"ch01.1.preactivation", Preactivation},
    {"ch01.2.sigmoid", Sigmoid},
    {"ch01.3.logistic_gradient", LogisticGradient},
    {"ch01.4.perceptron_update", PerceptronUpdate},
    {"ch02.1.forward", Forward},
    {"ch02.2.xnor", Xnor},
    {"ch02.3.softmax", Softmax},
    {"ch02.4.cross_entropy", CrossEntropy},
    {"ch03.1.backward", Backward},
    {"ch03.2.numeric_gradient", NumericGradient},
    {"ch03.3.momentum", Momentum},
    {"ch03.4.adam", Adam},
    {"ch04.1.lookup", Lookup},
    {"ch04.2.hidden", Hidden},
    {"ch04.3.hidden_backward", HiddenBackward},
    {"ch04.4.scatter_add", ScatterAdd},
    {"ch04.5.kneser_ney", KneserNey},
    {"ch05.1.ppmi", PpmiCheck},
    {"ch05.2.neighbours", Neighbours},
    {"ch05.3.sgns_step", Sgns},
    {"ch05.4.spearman", Spearman},
    {"kernels.1.max", MaxKernel},
};

int Grade(const Exercise& e) {
  try {
    e.check();
    std::puts("passed");
    return 0;
  } catch (const Failed& f) {
    std::printf("failed: %s\n", f.message.c_str());
    return 1;
  } catch (const ExerciseNotDone& n) {
    if (n.id() == e.id) {
      std::printf("not done yet: %s\n", n.what());
      return 10;
    }
    std::printf("needs an earlier exercise: %s\n", n.what());
    return 11;
  } catch (const std::exception& x) {
    std::printf("failed: threw an exception: %s\n", x.what());
    return 1;
  }
}

}  // namespace
}  // namespace ffnn::grading

int main(int argc, char** argv) {
  using ffnn::grading::kExercises;
  if (argc == 2 && std::strcmp(argv[1], "--list") == 0) {
    for (const auto& e : kExercises) std::puts(e.id);
    return 0;
  }
  if (argc != 2) {
    std::fputs("ffnn-grade: error: usage: ffnn-grade --list | ffnn-grade ID\n",
               stderr);
    return 2;
  }
  for (const auto& e : kExercises) {
    if (std::strcmp(argv[1], e.id) == 0) return ffnn::grading::Grade(e);
  }
  std::fprintf(stderr, "ffnn-grade: error: no exercise '%s' (see --list)\n",
               argv[1]);
  return 2;
}
