// w2v: chapter 5's word2vec tool. `w2v train` takes word2vec.c's command
// line unchanged (-train FILE -output FILE -cbow 0|1 -size -window -negative
// -sample -min-count -iter -alpha -threads -binary, plus -seed; --size
// spellings too); `w2v eval-pairs`, `w2v analogy` and `w2v neighbours` read
// the vectors back in either format; `w2v tokenize` writes the corpus as
// training text; `w2v classify` is the chapter's party classifier.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "chapters/05_word2vec/classifier.h"
#include "chapters/05_word2vec/cooccurrence.h"
#include "chapters/05_word2vec/evaluation.h"
#include "chapters/05_word2vec/phrases.h"
#include "chapters/05_word2vec/training_text.h"
#include "chapters/05_word2vec/word2vec.h"
#include "chapters/05_word2vec/word_classes.h"
#include "chapters/common/cli.h"
#include "chapters/common/corpus.h"
#include "chapters/common/errors.h"
#include "chapters/common/files.h"
#include "chapters/common/memory.h"
#include "chapters/common/threads.h"
#include "chapters/common/word_vectors.h"

namespace {

namespace chapters = ffnn::chapters;
namespace ch05 = ffnn::ch05;

// word2vec.c's single-dash long options ("-min-count") become CLI11's
// double-dash ones; "-h", negative numbers and the negative non-numbers
// ("-inf", "-nan": values the option checks then refuse by name) stay as
// they are.
std::vector<std::string> GnuStyle(int argc, char** argv) {
  std::vector<std::string> out;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    std::string lower = a;
    for (char& c : lower) c = static_cast<char>(std::tolower(c));
    const bool number = lower == "-inf" || lower == "-infinity" ||
                        lower == "-nan" || lower.rfind("-nan(", 0) == 0;
    if (!number && a.size() > 2 && a[0] == '-' && a[1] != '-' &&
        std::isalpha(static_cast<unsigned char>(a[1]))) {
      a = "-" + a;
    }
    out.push_back(a);
  }
  std::reverse(out.begin(), out.end());  // CLI11 takes them reversed
  return out;
}

// ---- train ----------------------------------------------------------------

struct TrainOptions {
  ch05::W2vConfig cfg;
  std::string train_path, output_path, history_path, pairs_path, max_memory;
  std::string save_vocab_path, read_vocab_path;
  int cbow = 0, binary = 0, min_count = 5, classes = 0, hs = 0;
  CLI::Option* threads = nullptr;
};

CLI::App* AddTrain(CLI::App& app, TrainOptions& o) {
  CLI::App* train = app.add_subcommand(
      "train",
      "train word vectors; word2vec.c's options, spelled -train or "
      "--train");
  train->add_option("--train", o.train_path, "training text")->required();
  train->add_option("--output", o.output_path, "vectors to write")->required();
  train->add_option("--cbow", o.cbow, "1: CBOW, 0: skip-gram")
      ->check(CLI::Range(0, 1));
  train->add_option("--size", o.cfg.size, "vector dimension")
      ->check(CLI::Range(1, 4096));
  train->add_option("--window", o.cfg.window, "largest window")
      ->check(CLI::Range(1, 100));
  train->add_option("--negative", o.cfg.negative, "negative samples (0: none)")
      ->check(CLI::Range(0, 100));
  train
      ->add_option("--hs", o.hs,
                   "1: hierarchical softmax (alone with -negative 0), 0: off")
      ->check(CLI::Range(0, 1));
  using chapters::FiniteIn;
  train->add_option("--sample", o.cfg.sample, "subsampling threshold (0: off)")
      ->check(FiniteIn(0.0, 1.0));
  train->add_option("--min-count", o.min_count, "smallest count kept")
      ->check(CLI::Range(1, 1000000000));
  train->add_option("--iter", o.cfg.iter, "epochs")
      ->check(CLI::Range(1, 10000));
  train
      ->add_option("--alpha", o.cfg.alpha,
                   "starting learning rate (default 0.025 skip-gram, 0.05 "
                   "CBOW)")
      ->check(FiniteIn(1e-9, 10.0));
  o.threads = chapters::AddThreadsOption(*train, o.cfg.threads);
  train->add_option("--binary", o.binary, "1: binary output, 0: text")
      ->check(CLI::Range(0, 1));
  train->add_option("--seed", o.cfg.seed, "seed of every random choice");
  train->add_option("--history", o.history_path,
                    "write each epoch's loss, time and WordSim rho as JSON");
  train->add_option("--eval-pairs", o.pairs_path,
                    "'word1 word2 score' file to score after every epoch");
  train->add_flag("--hogwild", o.cfg.hogwild,
                  "unsynchronized threads, as word2vec.c: faster, but the "
                  "vectors depend on the thread count");
  train->add_option("--max-memory", o.max_memory, chapters::kMaxMemoryHelp);
  train->add_option("--save-vocab", o.save_vocab_path,
                    "write the vocabulary, 'word count' per line "
                    "(word2vec.c's format)");
  train
      ->add_option("--classes", o.classes,
                   "write 'word class' lines of K k-means classes instead of "
                   "the vectors (word2vec.c's -classes)")
      ->check(CLI::Range(1, 1 << 30));
  train->add_option("--read-vocab", o.read_vocab_path,
                    "take the vocabulary and its counts from this file, not "
                    "from the text");
  return train;
}

