#include "chapters/04_neural_lm/lookup.h"

#include "kernels/blas.h"
#include "kernels/embedding.h"
#include "kernels/exercise.h"  // the student pack's stubs

namespace ffnn::ch04 {
namespace k = ffnn::kernels;

//! [lookup_table]
std::vector<double> OneHotProduct(std::span<const double> C, std::size_t d,
                                  std::size_t V, std::int32_t word) {
  std::vector<double> w(V, 0.0), lt(d);
  w[static_cast<std::size_t>(word)] = 1;  // the one-hot vector of word
  // LT = C w: the product selects column `word` of C.
  k::Gemv(1.0, k::ConstMatView<double>(C.data(), d, V), k::Trans::kNo, w, 0.0,
          std::span<double>(lt));
  return lt;
}

std::vector<double> GatherRow(std::span<const double> table, std::size_t V,
                              std::size_t d, std::int32_t word) {
  std::vector<double> row(d);
  // Exercise 4.1: the embedding lookup (1 point).
  // Slide: Jurafsky & Martin, Neural Networks and Neural Language Models,
  //   slide 'Forward inference in a feedforward neural language model'
  //   (multiplying E by a one-hot vector selects a column).
  // Formula: C w for the one-hot vector w of `word` is column `word` of C
  //   (OneHotProduct computes it that way); the table stores C^T, one row
  //   of d values per word, so the lookup copies row `word` of the table
  //   into `row` without multiplying.
  // Shapes: table = C^T: (V, d), row-major; row: (d); 0 <= word < V.
  // Builds on: nothing.
  // BEGIN SOLUTION ch04.1.lookup
  // The kernels store C^T, one row per word, and copy the row.
  const std::vector<std::int32_t> id = {word};
  k::EmbeddingGather(k::ConstMatView<double>(table.data(), V, d), id,
                     k::MatView<double>(row.data(), 1, d));
  // END SOLUTION
  return row;
}
//! [lookup_table]

std::vector<double> Transposed(std::span<const double> C, std::size_t d,
                               std::size_t V) {
  std::vector<double> t(V * d);
  for (std::size_t i = 0; i < d; ++i)
    for (std::size_t j = 0; j < V; ++j) t[j * d + i] = C[i * V + j];
  return t;
}

}  // namespace ffnn::ch04
