#include "chapters/04_neural_lm/worked_ch04.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "chapters/04_neural_lm/inspect.h"
#include "chapters/04_neural_lm/kneser_ney.h"
#include "chapters/04_neural_lm/lm_corpus.h"
#include "chapters/04_neural_lm/lookup.h"
#include "chapters/04_neural_lm/nplm.h"
#include "chapters/04_neural_lm/train.h"
#include "chapters/common/corpus.h"
#include "chapters/common/cosine.h"
#include "chapters/common/gradcheck.h"

namespace ffnn::ch04 {
namespace {

using chapters::Example;
using chapters::Report;
using chapters::SlideValue;
using chapters::Source;
using namespace chapters::decks;

// The LMU deck's vocabulary and trained table, as printed: C is d x V, one
// COLUMN per word (d = 3, V = 5).
const char* const kWords[5] = {"the", "cat", "on", "table", "chair"};
const double kC[3][5] = {{0.02, 0.1, 0.05, 0.03, 0.01},
                         {0.15, 0.2, 0.01, 0.02, 0.11},
                         {0.03, 0.1, 0.04, 0.04, 0.12}};

void LookupTable(Report& r) {
  const std::size_t d = 3, V = 5;
  const std::int32_t table = 3;
  const std::span<const double> C(&kC[0][0], d * V);
  const std::vector<double> lt = OneHotProduct(C, d, V, table);
  const std::vector<double> gathered =
      GatherRow(Transposed(C, d, V), V, d, table);
  double diff = 0;
  for (std::size_t i = 0; i < d; ++i) {
    diff = std::max(diff, std::abs(lt[i] - gathered[i]));
  }
  // The initial table: every entry 0.01, so every word gets one vector.
  const std::vector<double> initial(V * d, 0.01);
  double spread = 0;
  for (std::size_t j = 0; j < V; ++j) {
    for (std::size_t i = 0; i < d; ++i) {
      spread = std::max(spread, std::abs(initial[j * d + i] - initial[i]));
    }
  }
  Example& e =
      r.Add("embedding.lookup_table",
            Source(kLmu, "Dot product with (trained) weight matrix") + "; " +
                Source(kLmu,
                       "Dot product with (initial) weight "
                       "vector"));
  e.Step("W = {the, cat, on, table, chair}; w_table = (0, 0, 0, 1, 0)")
      .Step("C (d = 3 rows, one column per word) as the slide prints it")
      .Step(
          "LT_table = C w_table: column 4 of C (the slide writes "
          "w_table . C, see erratum lmu.lookup_product_order)")
      .Step(
          "the kernels: C^T stored as a (V, d) table, row 'table' "
          "gathered (EmbeddingGather), no multiplication")
      .Add("LT_table[1]", lt[0], SlideValue{0.03, 2})
      .Add("LT_table[2]", lt[1], SlideValue{0.02, 2})
      .Add("LT_table[3]", lt[2], SlideValue{0.04, 2})
      .Add("largest difference, product vs gather", diff)
      .Step("initial C: every entry 0.01")
      .Add("LT_table[1] (initial C)", initial[table * d], SlideValue{0.01, 2})
      .Add("largest difference between two words' initial vectors", spread);
  r.AddErratum({"lmu.lookup_product_order",
                Source(kLmu, "Dot product with (trained) weight matrix"),
                "LT_table = w_table . C, with w_table a 5-vector and C 3 x 5",
                "LT_table = C w_table (3 x 5 times 5 x 1), or w_table^T C^T",
                "a 5-vector times a 3 x 5 matrix is not defined; the printed "
                "result (0.03, 0.02, 0.04) is column 4 of C, which C w_table "
                "selects"});
}

void TrainingWindow(Report& r) {
  const auto sentences =
      chapters::Tokenize("The cat is walking in the bedroom", "slide");
  const chapters::Sentence& s = sentences.at(0);
  const std::size_t n = 4;
  const Window w = TrainingWindows(s, n).back();  // target "bedroom"
  Example& e = r.Add("lm.training_window",
                     Source(kLmu, "Feedforward Neural Network for LM") + "; " +
                         Source(kJm, "Feedforward Neural Language Modeling"));
  std::string window;
  for (const std::string& word : w.context) window += " " + word;
  e.Step("tokens: " + std::to_string(s.size()) + ", target w_t = '" + w.target +
         "'")
      .Step("the 4 words before it:" + window);
  const char* const want[4] = {"is", "walking", "in", "the"};
  for (std::size_t k = 0; k < 4; ++k) {
    // Position of the slide's word relative to the target, found in the
    // window (the last occurrence); the slide numbers them -4 to -1.
    std::size_t pos = n;
    for (std::size_t j = 0; j < n; ++j) {
      if (w.context[j] == want[k]) pos = j;
    }
    e.Add(std::string("offset of '") + want[k] + "'", double(pos) - double(n),
          SlideValue{double(k) - 4, 0});
  }
  const std::size_t d = 3;  // the LMU table's dimension
  e.Step("J&M, window 3: e = [E x_{t-3}; E x_{t-2}; E x_{t-1}]: 3 d entries")
      .Add("entries of e (d = 3)", double(3 * d));
}

// J&M's equations on numbers of our own (the deck gives none): V = 5 words,
// the LMU table as E (d = 3), window n = 3, h = 2 hidden units. The
// companion's model uses tanh, as Bengio et al.; J&M write sigma.
NplmParams<double> ForwardExampleModel() {
  NplmParams<double> p(NplmShape{5, 3, 3, 2, false});
  p.C = Transposed(std::span<const double>(&kC[0][0], 15), 3, 5);
  // W: (h, n d) = (2, 9); b: (2); U: (5, 2); c = 0 as in J&M's z = U h.
  p.W = {1, -1, 2, 0.5, 0, -1, 1, 2, -0.5, -2, 1, 0, 1, -1, 0.5, 0, 1, 2};
  p.b = {0.1, -0.1};
  p.U = {1, -1, -1, 2, 0.5, 0.5, 2, 0, -1, -1};
  return p;
}

void ForwardInference(Report& r) {
  const NplmParams<double> p = ForwardExampleModel();
  const std::vector<std::int32_t> context = {0, 1, 2};  // "the cat on"
  const std::int32_t target = 3;                        // "table"
  const ForwardTrace t = TraceForward(p, context, target);
  Example& e = r.Add(
      "lm.forward_inference",
      Source(kJm, "Forward inference in a feedforward neural language model"));
  e.Step("context 'the cat on' -> predict w_t; V = 5, d = 3, n = 3, h = 2")
      .Step("e = [E x_{t-3}; E x_{t-2}; E x_{t-1}]: (9); W: (2, 9), b: (2)")
      .Step("h = tanh(W e + b): (2); U: (5, 2); z = U h: (5)")
      .Step("y_hat = softmax(z): (5)");
  for (std::size_t i = 0; i < 3 * 3; ++i) {
    e.Add("e[" + std::to_string(i + 1) + "]", t.e[i]);
  }
  e.Add("h[1]", t.h[0]).Add("h[2]", t.h[1]);
  double sum = 0;
  for (std::size_t v = 0; v < 5; ++v) {
    e.Add(std::string("y_hat[") + kWords[v] + "]", t.y_hat[v]);
    sum += t.y_hat[v];
  }
  e.Add("sum of y_hat", sum).Add("L = -log y_hat[table]", t.loss);
  // The gradient of L with respect to every parameter, against central
  // differences.
  const std::vector<std::int32_t> targets = {target};
  const auto check = gradcheck::CheckGradient(
      [&](const std::vector<double>& theta) {
        NplmParams<double> q(p.shape);
        q.Assign(theta);
        NplmWorkspace<double> w2;
        return ForwardBackward<double>(q, context, targets, nullptr, w2);
      },
      p.Flat(), t.grad.Flat());
  e.Step("gradient of L for E, W, b, U, c against central differences")
      .AddCheck("gradient check: worst relative error", check.worst_error,
                kGradCheckBound, gradcheck::kFiniteDifferenceWhy);
}

// J&M: "I have to make sure that the cat gets fed" is in the training data,
// "dog gets fed" is not. In the sentences below cat and dog share every
// other context, so their embeddings should end up close, and the neural
// model should carry "fed" over from cat to dog; Kneser-Ney can only back
// off to "gets fed" without the subject.
void SimilarWords(Report& r) {
  const char* const kText =
      "i have to make sure that the cat gets fed .\n"
      "the cat sleeps on the mat .\nthe dog sleeps on the mat .\n"
      "the cat eats its food .\nthe dog eats its food .\n"
      "the cat runs to the door .\nthe dog runs to the door .\n"
      "the cat plays in the garden .\nthe dog plays in the garden .\n";
  // 3 words of context, small embeddings; the text 20 times an epoch.
  TrainConfig config;
  config.batch = 16;
  config.lr = 1e-2;
  config.epochs = 30;
  config.seed = 4;
  const TwoModels m =
      TrainTwoModels(chapters::Tokenize(kText, "J&M cat/dog"),
                     NplmShape{0, 3, 8, 16, false}, config, 20, 4);
  const chapters::Vocabulary& vocab = m.vocab;
  const KneserNey& kn = m.kn;
  auto ids = [&](std::initializer_list<const char*> words) {
    std::vector<std::int32_t> v;
    for (const char* w : words) v.push_back(vocab.Id(w));
    return v;
  };
  const std::int32_t fed = vocab.Id("fed");
  const auto dog_ctx = ids({"the", "dog", "gets"}),
             cat_ctx = ids({"the", "cat", "gets"});
  const double nplm_dog = NextWordDistribution(m.nplm.params, dog_ctx)[fed];
  const double nplm_cat = NextWordDistribution(m.nplm.params, cat_ctx)[fed];
  const double kn_dog = kn.Prob(dog_ctx, fed), kn_cat = kn.Prob(cat_ctx, fed);
  auto cosine = [&](const char* a, const char* b) {
    return chapters::Cosine(Embedding(m.nplm.params, vocab.Id(a)),
                            Embedding(m.nplm.params, vocab.Id(b)));
  };
  Example& e =
      r.Add("lm.similar_words_generalize",
            Source(kJm,
                   "Feedforward Neural Language Modeling (Why Neural LMs "
                   "work better than N-gram LMs)"));
  e.Step(
       "training text: 'the cat gets fed' once; cat and dog share 4 other "
       "contexts; 'dog gets' never occurs")
      .Step(
          "NPLM: n = 3, d = 8, h = 16, Adam, 30 epochs; Kneser-Ney: order "
          "4 on the same text")
      .Add("p_NPLM(fed | the dog gets)", nplm_dog)
      .Add("p_KN(fed | the dog gets)", kn_dog)
      .Add("p_NPLM(fed | the cat gets)", nplm_cat)
      .Add("p_KN(fed | the cat gets)", kn_cat)
      .Step("control: a subject unlike cat, never seen before 'gets'")
      .Add("p_NPLM(fed | the door gets)",
           NextWordDistribution(m.nplm.params,
                                ids({"the", "door", "gets"}))[fed])
      .Add("p_KN(fed | the door gets)",
           kn.Prob(ids({"the", "door", "gets"}), fed))
      .Add("cosine(cat, dog)", cosine("cat", "dog"))
      .Add("cosine(cat, mat)", cosine("cat", "mat"))
      .Add("cosine(cat, garden)", cosine("cat", "garden"));
}

}  // namespace

Report BuildReport(const chapters::ChapterOptions&) {
  Report r("04_neural_lm");
  r.Run(LookupTable);
  r.Run(TrainingWindow);
  r.Run(ForwardInference);
  r.Run(SimilarWords);
  return r;
}

}  // namespace ffnn::ch04
