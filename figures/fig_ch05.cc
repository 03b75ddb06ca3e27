// Chapter 5 figures and result tables:
//   ch05_rich_poor        the LMU deck's rich-poor plane (silver, disease and
//                         society as co-occurrence vectors)
//   ch05_vectors_pca      chosen words' word2vec vectors (the book's, which
//                         the build trains) on two principal components
//   ch05_wordsim_epochs   WordSim-353 rho and the loss after each epoch of
//                         the book's training run
//   ch05_speed_threads    words/s against threads, beside gensim and
//                         fastText (bench/results/w2v_peers.json, written by
//                         bench/w2v_peers.sh and committed with the machine
//                         it ran on)
// and the Markdown tables the chapter pulls in (snippet markers): the peer
// benchmark, the analogies of the book's vectors, the party classifier.
//
// Usage: fig_ch05 OUTPUT_DIR [--markdown FILE]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "chapters/05_word2vec/evaluation.h"
#include "chapters/05_word2vec/worked_ch05.h"
#include "chapters/common/corpus.h"
#include "chapters/common/errors.h"
#include "chapters/common/files.h"
#include "chapters/common/memory.h"
#include "chapters/common/word_vectors.h"
#include "figures/pca.h"
#include "figures/plot.h"

namespace ffnn::figures {
namespace {

using nlohmann::json;

std::string Fixed(double x, int digits = 2) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return buf;
}

// 1234567.4 -> "1,234,567" (rounded to even, as printf's %.0f rounds).
std::string Grouped(double x) {
  return chapters::Grouped(static_cast<std::uint64_t>(std::nearbyint(x)));
}

json ReadJson(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": not readable");
  try {
    return json::parse(in);
  } catch (const json::exception& e) {
    throw std::runtime_error(path + ": " +
                             chapters::WithoutJsonPrefix(e.what()));
  }
}

void RichPoorPlane(const std::string& dir) {
  Render(dir, "ch05_rich_poor", 640, 600, [&](Gnuplot& gp) {
    gp << "set title 'Co-occurrence within 10 words (LMU deck, from "
          "Wikipedia)'\nset grid\nset size ratio -1\n"
          "set xlabel 'cooc(rich, word)'\nset ylabel 'cooc(poor, word)'\n"
          "set xrange [0:260]\nset yrange [0:260]\nunset key\n";
    for (const ch05::RichPoor& w : ch05::kRichPoor) {
      gp << "set label '" << w.word << "' at " << w.rich + 6 << ","
         << w.poor + 6 << " font ',12'\n";
    }
    gp << "plot '-' u 1:2:3:4 w vectors head filled lw 2 lc rgb '#0072b2'\n";
    for (const ch05::RichPoor& w : ch05::kRichPoor) {
      gp << "0 0 " << w.rich << " " << w.poor << "\n";
    }
    gp << "e\n";
  });
}

void VectorsPca(const std::string& dir, const chapters::WordVectors& v) {
  std::unordered_map<std::string, std::size_t> row;
  for (std::size_t i = 0; i < v.words.size(); ++i) row[v.words[i]] = i;
  ChosenWordsPca(dir, "ch05_vectors_pca", "word2vec vectors",
                 [&](const char* w) -> std::optional<std::vector<double>> {
                   const auto it = row.find(w);
                   if (it == row.end()) return std::nullopt;
                   return std::vector<double>(
                       v.values.begin() + it->second * v.dim,
                       v.values.begin() + (it->second + 1) * v.dim);
                 });
}

