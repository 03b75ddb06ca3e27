// The NPLM interpolated with Kneser-Ney: the two models err on different
// tokens, so a weighted average of their probabilities beats both.
#ifndef FFNN_CH04_MIXTURE_H_
#define FFNN_CH04_MIXTURE_H_

#include <cstdint>
#include <span>

#include "chapters/04_neural_lm/nplm.h"

namespace ffnn::ch04 {

// Interpolation with another model's per-token probabilities q:
// p = lambda p_nplm + (1 - lambda) q. Returns the perplexity for lambda.
double MixedPerplexity(std::span<const double> log_p_nplm,
                       std::span<const double> q, double lambda);

// The lambda in {0, 0.01, ..., 1} of lowest mixed perplexity.
double TuneLambda(std::span<const double> log_p_nplm,
                  std::span<const double> q);

// The NPLM interpolated with another model (Kneser-Ney), given that model's
// per-token probabilities of the scored tokens of the validation and test
// streams: lambda tuned on validation, every perplexity on both.
struct Mixture {
  double lambda = 0;
  double nplm_valid_ppl = 0, nplm_test_ppl = 0;  // lambda = 1
  double other_valid_ppl = 0, other_test_ppl = 0;
  double mix_valid_ppl = 0, mix_test_ppl = 0;
};
Mixture Interpolate(const NplmParams<float>& p,
                    std::span<const std::int32_t> valid,
                    std::span<const std::int32_t> test,
                    std::span<const double> other_valid,
                    std::span<const double> other_test, int threads);

}  // namespace ffnn::ch04

#endif  // FFNN_CH04_MIXTURE_H_
