#include "chapters/05_word2vec/word_classes.h"

#include <cmath>
#include <stdexcept>

#include "kernels/gemm.h"

namespace ffnn::ch05 {

std::vector<std::int32_t> WordClasses(std::span<const float> vectors,
                                      std::size_t V, std::size_t d, int K,
                                      int threads) {
  if (K < 1 || static_cast<std::size_t>(K) > V) {
    throw std::invalid_argument("-classes " + std::to_string(K) +
                                " must be from 1 to the " + std::to_string(V) +
                                " words of the vocabulary");
  }
  if (vectors.size() != V * d) {
    throw std::invalid_argument("WordClasses: vectors of the wrong size");
  }
  const auto k = static_cast<std::size_t>(K);
  std::vector<std::int32_t> cl(V);
  for (std::size_t i = 0; i < V; ++i) cl[i] = static_cast<std::int32_t>(i % k);
  std::vector<float> centroids(k * d), scores(V * k);  // (K, d), (V, K)
  std::vector<double> sum(k * d);
  std::vector<std::int64_t> members(k);
  //! [word_classes]
  for (int round = 0; round < kClassRounds; ++round) {
    // Each centroid: the sum of its words' vectors over 1 + their number,
    // scaled to unit length (word2vec.c's; an empty class stays 0).
    std::fill(sum.begin(), sum.end(), 0.0);
    std::fill(members.begin(), members.end(), 1);
    for (std::size_t i = 0; i < V; ++i) {
      const std::size_t c = static_cast<std::size_t>(cl[i]);
      for (std::size_t j = 0; j < d; ++j) sum[c * d + j] += vectors[i * d + j];
      ++members[c];
    }
    for (std::size_t c = 0; c < k; ++c) {
      double norm = 0;
      for (std::size_t j = 0; j < d; ++j) {
        sum[c * d + j] /= static_cast<double>(members[c]);
        norm += sum[c * d + j] * sum[c * d + j];
      }
      norm = std::sqrt(norm);
      for (std::size_t j = 0; j < d; ++j) {
        centroids[c * d + j] =
            norm > 0 ? static_cast<float>(sum[c * d + j] / norm) : 0.0f;
      }
    }
    // scores = vectors centroids^T: (V, d) (d, K); each word to its best.
    kernels::Gemm(1.0f, kernels::ConstMatView<float>(vectors.data(), V, d),
                  kernels::Trans::kNo,
                  kernels::ConstMatView<float>(centroids.data(), k, d),
                  kernels::Trans::kYes, 0.0f,
                  kernels::MatView<float>(scores.data(), V, k), threads);
    for (std::size_t i = 0; i < V; ++i) {
      std::size_t best = 0;
      for (std::size_t c = 1; c < k; ++c) {
        if (scores[i * k + c] > scores[i * k + best]) best = c;
      }
      cl[i] = static_cast<std::int32_t>(best);
    }
  }
  //! [word_classes]
  return cl;
}

std::string ClassesText(const std::vector<std::string>& words,
                        const std::vector<std::int32_t>& classes) {
  std::string out;
  for (std::size_t i = 0; i < words.size() && i < classes.size(); ++i) {
    out += words[i] + " " + std::to_string(classes[i]) + "\n";
  }
  return out;
}

}  // namespace ffnn::ch05
