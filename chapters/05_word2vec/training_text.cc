#include "chapters/05_word2vec/training_text.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "chapters/common/errors.h"
#include "chapters/common/files.h"
#include "chapters/common/text.h"
#include "chapters/common/vocabulary.h"

namespace ffnn::ch05 {
// Two passes over the text, so that memory follows the words, not the
// lines: the first counts the words, the second keeps the sentences that
// hold a kept word, as ids. (A list of every line's tokens made 38 MiB of
// empty lines take 1.6 GB.)
TrainingText ParseTrainingText(
    std::string_view text, int min_count, const std::string& name,
    const std::vector<std::pair<std::string, std::int64_t>>* vocabulary) {
  std::unordered_map<std::string_view, std::int64_t> count;
  ScanText(
      text, [&](std::string_view w) { ++count[w]; }, [] {});
  TrainingText t;
  for (const auto& [w, n] : count) t.tokens += static_cast<std::size_t>(n);
  t.line_ends =
      static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
  if (t.tokens == 0) throw std::runtime_error(name + ": no words");
  std::vector<std::pair<std::string, std::int64_t>> kept;
  if (vocabulary != nullptr) {
    std::unordered_map<std::string_view, std::int64_t> listed;
    for (const auto& [w, n] : *vocabulary) listed.emplace(w, n);
    kept = chapters::RankWords(listed, min_count);
  } else {
    kept = chapters::RankWords(count, min_count);
  }
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

TrainingText ReadTrainingText(
    const std::string& path, int min_count,
    const chapters::MemoryBudget& budget,
    const std::vector<std::pair<std::string, std::int64_t>>* vocabulary) {
  return ParseTrainingText(ReadCheckedText(path, budget), min_count, path,
                           vocabulary);
}

std::string VocabularyText(const TrainingText& t) {
  std::string out = "</s> " + std::to_string(t.line_ends) + "\n";
  for (std::size_t i = 0; i < t.words.size(); ++i) {
    out += t.words[i] + " " + std::to_string(t.counts[i]) + "\n";
  }
  return out;
}

std::vector<std::pair<std::string, std::int64_t>> ReadVocabulary(
    const std::string& path) {
  std::vector<std::pair<std::string, std::int64_t>> out;
  std::unordered_set<std::string> seen;
  chapters::ForEachLine(
      path, std::uintmax_t{1} << 30,
      [&](std::size_t line_no, std::string_view line) {
        const auto fail = [&](const std::string& what) {
          throw chapters::InputError(path + ":" + std::to_string(line_no) +
                                     ": " + what);
        };
        const std::size_t space = line.find(' ');
        if (space == 0 || space == std::string_view::npos ||
            line.find_first_of(" \t", space + 1) != std::string_view::npos) {
          fail("expected 'word count'");
        }
        const std::string_view word = line.substr(0, space);
        const std::string_view digits = line.substr(space + 1);
        std::int64_t n = 0;
        const auto [ptr, ec] =
            std::from_chars(digits.data(), digits.data() + digits.size(), n);
        if (ec != std::errc() || ptr != digits.data() + digits.size() ||
            n < 1 || n > (std::int64_t{1} << 62)) {
          fail("'" + std::string(digits) + "' is not a count from 1 to 2^62");
        }
        if (word == "</s>") return;  // word2vec.c's sentence end
        if (!seen.insert(std::string(word)).second) {
          fail("'" + std::string(word) + "' is listed twice");
        }
        out.emplace_back(std::string(word), n);
      });
  if (out.empty()) throw chapters::InputError(path + ": lists no word");
  return out;
}

}  // namespace ffnn::ch05
