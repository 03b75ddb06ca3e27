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
  // Each leaf's path, read from the leaf up and stored root first.
  HuffmanTree t;
  std::vector<std::vector<std::int32_t>> points(V);
  std::vector<std::vector<std::uint8_t>> codes(V);
  const std::size_t root = 2 * V - 2;
  for (std::size_t i = 0; i < V; ++i) {
    const std::size_t w = order[i];
    for (std::size_t n = i; n != root; n = parent[n]) {
      codes[w].push_back(binary[n]);
      points[w].push_back(static_cast<std::int32_t>(parent[n] - V));
    }
    std::reverse(points[w].begin(), points[w].end());
    std::reverse(codes[w].begin(), codes[w].end());
  }
  t.begin.push_back(0);
  for (std::size_t w = 0; w < V; ++w) {
    t.points.insert(t.points.end(), points[w].begin(), points[w].end());
    t.codes.insert(t.codes.end(), codes[w].begin(), codes[w].end());
    t.begin.push_back(t.points.size());
    t.max_length = std::max(t.max_length, points[w].size());
  }
  return t;
}

}  // namespace ffnn::ch05
