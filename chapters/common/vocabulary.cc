#include "chapters/common/vocabulary.h"

#include <algorithm>

#include "chapters/common/errors.h"

namespace ffnn::chapters {

Vocabulary::Vocabulary(const std::vector<Sentence>& train, int min_count) {
  std::unordered_map<std::string, std::int64_t> counts;
  for (const Sentence& s : train) {
    for (const std::string& w : s) ++counts[w];
  }
  // <unk> counts every word left out (rare, or spelled "<unk>" or "</s>").
  std::int64_t unk = 0;
  for (const auto& [w, c] : counts) {
    if (c < min_count || w == kUnk || w == kEos) unk += c;
  }
  std::vector<std::pair<std::string, std::int64_t>> kept;
  for (auto& wc : RankWords(counts, min_count)) {
    if (wc.first != kUnk && wc.first != kEos) kept.push_back(std::move(wc));
  }
  kept.insert(kept.begin(),
              {{kUnk, unk}, {kEos, static_cast<std::int64_t>(train.size())}});
  *this = Vocabulary(std::move(kept));
}

Vocabulary::Vocabulary(
    std::vector<std::pair<std::string, std::int64_t>> words) {
  if (words.size() < 2 || words[0].first != kUnk || words[1].first != kEos) {
    throw InputError("vocabulary: must start with <unk> and </s>");
  }
  for (auto& [w, c] : words) {
    if (!ids_.emplace(w, static_cast<std::int32_t>(words_.size())).second) {
      throw InputError("vocabulary: '" + w + "' appears twice");
    }
    words_.push_back(std::move(w));
    counts_.push_back(c);
  }
}

std::int32_t Vocabulary::Id(const std::string& word) const {
  const auto it = ids_.find(word);
  return it == ids_.end() ? 0 : it->second;
}

}  // namespace ffnn::chapters
