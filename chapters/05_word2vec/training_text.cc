#include "chapters/05_word2vec/training_text.h"

#include <filesystem>
#include <stdexcept>
#include <unordered_map>

#include "chapters/common/files.h"
#include "chapters/common/text.h"
#include "chapters/common/vocabulary.h"

namespace ffnn::ch05 {
// Two passes over the text, so that memory follows the words, not the
// lines: the first counts the words, the second keeps the sentences that
// hold a kept word, as ids. (A list of every line's tokens made 38 MiB of
// empty lines take 1.6 GB.)
TrainingText ParseTrainingText(std::string_view text, int min_count,
                               const std::string& name) {
  std::unordered_map<std::string_view, std::int64_t> count;
  ScanText(
      text, [&](std::string_view w) { ++count[w]; }, [] {});
  TrainingText t;
  for (const auto& [w, n] : count) t.tokens += static_cast<std::size_t>(n);
  if (t.tokens == 0) throw std::runtime_error(name + ": no words");
  const auto kept = chapters::RankWords(count, min_count);
  if (kept.size() < 2) {
    throw std::runtime_error(name + ": fewer than two words occur at least " +
                             std::to_string(min_count) + " times");
  }
  for (const auto& [w, n] : kept) {
    t.words.push_back(w);
    t.counts.push_back(n);
  }
  // Keys view t.words, which no longer grows.
  std::unordered_map<std::string_view, std::int32_t> id;
  for (std::size_t i = 0; i < t.words.size(); ++i) {
    id.emplace(t.words[i], static_cast<std::int32_t>(i));
  }
  std::vector<std::int32_t> sentence;
  ScanText(
      text,
      [&](std::string_view w) {
        const auto it = id.find(w);
        if (it != id.end()) sentence.push_back(it->second);
      },
      [&] {
        if (!sentence.empty()) t.sentences.push_back(sentence);
        sentence.clear();
      });
  return t;
}

std::string ReadCheckedText(const std::string& path,
                            const chapters::MemoryBudget& budget) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec) chapters::RequireMemory(size, "the training text " + path, budget);
  std::string text = chapters::ReadFileBounded(path, std::uintmax_t{4} << 30);
  chapters::CheckUtf8(text, path);
  return text;
}

TrainingText ReadTrainingText(const std::string& path, int min_count,
                              const chapters::MemoryBudget& budget) {
  return ParseTrainingText(ReadCheckedText(path, budget), min_count, path);
}

}  // namespace ffnn::ch05
