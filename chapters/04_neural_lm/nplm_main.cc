// nplm: chapter 4's command-line tool. So far: `nplm corpus` (the SOTU split,
// its statistics, and the export other tools train on) and `nplm kn` (the
// interpolated modified Kneser-Ney baseline).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "chapters/04_neural_lm/kneser_ney.h"
#include "chapters/04_neural_lm/lm_corpus.h"
#include "chapters/common/cli.h"
#include "chapters/common/files.h"

namespace {

using ffnn::ch04::LmCorpus;

void PrintStats(const LmCorpus& corpus, int min_count, bool json) {
  const auto stats = corpus.Stats();
  if (json) {
    nlohmann::ordered_json doc;
    doc["min_count"] = min_count;
    doc["vocab_size"] = corpus.vocab.size();
    for (const auto& s : stats) {
      doc["splits"][s.name] = {{"sentences", s.sentences},
                               {"tokens", s.tokens},
                               {"unk", s.unk},
                               {"unk_rate", s.UnkRate()}};
    }
    std::cout << doc.dump(2) << "\n";
    return;
  }
  std::printf(
      "vocabulary: %zu words (training words seen >= %d times, "
      "<unk> and </s> included)\n",
      corpus.vocab.size(), min_count);
  std::printf("%-6s %10s %10s %9s\n", "split", "sentences", "tokens", "<unk>");
  for (const auto& s : stats) {
    std::printf("%-6s %10zu %10zu %8.2f%%\n", s.name.c_str(), s.sentences,
                s.tokens, 100.0 * s.UnkRate());
  }
}

// Perplexity is scored on every token of a split but its first four, which
// only give context: every model up to 5-grams scores the same targets.
constexpr std::size_t kContextTokens = 4;

void RunKn(const LmCorpus& corpus, int order, bool json) {
  const auto train = ffnn::chapters::ToStream(corpus.train, corpus.vocab);
  const auto valid = ffnn::chapters::ToStream(corpus.valid, corpus.vocab);
  const auto test = ffnn::chapters::ToStream(corpus.test, corpus.vocab);
  const ffnn::ch04::KneserNey kn(train, corpus.vocab.size(), order);
  const double valid_ppl = kn.Perplexity(valid, kContextTokens);
  const double test_ppl = kn.Perplexity(test, kContextTokens);
  if (json) {
    nlohmann::ordered_json doc = {
        {"order", order}, {"valid_ppl", valid_ppl}, {"test_ppl", test_ppl}};
    std::cout << doc.dump(2) << "\n";
  } else {
    std::printf(
        "Kneser-Ney, order %d: validation perplexity %.2f, test "
        "perplexity %.2f\n",
        order, valid_ppl, test_ppl);
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "nplm: Bengio's neural language model on the State of the "
      "Union corpus (chapter 4)"};
  app.require_subcommand(1);
  std::string corpus_dir = FFNN_SOTU_DIR, out_dir;
  int min_count = ffnn::ch04::kDefaultMinCount;
  bool json = false;
  CLI::App* corpus = app.add_subcommand(
      "corpus",
      "tokenize the addresses, split them by year (train <= 1999, valid "
      "2000-2008, test 2009-2016), print token counts and <unk> rates, and "
      "export train.txt, valid.txt, test.txt and vocab.txt");
  corpus->add_option("--corpus-dir", corpus_dir,
                     "directory of YEAR_*.txt addresses (default: the "
                     "unpacked data/sotu.tar.xz)");
  corpus
      ->add_option("--min-count", min_count,
                   "minimum training count of a word in the vocabulary")
      ->check(CLI::Range(1, 1000000));
  corpus->add_option("--out", out_dir, "directory to export the split to");
  corpus->add_flag("--json", json, "print the statistics as JSON");
  int order = 3;
  CLI::App* kn = app.add_subcommand(
      "kn",
      "interpolated modified Kneser-Ney on the same split and vocabulary: "
      "validation and test perplexity");
  kn->add_option("--order", order, "n-gram order, 2 to 5")
      ->check(CLI::Range(2, 5));
  kn->add_option("--corpus-dir", corpus_dir, "as for corpus");
  kn->add_option("--min-count", min_count, "as for corpus")
      ->check(CLI::Range(1, 1000000));
  kn->add_flag("--json", json,
               "print {\"order\", \"valid_ppl\", \"test_ppl\"}");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return ffnn::chapters::ExitOnParseError(app, e, "nplm");
  }
  try {
    const LmCorpus data = ffnn::ch04::LoadSotu(corpus_dir, min_count);
    if (kn->parsed()) {
      RunKn(data, order, json);
    } else {
      if (!out_dir.empty()) ffnn::ch04::Export(data, out_dir);
      PrintStats(data, min_count, json);
    }
  } catch (const std::exception& e) {
    std::cerr << "nplm: error: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
