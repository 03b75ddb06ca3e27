#include "chapters/05_word2vec/sampling.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace ffnn::ch05 {

AliasTable::AliasTable(std::span<const double> weights)
    : prob_(weights.size()), alias_(weights.size()) {
  double total = 0;
  for (const double w : weights) {
    if (!(w >= 0) || !std::isfinite(w)) {
      throw std::invalid_argument(
          "AliasTable: a weight is negative or not "
          "finite");
    }
    total += w;
  }
  if (weights.empty() || !(total > 0)) {
    throw std::invalid_argument("AliasTable: no positive weight");
  }
  // Scaled so that the average column holds exactly 1; columns below 1 are
  // topped up from one column above 1, which then gives away the rest.
  const double n = static_cast<double>(weights.size());
  std::vector<double> scaled(weights.size());
  std::vector<std::int32_t> small, large;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    scaled[i] = weights[i] * n / total;
    (scaled[i] < 1 ? small : large).push_back(static_cast<std::int32_t>(i));
  }
  while (!small.empty() && !large.empty()) {
    const std::int32_t s = small.back(), l = large.back();
    small.pop_back();
    prob_[s] = scaled[s];
    alias_[s] = l;
    scaled[l] -= 1 - scaled[s];
    if (scaled[l] < 1) {
      large.pop_back();
      small.push_back(l);
    }
  }
  // What is left holds 1 up to rounding.
  for (const std::int32_t i : large) prob_[i] = 1, alias_[i] = i;
  for (const std::int32_t i : small) prob_[i] = 1, alias_[i] = i;
}

std::int32_t AliasTable::Draw(double u1, double u2) const {
  const auto i = std::min(prob_.size() - 1,
                          static_cast<std::size_t>(u1 * double(prob_.size())));
  return u2 < prob_[i] ? static_cast<std::int32_t>(i) : alias_[i];
}

double AliasTable::Probability(std::int32_t i) const {
  double p = prob_[i];
  for (std::size_t j = 0; j < alias_.size(); ++j) {
    if (alias_[j] == i && static_cast<std::int32_t>(j) != i) p += 1 - prob_[j];
  }
  return p / double(prob_.size());
}

std::vector<double> NoiseWeights(std::span<const std::int64_t> counts,
                                 double power) {
  std::vector<double> w(counts.size());
  for (std::size_t i = 0; i < counts.size(); ++i) {
    w[i] = std::pow(static_cast<double>(counts[i]), power);
  }
  return w;
}

//! [keep_probability]
double KeepProbability(std::int64_t count, std::int64_t total, double t) {
  if (t <= 0 || count <= 0) return 1.0;
  const double threshold = t * static_cast<double>(total);
  const double c = static_cast<double>(count);
  return std::min(1.0, (std::sqrt(c / threshold) + 1) * threshold / c);
}
//! [keep_probability]

}  // namespace ffnn::ch05
