// The vocabulary: the words kept for a model, by decreasing count, ties in
// byte order, so that ids are the same on every machine. One builder for
// every chapter (the NPLM's vocabulary with <unk> and </s>, word2vec's and
// the classifier's without).
#ifndef FFNN_CHAPTERS_COMMON_VOCABULARY_H_
#define FFNN_CHAPTERS_COMMON_VOCABULARY_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "chapters/common/text.h"

namespace ffnn::chapters {

inline constexpr const char* kUnk = "<unk>";
inline constexpr const char* kEos = "</s>";

// The words counted at least min_count times, by decreasing count, ties in
// byte order: the one ranking of every vocabulary. counts maps a word
// (std::string or std::string_view) to its count.
template <class Counts>
std::vector<std::pair<std::string, std::int64_t>> RankWords(
    const Counts& counts, std::int64_t min_count) {
  std::vector<std::pair<std::string, std::int64_t>> kept;
  for (const auto& [word, n] : counts) {
    if (n >= min_count) kept.emplace_back(std::string(word), n);
  }
  std::sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  return kept;
}

// A vocabulary: id 0 is <unk>, id 1 is </s>, then the words of the training
// sentences seen at least min_count times, by decreasing count (ties in
// byte order), so ids are deterministic.
class Vocabulary {
 public:
  Vocabulary(const std::vector<Sentence>& train, int min_count);
  // From (word, count) pairs in id order, as vocab.txt stores them.
  explicit Vocabulary(std::vector<std::pair<std::string, std::int64_t>> words);

  std::size_t size() const { return words_.size(); }
  std::int32_t Id(const std::string& word) const;  // <unk> if unknown
  const std::string& Word(std::int32_t id) const { return words_[id]; }
  std::int64_t Count(std::int32_t id) const { return counts_[id]; }

 private:
  std::vector<std::string> words_;
  std::vector<std::int64_t> counts_;  // in the training sentences
  std::unordered_map<std::string, std::int32_t> ids_;
};

}  // namespace ffnn::chapters

#endif  // FFNN_CHAPTERS_COMMON_VOCABULARY_H_