void WordsimPerEpoch(const std::string& dir, const json& history) {
  Points rho, loss;
  for (const json& h : history) {
    rho.emplace_back(h.at("epoch").get<double>(), h.at("rho").get<double>());
    if (h.contains("loss")) {  // an epoch without a trained pair has none
      loss.emplace_back(h.at("epoch").get<double>(),
                        h.at("loss").get<double>());
    }
  }
  if (rho.empty()) throw std::runtime_error("the book's history is empty");
  Render(dir, "ch05_wordsim_epochs", 900, 480, [&](Gnuplot& gp) {
    // (In gnuplot's single-quoted strings a quote is written twice.)
    gp << "set title 'The book''s skip-gram vectors after each epoch'\n"
          "set grid\nset xlabel 'epoch'\nset xtics 1\n"
          "set ylabel 'WordSim-353 Spearman {/Symbol r} ("
       << history.back().at("covered").get<int>()
       << " pairs)'\n"
          "set y2label 'training loss per (word, context) pair'\n"
          "set y2tics\nset ytics nomirror\nset key center right\n"
          "plot '-' w lp lw 2 pt 7 t 'WordSim-353 {/Symbol r}', "
          "'-' axes x1y2 w lp lw 2 pt 5 dt 2 t 'loss (during the epoch)'\n";
    gp.send1d(rho);
    gp.send1d(loss);
  });
}

const char* const kTools[] = {"w2v (reproducible)", "w2v (hogwild)", "gensim",
                              "fastText"};
const char* const kArchs[] = {"skip-gram", "cbow"};

struct PeerMean {
  double words_per_s = 0, rho = 0;
  int runs = 0;
};
// (tool, arch, threads) -> the means over seeds.
using PeerMeans = std::map<std::tuple<std::string, std::string, int>, PeerMean>;

// A run's architecture, hierarchical softmax's under its own name
// ("skip-gram, hs"); runs without an output layer named are negative
// sampling's.
std::string ArchOf(const json& run) {
  const bool hs = run.value("output", std::string("ns")) == "hs";
  return run.at("arch").get<std::string>() + (hs ? ", hs" : "");
}

PeerMeans Means(const json& peers) {
  PeerMeans m;
  for (const json& r : peers.at("runs")) {
    PeerMean& p = m[{r.at("tool").get<std::string>(), ArchOf(r),
                     r.at("threads").get<int>()}];
    p.words_per_s += r.at("words_per_s").get<double>();
    p.rho += r.at("rho").get<double>();
    ++p.runs;
  }
  for (auto& [key, p] : m) {
    p.words_per_s /= p.runs;
    p.rho /= p.runs;
  }
  return m;
}

// The reproducible mode's share of Hogwild's words/s: the median over
// seeds of the ratio of a seed's two runs, which run back to back
// (bench/w2v_peers.sh says why not the ratio of the means).
double ShareOfHogwild(const json& peers, const std::string& arch, int threads) {
  std::map<int, double> hogwild;
  std::vector<double> ratios;
  for (const bool want_hogwild : {true, false}) {
    for (const json& r : peers.at("runs")) {
      if (ArchOf(r) != arch || r.at("threads").get<int>() != threads ||
          r.at("tool").get<std::string>() != kTools[want_hogwild ? 1 : 0]) {
        continue;
      }
      const int seed = r.at("seed").get<int>();
      const double w = r.at("words_per_s").get<double>();
      if (want_hogwild) {
        hogwild[seed] = w;
      } else if (hogwild.count(seed)) {
        ratios.push_back(w / hogwild[seed]);
      }
    }
  }
  if (ratios.empty()) {
    throw std::runtime_error("the peer benchmark has no pair of runs of " +
                             arch + " on " + std::to_string(threads) +
                             " thread(s)");
  }
  std::sort(ratios.begin(), ratios.end());
  const std::size_t n = ratios.size();
  return n % 2 ? ratios[n / 2] : (ratios[n / 2 - 1] + ratios[n / 2]) / 2;
}

const PeerMean& At(const PeerMeans& m, const std::string& tool,
                   const std::string& arch, int threads) {
  const auto it = m.find({tool, arch, threads});
  if (it == m.end()) {
    throw std::runtime_error("the peer benchmark has no run of " + tool + ", " +
                             arch + ", " + std::to_string(threads) +
                             " thread(s)");
  }
  return it->second;
}

