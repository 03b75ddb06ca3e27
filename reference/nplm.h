// Reference version of chapter 4's neural language model (Bengio et al.
// 2003), one example at a time as the J&M deck writes it:
//   e = [C x_{t-n}; ...; C x_{t-1}]     (n d)   the context's embeddings
//   h = tanh(W e + b)                   (h)
//   z = U h + c (+ D e)                 (V)     D: the optional direct
//                                               connections
//   loss = -log softmax(z)_target = log sum_k e^(z_k) - z_target
// The oracle of the kernel implementation in the tests; templated on the
// scalar, so AutoDiffScalar runs through it too.
#ifndef FFNN_REFERENCE_NPLM_H_
#define FFNN_REFERENCE_NPLM_H_

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>

#include "reference/types.h"

namespace ffnn::reference {

template <class S>
struct NplmRef {
  Mat<S> C;  // (V, d)
  Mat<S> W;  // (h, n d)
  Vec<S> b;  // (h)
  Mat<S> U;  // (V, h)
  Vec<S> c;  // (V)
  Mat<S> D;  // (V, n d), or empty without direct connections
};

//! [nplm_reference]
// Mean over the batch of -log p(target | context); contexts holds the n ids
// of each example in a row, oldest first. With dropout, keep (B x h, row i
// for example i) multiplies h before the output layer: z = U (h * keep) + c.
template <class S>
S NplmLoss(const NplmRef<S>& p, std::span<const std::int32_t> contexts,
           std::span<const std::int32_t> targets,
           const Mat<S>* keep = nullptr) {
  using std::exp;
  using std::log;
  const std::size_t B = targets.size(), n = contexts.size() / B;
  const Eigen::Index d = p.C.cols();
  S total(0);
  for (std::size_t i = 0; i < B; ++i) {
    Vec<S> e(static_cast<Eigen::Index>(n) * d);
    for (std::size_t j = 0; j < n; ++j) {
      e.segment(static_cast<Eigen::Index>(j) * d, d) =
          p.C.row(contexts[i * n + j]).transpose();
    }
    Vec<S> h = (p.W * e + p.b).array().tanh().matrix();
    if (keep != nullptr) {
      h = h.cwiseProduct(keep->row(static_cast<Eigen::Index>(i)).transpose());
    }
    Vec<S> z = p.U * h + p.c;
    if (p.D.size() > 0) z += p.D * e;
    const S m = z.maxCoeff();
    total += m + log((z.array() - m).exp().sum()) - z[targets[i]];
  }
  return total / S(static_cast<double>(B));
}
//! [nplm_reference]

}  // namespace ffnn::reference

#endif  // FFNN_REFERENCE_NPLM_H_
