// Parameter updates of the optimizers, element-wise over flat parameter
// arrays (param, grad and the optimizer state all have the same length).
//
// Error contract: each update is a fixed sequence of correctly rounded
// operations (fused where noted), so each element is within 4 ulp of the same
// formula evaluated in the plain loop of reference/optim.h.
#ifndef FFNN_KERNELS_OPTIM_H_
#define FFNN_KERNELS_OPTIM_H_

#include <cstdint>
#include <span>

namespace ffnn::kernels {

// SGD: theta <- theta - lr g.
void SgdStep(float lr, std::span<const float> g, std::span<float> theta);
void SgdStep(double lr, std::span<const double> g, std::span<double> theta);

// Momentum (heavy ball, PyTorch's convention): v <- mu v + g;
// theta <- theta - lr v.
void MomentumStep(float lr, float mu, std::span<const float> g,
                  std::span<float> v, std::span<float> theta);
void MomentumStep(double lr, double mu, std::span<const double> g,
                  std::span<double> v, std::span<double> theta);

// Adam (Kingma & Ba 2015), step t >= 1:
//   m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2
//   theta <- theta - lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
void AdamStep(float lr, float b1, float b2, float eps, std::int64_t t,
              std::span<const float> g, std::span<float> m, std::span<float> v,
              std::span<float> theta);
void AdamStep(double lr, double b1, double b2, double eps, std::int64_t t,
              std::span<const double> g, std::span<double> m,
              std::span<double> v, std::span<double> theta);

}  // namespace ffnn::kernels

#endif  // FFNN_KERNELS_OPTIM_H_