// Trains, recording each epoch's loss, time and (with --eval-pairs) rho.
ch05::W2vModel TrainWithHistory(const ch05::TrainingText& c,
                                const std::vector<ch05::WordPair>& pairs,
                                const ch05::W2vConfig& cfg,
                                nlohmann::ordered_json& history) {
  std::fprintf(stderr, "w2v: %zu words in the vocabulary, %zu tokens\n",
               c.words.size(), c.tokens);
  const auto start = std::chrono::steady_clock::now();
  auto seconds = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                         start)
        .count();
  };
  const auto m = ch05::TrainWord2Vec(
      c.sentences, c.counts, cfg, stderr,
      [&](int epoch, const ch05::W2vModel& now, double loss,
          std::size_t trained) {
        // An epoch in which subsampling left no pair has no loss: the
        // entry says so ("pairs": 0) instead of printing 0.
        nlohmann::ordered_json h = {{"epoch", epoch}, {"pairs", trained}};
        if (trained > 0) h["loss"] = loss;
        h["seconds"] = seconds();
        if (!pairs.empty()) {
          const auto score =
              ch05::EvaluatePairs({c.words, now.d, now.in}, pairs);
          h["rho"] = score.rho;
          h["covered"] = score.covered;
        }
        history.push_back(h);
      });
  const double s = seconds();
  std::fprintf(stderr, "w2v: %.0f words/s (%d thread(s), %.1f s)\n",
               double(c.tokens) * cfg.iter / s, cfg.threads, s);
  return m;
}