void SpeedVsThreads(const std::string& dir, const json& peers,
                    const PeerMeans& m) {
  Render(dir, "ch05_speed_threads", 1000, 480, [&](Gnuplot& gp) {
    gp << "set multiplot layout 1,2 title "
       << GnuplotString("Training speed on " +
                        peers.at("machine").get<std::string>() +
                        " (means of 3 seeds)")
       << "\n";
    for (const char* arch : kArchs) {
      gp << "set title '" << arch
         << "'\nset grid\nset xlabel 'threads'\nset xtics 1\n"
            "set xrange [0.8:2.2]\nset ylabel 'million words/s'\n"
            "set yrange [0:*]\nset key top left\nplot ";
      for (std::size_t t = 0; t < 4; ++t) {
        gp << (t ? ", " : "") << "'-' w lp lw 2 pt 7 t '" << kTools[t] << "'";
      }
      gp << "\n";
      for (const char* tool : kTools) {
        Points p;
        for (int threads : {1, 2}) {
          p.emplace_back(threads, At(m, tool, arch, threads).words_per_s / 1e6);
        }
        gp.send1d(p);
      }
    }
    gp << "unset multiplot\n";
  });
}

// WordSim-353 rho of the count-based and the predicted vectors on the
// pairs both spaces cover (the same vocabulary when both keep every word
// of the same min-count).
struct CountVsPredict {
  ch05::PairScore counts, predicted;
  std::size_t count_words = 0;
};
CountVsPredict CompareOnCommonPairs(const chapters::WordVectors& counts,
                                    const chapters::WordVectors& predicted,
                                    const std::vector<ch05::WordPair>& all) {
  const std::set<std::string> in_counts(counts.words.begin(),
                                        counts.words.end()),
      in_predicted(predicted.words.begin(), predicted.words.end());
  auto known = [&](const std::string& word) {
    const std::string w = chapters::LowerCase(word, "WordSim-353");
    return in_counts.count(w) > 0 && in_predicted.count(w) > 0;
  };
  std::vector<ch05::WordPair> common;
  for (const auto& p : all) {
    if (known(p.a) && known(p.b)) common.push_back(p);
  }
  return {ch05::EvaluatePairs(counts, common),
          ch05::EvaluatePairs(predicted, common), counts.words.size()};
}

// Every tool's words/s and rho on 1 and 2 threads, for each architecture
// with the output layer `suffix` names ("" negative sampling, ", hs"
// hierarchical softmax).
std::string PeersTable(const PeerMeans& m, const std::string& suffix) {
  std::ostringstream t;
  t << "| architecture | tool | words/s, 1 thread | words/s, 2 threads | "
       "WordSim-353 ρ, 1 thread | ρ, 2 threads |\n"
       "|---|---|---:|---:|---:|---:|\n";
  for (const char* arch : kArchs) {
    for (const char* tool : kTools) {
      const PeerMean &a = At(m, tool, arch + suffix, 1),
                     &b = At(m, tool, arch + suffix, 2);
      t << "| " << arch << " | " << tool << " | " << Grouped(a.words_per_s)
        << " | " << Grouped(b.words_per_s) << " | " << Fixed(a.rho, 3) << " | "
        << Fixed(b.rho, 3) << " |\n";
    }
  }
  t << "\n";
  return t.str();
}

// The analogies of the book's vectors beside those of the vectors trained
// the same way on the phrase-joined text (their "overall" rows), and the
// most frequent joined tokens.
std::string PhraseAnalogies(const std::vector<ch05::AnalogyScore>& plain,
                            const std::vector<ch05::AnalogyScore>& joined,
                            const chapters::WordVectors& phrase_vectors) {
  auto totals = [](const std::vector<ch05::AnalogyScore>& scores) {
    const ch05::AnalogyScore& all = scores.back();  // "overall"
    return std::tuple(all.correct, all.covered, all.total);
  };
  std::size_t phrases = 0;
  std::string examples;
  for (const std::string& w : phrase_vectors.words) {
    if (w.find('_') == std::string::npos) continue;
    if (++phrases <= 8) examples += (examples.empty() ? "`" : ", `") + w + "`";
  }
  std::ostringstream t;
  t << "| text | phrase tokens in the vocabulary | analogies covered | "
       "accuracy on those |\n|---|---:|---:|---:|\n";
  for (const auto& [name, scores, n] :
       {std::tuple("words (the book's vectors)", &plain, std::size_t{0}),
        std::tuple("phrases joined", &joined, phrases)}) {
    const auto [correct, covered, total] = totals(*scores);
    t << "| " << name << " | " << Grouped(double(n)) << " | " << covered
      << " of " << total << " | "
      << (covered ? Fixed(100.0 * double(correct) / double(covered), 1) + "%"
                  : std::string("-"))
      << " |\n";
  }
  t << "\nThe most frequent joined tokens: " << examples << ".\n";
  return t.str();
}

