// The embedding lookup two ways: as the decks write it, the product of the
// table with a one-hot vector, and as the kernels do it, a copy of one row.
#ifndef FFNN_CH04_LOOKUP_H_
#define FFNN_CH04_LOOKUP_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace ffnn::ch04 {

// C w_word for the (d, V) table C (one COLUMN per word, as the LMU slide
// prints it, row-major) and the one-hot vector of `word`: (d).
std::vector<double> OneHotProduct(std::span<const double> C, std::size_t d,
                                  std::size_t V, std::int32_t word);

// Row `word` of the (V, d) table (one ROW per word, as the kernels store
// it), gathered with EmbeddingGather: no multiplication. (d).
std::vector<double> GatherRow(std::span<const double> table, std::size_t V,
                              std::size_t d, std::int32_t word);

// The (V, d) table of a (d, V) one: C transposed.
std::vector<double> Transposed(std::span<const double> C, std::size_t d,
                               std::size_t V);

}  // namespace ffnn::ch04

#endif  // FFNN_CH04_LOOKUP_H_
