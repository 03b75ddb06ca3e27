// Word classes: word2vec.c's -classes K, k-means on the trained word vectors
// with its choices: word i starts in class i mod K, each of 10 rounds
// averages every class's vectors (the count starting at 1, as word2vec.c's
// does) and scales the centroid to unit length, then moves every word to
// the class whose centroid has the largest dot product with its vector
// (the first such class on a tie). Nothing is random: the classes depend
// only on the vectors (and so on training's seed).
#ifndef FFNN_CH05_WORD_CLASSES_H_
#define FFNN_CH05_WORD_CLASSES_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace ffnn::ch05 {

inline constexpr int kClassRounds = 10;  // word2vec.c's iter

// The class of each of the V rows of vectors (V, d), in [0, K). Throws
// std::invalid_argument unless 1 <= K <= V. The V x K dot products of each
// round are one gemm on the kernels.
std::vector<std::int32_t> WordClasses(std::span<const float> vectors,
                                      std::size_t V, std::size_t d, int K,
                                      int threads = 1);

// word2vec.c's output: "word class" per line.
std::string ClassesText(const std::vector<std::string>& words,
                        const std::vector<std::int32_t>& classes);

}  // namespace ffnn::ch05

#endif  // FFNN_CH05_WORD_CLASSES_H_
