#include "chapters/05_word2vec/huffman.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <string>

namespace ffnn::ch05 {

namespace {

// The merges, on node counts: leaves 0..V-1 by falling count, inner node
// V + a the a-th merge. Fills each node's parent and whether it is the
// second child (binary, its code).
//! [huffman]
void MergeSmallestTwo(std::vector<std::int64_t>& count,
                      std::vector<std::size_t>& parent,
                      std::vector<std::uint8_t>& binary, std::size_t V) {
  // Two queues, both in increasing count: the leaves read from the end
  // (leaf), the inner nodes in the order they are made (inner).
  std::ptrdiff_t leaf = std::ptrdiff_t(V) - 1;
  std::size_t inner = V;
  auto smallest = [&](std::size_t made) {
    if (leaf >= 0 && (inner >= made || count[leaf] < count[inner])) {
      return std::size_t(leaf--);
    }
    return inner++;
  };
  for (std::size_t a = 0; a + 1 < V; ++a) {
    const std::size_t made = V + a;  // inner nodes [V, made) exist
    const std::size_t min1 = smallest(made), min2 = smallest(made);
    count[made] = count[min1] + count[min2];
    parent[min1] = parent[min2] = made;
    binary[min2] = 1;  // the larger is the second child
  }
}
//! [huffman]

}  // namespace

HuffmanTree BuildHuffmanTree(std::span<const std::int64_t> counts) {
  const std::size_t V = counts.size();
  if (V < 2) {
    throw std::invalid_argument(
        "BuildHuffmanTree: a tree needs at least 2 words");
  }
  for (std::size_t w = 0; w < V; ++w) {
    if (counts[w] < 0) {
      throw std::invalid_argument("BuildHuffmanTree: word " +
                                  std::to_string(w) + " has count " +
                                  std::to_string(counts[w]));
    }
  }
  std::vector<std::size_t> order(V);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(
      order.begin(), order.end(),
      [&](std::size_t a, std::size_t b) { return counts[a] > counts[b]; });
  std::vector<std::int64_t> count(2 * V - 1);
  for (std::size_t i = 0; i < V; ++i) count[i] = counts[order[i]];
  std::vector<std::size_t> parent(2 * V - 1);
  std::vector<std::uint8_t> binary(2 * V - 1, 0);
  MergeSmallestTwo(count, parent, binary, V);
  // Each word's path, read from its leaf up, appended root first in id
  // order.
  std::vector<std::size_t> leaf(V);  // word -> its leaf
  for (std::size_t i = 0; i < V; ++i) leaf[order[i]] = i;
  const std::size_t root = 2 * V - 2;
  HuffmanTree t;
  t.begin.push_back(0);
  for (std::size_t w = 0; w < V; ++w) {
    for (std::size_t n = leaf[w]; n != root; n = parent[n]) {
      t.codes.push_back(binary[n]);
      t.points.push_back(static_cast<std::int32_t>(parent[n] - V));
    }
    std::reverse(t.codes.begin() + std::ptrdiff_t(t.begin.back()),
                 t.codes.end());
    std::reverse(t.points.begin() + std::ptrdiff_t(t.begin.back()),
                 t.points.end());
    t.max_length = std::max(t.max_length, t.points.size() - t.begin.back());
    t.begin.push_back(t.points.size());
  }
  return t;
}

}  // namespace ffnn::ch05
