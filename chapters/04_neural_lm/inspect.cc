#include "chapters/04_neural_lm/inspect.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>

#include "chapters/common/corpus.h"
#include "chapters/common/cosine.h"
#include "chapters/common/top_k.h"

namespace ffnn::ch04 {

std::span<const float> Embedding(const NplmParams<float>& p, std::int32_t w) {
  const std::size_t d = p.shape.dim;
  return std::span<const float>(p.C).subspan(static_cast<std::size_t>(w) * d,
                                             d);
}

std::vector<std::pair<std::int32_t, double>> Neighbours(
    const NplmParams<float>& p, std::int32_t w, std::size_t k) {
  const std::size_t V = p.shape.vocab;
  if (w < 0 || static_cast<std::size_t>(w) >= V) {
    throw std::invalid_argument("Neighbours: word id outside the vocabulary");
  }
  // w itself scores below every cosine (>= -1), so the k best of the
  // others are the k best of all when k < V.
  std::vector<double> cosine(V, -std::numeric_limits<double>::infinity());
  for (std::size_t i = 0; i < V; ++i) {
    const auto id = static_cast<std::int32_t>(i);
    if (id != w)
      cosine[i] = chapters::Cosine(Embedding(p, id), Embedding(p, w));
  }
  std::vector<std::pair<std::int32_t, double>> best;
  for (const std::int32_t id : chapters::TopK(cosine, std::min(k, V - 1))) {
    best.emplace_back(id, cosine[id]);
  }
  return best;
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

//! [forward_inference]
ForwardTrace TraceForward(const NplmParams<double>& p,
                          std::span<const std::int32_t> context,
                          std::int32_t target) {
  ForwardTrace t(p.shape);
  NplmWorkspace<double> ws;
  const std::vector<std::int32_t> targets = {target};
  t.loss = ForwardBackward<double>(p, context, targets, &t.grad, ws);
  t.e = ws.X;  // [E x_{t-3}; E x_{t-2}; E x_{t-1}]
  t.h = ws.H;  // tanh(W e + b)
  // ForwardBackward leaves softmax(z) - e_target in Z.
  t.y_hat.assign(ws.Z.begin(), ws.Z.end());
  t.y_hat[static_cast<std::size_t>(target)] += 1;
  return t;
}
//! [forward_inference]

//! [similar_words]
TwoModels TrainTwoModels(const std::vector<Sentence>& sentences,
                         NplmShape shape, const TrainConfig& config,
                         int repeats, int kn_order) {
  Vocabulary vocab(sentences, 1);
  const auto stream = chapters::ToStream(sentences, vocab);
  shape.vocab = vocab.size();
  TrainState state(shape);
  state.config = config;
  Initialize(state.params, config.seed);
  std::vector<std::int32_t> train;
  for (int i = 0; i < repeats; ++i) {
    train.insert(train.end(), stream.begin(), stream.end());
  }
  Train(state, train, stream, 1, nullptr, nullptr);
  KneserNey kn(stream, vocab.size(), kn_order);
  return {std::move(vocab), std::move(state), std::move(kn)};
}
//! [similar_words]

}  // namespace ffnn::ch04