// Long: the results page's sections one after another, in the order the
// chapter pulls them; each is a few lines of table formatting.
std::string Markdown(const json& peers, const PeerMeans& m,
                     const std::vector<ch05::AnalogyScore>& analogies,
                     const std::string& phrase_analogies, const json& classify,
                     const json& history, const CountVsPredict& cvp) {
  std::ostringstream md;
  auto section = [&](const std::string& name, const std::string& body) {
    md << "<!-- [" << name << "] -->\n"
       << body << "<!-- [" << name << "] -->\n";
  };
  section("peers_table",
          "Measured on " + peers.at("machine").get<std::string>() + ", " +
              std::to_string(peers.at("cores").get<int>()) +
              " cores, by `bench/w2v_peers.sh`: " +
              Grouped(peers.at("tokens").get<double>()) +
              " tokens, 5 epochs, means of seeds 1, 2 and 3.\n\n" +
              PeersTable(m, ""));
  // Hierarchical softmax alone: w2v (both modes), gensim hs=1, fastText
  // -loss hs.
  section("peers_table_hs", PeersTable(m, ", hs"));
  // Ratios the narrative quotes (hierarchical softmax's with "hs_").
  for (const char* arch_ns : kArchs) {
    for (const bool hs : {false, true}) {
      const std::string arch = std::string(arch_ns) + (hs ? ", hs" : "");
      const std::string a = std::string(hs ? "hs_" : "") +
                            (arch_ns == std::string("cbow") ? "cbow" : "sg");
      if (hs) {
        const PeerMean &ours = At(m, kTools[0], arch, 1),
                       &gensim = At(m, "gensim", arch, 1);
        section("rho_vs_gensim_" + a + "_1",
                (ours.rho >= gensim.rho ? "+" : "") +
                    Fixed(ours.rho - gensim.rho, 3) + "\n");
      }
      for (int threads : {1, 2}) {
        const double ours = At(m, kTools[0], arch, threads).words_per_s;
        section("speedup_gensim_" + a + "_" + std::to_string(threads),
                Fixed(ours / At(m, "gensim", arch, threads).words_per_s, 1) +
                    "×\n");
        section("share_of_hogwild_" + a + "_" + std::to_string(threads),
                Fixed(100 * ShareOfHogwild(peers, arch, threads), 0) + "%\n");
      }
    }
  }
  std::ostringstream a;
  a << "| section | accuracy | covered | coverage |\n|---|---:|---:|---:|\n";
  for (const auto& s : analogies) {
    a << "| " << s.section << " | " << Fixed(100 * s.Accuracy(), 1) << "% | "
      << s.covered << " of " << s.total << " | " << Fixed(100 * s.Coverage(), 1)
      << "% |\n";
  }
  a << "\n";
  section("analogy_table", a.str());
  section("phrase_analogies", phrase_analogies);
  std::ostringstream c;
  c << "| method | validation accuracy | validation macro-F1 | test accuracy "
       "| test macro-F1 |\n|---|---:|---:|---:|---:|\n";
  for (const json& r : classify.at("methods")) {
    c << "| " << r.at("method").get<std::string>() << " | "
      << Fixed(r.at("valid_accuracy").get<double>(), 3) << " | "
      << Fixed(r.at("valid_macro_f1").get<double>(), 3) << " | "
      << Fixed(r.at("test_accuracy").get<double>(), 3) << " | "
      << Fixed(r.at("test_macro_f1").get<double>(), 3) << " |\n";
  }
  c << "\n";
  section("classifier_table", c.str());
  const json& p = classify.at("paragraphs");
  const json& ad = classify.at("addresses");
  section("classifier_split",
          Grouped(p.at("train").get<double>()) + " training, " +
              Grouped(p.at("valid").get<double>()) + " validation and " +
              Grouped(p.at("test").get<double>()) + " test paragraphs (" +
              std::to_string(ad.at("train").get<int>()) + ", " +
              std::to_string(ad.at("valid").get<int>()) + " and " +
              std::to_string(ad.at("test").get<int>()) + " addresses).\n");
  section("book_rho", Fixed(history.back().at("rho").get<double>(), 3) + "\n");
  std::ostringstream cp;
  cp << "| vectors | WordSim-353 ρ on the " << cvp.counts.covered
     << " pairs both cover |\n|---|---:|\n"
     << "| counted: PPMI (context smoothing 0.75) + randomized SVD, "
        "U S^0.5, d = 100, window "
     << FFNN_CH05_COUNT_WINDOW << ", all " << Grouped(double(cvp.count_words))
     << " words | " << Fixed(cvp.counts.rho, 3) << " |\n"
     << "| predicted: the book's skip-gram vectors | "
     << Fixed(cvp.predicted.rho, 3) << " |\n\n";
  section("count_vs_predict", cp.str());
  return md.str();
}

