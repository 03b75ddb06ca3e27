// Looking inside a trained model: nearest neighbours in the embedding
// table, the distribution of the next word, and sampled text.
#ifndef FFNN_CH04_INSPECT_H_
#define FFNN_CH04_INSPECT_H_

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "chapters/04_neural_lm/nplm.h"

namespace ffnn::ch04 {

// The cosine of the embeddings of words a and b (0 if either is the zero
// vector), computed in double.
double Cosine(const NplmParams<float>& p, std::int32_t a, std::int32_t b);

// The k words whose embeddings have the largest cosine with word w's (w
// itself left out), best first: (id, cosine). Words with a zero vector
// have cosine 0.
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

}  // namespace ffnn::ch04

#endif  // FFNN_CH04_INSPECT_H_