void RunTrain(TrainOptions o) {
  chapters::SetActivity("checking the options");
  const chapters::MemoryBudget budget =
      chapters::BudgetFromOption(o.max_memory);
  // Outputs that would overwrite an input, or could not be written at the
  // end, are refused before any work.
  std::vector<chapters::NamedPath> outputs = {{o.output_path, "-output"}};
  if (!o.history_path.empty()) outputs.push_back({o.history_path, "--history"});
  if (!o.save_vocab_path.empty()) {
    outputs.push_back({o.save_vocab_path, "--save-vocab"});
  }
  chapters::CheckOutputs(outputs, std::vector<chapters::NamedPath>{
                                      {o.train_path, "-train"},
                                      {o.pairs_path, "--eval-pairs"},
                                      {o.read_vocab_path, "--read-vocab"}});
  o.cfg.threads = chapters::ResolveThreads(o.threads, o.cfg.threads);
  o.cfg.cbow = o.cbow == 1;
  o.cfg.hs = o.hs == 1;
  if (o.cfg.negative == 0 && !o.cfg.hs) {
    throw std::invalid_argument(
        "-negative 0 with -hs 0 leaves no output layer to train: give "
        "-negative k, -hs 1 or both");
  }
  std::vector<ch05::WordPair> pairs;
  if (!o.pairs_path.empty()) {
    chapters::SetActivity("reading --eval-pairs");
    pairs = ch05::ReadPairs(o.pairs_path);
  }
  std::vector<std::pair<std::string, std::int64_t>> vocabulary;
  if (!o.read_vocab_path.empty()) {
    chapters::SetActivity("reading --read-vocab");
    vocabulary = ch05::ReadVocabulary(o.read_vocab_path);
  }
  chapters::SetActivity("reading the training text");
  const auto c =
      ch05::ReadTrainingText(o.train_path, o.min_count, budget,
                             o.read_vocab_path.empty() ? nullptr : &vocabulary);
  const std::size_t V = c.words.size();
  if (static_cast<std::size_t>(o.classes) > V) {  // before any training
    throw std::invalid_argument("--classes " + std::to_string(o.classes) +
                                " is more than the " + std::to_string(V) +
                                " words of the vocabulary");
  }
  if (!pairs.empty()) {
    ch05::RequireScorablePairs(c.words, pairs, "--eval-pairs " + o.pairs_path);
  }
  chapters::RequireMemory(
      ch05::Word2VecBytes(c.sentences, V, o.cfg) +
          (pairs.empty() ? 0 : V * o.cfg.size * 4),  // the scored copy
      chapters::Grouped(V) + " x " + chapters::Grouped(o.cfg.size) +
          " vectors and their scratch",
      budget);
  chapters::SetActivity("training");
  nlohmann::ordered_json history = nlohmann::ordered_json::array();
  const auto m = TrainWithHistory(c, pairs, o.cfg, history);
  chapters::SetActivity("writing " + o.output_path);
  // The vectors and their history: both or neither.
  std::vector<chapters::AtomicFile> files;
  files.emplace_back(o.output_path);
  if (o.classes > 0) {  // word2vec.c's -classes: the classes, not vectors
    files.back().Write(ch05::ClassesText(
        c.words, ch05::WordClasses(m.in, m.V, m.d, o.classes, o.cfg.threads)));
  } else {
    chapters::WriteWord2Vec({c.words, m.d, m.in}, files.back(), o.binary == 1);
  }
  if (!o.history_path.empty()) {
    files.emplace_back(o.history_path);
    files.back().Write(history.dump(2) + "\n");
  }
  if (!o.save_vocab_path.empty()) {
    files.emplace_back(o.save_vocab_path);
    files.back().Write(ch05::VocabularyText(c));
  }
  chapters::CommitTogether(files);
}

// ---- eval-pairs -------------------------------------------------------------

struct EvalOptions {
  std::string vectors_path, pairs_path;
  bool json = false;
};

CLI::App* AddEval(CLI::App& app, EvalOptions& o) {
  CLI::App* eval = app.add_subcommand(
      "eval-pairs",
      "Spearman's rho of the cosines against human scores, with coverage");
  eval->add_option("--vectors", o.vectors_path, "word vectors (either format)")
      ->required();
  eval->add_option("--pairs", o.pairs_path, "'word1 word2 score' lines")
      ->required();
  eval->add_flag("--json", o.json, "print {rho, covered, total, coverage}");
  return eval;
}

void RunEval(const EvalOptions& o) {
  chapters::SetActivity("scoring the word pairs");
  const auto wv = chapters::ReadWord2Vec(o.vectors_path);
  const auto score = ch05::EvaluatePairs(wv, ch05::ReadPairs(o.pairs_path));
  if (o.json) {
    nlohmann::ordered_json doc = {{"rho", score.rho},
                                  {"covered", score.covered},
                                  {"total", score.total},
                                  {"coverage", score.Coverage()}};
    std::cout << doc.dump(2) << "\n";
  } else {
    std::printf("Spearman rho %.4f on %zu of %zu pairs (coverage %.1f%%)\n",
                score.rho, score.covered, score.total, 100 * score.Coverage());
  }
}

