#include "chapters/05_word2vec/worked_ch05.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "chapters/05_word2vec/cooccurrence.h"
#include "chapters/05_word2vec/evaluation.h"
#include "chapters/05_word2vec/sampling.h"
#include "chapters/05_word2vec/sgns_step.h"
#include "chapters/common/cosine.h"
#include "chapters/common/gradcheck.h"
#include "chapters/common/word_vectors.h"

namespace ffnn::ch05 {
namespace {

using chapters::Example;
using chapters::Report;
using chapters::Source;
using namespace chapters::decks;

// The deck's rich-poor plane: each word's two counts as a vector, and the
// cosine and angle of every pair (CosineAndAngle).
void RichPoorPlane(Report& r) {
  Example& e = r.Add("cooccurrence.rich_poor",
                     Source(kLmu, "Word cooccurrence in Wikipedia") + "; " +
                         Source(kLmu, "Semantic similarity"));
  e.Step("co-occurrence within k = 10 words in English Wikipedia (the slide)")
      .Step("each word is a vector over the dimension words (rich, poor)");
  for (const RichPoor& w : kRichPoor) {
    e.Step(std::string(w.word) + " = (cooc(rich, " + w.word + "), cooc(poor, " +
           w.word + ")) = (" + chapters::Format(w.rich) + ", " +
           chapters::Format(w.poor) + ")");
  }
  e.Step("similarity is the cosine of the angle between two vectors");
  for (std::size_t i = 0; i < kRichPoor.size(); ++i) {
    for (std::size_t j = i + 1; j < kRichPoor.size(); ++j) {
      const std::vector<double> a = {kRichPoor[i].rich, kRichPoor[i].poor},
                                b = {kRichPoor[j].rich, kRichPoor[j].poor};
      const Similarity sim = CosineAndAngle(a, b);
      const std::string pair =
          std::string(kRichPoor[i].word) + ", " + kRichPoor[j].word;
      e.Add("cos(" + pair + ")", sim.cosine);
      e.Add("angle(" + pair + ") in degrees", sim.degrees);
    }
  }
}

// The toy sentence of the one-step example and its vocabulary.
const char* const kToyWords[5] = {"the", "cat", "sat", "on", "mat"};
const std::vector<std::int32_t> kToySentence = {0, 1, 2, 3, 0, 4};

using Table = std::vector<double>;  // (V, d), row-major

std::string Row(const Table& t, std::size_t w, std::size_t d) {
  return chapters::FormatVector(std::span<const double>(t).subspan(w * d, d));
}

// The one-step example's negatives: from the unigram^0.75 distribution of
// the sentence (the: 2, the others: 1), redrawn when they hit the observed
// word or repeat one: word2vec.c keeps repeats, whose second update then
// sees a row already moved by the first, and the step is no longer exactly
// a gradient step.
std::vector<std::int32_t> Negatives(std::int32_t observed, std::size_t k,
                                    std::mt19937_64& rng) {
  const std::vector<std::int64_t> counts = {2, 1, 1, 1, 1};
  const AliasTable noise(NoiseWeights(counts));
  std::uniform_real_distribution<double> u01(0, 1);
  std::vector<std::int32_t> ctx = {observed};
  while (ctx.size() < k + 1) {
    const std::int32_t w = noise.Draw(u01(rng), u01(rng));
    if (std::find(ctx.begin(), ctx.end(), w) == ctx.end()) ctx.push_back(w);
  }
  return ctx;
}

// The negatives of a context list (all but its first, observed word).
std::string Names(const std::vector<std::int32_t>& ids) {
  std::string s;
  for (std::size_t j = 1; j < ids.size(); ++j) {
    s += (j > 1 ? ", " : "") + std::string(kToyWords[ids[j]]);
  }
  return s;
}

// The worst differences the one-step example checks.
struct StepChecks {
  double worst_fd = 0;   // gradient against central differences
  double worst_ref = 0;  // the kernel's step against the plain SgnsStep
};

// Skip-gram: the center word "sat" predicts its neighbour "cat".
void ShowSkipGram(Example& e, Table& in, Table& out, std::size_t d,
                  const std::vector<std::int32_t>& sg_ctx, StepChecks& checks) {
  const std::int32_t center = 2;
  const std::vector<double> u0(in.begin() + center * d,
                               in.begin() + (center + 1) * d);
  const Table out0 = out;
  std::vector<double> u_grad(d);
  const double sg_loss = SkipGramStep(0.1, in, out, d, center, sg_ctx, u_grad);
  // The same step, plainly.
  std::vector<double> ur = u0, gr(d);
  Table outr = out0;
  SgnsStep(0.1, ur, outr, d, sg_ctx, gr);
  for (std::size_t i = 0; i < d; ++i) {
    checks.worst_ref =
        std::max(checks.worst_ref, std::abs(ur[i] - in[center * d + i]));
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    checks.worst_ref = std::max(checks.worst_ref, std::abs(outr[i] - out[i]));
  }
  // dL/du = u_grad, checked by central differences of the loss.
  checks.worst_fd =
      std::max(checks.worst_fd, gradcheck::CheckGradient(
                                    [&](const std::vector<double>& t) {
                                      return SgnsLoss(t, out0, d, sg_ctx);
                                    },
                                    u0, u_grad)
                                    .worst_error);
  e.Step(
       "skip-gram: input 'sat', observed context 'cat'; negatives from "
       "unigram^0.75: " +
       Names(sg_ctx) + " (label 1 for 'cat', 0 for the negatives)")
      .Step("u = C_in[sat] = " + chapters::FormatVector(u0));
  for (std::size_t j = 0; j < sg_ctx.size(); ++j) {
    double f = 0;
    for (std::size_t i = 0; i < d; ++i) f += u0[i] * out0[sg_ctx[j] * d + i];
    e.Add(
        "skip-gram f_" + std::to_string(j) + " = u . v_" + kToyWords[sg_ctx[j]],
        f);
    e.Add("skip-gram sigma(f_" + std::to_string(j) + ")",
          1 / (1 + std::exp(-f)));
  }
  e.Add("skip-gram L = -log sigma(f_0) - sum log sigma(-f_j)", sg_loss)
      .Step("after the step: u = " + Row(in, center, d) +
            ", v_cat = " + Row(out, 1, d));
}

// CBOW: the mean of the context rows (window 2 around "sat") predicts it.
void ShowCbow(Example& e, Table& in, Table& out, std::size_t d,
              const std::vector<std::int32_t>& cb_ctx, StepChecks& checks) {
  const std::vector<std::int32_t> context = {0, 1, 3, 0};  // the cat _ on the
  const Table out1 = out, in1 = in;
  std::vector<double> h(d), h_grad(d);
  const double cb_loss = CbowStep(0.1, in, out, d, context, cb_ctx, h, h_grad);
  // dL/d C_in[the, cat, on]: h_grad times (occurrences / 4), checked by
  // central differences of the loss of the mean.
  std::vector<double> rows_theta, rows_grad;
  const std::int32_t distinct[3] = {0, 1, 3};
  const int times[3] = {2, 1, 1};
  for (int t = 0; t < 3; ++t) {
    for (std::size_t i = 0; i < d; ++i) {
      rows_theta.push_back(in1[distinct[t] * d + i]);
      rows_grad.push_back(times[t] / 4.0 * h_grad[i]);
    }
  }
  auto loss_of_rows = [&](const std::vector<double>& t) {
    std::vector<double> mean(d, 0.0);
    for (int q = 0; q < 3; ++q) {
      for (std::size_t i = 0; i < d; ++i)
        mean[i] += times[q] * t[q * d + i] / 4;
    }
    return SgnsLoss(mean, out1, d, cb_ctx);
  };
  checks.worst_fd =
      std::max(checks.worst_fd,
               gradcheck::CheckGradient(loss_of_rows, rows_theta, rows_grad)
                   .worst_error);
  e.Step(
       "CBOW: context 'the cat _ on the' (window 2), h = the mean of its 4 "
       "rows of C_in = " +
       chapters::FormatVector(h))
      .Step("CBOW target 'sat'; negatives: " + Names(cb_ctx));
  e.Add("CBOW L", cb_loss)
      .Step(
          "dL/dC_in[cat] = h_grad / 4 (the mean), but word2vec.c and gensim "
          "subtract lr h_grad from every context row: 4 times the "
          "gradient step (kept here, as the peers do)")
      .Step("after the step: C_in[cat] = " + Row(in, 1, d));
}

void OneStep(Report& r) {
  const std::size_t V = 5, d = 4, k = 2;
  // Both tables drawn uniformly in [-0.5, 0.5] so that the first step is
  // not trivial (word2vec.c starts the output table at 0).
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> init(-0.5, 0.5);
  Table in(V * d), out(V * d);
  for (double& x : in) x = init(rng);
  for (double& x : out) x = init(rng);
  const std::vector<std::int32_t> sg_ctx = Negatives(1, k, rng);
  const std::vector<std::int32_t> cb_ctx = Negatives(2, k, rng);
  Example& e = r.Add("cbow_skipgram.one_step",
                     Source(kLmu, "Network architecture") + "; " +
                         Source(kLmu, "Simplifications") + "; " +
                         Source(kLmu, "Word2Vec"));
  e.Step(
      "sentence: the cat sat on the mat; d = 4, k = 2 negatives, "
      "learning rate 0.1, tables drawn in [-0.5, 0.5] (seed 7)");
  StepChecks checks;
  ShowSkipGram(e, in, out, d, sg_ctx, checks);
  ShowCbow(e, in, out, d, cb_ctx, checks);
  e.AddCheck("max |kernel - reference|, updated rows", checks.worst_ref,
             kReferenceBound, "float kernels on double data: a few ulps")
      .AddCheck("worst gradient error vs central differences", checks.worst_fd,
                kGradCheckBound, gradcheck::kFiniteDifferenceWhy);
}

}  // namespace

// The LMU deck's "How similar are the words" pairs on the book's vectors,
// beside WordSim-353 where it has the pair.
void DeckPairs(Report& r, const chapters::ChapterOptions& options) {
  const std::string& path = options.Input("vectors");
  const chapters::WordVectors v = chapters::ReadWord2Vec(path);
  const auto wordsim = ReadPairs(options.data_dir + "/wordsim353.txt");
  Example& e = r.Add("similarity.deck_pairs", Source(kLmu, "Applications"));
  e.Step(
       "the slide asks how similar coast and shore, rich and money, "
       "happiness and disease, close and open are")
      .Step("the book's vectors: skip-gram, d = " + std::to_string(v.dim) +
            ", trained on the addresses up to 1999 (" +
            std::to_string(v.words.size()) + " words)")
      .Step(
          "rank: a word's place in the vocabulary by count (1 = the most "
          "frequent)");
  auto row = [&](const std::string& w) -> std::size_t {
    const auto it = std::find(v.words.begin(), v.words.end(), w);
    if (it == v.words.end()) {
      throw std::runtime_error("'" + w + "' is not in " + path);
    }
    return static_cast<std::size_t>(it - v.words.begin());
  };
  auto vec = [&](std::size_t i) {
    return std::vector<double>(v.values.begin() + i * v.dim,
                               v.values.begin() + (i + 1) * v.dim);
  };
  std::map<std::string, double> cosines;
  for (const auto& [a, b] : kDeckPairs) {
    const std::size_t ia = row(a), ib = row(b);
    const std::string pair = std::string(a) + ", " + b;
    e.Add("rank(" + std::string(a) + ")", double(ia + 1));
    e.Add("rank(" + std::string(b) + ")", double(ib + 1));
    cosines[pair] = chapters::Cosine(vec(ia), vec(ib));
    e.Add("cos(" + pair + ")", cosines[pair]);
    bool rated = false;
    for (const WordPair& p : wordsim) {
      if ((p.a == a && p.b == b) || (p.a == b && p.b == a)) {
        e.Add("WordSim-353(" + pair + ")", p.score);
        rated = true;
        break;
      }
    }
    if (!rated) e.Step(pair + ": not in WordSim-353");
  }
  const double margin = cosines["coast, shore"] - cosines["happiness, disease"];
  e.Add("cos(coast, shore) - cos(happiness, disease)", margin);
  if (!(margin > kDeckPairsMargin)) {
    throw std::runtime_error(
        "similarity.deck_pairs: coast-shore is not closer than "
        "happiness-disease on " +
        path);
  }
  const PairScore score = EvaluatePairs(v, wordsim);
  e.Add("Spearman rho on WordSim-353", score.rho);
  e.Add("WordSim-353 pairs covered", double(score.covered));
  if (!(score.rho >= kBookRhoBound)) {
    throw std::runtime_error("similarity.deck_pairs: WordSim-353 rho " +
                             std::to_string(score.rho) + " is below " +
                             std::to_string(kBookRhoBound) + " on " + path);
  }
}

Report BuildReport(const chapters::ChapterOptions& options) {
  Report r("05_word2vec");
  r.Run(RichPoorPlane);
  r.Run([&](Report& report) { DeckPairs(report, options); });
  r.Run(OneStep);
  return r;
}

std::vector<chapters::ChapterInput> ChapterInputs() {
  return {{"vectors",
           "word vectors for the examples that need trained ones (default: "
           "the build's book vectors)",
           FFNN_CH05_BOOK_VECTORS}};
}

}  // namespace ffnn::ch05
