// Chapter 4 figures and result tables, from a trained model (by default the
// book's model, which the build trains: generated/ch04/book.nplm):
//   ch04_perplexity_per_epoch   train and validation perplexity per epoch
//   ch04_perplexity_vs_order    Kneser-Ney orders 2-5 beside the NPLM and
//                               the interpolation of the two
//   ch04_embeddings_pca         chosen words' embeddings, projected on their
//                               two principal components
// and the Markdown tables the chapter pulls in (snippet markers, like the
// chapter target's --markdown): the perplexity table and the epochs.
//
// Usage: fig_ch04 OUTPUT_DIR [--model MODEL] [--history MODEL]
//                 [--markdown FILE]
// --history takes the epochs from another checkpoint of the same run: with
// early stopping, MODEL.best holds the best parameters and MODEL every
// epoch's history.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "chapters/04_neural_lm/checkpoint.h"
#include "chapters/04_neural_lm/kneser_ney.h"
#include "chapters/04_neural_lm/lm_corpus.h"
#include "chapters/04_neural_lm/mixture.h"
#include "chapters/04_neural_lm/train.h"
#include "chapters/common/files.h"
#include "figures/pca.h"
#include "figures/plot.h"

namespace ffnn::figures {
namespace {

using ch04::kContextTokens;

struct KnRow {
  int order;
  double valid, test;
};

struct Results {
  std::size_t model_epochs = 0;  // epochs the evaluated parameters had
  std::vector<KnRow> kn;
  // With the best Kneser-Ney order (5); also the NPLM alone (lambda = 1).
  ch04::Mixture mix;
};

std::string Fixed(double x, int digits = 2) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return buf;
}

std::string Describe(const ch04::TrainState& s) {
  const auto& sh = s.params.shape;
  const auto& c = s.config;
  std::ostringstream os;
  os << "n = " << sh.context << ", d = " << sh.dim << ", h = " << sh.hidden
     << (sh.direct ? ", direct connections" : "") << ", " << c.optimizer
     << " lr " << c.lr;
  if (c.dropout > 0) os << ", dropout " << c.dropout;
  if (c.weight_decay > 0) os << ", weight decay " << c.weight_decay;
  return os.str();
}

void PerplexityPerEpoch(const std::string& dir, const ch04::TrainState& s,
                        const Results& r) {
  Points train, valid;
  for (const auto& e : s.history) {
    train.emplace_back(e.epoch, e.train_ppl);
    valid.emplace_back(e.epoch, e.valid_ppl);
  }
  Render(dir, "ch04_perplexity_per_epoch", 900, 480, [&](Gnuplot& gp) {
    gp << "set title 'NPLM on the State of the Union (" << Describe(s)
       << ")'\nset grid\nset xlabel 'epoch'\nset ylabel 'perplexity'\n"
          "set xtics 1\nset key top right\n"
       << "plot '-' w lp lw 2 pt 7 t 'training (during the epoch)', "
          "'-' w lp lw 2 pt 5 t 'validation (after the epoch)', "
       << r.kn.back().valid
       << " w l dt 2 lw 2 t 'Kneser-Ney order 5, validation'\n";
    gp.send1d(train);
    gp.send1d(valid);
  });
}

void PerplexityVsOrder(const std::string& dir, const ch04::TrainState& s,
                       const Results& r) {
  Points kn_valid, kn_test;
  for (const auto& k : r.kn) {
    kn_valid.emplace_back(k.order, k.valid);
    kn_test.emplace_back(k.order, k.test);
  }
  Render(dir, "ch04_perplexity_vs_order", 900, 480, [&](Gnuplot& gp) {
    gp << "set title 'Perplexity by n-gram order, beside the NPLM ("
       << s.params.shape.context
       << " words of context)'\n"
          "set grid\nset xlabel 'n-gram order (words of context + 1)'\n"
          "set ylabel 'perplexity'\nset xtics 1\nset xrange [1.8:5.2]\n"
          "set offsets 0, 0, graph 0.05, graph 0.05\nset key below\n"
       << "plot '-' w lp lw 2 pt 7 t 'Kneser-Ney, validation', "
          "'-' w lp lw 2 pt 7 t 'Kneser-Ney, test', "
       << r.mix.nplm_test_ppl << " w l lw 2 dt 2 t 'NPLM, test', "
       << r.mix.mix_test_ppl
       << " w l lw 2 dt 4 t 'NPLM + Kneser-Ney 5 ({/Symbol l} = "
       << Fixed(r.mix.lambda) << "), test'\n";
    gp.send1d(kn_valid);
    gp.send1d(kn_test);
  });
}

void EmbeddingsPca(const std::string& dir, const ch04::TrainState& s,
                   const chapters::Vocabulary& vocab) {
  const std::size_t d = s.params.shape.dim;
  ChosenWordsPca(dir, "ch04_embeddings_pca", "Embeddings",
                 [&](const char* w) -> std::optional<std::vector<double>> {
                   const std::int32_t id = vocab.Id(w);
                   if (id == 0) return std::nullopt;  // <unk>
                   return std::vector<double>(
                       s.params.C.begin() + id * d,
                       s.params.C.begin() + (id + 1) * d);
                 });
}

// The tables of the chapter, as Doxygen snippets.
std::string Markdown(const ch04::TrainState& s, const Results& r) {
  std::ostringstream md;
  auto section = [&](const std::string& name, const std::string& body) {
    md << "<!-- [" << name << "] -->\n"
       << body << "<!-- [" << name << "] -->\n";
  };
  std::ostringstream t;
  t << "| model | validation perplexity | test perplexity |\n"
       "|---|---:|---:|\n";
  for (const auto& k : r.kn) {
    t << "| Kneser-Ney, order " << k.order << " | " << Fixed(k.valid) << " | "
      << Fixed(k.test) << " |\n";
  }
  t << "| NPLM (" << Describe(s) << ", "
    << (r.model_epochs == s.history.size()
            ? std::to_string(r.model_epochs) + " epochs"
            : "epoch " + std::to_string(r.model_epochs) + " of " +
                  std::to_string(s.history.size()) + ", the best on validation")
    << ") | " << Fixed(r.mix.nplm_valid_ppl) << " | "
    << Fixed(r.mix.nplm_test_ppl) << " |\n";
  t << "| NPLM + Kneser-Ney order 5, λ = " << Fixed(r.mix.lambda) << " | "
    << Fixed(r.mix.mix_valid_ppl) << " | " << Fixed(r.mix.mix_test_ppl)
    << " |\n\n";
  section("perplexity_table", t.str());
  std::ostringstream e;
  e << "| epoch | training perplexity | validation perplexity | seconds | "
       "tokens/s | products with U: share of the time | their GFLOP/s |\n"
       "|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const auto& h : s.history) {
    e << "| " << h.epoch << " | " << Fixed(h.train_ppl) << " | "
      << Fixed(h.valid_ppl) << " | " << Fixed(h.seconds, 0) << " | "
      << Fixed(h.tokens_per_s, 0) << " | "
      << Fixed(100 * h.output_gemm_s / h.seconds, 0) << "% | "
      << Fixed(h.output_gflops, 0) << " |\n";
  }
  e << "\n";
  section("epochs_table", e.str());
  section("model", Describe(s) + ", " + std::to_string(s.history.size()) +
                       " epochs, batch " + std::to_string(s.config.batch) +
                       "\n");
  const double best_kn = r.kn.back().test;
  section("mix_gain",
          Fixed(100 * (1 - r.mix.mix_test_ppl / best_kn), 1) + "%\n");
  return md.str();
}

