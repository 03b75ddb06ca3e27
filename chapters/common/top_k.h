// The k best of a list of scores: the one top-k of the tools (predicted
// words, nearest neighbours).
#ifndef FFNN_CHAPTERS_COMMON_TOP_K_H_
#define FFNN_CHAPTERS_COMMON_TOP_K_H_

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <span>
#include <vector>

namespace ffnn::chapters {

// The indices of the k largest scores, best first, ties to the smaller
// index. k above the number of scores is capped at it (a --top 10 on a
// vocabulary of 5 lists 5).
inline std::vector<std::int32_t> TopK(std::span<const double> scores,
                                      std::size_t k) {
  std::vector<std::int32_t> ids(scores.size());
  std::iota(ids.begin(), ids.end(), 0);
  k = std::min(k, ids.size());
  std::partial_sort(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(k),
                    ids.end(), [&](std::int32_t a, std::int32_t b) {
                      return scores[a] != scores[b] ? scores[a] > scores[b]
                                                    : a < b;
                    });
  ids.resize(k);
  return ids;
}

}  // namespace ffnn::chapters

#endif  // FFNN_CHAPTERS_COMMON_TOP_K_H_
