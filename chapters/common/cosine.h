// The cosine similarity of two vectors: the one cosine of the chapters
// (nearest neighbours in the NPLM's embedding table, word2vec's vectors,
// the co-occurrence spaces, word-similarity evaluation).
#ifndef FFNN_CHAPTERS_COMMON_COSINE_H_
#define FFNN_CHAPTERS_COMMON_COSINE_H_

#include <cmath>
#include <cstddef>
#include <span>

#include "kernels/blas.h"

namespace ffnn::chapters {

// cos(a, b) = a·b / (|a| |b|), and 0 when either vector is zero (it has no
// direction). Vectors of doubles go through the SIMD dot product.
inline double Cosine(std::span<const double> a, std::span<const double> b) {
  const double na = std::sqrt(kernels::Dot(a, a)),
               nb = std::sqrt(kernels::Dot(b, b));
  return na > 0 && nb > 0 ? kernels::Dot(a, b) / (na * nb) : 0.0;
}

// Rows of a float table are widened term by term and summed in double, in
// order: the float dot product would lose digits over d terms, and a
// word's cosine with itself must be 1 to double precision.
inline double Cosine(std::span<const float> a, std::span<const float> b) {
  double ab = 0, aa = 0, bb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    ab += double(a[i]) * b[i];
    aa += double(a[i]) * a[i];
    bb += double(b[i]) * b[i];
  }
  return aa > 0 && bb > 0 ? ab / std::sqrt(aa * bb) : 0.0;
}

}  // namespace ffnn::chapters

#endif  // FFNN_CHAPTERS_COMMON_COSINE_H_
