#include "chapters/04_neural_lm/mixture.h"

#include <cmath>
#include <stdexcept>

#include "chapters/04_neural_lm/train.h"

namespace ffnn::ch04 {

//! [mix_kn]
double MixedPerplexity(std::span<const double> log_p_nplm,
                       std::span<const double> q, double lambda) {
  if (q.empty()) throw NothingToScore("MixedPerplexity: no scored token");
  double nll = 0;
  for (std::size_t i = 0; i < q.size(); ++i) {
    nll -= std::log(lambda * std::exp(log_p_nplm[i]) + (1 - lambda) * q[i]);
  }
  return std::exp(nll / double(q.size()));
}

double TuneLambda(std::span<const double> log_p_nplm,
                  std::span<const double> q) {
  double best = 0, best_ppl = MixedPerplexity(log_p_nplm, q, 0.0);
  for (int step = 1; step <= 100; ++step) {
    const double lambda = step / 100.0;
    const double ppl = MixedPerplexity(log_p_nplm, q, lambda);
    if (ppl < best_ppl) best = lambda, best_ppl = ppl;
  }
  return best;
}
//! [mix_kn]

Mixture Interpolate(const NplmParams<float>& p,
                    std::span<const std::int32_t> valid,
                    std::span<const std::int32_t> test,
                    std::span<const double> other_valid,
                    std::span<const double> other_test, int threads) {
  const auto lv = TokenLogProbs(p, valid, threads);
  const auto lt = TokenLogProbs(p, test, threads);
  if (lv.size() != other_valid.size() || lt.size() != other_test.size()) {
    throw std::invalid_argument("Interpolate: the models score other tokens");
  }
  Mixture m;
  m.lambda = TuneLambda(lv, other_valid);
  m.nplm_valid_ppl = MixedPerplexity(lv, other_valid, 1.0);
  m.nplm_test_ppl = MixedPerplexity(lt, other_test, 1.0);
  m.other_valid_ppl = MixedPerplexity(lv, other_valid, 0.0);
  m.other_test_ppl = MixedPerplexity(lt, other_test, 0.0);
  m.mix_valid_ppl = MixedPerplexity(lv, other_valid, m.lambda);
  m.mix_test_ppl = MixedPerplexity(lt, other_test, m.lambda);
  return m;
}

}  // namespace ffnn::ch04
