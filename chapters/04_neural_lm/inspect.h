// Looking inside a trained model: nearest neighbours in the embedding
// table, the distribution of the next word, and sampled text.
#ifndef FFNN_CH04_INSPECT_H_
#define FFNN_CH04_INSPECT_H_

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "chapters/04_neural_lm/kneser_ney.h"
#include "chapters/04_neural_lm/lm_corpus.h"
#include "chapters/04_neural_lm/nplm.h"
#include "chapters/04_neural_lm/train.h"

namespace ffnn::ch04 {

// Word w's row of the embedding table C: (d).
std::span<const float> Embedding(const NplmParams<float>& p, std::int32_t w);

// The k words whose embeddings have the largest cosine
// (chapters::Cosine) with word w's (w itself left out), best first, ties
// to the smaller id: (id, cosine). Words with a zero vector have cosine 0.
std::vector<std::pair<std::int32_t, double>> Neighbours(
    const NplmParams<float>& p, std::int32_t w, std::size_t k);

// p(next word | context) over the whole vocabulary, in double, at
// temperature t > 0 (softmax(z / t)). context holds the last n word ids;
// a shorter one is padded on the left with </s> (id 1), as at a sentence
// start.
std::vector<double> NextWordDistribution(const NplmParams<float>& p,
                                         std::span<const std::int32_t> context,
                                         double temperature = 1.0);

// `length` words drawn one at a time from NextWordDistribution, each
// appended to the context; the same seed gives the same words.
std::vector<std::int32_t> Sample(const NplmParams<float>& p,
                                 std::vector<std::int32_t> context,
                                 std::size_t length, double temperature,
                                 std::uint64_t seed);

// J&M's forward inference for one context, every vector kept: e (n d),
// h (h), y_hat = softmax(z) (V), the loss -log y_hat[target], and the
// gradient of the loss for every parameter.
struct ForwardTrace {
  explicit ForwardTrace(const NplmShape& shape) : grad(shape) {}
  std::vector<double> e, h, y_hat;
  double loss = 0;
  NplmParams<double> grad;
};
ForwardTrace TraceForward(const NplmParams<double>& p,
                          std::span<const std::int32_t> context,
                          std::int32_t target);

// A small NPLM and Kneser-Ney of `kn_order` trained on the same sentences
// (J&M's argument for embeddings, worked): the vocabulary keeps every
// word, the NPLM trains on the stream repeated `repeats` times so that an
// epoch is long enough to shuffle, with `shape` (its vocabulary size set
// here) and `config`, initialized from config.seed.
struct TwoModels {
  Vocabulary vocab;
  TrainState nplm;
  KneserNey kn;
};
TwoModels TrainTwoModels(const std::vector<Sentence>& sentences,
                         NplmShape shape, const TrainConfig& config,
                         int repeats, int kn_order);

}  // namespace ffnn::ch04

#endif  // FFNN_CH04_INSPECT_H_
