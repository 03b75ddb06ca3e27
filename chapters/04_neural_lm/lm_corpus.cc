#include "chapters/04_neural_lm/lm_corpus.h"

#include <filesystem>
#include <sstream>

#include "chapters/common/files.h"

namespace ffnn::ch04 {

std::vector<SplitStats> LmCorpus::Stats() const {
  std::vector<SplitStats> out;
  const std::pair<const char*, const std::vector<Sentence>*> splits[] = {
      {"train", &train}, {"valid", &valid}, {"test", &test}};
  for (const auto& [name, sentences] : splits) {
    const auto st = chapters::Stats(chapters::ToStream(*sentences, vocab));
    out.push_back({name, sentences->size(), st.tokens, st.unk});
  }
  return out;
}

LmCorpus LoadSotu(const std::string& dir, int min_count) {
  chapters::Split split = chapters::SplitByYear(chapters::ReadSotu(dir));
  if (split.train.empty()) {
    throw chapters::InputError(dir + ": no address up to 1999 to train on");
  }
  Vocabulary vocab(split.train, min_count);
  if (vocab.size() <= 2) {
    throw chapters::InputError(
        dir + ": the vocabulary is empty (no training word is seen " +
        std::to_string(min_count) + " times)");
  }
  return {std::move(vocab), std::move(split.train), std::move(split.valid),
          std::move(split.test)};
}

LmCorpus LoadFiles(const std::string& train, const std::string& valid,
                   const std::string& test, int min_count) {
  auto tr = chapters::ReadSentences(train);
  Vocabulary vocab(tr, min_count);
  if (vocab.size() <= 2) {
    throw chapters::InputError(train + ": the vocabulary is empty");
  }
  return {std::move(vocab), std::move(tr), chapters::ReadSentences(valid),
          chapters::ReadSentences(test)};
}

void Export(const LmCorpus& corpus, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw chapters::FileError(dir + ": cannot create: " + ec.message());
  std::vector<chapters::AtomicFile> files;
  for (const char* name : kExportFiles) files.emplace_back(dir + "/" + name);
  const std::vector<Sentence>* splits[] = {&corpus.train, &corpus.valid,
                                           &corpus.test};
  for (std::size_t f = 0; f < 3; ++f) {
    std::string line;
    for (const Sentence& s : *splits[f]) {
      line.clear();
      for (std::size_t i = 0; i < s.size(); ++i) {
        if (i) line.push_back(' ');
        line += corpus.vocab.Word(corpus.vocab.Id(s[i]));
      }
      line.push_back('\n');
      files[f].Write(line);
    }
  }
  std::ostringstream vocab;
  for (std::size_t id = 0; id < corpus.vocab.size(); ++id) {
    const auto i = static_cast<std::int32_t>(id);
    vocab << corpus.vocab.Word(i) << ' ' << corpus.vocab.Count(i) << '\n';
  }
  files[3].Write(vocab.str());
  chapters::CommitTogether(files);
}

//! [training_window]
std::vector<Window> TrainingWindows(const Sentence& s, std::size_t n) {
  std::vector<Window> windows;
  for (std::size_t t = n; t < s.size(); ++t) {
    windows.push_back({Sentence(s.begin() + (t - n), s.begin() + t), s[t]});
  }
  return windows;
}
//! [training_window]

}  // namespace ffnn::ch04