void Draw(const std::string& dir, const std::string& markdown) {
  RichPoorPlane(dir);
  const auto vectors = chapters::ReadWord2Vec(FFNN_CH05_BOOK_VECTORS);
  VectorsPca(dir, vectors);
  const json history = ReadJson(FFNN_CH05_BOOK_HISTORY);
  WordsimPerEpoch(dir, history);
  const json peers = ReadJson(FFNN_CH05_PEERS);
  const PeerMeans means = Means(peers);
  SpeedVsThreads(dir, peers, means);
  if (markdown.empty()) return;
  const auto questions =
      ch05::ReadAnalogies(std::string(FFNN_DATA_DIR) + "/sotu_analogies.txt");
  const auto analogies = ch05::EvaluateAnalogies(vectors, questions, 2);
  const auto phrase_vectors = chapters::ReadWord2Vec(FFNN_CH05_PHRASE_VECTORS);
  const std::string phrase_analogies = PhraseAnalogies(
      analogies, ch05::EvaluateAnalogies(phrase_vectors, questions, 2),
      phrase_vectors);
  const auto cvp = CompareOnCommonPairs(
      chapters::ReadWord2Vec(FFNN_CH05_COUNT_VECTORS), vectors,
      ch05::ReadPairs(std::string(FFNN_DATA_DIR) + "/wordsim353.txt"));
  chapters::WriteFileAtomically(
      markdown, Markdown(peers, means, analogies, phrase_analogies,
                         ReadJson(FFNN_CH05_CLASSIFY), history, cvp));
  std::cout << "wrote " << markdown << "\n";
}

int Main(int argc, char** argv) {
  std::string markdown;
  return FigureMain(
      argc, argv,
      {.description =
           "fig_ch05: chapter 5's figures (the rich-poor plane, the book "
           "vectors' principal components, WordSim-353 per epoch, speed "
           "against threads) and, with --markdown, its result tables",
       .figures = {"ch05_rich_poor", "ch05_vectors_pca", "ch05_wordsim_epochs",
                   "ch05_speed_threads"},
       .draw = [&](const std::string& dir) { Draw(dir, markdown); },
       .add_options =
           [&](CLI::App& app) {
             app.add_option("--markdown", markdown,
                            "also write the chapter's result tables to FILE");
           },
       .files =
           [&](std::vector<chapters::NamedPath>& inputs,
               std::vector<chapters::NamedPath>& outputs) {
             for (const char* in :
                  {FFNN_CH05_BOOK_VECTORS, FFNN_CH05_BOOK_HISTORY,
                   FFNN_CH05_CLASSIFY, FFNN_CH05_COUNT_VECTORS, FFNN_CH05_PEERS,
                   FFNN_DATA_DIR}) {
               inputs.push_back({in, "the book's data"});
             }
             if (!markdown.empty()) outputs.push_back({markdown, "--markdown"});
           }});
}

}  // namespace
}  // namespace ffnn::figures

int main(int argc, char** argv) { return ffnn::figures::Main(argc, argv); }