// ---- neighbours -------------------------------------------------------------

struct NeighboursOptions {
  std::string vectors_path;
  std::vector<std::string> words;
  std::size_t top = 10;
};

CLI::App* AddNeighbours(CLI::App& app, NeighboursOptions& o) {
  CLI::App* neighbours = app.add_subcommand(
      "neighbours", "the nearest words by cosine to each WORD");
  neighbours->add_option("--vectors", o.vectors_path, "word vectors")
      ->required();
  neighbours->add_option("word", o.words, "words")->required();
  neighbours->add_option("--top", o.top, "how many")
      ->check(CLI::Range(1, 1000));
  return neighbours;
}

void RunNeighbours(const NeighboursOptions& o) {
  chapters::SetActivity("finding neighbours");
  const auto wv = chapters::ReadWord2Vec(o.vectors_path);
  std::unordered_map<std::string, std::size_t> row;
  for (std::size_t i = 0; i < wv.words.size(); ++i) row[wv.words[i]] = i;
  for (const std::string& q : o.words) {
    const auto it = row.find(q);
    if (it == row.end()) {
      throw std::runtime_error("'" + q + "' is not in " + o.vectors_path);
    }
    std::printf("%s:", q.c_str());
    for (const auto& n : ch05::NearestNeighbours(wv, it->second, o.top)) {
      std::printf(" %s (%.3f)", wv.words[n.row].c_str(), n.cosine);
    }
    std::printf("\n");
  }
}

// ---- count ------------------------------------------------------------------

struct CountOptions {
  std::string train_path, output_path, max_memory;
  std::size_t words = 0, size = 100, window = 10;
  int min_count = 5, binary = 0;
  ch05::CountSettings settings;
  CLI::Option* threads = nullptr;
};

CLI::App* AddCount(CLI::App& app, CountOptions& o) {
  CLI::App* count = app.add_subcommand(
      "count",
      "count-based vectors: co-occurrence counts within --window words "
      "(sparse, the whole vocabulary or the --words most frequent), PPMI, "
      "randomized truncated SVD");
  count->add_option("--train", o.train_path, "training text")->required();
  count->add_option("--output", o.output_path, "vectors to write")->required();
  count
      ->add_option("--words", o.words,
                   "the most frequent words kept (0: all of the vocabulary)")
      ->check(CLI::Range(0, 100000000));
  using chapters::FiniteIn;
  count
      ->add_option("--cds", o.settings.alpha,
                   "context distribution smoothing: counts^alpha")
      ->check(FiniteIn(0.01, 1.0));
  count
      ->add_option("--eig", o.settings.p,
                   "eigenvalue weighting p: vectors U S^p (0, 0.5, 1)")
      ->check(FiniteIn(0.0, 1.0));
  count->add_option("--seed", o.settings.seed,
                    "seed of the randomized SVD's test matrix");
  o.threads = chapters::AddThreadsOption(*count, o.settings.threads);
  count->add_option("--size", o.size, "vector dimension")
      ->check(CLI::Range(1, 1000));
  count->add_option("--window", o.window, "k: words on either side")
      ->check(CLI::Range(1, 100));
  count->add_option("--min-count", o.min_count, "smallest count kept")
      ->check(CLI::Range(1, 1000000000));
  count->add_option("--binary", o.binary, "1: binary output, 0: text")
      ->check(CLI::Range(0, 1));
  count->add_option("--max-memory", o.max_memory, chapters::kMaxMemoryHelp);
  return count;
}

