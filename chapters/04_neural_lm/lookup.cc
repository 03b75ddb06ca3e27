#include "chapters/04_neural_lm/lookup.h"

#include "kernels/blas.h"
#include "kernels/embedding.h"

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
  // The kernels store C^T, one row per word, and copy the row.
  std::vector<double> row(d);
  const std::vector<std::int32_t> id = {word};
  k::EmbeddingGather(k::ConstMatView<double>(table.data(), V, d), id,
                     k::MatView<double>(row.data(), 1, d));
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
