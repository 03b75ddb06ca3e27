#include "chapters/05_word2vec/classifier.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <random>
#include <stdexcept>
#include <unordered_map>

#include "chapters/03_backprop/optimizers.h"
#include "chapters/common/errors.h"
#include "chapters/common/vocabulary.h"

namespace ffnn::ch05 {

int PartyOf(const std::string& file_name) {
  auto ends = [&](const std::string& s) {
    return file_name.size() >= s.size() &&
           file_name.compare(file_name.size() - s.size(), s.size(), s) == 0;
  };
  if (ends("_d.txt")) return 0;
  if (ends("_r.txt")) return 1;
  return -1;
}

PartySplit SplitParagraphs(const std::vector<chapters::Document>& docs,
                           std::size_t sentences) {
  if (sentences == 0) {
    throw std::invalid_argument("a paragraph needs at least one sentence");
  }
  PartySplit out;
  for (const chapters::Document& doc : docs) {
    const int party = PartyOf(doc.name);
    if (party < 0) continue;
    const std::size_t i = out.names.size();
    out.names.push_back(doc.name);
    const int which = i % 5 == 0 ? 2 : i % 5 == 1 ? 1 : 0;
    ++out.addresses[which];
    auto& to = which == 2 ? out.test : which == 1 ? out.valid : out.train;
    for (std::size_t s = 0; s < doc.sentences.size(); s += sentences) {
      Paragraph p{{}, party, i};
      const std::size_t end = std::min(doc.sentences.size(), s + sentences);
      for (std::size_t t = s; t < end; ++t) {
        p.tokens.insert(p.tokens.end(), doc.sentences[t].begin(),
                        doc.sentences[t].end());
      }
      to.push_back(std::move(p));
    }
  }
  if (out.train.empty() || out.valid.empty() || out.test.empty()) {
    throw std::invalid_argument(
        "fewer than 5 Democratic or Republican addresses (files named "
        "YEAR_..._d.txt or _r.txt): too few to train, validate and test");
  }
  // A classifier trained on one party scores a perfect accuracy that means
  // nothing.
  for (const int party : {0, 1}) {
    if (std::none_of(out.train.begin(), out.train.end(),
                     [&](const Paragraph& p) { return p.party == party; })) {
      throw std::invalid_argument(
          std::string("the training addresses hold no ") +
          (party == 0 ? "Democratic (_d.txt)" : "Republican (_r.txt)") +
          " one: a classifier of the party needs both");
    }
  }
  return out;
}

ClassScores Score(std::span<const int> predicted, std::span<const int> gold,
                  int classes) {
  if (predicted.size() != gold.size() || gold.empty()) {
    throw std::invalid_argument("Score: predictions and labels differ");
  }
  std::vector<double> tp(classes), fp(classes), fn(classes);
  std::size_t right = 0;
  for (std::size_t i = 0; i < gold.size(); ++i) {
    if (predicted[i] == gold[i]) {
      ++right;
      ++tp[gold[i]];
    } else {
      ++fp[predicted[i]];
      ++fn[gold[i]];
    }
  }
  double f1 = 0;
  for (int c = 0; c < classes; ++c) {
    const double den = 2 * tp[c] + fp[c] + fn[c];
    f1 += den > 0 ? 2 * tp[c] / den : 0.0;
  }
  return {double(right) / double(gold.size()), f1 / classes};
}

namespace {

using Ids = std::vector<std::int32_t>;

std::vector<int> Labels(const std::vector<Paragraph>& ps) {
  std::vector<int> y;
  for (const Paragraph& p : ps) y.push_back(p.party);
  return y;
}

// The sorted distinct in-vocabulary ids of a paragraph (bag of words), or
// every in-vocabulary id in order (for training and pooling).
Ids ToIds(const Paragraph& p,
          const std::unordered_map<std::string, std::int32_t>& id,
          bool distinct) {
  Ids out;
  for (const std::string& w : p.tokens) {
    const auto it = id.find(w);
    if (it != id.end()) out.push_back(it->second);
  }
  if (distinct) {
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
  }
  return out;
}

// Standardizes the columns with the training rows' mean and deviation.
void ZScore(chapters::Matrix& train, std::vector<chapters::Matrix*> others) {
  for (std::size_t j = 0; j < train.cols; ++j) {
    double mean = 0, var = 0;
    for (std::size_t r = 0; r < train.rows; ++r) mean += train(r, j);
    mean /= double(train.rows);
    for (std::size_t r = 0; r < train.rows; ++r) {
      var += (train(r, j) - mean) * (train(r, j) - mean);
    }
    const double sd = std::sqrt(var / double(train.rows)) + 1e-12;
    for (std::size_t r = 0; r < train.rows; ++r) {
      train(r, j) = (train(r, j) - mean) / sd;
    }
    for (chapters::Matrix* M : others) {
      for (std::size_t r = 0; r < M->rows; ++r) {
        (*M)(r, j) = ((*M)(r, j) - mean) / sd;
      }
    }
  }
}

chapters::Matrix OneHot(const std::vector<int>& y) {
  chapters::Matrix Y(y.size(), kParties);
  for (std::size_t r = 0; r < y.size(); ++r) Y(r, y[r]) = 1;
  return Y;
}

std::vector<int> Argmax(const chapters::Matrix& P) {
  std::vector<int> out;
  for (std::size_t r = 0; r < P.rows; ++r) out.push_back(P(r, 1) > P(r, 0));
  return out;
}

//! [bag_of_words]
// Logistic regression on a bag of words: x_w = 1/sqrt(n) for each of the n
// distinct known words of the paragraph (unit length), p(Republican) =
// sigma(w . x + b), SGD on the cross-entropy with a seeded order; the
// epoch with the best validation accuracy is kept.
struct BowModel {
  std::vector<double> w;
  double b = 0;
  double Logit(const Ids& x) const {
    if (x.empty()) return b;
    double z = 0;
    for (const std::int32_t i : x) z += w[i];
    return b + z / std::sqrt(double(x.size()));
  }
};
//! [bag_of_words]

std::vector<int> Predict(const BowModel& m, const std::vector<Ids>& xs) {
  std::vector<int> out;
  for (const Ids& x : xs) out.push_back(m.Logit(x) > 0);
  return out;
}

}  // namespace

//! [mean_pooling]
// J&M's mean pooling: a paragraph is the mean of its words' vectors,
// x = (1/n) sum_i e(w_i): (d); no known word gives the zero vector.
chapters::Matrix MeanPooled(
    const std::vector<std::vector<std::int32_t>>& paragraphs,
    const W2vModel& m) {
  chapters::Matrix X(paragraphs.size(), m.d);
  for (std::size_t r = 0; r < paragraphs.size(); ++r) {
    for (const std::int32_t w : paragraphs[r]) {
      for (std::size_t j = 0; j < m.d; ++j) X(r, j) += m.in[w * m.d + j];
    }
    if (!paragraphs[r].empty()) {
      for (std::size_t j = 0; j < m.d; ++j) X(r, j) /= paragraphs[r].size();
    }
  }
  return X;
}
//! [mean_pooling]

namespace {

// The vocabulary of the training paragraphs, by count then bytes: id[w]
// is w's id, counts[id] its count.
void TrainingVocabulary(const std::vector<Paragraph>& train, int min_count,
                        std::unordered_map<std::string, std::int32_t>& id,
                        std::vector<std::int64_t>& counts) {
  std::map<std::string, std::int64_t> count;
  for (const Paragraph& p : train) {
    for (const std::string& w : p.tokens) ++count[w];
  }
  for (const auto& [w, n] : chapters::RankWords(count, min_count)) {
    id.emplace(w, static_cast<std::int32_t>(counts.size()));
    counts.push_back(n);
  }
}

// The majority class of the training paragraphs, scored.
ClassifierResult MajorityClass(const std::vector<int>& y_train,
                               const std::vector<int>& y_valid,
                               const std::vector<int>& y_test) {
  const auto r = std::count(y_train.begin(), y_train.end(), 1);
  const int majority = 2 * r > std::ptrdiff_t(y_train.size()) ? 1 : 0;
  const std::vector<int> pv(y_valid.size(), majority),
      pt(y_test.size(), majority);
  return {std::string("majority class (") + kPartyNames[majority] + ")",
          Score(pv, y_valid, kParties), Score(pt, y_test, kParties)};
}

// Logistic regression on the bag of words (each paragraph's distinct ids,
// weighted 1/sqrt(n)), SGD at rate 0.5 for cfg.bow_epochs epochs, the
// epoch best on validation kept.
ClassifierResult BagOfWords(
    const std::vector<Ids>& xtr, const std::vector<int>& y_train,
    const std::vector<Ids>& xva, const std::vector<int>& y_valid,
    const std::vector<Ids>& xte, const std::vector<int>& y_test,
    std::size_t vocabulary, const ClassifierConfig& cfg) {
  BowModel m{std::vector<double>(vocabulary, 0.0), 0.0}, best = m;
  double best_acc = -1;
  std::vector<std::size_t> order(xtr.size());
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(cfg.seed);
  const double lr = 0.5;
  for (int epoch = 0; epoch < cfg.bow_epochs; ++epoch) {
    std::shuffle(order.begin(), order.end(), rng);
    for (const std::size_t r : order) {
      const double p = 1 / (1 + std::exp(-m.Logit(xtr[r])));
      const double g = p - y_train[r];  // dL/dz
      const double xw = xtr[r].empty() ? 0 : 1 / std::sqrt(xtr[r].size());
      for (const std::int32_t i : xtr[r]) m.w[i] -= lr * g * xw;
      m.b -= lr * g;
    }
    const double acc = Score(Predict(m, xva), y_valid, kParties).accuracy;
    if (acc > best_acc) {
      best_acc = acc;
      best = m;
    }
  }
  return {"bag-of-words logistic regression",
          Score(Predict(best, xva), y_valid, kParties),
          Score(Predict(best, xte), y_test, kParties)};
}

// Word vectors trained on the training paragraphs, mean-pooled per
// paragraph and z-scored, into chapter 3's MLP (ReLU, softmax; Adam).
ClassifierResult PooledWord2VecMlp(
    const std::vector<Ids>& sentences, const std::vector<int>& y_train,
    const std::vector<Ids>& valid, const std::vector<int>& y_valid,
    const std::vector<Ids>& test, const std::vector<int>& y_test,
    const std::vector<std::int64_t>& counts, const ClassifierConfig& cfg,
    std::FILE* progress) {
  W2vConfig w2v = cfg.w2v;
  w2v.seed = cfg.seed;
  const W2vModel vectors = TrainWord2Vec(sentences, counts, w2v, progress);
  chapters::Matrix Xtr = MeanPooled(sentences, vectors),
                   Xva = MeanPooled(valid, vectors),
                   Xte = MeanPooled(test, vectors);
  ZScore(Xtr, {&Xva, &Xte});
  const ch03::Mlp init = ch03::RandomMlp(
      {vectors.d, cfg.hidden, std::size_t(kParties)}, ch02::Activation::kRelu,
      ch02::Activation::kSoftmax, cfg.seed);
  ch03::TrainConfig tc;
  tc.optimizer = ch03::Optimizer::kAdam;
  tc.lr = 1e-3;
  tc.epochs = cfg.mlp_epochs;
  tc.batch = 32;
  tc.seed = cfg.seed;
  const auto trained =
      ch03::Train(init, Xtr, OneHot(y_train), Xva, OneHot(y_valid), tc);
  if (trained.diverged) {
    throw chapters::TrainingDiverged("the MLP diverged in epoch " +
                                     std::to_string(trained.diverged_epoch));
  }
  return {"mean-pooled word2vec + MLP (chapter 3)",
          Score(Argmax(trained.net.Forward(Xva).output()), y_valid, kParties),
          Score(Argmax(trained.net.Forward(Xte).output()), y_test, kParties)};
}

}  // namespace

PartyReport ClassifyParty(const PartySplit& split, const ClassifierConfig& cfg,
                          std::FILE* progress) {
  PartyReport report;
  report.paragraphs[0] = split.train.size();
  report.paragraphs[1] = split.valid.size();
  report.paragraphs[2] = split.test.size();
  std::unordered_map<std::string, std::int32_t> id;
  std::vector<std::int64_t> counts;
  TrainingVocabulary(split.train, cfg.min_count, id, counts);
  report.vocabulary = counts.size();
  auto ids = [&](const std::vector<Paragraph>& ps, bool distinct) {
    std::vector<Ids> out;
    for (const Paragraph& p : ps) out.push_back(ToIds(p, id, distinct));
    return out;
  };
  const std::vector<int> y_train = Labels(split.train),
                         y_valid = Labels(split.valid),
                         y_test = Labels(split.test);

  report.rows.push_back(MajorityClass(y_train, y_valid, y_test));

  report.rows.push_back(
      BagOfWords(ids(split.train, true), y_train, ids(split.valid, true),
                 y_valid, ids(split.test, true), y_test, counts.size(), cfg));
  report.rows.push_back(PooledWord2VecMlp(
      ids(split.train, false), y_train, ids(split.valid, false), y_valid,
      ids(split.test, false), y_test, counts, cfg, progress));
  return report;
}

}  // namespace ffnn::ch05