void RunCount(const CountOptions& o) {
  chapters::SetActivity("checking the options");
  const chapters::MemoryBudget budget =
      chapters::BudgetFromOption(o.max_memory);
  chapters::CheckOutputs(
      std::vector<chapters::NamedPath>{{o.output_path, "-output"}},
      std::vector<chapters::NamedPath>{{o.train_path, "-train"}});
  chapters::SetActivity("reading the training text");
  const auto c = ch05::ReadTrainingText(o.train_path, o.min_count, budget);
  const std::size_t N =
      o.words == 0 ? c.words.size() : std::min(o.words, c.words.size());
  if (o.size > N) {
    throw std::invalid_argument("--size " + std::to_string(o.size) +
                                " is larger than the " + std::to_string(N) +
                                " words kept");
  }
  chapters::RequireMemory(
      ch05::CountVectorsBytes(c.tokens, N, o.window, o.size),
      "the sparse " + chapters::Grouped(N) + " x " + chapters::Grouped(N) +
          " co-occurrence matrix and its SVD",
      budget);
  chapters::SetActivity("counting co-occurrences");
  ch05::CountSettings settings = o.settings;
  settings.threads = chapters::ResolveThreads(o.threads, settings.threads);
  const auto dense = ch05::CountVectors(c.sentences, N, o.window, o.size,
                                        o.train_path, settings);
  const chapters::WordVectors wv{
      std::vector<std::string>(c.words.begin(), c.words.begin() + N), o.size,
      std::vector<float>(dense.begin(), dense.end())};
  chapters::SetActivity("writing " + o.output_path);
  chapters::WriteWord2Vec(wv, o.output_path, o.binary == 1);
}

// ---- analogy ----------------------------------------------------------------

struct AnalogyOptions {
  std::string vectors_path, questions_path;
  int threads = 1;
  bool json = false;
  CLI::Option* threads_option = nullptr;
};

CLI::App* AddAnalogy(CLI::App& app, AnalogyOptions& o) {
  CLI::App* analogy = app.add_subcommand(
      "analogy",
      "3CosAdd accuracy on questions-words analogies, per section, with "
      "coverage");
  analogy->add_option("--vectors", o.vectors_path, "word vectors")->required();
  analogy
      ->add_option("--questions", o.questions_path,
                   "': section' lines and 'a b c d' lines")
      ->required();
  o.threads_option = chapters::AddThreadsOption(*analogy, o.threads);
  analogy->add_flag("--json", o.json, "print the scores as JSON");
  return analogy;
}

void RunAnalogy(const AnalogyOptions& o) {
  chapters::SetActivity("checking the options");
  const int threads = chapters::ResolveThreads(o.threads_option, o.threads);
  chapters::SetActivity("answering the analogies");
  const auto wv = chapters::ReadWord2Vec(o.vectors_path);
  const auto scores = ch05::EvaluateAnalogies(
      wv, ch05::ReadAnalogies(o.questions_path), threads);
  nlohmann::ordered_json doc = nlohmann::ordered_json::array();
  for (const auto& sc : scores) {
    if (o.json) {
      doc.push_back({{"section", sc.section},
                     {"correct", sc.correct},
                     {"covered", sc.covered},
                     {"total", sc.total},
                     {"accuracy", sc.Accuracy()},
                     {"coverage", sc.Coverage()}});
    } else {
      std::printf("%-28s %5.1f%% (%zu right of %zu covered; coverage %.1f%%)\n",
                  sc.section.c_str(), 100 * sc.Accuracy(), sc.correct,
                  sc.covered, 100 * sc.Coverage());
    }
  }
  if (o.json) std::cout << doc.dump(2) << "\n";
}

// ---- tokenize ---------------------------------------------------------------

struct TokenizeOptions {
  std::string sotu_dir = FFNN_SOTU_DIR, output_path, split = "train";
};

CLI::App* AddTokenize(CLI::App& app, TokenizeOptions& o) {
  CLI::App* tokenize = app.add_subcommand(
      "tokenize",
      "write the State of the Union as training text, one sentence per "
      "line, with chapter 4's tokenizer");
  tokenize->add_option("--sotu", o.sotu_dir, "the addresses' directory");
  tokenize->add_option("--output", o.output_path, "text to write")->required();
  tokenize
      ->add_option("--split", o.split,
                   "train (<= 1999, default), valid, test or all")
      ->check(CLI::IsMember({"train", "valid", "test", "all"}));
  return tokenize;
}

