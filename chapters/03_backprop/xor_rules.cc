#include "chapters/03_backprop/xor_rules.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "chapters/common/random.h"

namespace ffnn::ch03 {
namespace {

double f(double z) { return 1 / (1 + std::exp(-z)); }
double fprime_from_output(double s) { return s * (1 - s); }  // f' = f(1 - f)

constexpr double kX[4][2] = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
constexpr double kY[4] = {0, 1, 1, 0};

}  // namespace

XorNet RandomXorNet(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  XorNet net;
  for (auto& row : net.w)
    for (double& x : row) x = chapters::UniformReal(rng, -1, 1);
  for (double& x : net.v) x = chapters::UniformReal(rng, -1, 1);
  return net;
}

double XorPredict(const XorNet& net, double x1, double x2) {
  const double x[3] = {1, x1, x2};
  double h[3] = {1, 0, 0};
  for (int k = 0; k < 2; ++k) {
    double z = 0;
    for (int j = 0; j < 3; ++j) z += net.w[k][j] * x[j];
    h[k + 1] = f(z);
  }
  double z = 0;
  for (int k = 0; k < 3; ++k) z += net.v[k] * h[k];
  return f(z);
}

double HalfSquaredError(const XorNet& net, double x1, double x2, double y) {
  const double d = y - XorPredict(net, x1, x2);
  return 0.5 * d * d;
}

//! [deck_rules]
XorNet DeckUpdate(const XorNet& net, double x1, double x2, double y,
                  double eta) {
  const double x[3] = {1, x1, x2};
  double h[3] = {1, 0, 0};  // h_0 = 1 carries v's bias
  for (int k = 0; k < 2; ++k) {
    double z = 0;
    for (int j = 0; j < 3; ++j) z += net.w[k][j] * x[j];
    h[k + 1] = f(z);  // h_k = f(w_k . x)
  }
  double vh = 0;
  for (int k = 0; k < 3; ++k) vh += net.v[k] * h[k];
  const double yhat = f(vh);  // yhat = f(v . h)
  XorNet delta;
  for (int k = 0; k < 3; ++k) {
    // v_k <- v_k + eta h_k (y - yhat) f'(v . h)
    delta.v[k] = eta * h[k] * (y - yhat) * fprime_from_output(yhat);
  }
  for (int k = 0; k < 2; ++k) {
    for (int j = 0; j < 3; ++j) {
      // w_kj <- w_kj + eta x_j f'(w_k . x) v_k f'(v . h) (y - yhat)
      delta.w[k][j] = eta * x[j] * fprime_from_output(h[k + 1]) * net.v[k + 1] *
                      fprime_from_output(yhat) * (y - yhat);
    }
  }
  return delta;
}
//! [deck_rules]

namespace {

void Apply(XorNet& net, const XorNet& delta, double scale) {
  for (int k = 0; k < 3; ++k) net.v[k] += scale * delta.v[k];
  for (int k = 0; k < 2; ++k)
    for (int j = 0; j < 3; ++j) net.w[k][j] += scale * delta.w[k][j];
}

bool Solved(const XorNet& net, double tolerance) {
  for (int i = 0; i < 4; ++i) {
    if (std::abs(kY[i] - XorPredict(net, kX[i][0], kX[i][1])) >= tolerance) {
      return false;
    }
  }
  return true;
}

}  // namespace

//! [online_vs_batch]
XorRun TrainXor(XorNet init, bool online, double eta, int max_epochs,
                double tolerance, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::array<int, 4> order = {0, 1, 2, 3};
  XorRun run;
  run.net = init;
  for (int epoch = 1; epoch <= max_epochs && !run.solved; ++epoch) {
    chapters::Shuffle(order.begin(), order.end(), rng);  // "randomly shuffle"
    XorNet accumulated;  // batch: one accumulator per weight, from 0
    for (int i : order) {
      const XorNet delta = DeckUpdate(run.net, kX[i][0], kX[i][1], kY[i], eta);
      if (online) {
        Apply(run.net, delta, 1.0);  // update after each example
      } else {
        Apply(accumulated, delta, 1.0);
      }
    }
    if (!online) Apply(run.net, accumulated, 1.0 / 4);  // divide by n
    double loss = 0;
    for (int i = 0; i < 4; ++i) {
      loss += HalfSquaredError(run.net, kX[i][0], kX[i][1], kY[i]);
    }
    if (!std::isfinite(loss)) break;  // diverged: stop and report
    run.loss.push_back(loss);
    run.epochs = epoch;
    run.solved = Solved(run.net, tolerance);
  }
  return run;
}
//! [online_vs_batch]

}  // namespace ffnn::ch03