void Draw(const std::string& dir, const std::string& model,
          const std::string& history, const std::string& markdown) {
  {
    const auto corpus = ch04::LoadSotu(FFNN_SOTU_DIR, ch04::kDefaultMinCount);
    auto state = ch04::LoadCheckpoint(model);
    Results r;
    r.model_epochs = state.history.size();
    if (!history.empty()) state.history = ch04::LoadCheckpoint(history).history;
    if (state.params.shape.vocab != corpus.vocab.size() ||
        state.history.empty()) {
      throw std::runtime_error(model + ": not a trained model of the corpus");
    }
    const auto train = chapters::ToStream(corpus.train, corpus.vocab);
    const auto valid = chapters::ToStream(corpus.valid, corpus.vocab);
    const auto test = chapters::ToStream(corpus.test, corpus.vocab);
    const int threads = 2;  // results do not depend on it
    for (int order = 2; order <= 5; ++order) {
      const ch04::KneserNey kn(train, corpus.vocab.size(), order);
      r.kn.push_back({order, kn.Perplexity(valid, kContextTokens),
                      kn.Perplexity(test, kContextTokens)});
      if (order == 5) {
        r.mix = ch04::Interpolate(state.params, valid, test,
                                  kn.TokenProbs(valid, kContextTokens),
                                  kn.TokenProbs(test, kContextTokens), threads);
      }
    }
    PerplexityPerEpoch(dir, state, r);
    PerplexityVsOrder(dir, state, r);
    EmbeddingsPca(dir, state, corpus.vocab);
    if (!markdown.empty()) {
      chapters::WriteFileAtomically(markdown, Markdown(state, r));
      std::cout << "wrote " << markdown << "\n";
    }
  }
}

int Main(int argc, char** argv) {
  std::string model = FFNN_BOOK_MODEL, history, markdown;
  return FigureMain(
      argc, argv,
      {.description =
           "fig_ch04: chapter 4's figures (perplexity per epoch and by "
           "n-gram order, the embeddings' principal components) and, with "
           "--markdown, its result tables",
       .figures = {"ch04_perplexity_per_epoch", "ch04_perplexity_vs_order",
                   "ch04_embeddings_pca"},
       .draw =
           [&](const std::string& dir) { Draw(dir, model, history, markdown); },
       .add_options =
           [&](CLI::App& app) {
             app.add_option(
                 "--model", model,
                 "the trained model (default: the build's book model)");
             app.add_option("--history", history,
                            "take the epoch history from this model instead "
                            "(the full run's last checkpoint)");
             app.add_option("--markdown", markdown,
                            "also write the chapter's result tables to FILE");
           },
       .files =
           [&](std::vector<chapters::NamedPath>& inputs,
               std::vector<chapters::NamedPath>& outputs) {
             inputs.push_back({model, "--model"});
             inputs.push_back({history, "--history"});
             inputs.push_back({FFNN_SOTU_DIR, "the corpus"});
             if (!markdown.empty()) outputs.push_back({markdown, "--markdown"});
           }});
}

}  // namespace
}  // namespace ffnn::figures

int main(int argc, char** argv) { return ffnn::figures::Main(argc, argv); }
