// Chapter 4's path for another tool's data: three text files in the export
// format (train, valid, test) read by LoadFiles, the vocabulary built from
// train, the streams made, and a trigram Kneser-Ney model counted on train
// and scored on valid and test. The input is split into the three files by
// its first two bytes (the fractions of the rest that train and valid
// take). On success the split statistics must agree with the
// streams, and every perplexity must be finite and at least 1.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "chapters/04_neural_lm/kneser_ney.h"
#include "chapters/04_neural_lm/lm_corpus.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  using namespace ffnn;
  if (size < 2) return 0;
  const std::string_view rest = fuzz::Bytes(data + 2, size - 2);
  const std::size_t n_train = rest.size() * data[0] / 255;
  const std::size_t n_valid = (rest.size() - n_train) * data[1] / 255;
  const std::string train =
      fuzz::ScratchFile("train.txt", rest.substr(0, n_train));
  const std::string valid =
      fuzz::ScratchFile("valid.txt", rest.substr(n_train, n_valid));
  const std::string test =
      fuzz::ScratchFile("test.txt", rest.substr(n_train + n_valid));
  fuzz::Refusing([&] {
    const ch04::LmCorpus corpus = ch04::LoadFiles(train, valid, test, 1);
    const std::size_t V = corpus.vocab.size();
    const auto train_ids = chapters::ToStream(corpus.train, corpus.vocab);
    const auto valid_ids = chapters::ToStream(corpus.valid, corpus.vocab);
    const auto test_ids = chapters::ToStream(corpus.test, corpus.vocab);
    const std::vector<ch04::SplitStats> stats = corpus.Stats();
    // At min_count 1 a training token is <unk> only if it is written so (as
    // an export writes out-of-vocabulary words).
    std::size_t written_unk = 0;
    for (const auto& s : corpus.train) {
      written_unk += std::size_t(std::count(s.begin(), s.end(), "<unk>"));
    }
    fuzz::Require(stats.size() == 3 && stats[0].tokens == train_ids.size() &&
                      stats[1].tokens == valid_ids.size() &&
                      stats[2].tokens == test_ids.size() &&
                      stats[0].unk == written_unk,
                  "Stats disagree with the streams");
    const ch04::KneserNey kn(train_ids, V, 3);
    for (const auto* ids : {&valid_ids, &test_ids}) {
      if (ids->empty()) continue;
      const double ppl = kn.Perplexity(*ids, 0);
      fuzz::RequireFinite(ppl, "Kneser-Ney perplexity");
      fuzz::Require(ppl >= 1 - 1e-9, "a perplexity below 1");
    }
  });
  return 0;
}
