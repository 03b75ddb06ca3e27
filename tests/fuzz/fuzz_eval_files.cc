// Chapter 5's evaluation files: the input read as a word-pair file
// (ReadPairs, then EvaluatePairs and Spearman's rho) and as an analogy file
// (ReadAnalogies, then EvaluateAnalogies by 3CosAdd), both against a small
// fixed set of vectors whose words the seeds use. On success rho lies in
// [-1, 1], the counts are consistent and the accuracies lie in [0, 1].
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

#include "chapters/05_word2vec/evaluation.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

// Twelve words in 3 dimensions, some parallel, some opposite, one zero
// vector (a word with no direction must not produce a NaN).
const ffnn::chapters::WordVectors& Vectors() {
  static const ffnn::chapters::WordVectors v = [] {
    ffnn::chapters::WordVectors w;
    w.dim = 3;
    const std::pair<const char*, std::array<float, 3>> rows[] = {
        {"king", {1, 1, 0}},   {"queen", {1, -1, 0}}, {"man", {0, 1, 0}},
        {"woman", {0, -1, 0}}, {"paris", {1, 0, 1}},  {"france", {0, 0, 1}},
        {"rome", {2, 0, 1}},   {"italy", {1, 0, 1}},  {"cat", {3, 2, 1}},
        {"dog", {3, 2, 1}},    {"zero", {0, 0, 0}},   {"zürich", {-1, 0, 0}}};
    for (const auto& [word, x] : rows) {
      w.words.push_back(word);
      w.values.insert(w.values.end(), x.begin(), x.end());
    }
    return w;
  }();
  return v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  using namespace ffnn;
  const std::string path =
      fuzz::ScratchFile("eval.txt", fuzz::Bytes(data, size));
  fuzz::Refusing([&] {
    const std::vector<ch05::WordPair> pairs = ch05::ReadPairs(path);
    fuzz::Require(!pairs.empty(), "ReadPairs: no pairs and no error");
    const ch05::PairScore s = ch05::EvaluatePairs(Vectors(), pairs);
    fuzz::RequireFinite(s.rho, "EvaluatePairs: rho");
    fuzz::Require(s.rho >= -1 - 1e-12 && s.rho <= 1 + 1e-12 && s.covered >= 2 &&
                      s.covered <= s.total && s.total == pairs.size(),
                  "EvaluatePairs: rho outside [-1, 1] or bad counts");
  });
  fuzz::Refusing([&] {
    const std::vector<ch05::AnalogySection> sections =
        ch05::ReadAnalogies(path);
    std::size_t questions = 0;
    for (const auto& s : sections) questions += s.questions.size();
    fuzz::Require(questions > 0, "ReadAnalogies: no questions and no error");
    const std::vector<ch05::AnalogyScore> scores =
        ch05::EvaluateAnalogies(Vectors(), sections);
    fuzz::Require(scores.size() == sections.size() + 1 &&
                      scores.back().section == "overall" &&
                      scores.back().total == questions,
                  "EvaluateAnalogies: one score per section and overall");
    for (const auto& s : scores) {
      fuzz::Require(s.correct <= s.covered && s.covered <= s.total,
                    "EvaluateAnalogies: correct <= covered <= total");
    }
  });
  return 0;
}
