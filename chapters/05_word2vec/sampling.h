// The random choices of word2vec, as word2vec.c makes them but cheaper:
//  - negative samples from the unigram distribution raised to 3/4, drawn
//    from Vose's alias table (two array reads per draw, V entries) instead
//    of word2vec.c's table of 10^8 ints (400 MB, a cache miss per draw);
//  - frequent-word subsampling with word2vec.c's keep probability.
#ifndef FFNN_CH05_SAMPLING_H_
#define FFNN_CH05_SAMPLING_H_

#include <cstdint>
#include <span>
#include <vector>

namespace ffnn::ch05 {

// Draws index i with probability weight[i] / sum(weight) (Vose 1991).
class AliasTable {
 public:
  // weights: non-negative, finite, not all zero; else std::invalid_argument.
  explicit AliasTable(std::span<const double> weights);
  // u1, u2 uniform in [0, 1): the column, then the coin.
  std::int32_t Draw(double u1, double u2) const;
  // The exact probability the table gives index i (for the tests).
  double Probability(std::int32_t i) const;
  std::size_t size() const { return prob_.size(); }

 private:
  std::vector<double> prob_;         // keep column i with this probability
  std::vector<std::int32_t> alias_;  // else take alias_[i]
};

// word2vec's noise distribution: count^power normalized (power 0.75).
std::vector<double> NoiseWeights(std::span<const std::int64_t> counts,
                                 double power = 0.75);

// word2vec.c's probability of keeping an occurrence of a word of count c
// among `total` training words, with threshold t (-sample):
//   (sqrt(c / (t total)) + 1) (t total) / c, capped at 1; t = 0: always 1.
double KeepProbability(std::int64_t count, std::int64_t total, double t);

}  // namespace ffnn::ch05

#endif  // FFNN_CH05_SAMPLING_H_
