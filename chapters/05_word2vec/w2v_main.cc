// w2v: chapter 5's word2vec tool. `w2v train` takes word2vec.c's command
// line unchanged (-train FILE -output FILE -cbow 0|1 -size -window -negative
// -sample -min-count -iter -alpha -threads -binary, plus -seed; --size
// spellings too); `w2v eval-pairs`, `w2v analogy` and `w2v neighbours` read
// the vectors back in either format; `w2v tokenize` writes the corpus as
// training text; `w2v classify` is the chapter's party classifier.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <numeric>
#include <string>
#include <unordered_map>
#include <vector>

#include "chapters/05_word2vec/classifier.h"
#include "chapters/05_word2vec/cooccurrence.h"
#include "chapters/05_word2vec/evaluation.h"
#include "chapters/05_word2vec/word2vec.h"
#include "chapters/common/cli.h"
#include "chapters/common/corpus.h"
#include "chapters/common/errors.h"
#include "chapters/common/files.h"
#include "chapters/common/memory.h"
#include "chapters/common/word_vectors.h"

namespace {

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

// The training file as word2vec.c reads it: tokens separated by any
// whitespace, a newline ending a sentence. Returns the sentences of ids of
// the words seen at least min_count times (ordered by count, then by
// word), and those words and counts.
struct Corpus {
  std::vector<std::string> words;
  std::vector<std::int64_t> counts;
  std::vector<std::vector<std::int32_t>> sentences;
  std::size_t tokens = 0;
};

// Two passes over the text, so that memory follows the words, not the
// lines: the first counts the words, the second keeps the sentences that
// hold a kept word, as ids. (A list of every line's tokens made 38 MiB of
// empty lines take 1.6 GB.)
Corpus ReadTraining(const std::string& path, int min_count,
                    const ffnn::chapters::MemoryBudget& budget) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec) {
    ffnn::chapters::RequireMemory(size, "the training text " + path, budget);
  }
  const std::string text =
      ffnn::chapters::ReadFileBounded(path, std::uintmax_t{4} << 30);
  ffnn::chapters::CheckUtf8(text, path);
  // Calls word(w) for each token and end() at each line end.
  auto scan = [&](const auto& word, const auto& end) {
    for (std::size_t at = 0; at < text.size();) {
      const char c = text[at];
      if (c == '\n') {
        end();
        ++at;
      } else if (std::isspace(static_cast<unsigned char>(c))) {
        ++at;
      } else {
        const std::size_t begin = at;
        while (at < text.size() &&
               !std::isspace(static_cast<unsigned char>(text[at]))) {
          ++at;
        }
        word(std::string_view(text.data() + begin, at - begin));
      }
    }
    end();
  };
  std::unordered_map<std::string_view, std::int64_t> count;
  scan([&](std::string_view w) { ++count[w]; }, [] {});
  Corpus c;
  std::vector<std::pair<std::string_view, std::int64_t>> kept;
  for (const auto& [w, n] : count) {
    c.tokens += static_cast<std::size_t>(n);
    if (n >= min_count) kept.emplace_back(w, n);
  }
  if (c.tokens == 0) throw std::runtime_error(path + ": no words");
  if (kept.size() < 2) {
    throw std::runtime_error(path + ": fewer than two words occur at least " +
                             std::to_string(min_count) + " times");
  }
  std::sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  std::unordered_map<std::string_view, std::int32_t> id;
  for (const auto& [w, n] : kept) {
    id.emplace(w, static_cast<std::int32_t>(c.words.size()));
    c.words.emplace_back(w);
    c.counts.push_back(n);
  }
  std::vector<std::int32_t> sentence;
  scan(
      [&](std::string_view w) {
        const auto it = id.find(w);
        if (it != id.end()) sentence.push_back(it->second);
      },
      [&] {
        if (!sentence.empty()) c.sentences.push_back(sentence);
        sentence.clear();
      });
  return c;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "w2v: word2vec (skip-gram and CBOW with negative sampling) "
      "and the evaluation of word vectors (chapter 5)"};
  app.require_subcommand(1);
  ffnn::ch05::W2vConfig cfg;
  std::string train_path, output_path;
  int cbow = 0, binary = 0, min_count = 5;
  CLI::App* train = app.add_subcommand(
      "train",
      "train word vectors; word2vec.c's options, spelled -train or "
      "--train");
  train->add_option("--train", train_path, "training text")->required();
  train->add_option("--output", output_path, "vectors to write")->required();
  train->add_option("--cbow", cbow, "1: CBOW, 0: skip-gram")
      ->check(CLI::Range(0, 1));
  train->add_option("--size", cfg.size, "vector dimension")
      ->check(CLI::Range(1, 4096));
  train->add_option("--window", cfg.window, "largest window")
      ->check(CLI::Range(1, 100));
  train->add_option("--negative", cfg.negative, "negative samples")
      ->check(CLI::Range(1, 100));
  using ffnn::chapters::FiniteIn;
  train->add_option("--sample", cfg.sample, "subsampling threshold (0: off)")
      ->check(FiniteIn(0.0, 1.0));
  train->add_option("--min-count", min_count, "smallest count kept")
      ->check(CLI::Range(1, 1000000000));
  train->add_option("--iter", cfg.iter, "epochs")->check(CLI::Range(1, 10000));
  train
      ->add_option("--alpha", cfg.alpha,
                   "starting learning rate (default 0.025 skip-gram, 0.05 "
                   "CBOW)")
      ->check(FiniteIn(1e-9, 10.0));
  train
      ->add_option("--threads", cfg.threads,
                   "threads (the vectors do not depend on it)")
      ->check(CLI::Range(1, 256));
  train->add_option("--binary", binary, "1: binary output, 0: text")
      ->check(CLI::Range(0, 1));
  train->add_option("--seed", cfg.seed, "seed of every random choice");
  std::string history_path, train_pairs_path;
  train->add_option("--history", history_path,
                    "write each epoch's loss, time and WordSim rho as JSON");
  train->add_option("--eval-pairs", train_pairs_path,
                    "'word1 word2 score' file to score after every epoch");
  train->add_flag("--hogwild", cfg.hogwild,
                  "unsynchronized threads, as word2vec.c: faster, but the "
                  "vectors depend on the thread count");
  std::string max_memory;

  std::string vectors_path, pairs_path;
  bool json = false;
  CLI::App* eval = app.add_subcommand(
      "eval-pairs",
      "Spearman's rho of the cosines against human scores, with coverage");
  eval->add_option("--vectors", vectors_path, "word vectors (either format)")
      ->required();
  eval->add_option("--pairs", pairs_path, "'word1 word2 score' lines")
      ->required();
  eval->add_flag("--json", json, "print {rho, covered, total, coverage}");
  std::vector<std::string> query;
  std::size_t top = 10;
  CLI::App* neighbours = app.add_subcommand(
      "neighbours", "the nearest words by cosine to each WORD");
  neighbours->add_option("--vectors", vectors_path, "word vectors")->required();
  neighbours->add_option("word", query, "words")->required();
  neighbours->add_option("--top", top, "how many")->check(CLI::Range(1, 1000));
  std::size_t count_words = 2000, count_size = 100, count_window = 10;
  CLI::App* count = app.add_subcommand(
      "count",
      "count-based vectors: co-occurrence counts within --window words "
      "among the --words most frequent words, PPMI, truncated SVD");
  count->add_option("--train", train_path, "training text")->required();
  count->add_option("--output", output_path, "vectors to write")->required();
  count->add_option("--words", count_words, "the most frequent words kept")
      ->check(CLI::Range(2, 5000));
  count->add_option("--size", count_size, "vector dimension")
      ->check(CLI::Range(1, 1000));
  count->add_option("--window", count_window, "k: words on either side")
      ->check(CLI::Range(1, 100));
  count->add_option("--min-count", min_count, "smallest count kept")
      ->check(CLI::Range(1, 1000000000));
  count->add_option("--binary", binary, "1: binary output, 0: text")
      ->check(CLI::Range(0, 1));
  for (CLI::App* sub : {train, count}) {
    sub->add_option("--max-memory", max_memory, ffnn::chapters::kMaxMemoryHelp);
  }

  std::string questions_path;
  int threads = 1;
  CLI::App* analogy = app.add_subcommand(
      "analogy",
      "3CosAdd accuracy on questions-words analogies, per section, with "
      "coverage");
  analogy->add_option("--vectors", vectors_path, "word vectors")->required();
  analogy
      ->add_option("--questions", questions_path,
                   "': section' lines and 'a b c d' lines")
      ->required();
  analogy->add_option("--threads", threads, "threads")
      ->check(CLI::Range(1, 256));
  analogy->add_flag("--json", json, "print the scores as JSON");

  std::string sotu_dir = FFNN_SOTU_DIR, split_name = "train";
  CLI::App* tokenize = app.add_subcommand(
      "tokenize",
      "write the State of the Union as training text, one sentence per "
      "line, with chapter 4's tokenizer");
  tokenize->add_option("--sotu", sotu_dir, "the addresses' directory");
  tokenize->add_option("--output", output_path, "text to write")->required();
  tokenize
      ->add_option("--split", split_name,
                   "train (<= 1999, default), valid, test or all")
      ->check(CLI::IsMember({"train", "valid", "test", "all"}));

  ffnn::ch05::ClassifierConfig ccfg;
  CLI::App* classify = app.add_subcommand(
      "classify",
      "the party of a State of the Union paragraph: mean-pooled word2vec + "
      "MLP against bag-of-words logistic regression and the majority class");
  classify->add_option("--sotu", sotu_dir, "the addresses' directory");
  classify->add_option("--seed", ccfg.seed, "seed of every random choice");
  classify->add_option("--threads", ccfg.w2v.threads, "word2vec's threads")
      ->check(CLI::Range(1, 256));
  classify->add_option("--iter", ccfg.w2v.iter, "word2vec's epochs")
      ->check(CLI::Range(1, 1000));
  classify->add_flag("--json", json, "print the scores as JSON");
  try {
    app.parse(GnuStyle(argc, argv));
  } catch (const CLI::ParseError& e) {
    return ffnn::chapters::ExitOnParseError(app, e, "w2v");
  }
  namespace chapters = ffnn::chapters;
  try {
    chapters::SetActivity("checking the options");
    const chapters::MemoryBudget budget =
        chapters::BudgetFromOption(max_memory);
    // Outputs that would overwrite an input, or could not be written at the
    // end, are refused before any work.
    if (train->parsed()) {
      std::vector<chapters::NamedPath> outputs = {{output_path, "-output"}};
      if (!history_path.empty()) {
        outputs.push_back({history_path, "--history"});
      }
      chapters::CheckOutputs(outputs, std::vector<chapters::NamedPath>{
                                          {train_path, "-train"},
                                          {train_pairs_path, "--eval-pairs"}});
    } else if (count->parsed()) {
      chapters::CheckOutputs(
          std::vector<chapters::NamedPath>{{output_path, "-output"}},
          std::vector<chapters::NamedPath>{{train_path, "-train"}});
    } else if (tokenize->parsed()) {
      chapters::CheckOutputs(
          std::vector<chapters::NamedPath>{{output_path, "--output"}},
          std::vector<chapters::NamedPath>{{sotu_dir, "--sotu"}});
    }
    if (train->parsed()) {
      cfg.cbow = cbow == 1;
      std::vector<ffnn::ch05::WordPair> pairs;
      if (!train_pairs_path.empty()) {
        chapters::SetActivity("reading --eval-pairs");
        pairs = ffnn::ch05::ReadPairs(train_pairs_path);
      }
      chapters::SetActivity("reading the training text");
      const Corpus c = ReadTraining(train_path, min_count, budget);
      const std::size_t V = c.words.size();
      if (!pairs.empty()) {
        ffnn::ch05::RequireScorablePairs(c.words, pairs,
                                         "--eval-pairs " + train_pairs_path);
      }
      chapters::RequireMemory(
          ffnn::ch05::Word2VecBytes(c.sentences, V, cfg) +
              (pairs.empty() ? 0 : V * cfg.size * 4),  // the scored copy
          chapters::Grouped(V) + " x " + chapters::Grouped(cfg.size) +
              " vectors and their scratch",
          budget);
      chapters::SetActivity("training");
      std::fprintf(stderr, "w2v: %zu words in the vocabulary, %zu tokens\n",
                   c.words.size(), c.tokens);
      const auto start = std::chrono::steady_clock::now();
      nlohmann::ordered_json history = nlohmann::ordered_json::array();
      const auto m = ffnn::ch05::TrainWord2Vec(
          c.sentences, c.counts, cfg, stderr,
          [&](int epoch, const ffnn::ch05::W2vModel& now, double loss,
              std::size_t trained) {
            // An epoch in which subsampling left no pair has no loss: the
            // entry says so ("pairs": 0) instead of printing 0.
            nlohmann::ordered_json h = {{"epoch", epoch}, {"pairs", trained}};
            if (trained > 0) h["loss"] = loss;
            h["seconds"] = std::chrono::duration<double>(
                               std::chrono::steady_clock::now() - start)
                               .count();
            if (!pairs.empty()) {
              const auto score =
                  ffnn::ch05::EvaluatePairs({c.words, now.d, now.in}, pairs);
              h["rho"] = score.rho;
              h["covered"] = score.covered;
            }
            history.push_back(h);
          });
      const double s = std::chrono::duration<double>(
                           std::chrono::steady_clock::now() - start)
                           .count();
      std::fprintf(stderr, "w2v: %.0f words/s (%d thread(s), %.1f s)\n",
                   double(c.tokens) * cfg.iter / s, cfg.threads, s);
      chapters::SetActivity("writing " + output_path);
      // The vectors and their history: both or neither.
      std::vector<chapters::AtomicFile> files;
      files.emplace_back(output_path);
      chapters::WriteWord2Vec({c.words, m.d, m.in}, files.back(), binary == 1);
      if (!history_path.empty()) {
        files.emplace_back(history_path);
        files.back().Write(history.dump(2) + "\n");
      }
      chapters::CommitTogether(files);
    } else if (eval->parsed()) {
      chapters::SetActivity("scoring the word pairs");
      const auto wv = ffnn::chapters::ReadWord2Vec(vectors_path);
      const auto score =
          ffnn::ch05::EvaluatePairs(wv, ffnn::ch05::ReadPairs(pairs_path));
      if (json) {
        nlohmann::ordered_json doc = {{"rho", score.rho},
                                      {"covered", score.covered},
                                      {"total", score.total},
                                      {"coverage", score.Coverage()}};
        std::cout << doc.dump(2) << "\n";
      } else {
        std::printf("Spearman rho %.4f on %zu of %zu pairs (coverage %.1f%%)\n",
                    score.rho, score.covered, score.total,
                    100 * score.Coverage());
      }
    } else if (count->parsed()) {
      // The corpus's words beyond the first N (ids are by count) become one
      // "other" id, so that distances in the sentence stay as they were;
      // its row and column are dropped before PPMI.
      chapters::SetActivity("reading the training text");
      const Corpus c = ReadTraining(train_path, min_count, budget);
      const std::size_t N = std::min(count_words, c.words.size());
      if (count_size > N) {
        throw std::invalid_argument("--size " + std::to_string(count_size) +
                                    " is larger than the " + std::to_string(N) +
                                    " words kept");
      }
      // The counts ((N + 1)^2), the kept block, PPMI and the SVD's copy,
      // factors and workspace: about eight N x N matrices of doubles.
      chapters::RequireMemory(8 * (N + 1) * (N + 1) * sizeof(double),
                              "the " + chapters::Grouped(N) + " x " +
                                  chapters::Grouped(N) +
                                  " co-occurrence matrix and its SVD",
                              budget);
      chapters::SetActivity("counting co-occurrences");
      auto sentences = c.sentences;
      for (auto& s : sentences) {
        for (auto& w : s) w = std::min<std::int32_t>(w, std::int32_t(N));
      }
      const auto counts =
          ffnn::ch05::CountCooccurrences(sentences, N + 1, count_window);
      ffnn::ch05::WordMatrix kept{N, std::vector<double>(N * N)};
      for (std::size_t w = 0; w < N; ++w) {
        for (std::size_t x = 0; x < N; ++x) kept(w, x) = counts(w, x);
      }
      if (std::all_of(kept.values.begin(), kept.values.end(),
                      [](double x) { return x == 0; })) {
        throw std::invalid_argument(
            train_path + ": no two words occur within " +
            std::to_string(count_window) +
            " words of each other in a line: the co-occurrence matrix is "
            "zero, and so would every vector be");
      }
      const auto dense =
          ffnn::ch05::SvdVectors(ffnn::ch05::Ppmi(kept), count_size);
      ffnn::chapters::WordVectors wv{
          std::vector<std::string>(c.words.begin(), c.words.begin() + N),
          count_size, std::vector<float>(dense.begin(), dense.end())};
      chapters::SetActivity("writing " + output_path);
      ffnn::chapters::WriteWord2Vec(wv, output_path, binary == 1);
    } else if (analogy->parsed()) {
      chapters::SetActivity("answering the analogies");
      const auto wv = ffnn::chapters::ReadWord2Vec(vectors_path);
      const auto scores = ffnn::ch05::EvaluateAnalogies(
          wv, ffnn::ch05::ReadAnalogies(questions_path), threads);
      nlohmann::ordered_json doc = nlohmann::ordered_json::array();
      for (const auto& sc : scores) {
        if (json) {
          doc.push_back({{"section", sc.section},
                         {"correct", sc.correct},
                         {"covered", sc.covered},
                         {"total", sc.total},
                         {"accuracy", sc.Accuracy()},
                         {"coverage", sc.Coverage()}});
        } else {
          std::printf(
              "%-28s %5.1f%% (%zu right of %zu covered; coverage %.1f%%)\n",
              sc.section.c_str(), 100 * sc.Accuracy(), sc.correct, sc.covered,
              100 * sc.Coverage());
        }
      }
      if (json) std::cout << doc.dump(2) << "\n";
    } else if (tokenize->parsed()) {
      chapters::SetActivity("tokenizing the addresses");
      const auto docs = ffnn::chapters::ReadSotu(sotu_dir);
      const auto split = ffnn::chapters::SplitByYear(docs);
      std::string text;
      auto add = [&](const std::vector<ffnn::chapters::Sentence>& ss) {
        for (const auto& sentence : ss) {
          for (std::size_t i = 0; i < sentence.size(); ++i) {
            if (i) text += ' ';
            text += sentence[i];
          }
          text += '\n';
        }
      };
      if (split_name == "all") {
        for (const auto& doc : docs) add(doc.sentences);
      } else {
        add(split_name == "train"   ? split.train
            : split_name == "valid" ? split.valid
                                    : split.test);
      }
      if (text.empty()) {
        throw std::invalid_argument(
            sotu_dir + ": no address in the " + split_name +
            " split's years (train <= 1999, valid 2000-2008, test "
            "2009-2016)");
      }
      ffnn::chapters::WriteFileAtomically(output_path, text);
    } else if (classify->parsed()) {
      chapters::SetActivity("training the classifiers");
      const auto split =
          ffnn::ch05::SplitParagraphs(ffnn::chapters::ReadSotu(sotu_dir));
      const auto r = ffnn::ch05::ClassifyParty(split, ccfg, stderr);
      if (json) {
        nlohmann::ordered_json doc = {
            {"paragraphs",
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
      } else {
        std::printf(
            "paragraphs: %zu train, %zu valid, %zu test (addresses %zu, "
            "%zu, %zu)\n",
            r.paragraphs[0], r.paragraphs[1], r.paragraphs[2],
            split.addresses[0], split.addresses[1], split.addresses[2]);
        for (const auto& row : r.rows) {
          std::printf("%-42s valid acc %.3f F1 %.3f | test acc %.3f F1 %.3f\n",
                      row.method.c_str(), row.valid.accuracy,
                      row.valid.macro_f1, row.test.accuracy, row.test.macro_f1);
        }
      }
    } else {
      chapters::SetActivity("finding neighbours");
      const auto wv = ffnn::chapters::ReadWord2Vec(vectors_path);
      std::unordered_map<std::string, std::size_t> row;
      for (std::size_t i = 0; i < wv.words.size(); ++i) row[wv.words[i]] = i;
      auto vec = [&](std::size_t i) {
        return std::vector<double>(wv.values.begin() + i * wv.dim,
                                   wv.values.begin() + (i + 1) * wv.dim);
      };
      for (const std::string& q : query) {
        const auto it = row.find(q);
        if (it == row.end()) {
          throw std::runtime_error("'" + q + "' is not in " + vectors_path);
        }
        const auto a = vec(it->second);
        std::vector<std::pair<double, std::size_t>> best;
        for (std::size_t i = 0; i < wv.words.size(); ++i) {
          if (i != it->second)
            best.emplace_back(ffnn::ch05::Cosine(a, vec(i)), i);
        }
        const std::size_t n = std::min(top, best.size());
        std::partial_sort(
            best.begin(), best.begin() + n, best.end(),
            [](const auto& x, const auto& y) { return x.first > y.first; });
        std::printf("%s:", q.c_str());
        for (std::size_t i = 0; i < n; ++i) {
          std::printf(" %s (%.3f)", wv.words[best[i].second].c_str(),
                      best[i].first);
        }
        std::printf("\n");
      }
    }
  } catch (const ffnn::ch05::TrainingDiverged& e) {
    ffnn::chapters::PrintError("w2v", e.what());
    return 1;
  } catch (...) {
    return chapters::ReportError("w2v", std::current_exception());
  }
  return 0;
}