// The sentences as training text: tokens joined by spaces, one a line.
void AppendLines(const std::vector<chapters::Sentence>& sentences,
                 std::string& text) {
  for (const auto& sentence : sentences) {
    for (std::size_t i = 0; i < sentence.size(); ++i) {
      if (i) text += ' ';
      text += sentence[i];
    }
    text += '\n';
  }
}

void RunTokenize(const TokenizeOptions& o) {
  chapters::SetActivity("checking the options");
  chapters::CheckOutputs(
      std::vector<chapters::NamedPath>{{o.output_path, "--output"}},
      std::vector<chapters::NamedPath>{{o.sotu_dir, "--sotu"}});
  chapters::SetActivity("tokenizing the addresses");
  const auto docs = chapters::ReadSotu(o.sotu_dir);
  const auto split = chapters::SplitByYear(docs);
  std::string text;
  if (o.split == "all") {
    for (const auto& doc : docs) AppendLines(doc.sentences, text);
  } else {
    AppendLines(o.split == "train"   ? split.train
                : o.split == "valid" ? split.valid
                                     : split.test,
                text);
  }
  if (text.empty()) {
    throw std::invalid_argument(
        o.sotu_dir + ": no address in the " + o.split +
        " split's years (train <= 1999, valid 2000-2008, test "
        "2009-2016)");
  }
  chapters::WriteFileAtomically(o.output_path, text);
}

// ---- phrases ----------------------------------------------------------------

struct PhrasesOptions {
  std::string train_path, output_path;
  ch05::PhraseSettings settings;
};

CLI::App* AddPhrases(CLI::App& app, PhrasesOptions& o) {
  CLI::App* phrases = app.add_subcommand(
      "phrases",
      "join frequent pairs of words into phrases (word2vec.c's "
      "word2phrase): new york -> new_york; run it twice for longer ones");
  phrases->add_option("--train", o.train_path, "training text")->required();
  phrases->add_option("--output", o.output_path, "text to write")->required();
  phrases
      ->add_option("--threshold", o.settings.threshold,
                   "join a pair whose score passes this (default 100)")
      ->check(chapters::FiniteIn(0, 1e12));
  phrases
      ->add_option("--min-count", o.settings.min_count,
                   "ignore words seen fewer times; the score's discount "
                   "(default 5)")
      ->check(CLI::Range(1, 1 << 30));
  return phrases;
}

void RunPhrases(const PhrasesOptions& o) {
  chapters::SetActivity("checking the options");
  chapters::CheckOutputs(
      std::vector<chapters::NamedPath>{{o.output_path, "-output"}},
      std::vector<chapters::NamedPath>{{o.train_path, "-train"}});
  chapters::SetActivity("reading the training text");
  const std::string text =
      ch05::ReadCheckedText(o.train_path, chapters::AvailableMemory());
  chapters::SetActivity("joining phrases");
  const ch05::PhraseResult r =
      ch05::JoinPhrases(text, o.settings, o.train_path);
  chapters::WriteFileAtomically(o.output_path, r.text);
  std::cerr << "w2v: " << r.joined << " pairs joined among " << r.tokens
            << " tokens (" << r.bigrams << " distinct bigrams)\n";
}

// ---- classify ---------------------------------------------------------------

struct ClassifyOptions {
  std::string sotu_dir = FFNN_SOTU_DIR;
  ch05::ClassifierConfig cfg;
  bool json = false;
  CLI::Option* threads = nullptr;
};

CLI::App* AddClassify(CLI::App& app, ClassifyOptions& o) {
  CLI::App* classify = app.add_subcommand(
      "classify",
      "the party of a State of the Union paragraph: mean-pooled word2vec + "
      "MLP against bag-of-words logistic regression and the majority class");
  classify->add_option("--sotu", o.sotu_dir, "the addresses' directory");
  classify->add_option("--seed", o.cfg.seed, "seed of every random choice");
  o.threads = chapters::AddThreadsOption(*classify, o.cfg.w2v.threads,
                                         "word2vec's threads");
  classify->add_option("--iter", o.cfg.w2v.iter, "word2vec's epochs")
      ->check(CLI::Range(1, 1000));
  classify->add_flag("--json", o.json, "print the scores as JSON");
  return classify;
}

