// Reference versions of kernels/optim.h, as the update rules are written.
#ifndef FFNN_REFERENCE_OPTIM_H_
#define FFNN_REFERENCE_OPTIM_H_

#include <cmath>
#include <cstdint>

#include "reference/types.h"

namespace ffnn::reference {

// theta <- theta - lr g
template <class S>
void SgdStep(S lr, VecIn<S> g, VecOut<S> theta) {
  theta -= lr * g;
}

// v <- mu v + g; theta <- theta - lr v
template <class S>
void MomentumStep(S lr, S mu, VecIn<S> g, VecOut<S> v, VecOut<S> theta) {
  v = mu * v + g;
  theta -= lr * v;
}

//! [adam]
// m <- b1 m + (1 - b1) g;   v <- b2 v + (1 - b2) g^2
// m_hat = m / (1 - b1^t);   v_hat = v / (1 - b2^t)
// theta <- theta - lr m_hat / (sqrt(v_hat) + eps)
template <class S>
void AdamStep(S lr, S b1, S b2, S eps, std::int64_t t, VecIn<S> g, VecOut<S> m,
              VecOut<S> v, VecOut<S> theta) {
  m = b1 * m + (S(1) - b1) * g;
  v = b2 * v + (S(1) - b2) * g.cwiseProduct(g);
  const S bc1 = S(1) - std::pow(b1, S(t));
  const S bc2 = S(1) - std::pow(b2, S(t));
  theta.array() -= lr * (m.array() / bc1) / ((v.array() / bc2).sqrt() + eps);
}
//! [adam]

}  // namespace ffnn::reference

#endif  // FFNN_REFERENCE_OPTIM_H_
