// The Huffman tree of hierarchical softmax (word2vec.c's CreateBinaryTree):
// every word a leaf, frequent words near the root, so that the expected path
// length sum_w p(w) len(w) is the smallest any binary tree allows and a step
// costs about log2 V node updates for rare words and fewer for frequent
// ones.
#ifndef FFNN_CH05_HUFFMAN_H_
#define FFNN_CH05_HUFFMAN_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace ffnn::ch05 {

// Each word's path from the root: the inner nodes it passes (points, ids in
// [0, V - 1), the root V - 2) and the branch taken at each (codes: 0 the
// first child, 1 the second), word2vec.c's `point` and `code`.
struct HuffmanTree {
  std::vector<std::int32_t> points;  // every word's path, one after another
  std::vector<std::uint8_t> codes;   // (points.size())
  std::vector<std::size_t> begin;    // (V + 1): word w's path is [begin[w],
                                     // begin[w + 1])
  std::size_t max_length = 0;
  std::span<const std::int32_t> Points(std::size_t w) const {
    return {points.data() + begin[w], begin[w + 1] - begin[w]};
  }
  std::span<const std::uint8_t> Codes(std::size_t w) const {
    return {codes.data() + begin[w], begin[w + 1] - begin[w]};
  }
};

// word2vec.c's construction, for V >= 2 counts (>= 0) in any order: the
// words sorted by count, most frequent first (ties by id), then two queues,
// the leaves and the new inner nodes, each merge taking the two smallest
// (an inner node before a leaf of the same count), the smaller the first
// child (code 0). Throws std::invalid_argument for fewer than 2 words or a
// negative count.
HuffmanTree BuildHuffmanTree(std::span<const std::int64_t> counts);

}  // namespace ffnn::ch05

#endif  // FFNN_CH05_HUFFMAN_H_