void PrintClassifyJson(const ch05::PartyReport& r,
                       const ch05::PartySplit& split) {
  nlohmann::ordered_json doc = {{"paragraphs",
                                 {{"train", r.paragraphs[0]},
                                  {"valid", r.paragraphs[1]},
                                  {"test", r.paragraphs[2]}}},
                                {"addresses",
                                 {{"train", split.addresses[0]},
                                  {"valid", split.addresses[1]},
                                  {"test", split.addresses[2]}}},
                                {"vocabulary", r.vocabulary},
                                {"methods", nlohmann::ordered_json::array()}};
  for (const auto& row : r.rows) {
    doc["methods"].push_back({{"method", row.method},
                              {"valid_accuracy", row.valid.accuracy},
                              {"valid_macro_f1", row.valid.macro_f1},
                              {"test_accuracy", row.test.accuracy},
                              {"test_macro_f1", row.test.macro_f1}});
  }
  std::cout << doc.dump(2) << "\n";
}

void RunClassify(ClassifyOptions o) {
  chapters::SetActivity("checking the options");
  o.cfg.w2v.threads = chapters::ResolveThreads(o.threads, o.cfg.w2v.threads);
  chapters::SetActivity("training the classifiers");
  const auto split = ch05::SplitParagraphs(chapters::ReadSotu(o.sotu_dir));
  const auto r = ch05::ClassifyParty(split, o.cfg, stderr);
  if (o.json) return PrintClassifyJson(r, split);
  std::printf(
      "paragraphs: %zu train, %zu valid, %zu test (addresses %zu, "
      "%zu, %zu)\n",
      r.paragraphs[0], r.paragraphs[1], r.paragraphs[2], split.addresses[0],
      split.addresses[1], split.addresses[2]);
  for (const auto& row : r.rows) {
    std::printf("%-42s valid acc %.3f F1 %.3f | test acc %.3f F1 %.3f\n",
                row.method.c_str(), row.valid.accuracy, row.valid.macro_f1,
                row.test.accuracy, row.test.macro_f1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "w2v: word2vec (skip-gram and CBOW with negative sampling or "
      "hierarchical softmax) "
      "and the evaluation of word vectors (chapter 5)"};
  app.require_subcommand(1);
  TrainOptions train_options;
  EvalOptions eval_options;
  NeighboursOptions neighbours_options;
  CountOptions count_options;
  AnalogyOptions analogy_options;
  TokenizeOptions tokenize_options;
  ClassifyOptions classify_options;
  PhrasesOptions phrases_options;
  CLI::App* train = AddTrain(app, train_options);
  CLI::App* eval = AddEval(app, eval_options);
  CLI::App* neighbours = AddNeighbours(app, neighbours_options);
  CLI::App* count = AddCount(app, count_options);
  CLI::App* analogy = AddAnalogy(app, analogy_options);
  CLI::App* tokenize = AddTokenize(app, tokenize_options);
  CLI::App* classify = AddClassify(app, classify_options);
  CLI::App* phrases = AddPhrases(app, phrases_options);
  try {
    app.parse(GnuStyle(argc, argv));
  } catch (const CLI::ParseError& e) {
    return chapters::ExitOnParseError(app, e, "w2v");
  }
  try {
    if (train->parsed()) RunTrain(train_options);
    if (eval->parsed()) RunEval(eval_options);
    if (neighbours->parsed()) RunNeighbours(neighbours_options);
    if (count->parsed()) RunCount(count_options);
    if (analogy->parsed()) RunAnalogy(analogy_options);
    if (tokenize->parsed()) RunTokenize(tokenize_options);
    if (classify->parsed()) RunClassify(classify_options);
    if (phrases->parsed()) RunPhrases(phrases_options);
  } catch (...) {  // a diverged run exits 1, bad input 2 (ReportError)
    return chapters::ReportError("w2v", std::current_exception());
  }
  return 0;
}
