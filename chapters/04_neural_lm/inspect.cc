#include "chapters/04_neural_lm/inspect.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>

namespace ffnn::ch04 {

double Cosine(const NplmParams<float>& p, std::int32_t a, std::int32_t b) {
  const std::size_t d = p.shape.dim;
  const float* x = p.C.data() + static_cast<std::size_t>(a) * d;
  const float* y = p.C.data() + static_cast<std::size_t>(b) * d;
  double xy = 0, xx = 0, yy = 0;
  for (std::size_t i = 0; i < d; ++i) {
    xy += double(x[i]) * y[i];
    xx += double(x[i]) * x[i];
    yy += double(y[i]) * y[i];
  }
  return xx > 0 && yy > 0 ? xy / std::sqrt(xx * yy) : 0.0;
}

std::vector<std::pair<std::int32_t, double>> Neighbours(
    const NplmParams<float>& p, std::int32_t w, std::size_t k) {
  const std::size_t V = p.shape.vocab;
  if (w < 0 || static_cast<std::size_t>(w) >= V) {
    throw std::invalid_argument("Neighbours: word id outside the vocabulary");
  }
  std::vector<std::pair<std::int32_t, double>> all;
  for (std::size_t i = 0; i < V; ++i) {
    const auto id = static_cast<std::int32_t>(i);
    if (id != w) all.emplace_back(id, Cosine(p, id, w));
  }
  k = std::min(k, all.size());
  std::partial_sort(all.begin(), all.begin() + k, all.end(),
                    [](const auto& a, const auto& b) {
                      return a.second != b.second ? a.second > b.second
                                                  : a.first < b.first;
                    });
  all.resize(k);
  return all;
}

std::vector<double> NextWordDistribution(const NplmParams<float>& p,
                                         std::span<const std::int32_t> context,
                                         double temperature) {
  if (!(temperature > 0) || !std::isfinite(temperature)) {
    throw std::invalid_argument("the temperature must be a positive number");
  }
  const std::size_t n = p.shape.context, V = p.shape.vocab;
  std::vector<std::int32_t> ctx(n, 1);  // </s> padding
  const std::size_t have = std::min(n, context.size());
  std::copy(context.end() - have, context.end(), ctx.end() - have);
  NplmWorkspace<float> ws;
  Forward<float>(p, ctx, 1, ws);
  // LoadCheckpoint refuses models whose logits can overflow
  // (CheckForwardPass); this catches any other way to one.
  for (const float z : ws.Z) {
    if (!std::isfinite(z)) {
      throw std::runtime_error(
          "the model's forward pass overflows float arithmetic");
    }
  }
  // softmax(z / t) in double, max-shifted.
  const double m = *std::max_element(ws.Z.begin(), ws.Z.end());
  std::vector<double> prob(V);
  double sum = 0;
  for (std::size_t v = 0; v < V; ++v) {
    sum += prob[v] = std::exp((double(ws.Z[v]) - m) / temperature);
  }
  for (double& q : prob) q /= sum;
  return prob;
}

std::vector<std::int32_t> Sample(const NplmParams<float>& p,
                                 std::vector<std::int32_t> context,
                                 std::size_t length, double temperature,
                                 std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::int32_t> out;
  for (std::size_t i = 0; i < length; ++i) {
    const auto prob = NextWordDistribution(p, context, temperature);
    std::discrete_distribution<std::int32_t> pick(prob.begin(), prob.end());
    const std::int32_t w = pick(rng);
    out.push_back(w);
    context.push_back(w);
  }
  return out;
}

}  // namespace ffnn::ch04
