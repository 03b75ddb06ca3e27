// Chapter 4: the corpus pipeline (tokenizer, vocabulary, split, export).
#define BOOST_TEST_MODULE ffnn_ch04
#include <Eigen/Core>
#include <algorithm>
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <unsupported/Eigen/AutoDiff>
#include <vector>

#include "chapters/04_neural_lm/checkpoint.h"
#include "chapters/04_neural_lm/commands.h"
#include "chapters/04_neural_lm/inspect.h"
#include "chapters/04_neural_lm/kneser_ney.h"
#include "chapters/04_neural_lm/lm_corpus.h"
#include "chapters/04_neural_lm/lookup.h"
#include "chapters/04_neural_lm/mixture.h"
#include "chapters/04_neural_lm/nplm.h"
#include "chapters/04_neural_lm/train.h"
#include "chapters/04_neural_lm/worked_ch04.h"
#include "chapters/common/corpus.h"
#include "chapters/common/errors.h"
#include "chapters/common/gradcheck.h"
#include "chapters/common/word_vectors.h"
#include "reference/nplm.h"
#include "tests/support/files.h"
#include "tests/support/report.h"
#include "tests/support/targets.h"

namespace ffnn::testing {
namespace {

namespace fs = std::filesystem;
using chapters::InputError;
using chapters::Sentence;
using chapters::Tokenize;

std::vector<Sentence> Tok(const std::string& text) {
  return Tokenize(text, "test");
}

std::vector<std::string> Lines(const fs::path& file) {
  std::ifstream in(file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

BOOST_AUTO_TEST_SUITE(corpus)

BOOST_AUTO_TEST_CASE(split_follows_the_address_years) {
  std::vector<chapters::Document> docs;
  for (int year : {1790, 1999, 2000, 2008, 2009, 2016, 2017, 2021}) {
    docs.push_back({year, std::to_string(year), {{std::to_string(year)}}});
  }
  const auto split = chapters::SplitByYear(docs);
  auto years = [](const std::vector<Sentence>& s) {
    std::vector<std::string> y;
    for (const auto& x : s) y.push_back(x[0]);
    return y;
  };
  BOOST_TEST(years(split.train) == std::vector<std::string>({"1790", "1999"}),
             boost::test_tools::per_element());
  BOOST_TEST(years(split.valid) == std::vector<std::string>({"2000", "2008"}),
             boost::test_tools::per_element());
  BOOST_TEST(years(split.test) == std::vector<std::string>({"2009", "2016"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(reading_refuses_missing_empty_and_binary_input) {
  BOOST_CHECK_THROW(chapters::ReadSotu("/nonexistent/sotu"), InputError);
  TempDir dir("ffnn_ch04_read");
  BOOST_CHECK_THROW(chapters::ReadSotu(dir.path.string()), InputError);
  dir.Write("1990_a_r.txt", "Fine text.\n");
  dir.Write("1991_b_d.txt", std::string("\x7F"
                                        "ELF\x02\x01\x01\0\0",
                                        9));
  try {
    chapters::ReadSotu(dir.path.string());
    BOOST_ERROR("read a binary file");
  } catch (const InputError& e) {
    BOOST_TEST(std::string(e.what()).find("1991_b_d.txt: NUL byte") !=
                   std::string::npos,
               e.what());
  }
  // Only training years and a min count nothing reaches: empty vocabulary.
  fs::remove(dir.path / "1991_b_d.txt");
  BOOST_CHECK_THROW(ch04::LoadSotu(dir.path.string(), 2), InputError);
}

// The real corpus: the split matches the file names' years (counted here
// independently), and the export reads back to the same streams.
BOOST_AUTO_TEST_CASE(sotu_split_and_export_round_trip) {
  std::size_t files[3] = {0, 0, 0};
  for (const auto& e : fs::directory_iterator(FFNN_SOTU_DIR)) {
    const int year = std::stoi(e.path().filename().string().substr(0, 4));
    if (year <= 1999)
      ++files[0];
    else if (year <= 2008)
      ++files[1];
    else if (year <= 2016)
      ++files[2];
  }
  const auto docs = chapters::ReadSotu(FFNN_SOTU_DIR);
  std::size_t got[3] = {0, 0, 0};
  for (const auto& d : docs) {
    if (d.year <= 1999)
      ++got[0];
    else if (d.year <= 2008)
      ++got[1];
    else if (d.year <= 2016)
      ++got[2];
  }
  for (int i = 0; i < 3; ++i) BOOST_TEST(got[i] == files[i]);
  BOOST_TEST(files[1] == 9u);  // 2000-2008: one address a year
  BOOST_TEST(files[2] == 8u);  // 2009-2016

  const auto corpus = ch04::LoadSotu(FFNN_SOTU_DIR, ch04::kDefaultMinCount);
  for (std::size_t id = 2; id < corpus.vocab.size(); ++id) {
    const auto i = static_cast<std::int32_t>(id);
    BOOST_TEST_REQUIRE(corpus.vocab.Count(i) >= ch04::kDefaultMinCount);
    if (id > 2)
      BOOST_TEST_REQUIRE(corpus.vocab.Count(i) <= corpus.vocab.Count(i - 1));
  }
  TempDir out("ffnn_ch04_export");
  ch04::Export(corpus, out.path.string());
  const auto stats = corpus.Stats();
  const char* files_out[] = {"train.txt", "valid.txt", "test.txt"};
  for (int i = 0; i < 3; ++i) {
    const auto lines = Lines(out.path / files_out[i]);
    BOOST_TEST(lines.size() == stats[i].sentences);
    std::size_t tokens = 0, unk = 0;
    for (const auto& line : lines) {
      std::istringstream words(line);
      for (std::string w; words >> w;) {
        ++tokens;
        unk += w == "<unk>";
        BOOST_TEST_REQUIRE((w == "<unk>" || corpus.vocab.Id(w) != 0), w);
      }
      ++tokens;  // the line end is one </s>
    }
    BOOST_TEST(tokens == stats[i].tokens);
    BOOST_TEST(unk == stats[i].unk);
  }
  const auto vocab = Lines(out.path / "vocab.txt");
  BOOST_TEST(vocab.size() == corpus.vocab.size());
  BOOST_TEST(vocab[0].rfind("<unk> ", 0) == 0u);
  BOOST_TEST(vocab[1] == "</s> " + std::to_string(stats[0].sentences));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace ffnn::testing

namespace ffnn::testing {
namespace {

using ch04::Discounts;
using ch04::KneserNey;

BOOST_AUTO_TEST_SUITE(kneser_ney)

// Chen & Goodman's formulas at n1..n4 = 10, 5, 3, 2, by hand:
// Y = 10 / 20 = 0.5, D1 = 1 - 2 (0.5) 5/10 = 0.5, D2 = 2 - 3 (0.5) 3/5 = 1.1,
// D3+ = 3 - 4 (0.5) 2/3 = 5/3; and the 0.5 fallback where undefined.
BOOST_AUTO_TEST_CASE(discounts_from_count_of_counts) {
  const Discounts d = ch04::EstimateDiscounts(10, 5, 3, 2);
  BOOST_TEST(d.d1 == 0.5, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(d.d2 == 1.1, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(d.d3 == 5.0 / 3.0, boost::test_tools::tolerance(1e-15));
  const Discounts none = ch04::EstimateDiscounts(0, 0, 0, 0);
  BOOST_TEST(none.d1 == 0.5);
  BOOST_TEST(none.d3 == 0.5);
  BOOST_TEST(d.For(0) == 0.0);
  BOOST_TEST(d.For(7) == d.d3);
}

// The stream a b a b a c a (a = 0, b = 1, c = 2), bigrams, every discount
// 0.5, worked by hand:
//   continuation counts a = 2 (after b, c), b = 1, c = 1; total 4; N1 = 2,
//   N2 = 1, so p1 = ((c - 0.5) + 0.5 (2 + 1) / 3) / 4 = (0.5, 0.25, 0.25);
//   after a: ab x2, ac x1 (total 3, gamma = 0.5 + 0.5 = 1):
//     p(b|a) = (1.5 + 0.25) / 3, p(c|a) = (0.5 + 0.25) / 3, p(a|a) = 0.5 / 3;
//   after b: ba x2 (total 2, gamma 0.5): p(a|b) = (1.5 + 0.25) / 2,
//     p(b|b) = p(c|b) = 0.125 / 2;
//   after c: ca x1 (total 1, gamma 0.5): p(a|c) = 0.5 + 0.25,
//     p(b|c) = p(c|c) = 0.125.
BOOST_AUTO_TEST_CASE(bigram_probabilities_worked_by_hand) {
  const std::vector<std::int32_t> train = {0, 1, 0, 1, 0, 2, 0};
  const KneserNey kn(train, 3, 2, {Discounts{}, Discounts{}});
  const double want[3][3] = {{0.5 / 3, 1.75 / 3, 0.75 / 3},
                             {1.75 / 2, 0.0625, 0.0625},
                             {0.75, 0.125, 0.125}};
  const double unigram[3] = {0.5, 0.25, 0.25};
  for (std::int32_t h = 0; h < 3; ++h) {
    for (std::int32_t w = 0; w < 3; ++w) {
      BOOST_TEST(kn.Prob(std::vector<std::int32_t>{h}, w) == want[h][w],
                 boost::test_tools::tolerance(1e-14));
      BOOST_TEST(kn.Prob({}, w) == unigram[w],
                 boost::test_tools::tolerance(1e-14));
    }
  }
  // Perplexity of a b c after one context token: 1 / sqrt(p(b|a) p(c|b)).
  const std::vector<std::int32_t> held = {0, 1, 2};
  BOOST_TEST(kn.Perplexity(held, 1) == 1.0 / std::sqrt(1.75 / 3 * 0.0625),
             boost::test_tools::tolerance(1e-13));
}

// sum_w p(w | h) = 1 over the whole vocabulary, for histories seen in
// training, seen only in part, and never seen, at every order.
BOOST_AUTO_TEST_CASE(probabilities_sum_to_one_for_any_history) {
  const auto corpus = ch04::LoadSotu(FFNN_SOTU_DIR, ch04::kDefaultMinCount);
  auto train = chapters::ToStream(corpus.train, corpus.vocab);
  train.resize(60000);  // enough for every kind of history, fast to count
  const auto valid = chapters::ToStream(corpus.valid, corpus.vocab);
  const std::size_t V = corpus.vocab.size();
  for (int order = 2; order <= 5; ++order) {
    const KneserNey kn(train, V, order);
    std::vector<std::vector<std::int32_t>> histories = {
        {train.begin() + 100, train.begin() + 104},   // seen
        {valid.begin() + 10, valid.begin() + 14},     // mostly unseen
        {static_cast<std::int32_t>(V - 1), 7, 7, 7},  // a rare word, repeated
        {}};
    for (const auto& h : histories) {
      double sum = 0;
      for (std::size_t w = 0; w < V; ++w) {
        sum += kn.Prob(h, static_cast<std::int32_t>(w));
      }
      // V terms of size ~1/V each: rounding ~ V u.
      BOOST_TEST(sum == 1.0, boost::test_tools::tolerance(1e-10));
    }
  }
}

BOOST_AUTO_TEST_CASE(bad_arguments_are_refused) {
  const std::vector<std::int32_t> train = {0, 1, 2};
  BOOST_CHECK_THROW(KneserNey(train, 3, 6), std::invalid_argument);
  BOOST_CHECK_THROW(KneserNey(train, 3, 0), std::invalid_argument);
  BOOST_CHECK_THROW(KneserNey(train, 2, 2), std::invalid_argument);
  BOOST_CHECK_THROW(KneserNey(train, 0, 2), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace ffnn::testing

namespace ffnn::testing {
namespace {

using ch04::NplmParams;
using ch04::NplmShape;

// A small model with random parameters (scale 0.5: tanh units neither
// linear nor saturated) and a batch with repeated context words.
struct SmallNplm {
  NplmShape shape;
  NplmParams<double> p;
  std::vector<std::int32_t> contexts, targets;
  explicit SmallNplm(bool direct) : shape{7, 2, 3, 4, direct}, p(shape) {
    std::mt19937_64 rng(41);
    std::uniform_real_distribution<double> u(-0.5, 0.5);
    for (auto& blk : p.Blocks()) {
      for (double& x : blk.values) x = u(rng);
    }
    contexts = {0, 1, 1, 1, 6, 2, 3, 0, 2, 6};
    targets = {2, 0, 6, 2, 5};
  }
  std::vector<double> keep;  // dropout multipliers (B x h), or empty
  double KernelLoss(const std::vector<double>& theta) {
    p.Assign(theta);
    ch04::NplmWorkspace<double> ws;
    ws.keep = keep;
    return ch04::ForwardBackward<double>(p, contexts, targets, nullptr, ws) /
           double(targets.size());
  }
  reference::NplmRef<double> Reference() {
    const std::size_t V = shape.vocab, d = shape.dim, in = shape.In(),
                      h = shape.hidden;
    using M = reference::Mat<double>;
    using Vc = reference::Vec<double>;
    reference::NplmRef<double> r;
    r.C = Eigen::Map<const M>(p.C.data(), V, d);
    r.W = Eigen::Map<const M>(p.W.data(), h, in);
    r.b = Eigen::Map<const Vc>(p.b.data(), h);
    r.U = Eigen::Map<const M>(p.U.data(), V, h);
    r.c = Eigen::Map<const Vc>(p.c.data(), V);
    if (shape.direct) r.D = Eigen::Map<const M>(p.D.data(), V, in);
    return r;
  }
};

BOOST_AUTO_TEST_SUITE(gradcheck)

// The whole model's gradient (C, W, b, U, c and the direct connections D)
// on every SIMD target: against central differences of the kernel forward
// pass, and against central differences of the plain Eigen model of
// reference/nplm.h, whose loss must equal the kernels' to rounding.
// Tolerance 1e-7: the central differences' error is ~1e-10 at these scales
// (gradcheck.h), a wrong term is O(0.01) or more.
// With dropout (a fixed mask, rate 0.5, keep 2, one case), the same checks
// through the reference's masked hidden layer.
BOOST_AUTO_TEST_CASE(nplm_gradient_matches_finite_differences_and_reference) {
  ForEachTarget([&](int64_t) {
    for (int variant : {0, 1, 2}) {
      const bool direct = variant >= 1;
      SmallNplm m(direct);
      if (variant == 2) {
        ch04::DropoutMask(0.5, 3, 0, m.targets.size() * m.shape.hidden, m.keep);
      }
      reference::Mat<double> keep_ref;
      if (!m.keep.empty()) {
        keep_ref = Eigen::Map<const reference::Mat<double>>(
            m.keep.data(), m.targets.size(), m.shape.hidden);
      }
      const reference::Mat<double>* keep = m.keep.empty() ? nullptr : &keep_ref;
      const std::vector<double> theta = m.p.Flat();
      NplmParams<double> grad(m.shape);
      ch04::NplmWorkspace<double> ws;
      ws.keep = m.keep;
      const double loss =
          ch04::ForwardBackward<double>(m.p, m.contexts, m.targets, &grad, ws) /
          double(m.targets.size());
      const std::vector<double> analytic = grad.Flat();
      BOOST_TEST_REQUIRE(analytic.size() == theta.size());
      const auto fd = ffnn::gradcheck::CheckGradient(
          [&](const std::vector<double>& t) { return m.KernelLoss(t); }, theta,
          analytic);
      BOOST_TEST(fd.worst_error <= 1e-7,
                 "kernels, direct=" << direct << ": " << fd.Describe());
      m.p.Assign(theta);
      const double ref_loss = reference::NplmLoss<double>(
          m.Reference(), m.contexts, m.targets, keep);
      // The kernels and the Eigen reference sum the same log-sum-exps and
      // the batch mean in other orders: ~(V + B) u relative, observed 1.5e-16;
      // 1e-13 leaves room for other SIMD widths and is 1e10 below 0.1%.
      BOOST_TEST(std::abs(ref_loss - loss) <= 1e-13 * std::abs(loss));
      const auto ref = ffnn::gradcheck::CheckGradient(
          [&](const std::vector<double>& t) {
            m.p.Assign(t);
            return reference::NplmLoss<double>(m.Reference(), m.contexts,
                                               m.targets, keep);
          },
          theta, analytic);
      BOOST_TEST(ref.worst_error <= 1e-7,
                 "reference, direct=" << direct << ": " << ref.Describe());
    }
  });
}

// The same gradient by AutoDiff through the reference model (every
// parameter an active variable, the dropout mask a constant): exact up to
// rounding, so the bound is 1e-12 against gradients of order 0.01-1; a
// wrong or missing term is off by far more.
BOOST_AUTO_TEST_CASE(nplm_gradient_matches_autodiff_through_the_reference) {
  using AD = Eigen::AutoDiffScalar<Eigen::VectorXd>;
  for (int variant : {0, 1, 2}) {
    SmallNplm m(variant >= 1);
    if (variant == 2) {
      ch04::DropoutMask(0.5, 3, 0, m.targets.size() * m.shape.hidden, m.keep);
    }
    NplmParams<double> grad(m.shape);
    ch04::NplmWorkspace<double> ws;
    ws.keep = m.keep;
    ch04::ForwardBackward<double>(m.p, m.contexts, m.targets, &grad, ws);
    const std::vector<double> analytic = grad.Flat();
    // Parameters in Flat() order, each with its own unit derivative.
    const auto P = static_cast<Eigen::Index>(analytic.size());
    Eigen::Index next = 0;
    auto active = [&](const std::vector<double>& v, Eigen::Index rows,
                      Eigen::Index cols) {
      reference::Mat<AD> out(rows, cols);
      for (Eigen::Index i = 0; i < rows * cols; ++i) {
        out(i / cols, i % cols) = AD(v[static_cast<std::size_t>(i)], P, next++);
      }
      return out;
    };
    const auto V = Eigen::Index(m.shape.vocab), d = Eigen::Index(m.shape.dim),
               in = Eigen::Index(m.shape.In()),
               h = Eigen::Index(m.shape.hidden);
    reference::NplmRef<AD> r;
    r.C = active(m.p.C, V, d);
    r.W = active(m.p.W, h, in);
    r.b = active(m.p.b, h, 1).col(0);
    r.U = active(m.p.U, V, h);
    r.c = active(m.p.c, V, 1).col(0);
    if (m.shape.direct) r.D = active(m.p.D, V, in);
    BOOST_TEST_REQUIRE(next == P);
    reference::Mat<AD> keep;
    if (!m.keep.empty()) {
      keep.resize(Eigen::Index(m.targets.size()), h);
      for (Eigen::Index i = 0; i < keep.size(); ++i) {
        keep(i / h, i % h) = AD(m.keep[static_cast<std::size_t>(i)]);
      }
    }
    const AD loss = reference::NplmLoss<AD>(r, m.contexts, m.targets,
                                            m.keep.empty() ? nullptr : &keep);
    BOOST_TEST_REQUIRE(loss.derivatives().size() == P);
    double worst = 0;
    for (Eigen::Index i = 0; i < P; ++i) {
      worst = std::max(worst, std::abs(loss.derivatives()[i] -
                                       analytic[static_cast<std::size_t>(i)]));
    }
    // The same gradient by two routes in double, entries below 1 (observed
    // <= 8e-17); a 0.1% error of any entry above 1e-9 exceeds 1e-12.
    BOOST_TEST(worst <= 1e-12, "variant " << variant << ": off by " << worst);
  }
}

// The mask: every multiplier is 0 or 1 / (1 - p); the dropped fraction of
// 10^5 units is p within 5 standard deviations (sqrt(p (1 - p) / 10^5) =
// 0.00145 for p = 0.3); the same (seed, step) gives the same mask, another
// step or seed another one.
BOOST_AUTO_TEST_CASE(dropout_mask_has_the_rate_and_depends_on_seed_and_step) {
  const std::size_t count = 100000;
  std::vector<float> a, b, c, e;
  ch04::DropoutMask(0.3, 11, 5, count, a);
  ch04::DropoutMask(0.3, 11, 5, count, b);
  ch04::DropoutMask(0.3, 11, 6, count, c);
  ch04::DropoutMask(0.3, 12, 5, count, e);
  std::size_t dropped = 0;
  for (const float x : a) {
    BOOST_TEST_REQUIRE((x == 0.0f || x == static_cast<float>(1 / 0.7)));
    dropped += x == 0.0f;
  }
  BOOST_TEST(std::abs(double(dropped) / count - 0.3) <= 5 * 0.00145);
  BOOST_TEST((a == b));
  BOOST_TEST((a != c));
  BOOST_TEST((a != e));
  BOOST_CHECK_THROW(ch04::DropoutMask(1.0, 1, 1, 4, a), std::invalid_argument);
}

// Same batch, 1, 2 and 3 threads: the same loss and gradient, bit for bit
// (float, a model big enough for the kernels to split the work).
BOOST_AUTO_TEST_CASE(nplm_step_is_bit_identical_for_every_thread_count) {
  NplmShape shape{3001, 3, 16, 64, true};
  NplmParams<float> p(shape);
  ch04::Initialize(p, 7);
  std::mt19937_64 rng(8);
  std::uniform_int_distribution<std::int32_t> word(0, 3000);
  std::vector<std::int32_t> contexts(97 * 3), targets(97);
  for (auto& w : contexts) w = word(rng);
  for (auto& w : targets) w = word(rng);
  std::vector<std::vector<float>> grads;
  std::vector<double> losses;
  for (int threads : {1, 2, 3}) {
    NplmParams<float> grad(shape);
    ch04::NplmWorkspace<float> ws;
    losses.push_back(
        ch04::ForwardBackward<float>(p, contexts, targets, &grad, ws, threads));
    grads.push_back(grad.Flat());
  }
  for (int t = 1; t < 3; ++t) {
    BOOST_TEST(losses[t] == losses[0]);
    BOOST_TEST((grads[t] == grads[0]),
               "gradient differs with " << t + 1 << " threads");
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace ffnn::testing

namespace ffnn::testing {
namespace {

// A stream a model can learn: the words 2..21 in a cycle, with </s> (id 1)
// after every tenth word; V = 24 (ids 22 and 23 never occur).
std::vector<std::int32_t> CycleStream(std::size_t length) {
  std::vector<std::int32_t> s;
  for (std::size_t i = 0; s.size() < length; ++i) {
    s.push_back(static_cast<std::int32_t>(2 + i % 20));
    if (i % 10 == 9) s.push_back(1);
  }
  return s;
}

ch04::TrainState SmallState(std::uint64_t seed, int epochs,
                            bool regularized = false) {
  ch04::TrainState st(ch04::NplmShape{24, 3, 8, 16, false});
  st.config.batch = 32;
  st.config.lr = 3e-2;
  st.config.epochs = epochs;
  st.config.seed = seed;
  if (regularized) {
    st.config.dropout = 0.2;
    st.config.weight_decay = 0.1;
  }
  ch04::Initialize(st.params, seed);
  return st;
}

struct TempFile {
  std::string path;
  explicit TempFile(const std::string& name)
      : path((fs::temp_directory_path() /
              (name + "." + std::to_string(::getpid())))
                 .string()) {}
  ~TempFile() { fs::remove(path); }
};

BOOST_AUTO_TEST_SUITE(training)

// Training learns the cycle (perplexity falls far below the uniform V = 24);
// the same seed gives the same parameters for 1 and 2 threads; and stopping
// after epoch 1, saving, loading and resuming gives exactly the parameters
// of an uninterrupted 3-epoch run. All of it with and without dropout and
// weight decay (whose masks depend on the step, not the run).
BOOST_DATA_TEST_CASE(training_learns_is_deterministic_and_resumes_exactly,
                     boost::unit_test::data::make({false, true}), reg) {
  const auto train = CycleStream(3000), valid = CycleStream(400);
  auto full = SmallState(5, 3, reg);
  ch04::Train(full, train, valid, 1, nullptr, nullptr);
  BOOST_TEST(full.history.size() == 3u);
  BOOST_TEST(full.history.back().valid_ppl < 3.0);
  BOOST_TEST(full.history.back().valid_ppl < full.history.front().valid_ppl);

  auto two = SmallState(5, 3, reg);
  ch04::Train(two, train, valid, 2, nullptr, nullptr);
  BOOST_TEST((two.params.Flat() == full.params.Flat()));

  TempFile ckpt("ffnn_ch04_ckpt");
  auto first = SmallState(5, 1, reg);
  ch04::Train(
      first, train, valid, 1,
      [&](const ch04::TrainState& s) { ch04::SaveCheckpoint(s, ckpt.path); },
      nullptr);
  auto resumed = ch04::LoadCheckpoint(ckpt.path);
  BOOST_TEST(resumed.step == first.step);
  BOOST_TEST((resumed.params.Flat() == first.params.Flat()));
  resumed.config.epochs = 3;
  ch04::Train(resumed, train, valid, 1, nullptr, nullptr);
  BOOST_TEST((resumed.params.Flat() == full.params.Flat()));
  BOOST_TEST(resumed.history.back().valid_ppl == full.history.back().valid_ppl);
}

// Per-token log-probabilities add up to Evaluate's total; the mixture with
// lambda = 1 or 0 is each model alone; a symmetric pair of tokens, each
// model right about one (0.9 against 0.01), has its optimum at 1/2, where
// the perplexity is 1 / 0.455 by hand.
BOOST_AUTO_TEST_CASE(token_log_probs_and_interpolation) {
  const auto train = CycleStream(3000), valid = CycleStream(400);
  auto st = SmallState(5, 1);
  ch04::Train(st, train, valid, 1, nullptr, nullptr);
  const auto logp = ch04::TokenLogProbs(st.params, valid, 1);
  const auto score = ch04::Evaluate(st.params, valid, 1);
  BOOST_TEST(logp.size() == score.tokens);
  double nll = 0;
  for (const double l : logp) nll -= l;
  // float kernels: each row's loss to ~1e-6 relative, 400 rows.
  BOOST_TEST(nll == score.nll, boost::test_tools::tolerance(1e-5));
  std::vector<double> q(logp.size(), 1.0 / 24);
  BOOST_TEST(ch04::MixedPerplexity(logp, q, 1.0) == score.Perplexity(),
             boost::test_tools::tolerance(1e-5));
  BOOST_TEST(ch04::MixedPerplexity(logp, q, 0.0) == 24.0,
             boost::test_tools::tolerance(1e-12));
  const std::vector<double> lp = {std::log(0.9), std::log(0.01)},
                            q2 = {0.01, 0.9};
  BOOST_TEST(ch04::TuneLambda(lp, q2) == 0.5);
  BOOST_TEST(ch04::MixedPerplexity(lp, q2, 0.5) == 1 / 0.455,
             boost::test_tools::tolerance(1e-12));
}

// One SGD step over a batch holding every example: the embedding table and
// biases move by -lr g, the weight matrices W and U decay first:
// theta' = (1 - lr wd) theta - lr g, with g computed here by ForwardBackward
// in the stream's order (Train's shuffled order changes only the rounding
// of the float sums, ~1e-7; a missing decay moves U by lr wd |U| ~ 1e-2).
// Again with the gradient's global norm clipped to a quarter, and with the
// learning rate decayed.
BOOST_DATA_TEST_CASE(sgd_step_with_decoupled_weight_decay_by_hand,
                     boost::unit_test::data::make({0, 1, 2}), variant) {
  const bool clipped = variant == 1, decayed = variant == 2;
  const auto train = CycleStream(200), valid = CycleStream(100);
  auto st = SmallState(9, 1);
  st.config.optimizer = "sgd";
  st.config.lr = 0.1;
  st.config.weight_decay = 0.5;
  st.config.clip = 0;
  st.config.batch = 1000;
  const auto before = st.params;
  std::vector<std::int32_t> contexts, targets;
  for (std::size_t t = 3; t < train.size(); ++t) {
    contexts.insert(contexts.end(), train.begin() + (t - 3), train.begin() + t);
    targets.push_back(train[t]);
  }
  NplmParams<float> g(st.params.shape);
  ch04::NplmWorkspace<float> ws;
  ch04::ForwardBackward<float>(before, contexts, targets, &g, ws);
  // Clipped: the global norm |g| (over every block) is cut to a quarter, so
  // the step is -lr (|g| / 4) g / |g|; the decay is not clipped.
  double norm2 = 0;
  for (const float v : g.Flat()) norm2 += double(v) * v;
  const double scale = clipped ? 0.25 : 1.0;
  if (clipped) st.config.clip = 0.25 * std::sqrt(norm2);
  // Decayed: resumed at step 4 with lr_decay 0.25, lr_t = 0.1 / (1 + 1).
  if (decayed) {
    st.step = 4;
    st.config.lr_decay = 0.25;
  }
  const double lr = decayed ? 0.05 : 0.1;
  ch04::Train(st, train, valid, 1, nullptr, nullptr);
  BOOST_TEST_REQUIRE(st.step == (decayed ? 5u : 1u));
  auto after = st.params.Blocks();
  auto old = const_cast<NplmParams<float>&>(before).Blocks();
  auto grad = g.Blocks();
  for (std::size_t b = 0; b < after.size(); ++b) {
    const bool decays = b == 1 || b == 3;  // W, U
    double worst = 0;
    for (std::size_t i = 0; i < after[b].values.size(); ++i) {
      const double want = (decays ? 1 - lr * 0.5 : 1.0) * old[b].values[i] -
                          lr * scale * grad[b].values[i];
      worst = std::max(worst, std::abs(after[b].values[i] - want));
    }
    BOOST_TEST(worst <= 1e-5, after[b].name << ": off by " << worst
                                            << ", variant " << variant);
  }
}

BOOST_AUTO_TEST_CASE(divergence_is_reported_with_its_step) {
  const auto train = CycleStream(2000), valid = CycleStream(200);
  auto st = SmallState(3, 1);
  st.config.optimizer = "sgd";
  st.config.lr = 1e4;
  st.config.clip = 0;
  try {
    ch04::Train(st, train, valid, 1, nullptr, nullptr);
    BOOST_ERROR("a learning rate of 1e4 did not diverge");
  } catch (const chapters::TrainingDiverged& e) {
    const std::string what = e.what();
    BOOST_TEST(what.find("diverged at step ") != std::string::npos, what);
    BOOST_TEST(what.find("learning rate 10000") != std::string::npos, what);
  }
}

// A checkpoint that is truncated, not a checkpoint, lies about its shape or
// holds a NaN is refused with one message naming the file.
BOOST_AUTO_TEST_CASE(hostile_checkpoints_are_refused) {
  auto st = SmallState(2, 1);
  TempFile good("ffnn_ch04_good"), bad("ffnn_ch04_bad");
  ch04::SaveCheckpoint(st, good.path);
  const std::string bytes = Slurp(good.path);
  auto expect_refused = [&](const std::string& content, const char* want) {
    std::ofstream(bad.path, std::ios::binary) << content;
    try {
      ch04::LoadCheckpoint(bad.path);
      BOOST_ERROR("loaded a bad checkpoint, expected '" << want << "'");
    } catch (const std::runtime_error& e) {
      const std::string what = e.what();
      BOOST_TEST(what.find(bad.path + ": ") == 0, what);
      BOOST_TEST(what.find(want) != std::string::npos, what);
    }
  };
  expect_refused(bytes.substr(0, bytes.size() - 3), "bytes of parameters");
  expect_refused(bytes.substr(0, 20), "truncated");
  expect_refused("not a checkpoint at all", "not an nplm checkpoint");
  expect_refused("", "truncated");
  std::string huge = bytes;
  const std::uint64_t lie = std::uint64_t{1} << 40;  // vocabulary size
  std::memcpy(huge.data() + 8, &lie, 8);
  expect_refused(huge, "impossible model shape");
  // A shape within the limits (V = 2^24, d = 4096) that the file cannot
  // hold: refused before the parameter tables (768 GiB) are allocated.
  std::string lying = bytes;
  const std::uint64_t vocab = std::uint64_t{1} << 24, dim = 4096;
  std::memcpy(lying.data() + 8, &vocab, 8);
  std::memcpy(lying.data() + 24, &dim, 8);
  expect_refused(lying, "more than the file holds");
  // Found by fuzz_lm_checkpoint: an optimizer byte of 36 loaded as "sgd"
  // and was saved back as 1. (Offset: magic 8, shape 33, batch 8.)
  std::string flag = bytes;
  flag[8 + 33 + 8] = 36;
  expect_refused(flag, "a flag byte that is neither 0 nor 1");
  std::string nan = bytes;
  const float q = std::numeric_limits<float>::quiet_NaN();
  std::memcpy(nan.data() + nan.size() - 4, &q, 4);
  expect_refused(nan, "non-finite");
  // Found by fuzz_lm_checkpoint: a NaN in the epoch history (printed by the
  // tools) was loaded. SmallState trains no epoch, so one is added here.
  {
    auto with_history = SmallState(2, 1);
    with_history.history.push_back({1, 50.0, 60.0, 1.0, 1000.0, 0, 0, 0, 0});
    ch04::SaveCheckpoint(with_history, good.path);
    std::string bytes_h = Slurp(good.path);
    // The history sits before the 3 parameter tables; its train_ppl is the
    // first double after the epoch number (int32).
    const std::size_t params = 3 * 4 * with_history.params.Size();
    const std::size_t entry = bytes_h.size() - params - (4 + 8 * 8);
    const double q_nan = std::numeric_limits<double>::quiet_NaN();
    std::memcpy(bytes_h.data() + entry + 4, &q_nan, 8);
    expect_refused(bytes_h, "a non-finite number in the epoch history");
    ch04::SaveCheckpoint(st, good.path);
  }
  BOOST_CHECK_NO_THROW(ch04::LoadCheckpoint(good.path));
  // Found by fuzz_lm_checkpoint: finite parameters large enough to overflow
  // the float logits gave an infinite perplexity, which nplm eval printed.
  // exp(1e6 / 10) overflows; exp(2 / 1) is e^2.
  BOOST_CHECK_THROW(ch04::FinitePerplexity({1e6, 10}, "m"), std::runtime_error);
  BOOST_TEST(ch04::FinitePerplexity({2.0, 1}, "m") == std::exp(2.0));
  // A device is not read until the memory runs out.
  BOOST_CHECK_EXCEPTION(ch04::LoadCheckpoint("/dev/urandom"),
                        std::runtime_error, [](const std::runtime_error& e) {
                          return std::string(e.what()).find(
                                     "not a regular file") != std::string::npos;
                        });
  // A file larger than the memory budget (twice its size: its bytes and the
  // state they become) is refused before it is read.
  const chapters::MemoryBudget tiny{100, "is the test's limit"};
  BOOST_CHECK_EXCEPTION(
      ch04::LoadCheckpoint(good.path, &tiny), chapters::MemoryError,
      [&](const chapters::MemoryError& e) {
        return std::string(e.what()).starts_with(
            "needs " + chapters::FormatBytes(2 * Slurp(good.path).size()) +
            " for the model " + good.path +
            "; 100 bytes is the test's "
            "limit");
      });
}

// A perplexity exists only where a token was scored: a split of one token
// gave 0.00 from nplm kn, eval and train (which then stopped early), and a
// training split without an example "train_ppl": [null].
BOOST_AUTO_TEST_CASE(a_perplexity_needs_a_scored_token) {
  BOOST_CHECK_THROW(ch04::Score{}.Perplexity(), ch04::NothingToScore);
  BOOST_TEST(ch04::Score({std::log(24.0), 1}).Perplexity() == 24.0,
             boost::test_tools::tolerance(1e-15));
  // kContextTokens = 4 tokens only give context; the fifth is scored.
  BOOST_TEST(ch04::ScoredTokens(4, 3) == 0u);
  BOOST_TEST(ch04::ScoredTokens(5, 3) == 1u);
  BOOST_TEST(ch04::ScoredTokens(0, 3) == 0u);
  const std::vector<std::int32_t> four = {2, 3, 4, 1}, five = {2, 3, 4, 5, 1};
  try {
    ch04::RequireScoredTokens(four, 3, "--valid v.txt");
    BOOST_ERROR("four tokens were scored");
  } catch (const ch04::NothingToScore& e) {
    BOOST_TEST(std::string(e.what()) ==
               "--valid v.txt: 4 token(s) with the </s> of each line, none "
               "to score: the first 4 only give context, so at least 5 are "
               "needed");
  }
  BOOST_CHECK_NO_THROW(ch04::RequireScoredTokens(five, 3, "v"));
  // Kneser-Ney and the mixture have no perplexity of nothing either.
  const ch04::KneserNey kn(CycleStream(200), 24, 3);
  BOOST_CHECK_THROW(kn.Perplexity(four, ch04::kContextTokens),
                    std::invalid_argument);
  BOOST_TEST(kn.Perplexity(five, ch04::kContextTokens) >= 1.0);
  BOOST_CHECK_THROW(ch04::MixedPerplexity({}, {}, 0.5), ch04::NothingToScore);
  // Training refuses both before its first step: on_epoch never runs.
  int epochs = 0;
  auto count = [&](const ch04::TrainState&) { ++epochs; };
  auto st = SmallState(1, 1);
  const std::vector<std::int32_t> three = {2, 3, 1};  // n = 3: no example
  BOOST_CHECK_THROW(ch04::Train(st, three, CycleStream(100), 1, count, nullptr),
                    ch04::NothingToScore);
  BOOST_CHECK_THROW(ch04::Train(st, CycleStream(100), four, 1, count, nullptr),
                    ch04::NothingToScore);
  BOOST_TEST(epochs == 0);
  BOOST_TEST(st.step == 0u);
  // The boundary that trains: 4 tokens of training (one example), 5 of
  // validation (one scored token); both perplexities exist and are >= 1.
  const std::vector<std::int32_t> train4 = {2, 3, 4, 5};
  ch04::Train(st, train4, five, 1, count, nullptr);
  BOOST_TEST(epochs == 1);
  BOOST_TEST(st.history.back().train_ppl >= 1.0);
  BOOST_TEST(st.history.back().valid_ppl >= 1.0);
  BOOST_TEST(std::isfinite(st.history.back().train_ppl));
}

// The forward pass's overflow check against models built by hand: a model
// whose every logit is 2.4e38 (U = 0, c = 2.4e38) is a valid uniform model
// and scores perplexity V, not the 1.00 the old m + log(s) - z gave; hidden
// preactivations or logits past float's range, or logits so far apart that
// z - max overflows, are refused, each naming the bound it breaks.
BOOST_AUTO_TEST_CASE(models_that_overflow_the_forward_pass_are_refused) {
  auto st = SmallState(3, 1);
  BOOST_CHECK_NO_THROW(ch04::CheckForwardPass(st.params, "m"));
  auto refusal = [](const ch04::NplmParams<float>& p) -> std::string {
    try {
      ch04::CheckForwardPass(p, "m");
    } catch (const std::runtime_error& e) {
      return e.what();
    }
    return "";
  };
  ch04::NplmParams<float> uniform = st.params;
  std::fill(uniform.U.begin(), uniform.U.end(), 0.f);
  std::fill(uniform.c.begin(), uniform.c.end(), 2.4e38f);
  BOOST_TEST(refusal(uniform).empty());
  const auto valid = CycleStream(400);
  const ch04::Score score = ch04::Evaluate(uniform, valid, 1);
  // Each row's loss is (m - z) + log s = 0 + log 24 in float: 4 ulp.
  BOOST_TEST(score.Perplexity() == 24.0, boost::test_tools::tolerance(1e-5));

  ch04::NplmParams<float> hidden = st.params;
  hidden.W[0] = 3e38f;  // times |x| ~ 0.1 from C, plus the rest: fine...
  BOOST_TEST(refusal(hidden).empty());
  std::fill(hidden.C.begin(), hidden.C.end(), 10.f);  // ... but x = 10
  BOOST_TEST(refusal(hidden).starts_with(
      "m: the model's parameters overflow its forward pass: hidden "
      "preactivations up to 3"));

  ch04::NplmParams<float> logits = st.params;
  std::fill(logits.U.begin(), logits.U.end(), 2.2e37f);  // 16 units: 3.5e38
  BOOST_TEST(refusal(logits).find("logits from") != std::string::npos,
             refusal(logits));

  ch04::NplmParams<float> apart = st.params;
  std::fill(apart.U.begin(), apart.U.end(), 0.f);
  apart.c[0] = 2e38f;
  apart.c[1] = -2e38f;
  BOOST_TEST(refusal(apart).find("logits 4e+38 apart") != std::string::npos,
             refusal(apart));

  // LoadCheckpoint applies it, so every subcommand refuses the same files.
  TempFile file("ffnn_ch04_overflow");
  ch04::TrainState over = SmallState(3, 1);
  over.params = apart;
  ch04::SaveCheckpoint(over, file.path);
  BOOST_CHECK_THROW(ch04::LoadCheckpoint(file.path), std::runtime_error);
  // And the inspection functions refuse what slips past it.
  ch04::NplmParams<float> inf = st.params;
  inf.c[3] = std::numeric_limits<float>::infinity();
  const std::int32_t context[] = {2, 3, 4};
  BOOST_CHECK_THROW(ch04::NextWordDistribution(inf, context),
                    std::runtime_error);
}

// The memory a training run needs, worked by hand for a small shape: the
// parameters (V d + h n d + h + V h + V = 24*8 + 16*24 + 16 + 24*16 + 24 =
// 1000) four times (with the gradient and Adam's m and v), a minibatch of
// min(32, examples) rows and an evaluation batch of 512, each row (2 n d +
// 4 h + V + 2) floats and (n + 1) ids, the shuffled order (8 bytes per
// example) and the optimizer's chunk table.
BOOST_AUTO_TEST_CASE(training_memory_is_known_before_allocating) {
  const ch04::NplmShape shape{24, 3, 8, 16, false};
  BOOST_TEST(shape.Parameters() == 1000u);
  const std::uint64_t row = (2 * 24 + 4 * 16 + 24 + 2) * 4 + 4 * 4;
  const std::uint64_t chunks = (1000 / 65536 + 8) * 32;
  BOOST_TEST(ch04::TrainingBytes(shape, 32, 3000) ==
             16 * 1000 + 32 * row + 512 * row + 2997 * 8 + chunks);
  // Fewer examples than the batch: the batch is the examples.
  BOOST_TEST(ch04::TrainingBytes(shape, 32, 10) ==
             16 * 1000 + 7 * row + 512 * row + 7 * 8 + chunks);
  // The model: 4 x 8192 x 4096 weights and more, 2.1 GiB.
  const ch04::NplmShape big{10, 4, 4096, 8192, false};
  BOOST_TEST(big.Parameters() == 134348810u);
  BOOST_TEST(ch04::TrainingBytes(big, 128, 30) > 16 * 134348810ull);
}

// The model and MODEL.best are written together: when the second cannot
// be, neither appears.
BOOST_AUTO_TEST_CASE(model_and_best_are_saved_together_or_not_at_all) {
  const auto st = SmallState(4, 1);
  const fs::path dir = fs::temp_directory_path() /
                       ("ffnn_ch04_pair." + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "m.nplm.best");  // a folder: cannot be written
  const std::string model = (dir / "m.nplm").string();
  BOOST_CHECK_THROW(ch04::SaveCheckpoints(st, {model, model + ".best"}),
                    chapters::FileError);
  BOOST_TEST(!fs::exists(model));
  fs::remove_all(dir / "m.nplm.best");
  ch04::SaveCheckpoints(st, {model, model + ".best"});
  BOOST_TEST(Slurp(model) == Slurp(model + ".best"));
  BOOST_TEST((ch04::LoadCheckpoint(model).params.Flat() == st.params.Flat()));
  fs::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace ffnn::testing

namespace ffnn::testing {
namespace {

BOOST_AUTO_TEST_SUITE(slides)

// LMU "Dot product with (trained) weight matrix": LT_table = (0.03, 0.02,
// 0.04) within half a unit of the last printed digit, the row gather equal
// to the one-hot product exactly, and the initial table's vectors equal.
BOOST_AUTO_TEST_CASE(lookup_table_reproduces_the_lmu_slide) {
  const auto r = ch04::BuildReport({});
  const double want[3] = {0.03, 0.02, 0.04};
  for (int i = 0; i < 3; ++i) {
    const double v = Quantity(r, "embedding.lookup_table",
                              "LT_table[" + std::to_string(i + 1) + "]");
    BOOST_TEST(std::abs(v - want[i]) <= 0.005);
    BOOST_TEST(v == want[i]);  // a column of C, copied: exact
  }
  BOOST_TEST(Quantity(r, "embedding.lookup_table",
                      "largest difference, product vs gather") == 0.0);
  BOOST_TEST(Quantity(r, "embedding.lookup_table",
                      "largest difference between two words' initial "
                      "vectors") == 0.0);
  for (const auto& e : r.examples()) BOOST_TEST(e.AllAgree(), e.id);
  BOOST_TEST(r.errata().size() == 1u);
}

// LMU "Feedforward Neural Network for LM": is-4 walking-3 in-2 the-1.
BOOST_AUTO_TEST_CASE(training_window_is_the_four_words_before_bedroom) {
  const auto r = ch04::BuildReport({});
  const char* const words[4] = {"is", "walking", "in", "the"};
  for (int i = 0; i < 4; ++i) {
    BOOST_TEST(Quantity(r, "lm.training_window",
                        std::string("offset of '") + words[i] + "'") ==
               double(i - 4));
  }
}

// J&M "Why Neural LMs work better": trained on the same text, the NPLM
// gives "fed" after "the dog gets" (never seen) far more probability than
// Kneser-Ney, which cannot tell dog from door (it backs off to "gets" for
// both: equal to the last bit); the control "the door gets" shows the NPLM
// uses the subject; and cat and dog end up closer than cat and mat.
BOOST_AUTO_TEST_CASE(similar_words_generalize_as_jm_says) {
  const auto r = ch04::BuildReport({});
  const std::string id = "lm.similar_words_generalize";
  const double nplm_dog = Quantity(r, id, "p_NPLM(fed | the dog gets)");
  const double kn_dog = Quantity(r, id, "p_KN(fed | the dog gets)");
  const double nplm_door = Quantity(r, id, "p_NPLM(fed | the door gets)");
  BOOST_TEST(nplm_dog > 2 * kn_dog);
  BOOST_TEST(nplm_dog > 10 * nplm_door);
  BOOST_TEST(kn_dog == Quantity(r, id, "p_KN(fed | the door gets)"));
  BOOST_TEST(Quantity(r, id, "cosine(cat, dog)") >
             Quantity(r, id, "cosine(cat, mat)") + 0.3);
}

// J&M "Forward inference": every y_hat of the worked example against the
// plain Eigen model (reference/nplm.h) run on the same numbers, to 1e-14.
BOOST_AUTO_TEST_CASE(forward_inference_matches_the_reference_model) {
  const auto r = ch04::BuildReport({});
  reference::NplmRef<double> m;
  m.C.resize(5, 3);
  m.C << 0.02, 0.15, 0.03, 0.1, 0.2, 0.1, 0.05, 0.01, 0.04, 0.03, 0.02, 0.04,
      0.01, 0.11, 0.12;  // the LMU table, one row per word
  m.W.resize(2, 9);
  m.W << 1, -1, 2, 0.5, 0, -1, 1, 2, -0.5, -2, 1, 0, 1, -1, 0.5, 0, 1, 2;
  m.b.resize(2);
  m.b << 0.1, -0.1;
  m.U.resize(5, 2);
  m.U << 1, -1, -1, 2, 0.5, 0.5, 2, 0, -1, -1;
  m.c = reference::Vec<double>::Zero(5);
  const std::vector<std::int32_t> context = {0, 1, 2};
  const char* const words[5] = {"the", "cat", "on", "table", "chair"};
  double sum = 0;
  for (std::int32_t v = 0; v < 5; ++v) {
    const std::vector<std::int32_t> target = {v};
    const double p = std::exp(-reference::NplmLoss<double>(m, context, target));
    sum += p;
    BOOST_TEST(Quantity(r, "lm.forward_inference",
                        std::string("y_hat[") + words[v] + "]") == p,
               boost::test_tools::tolerance(1e-14));
  }
  BOOST_TEST(sum == 1.0, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(Quantity(r, "lm.forward_inference",
                      "gradient check: worst "
                      "relative error") <= ch04::kGradCheckBound);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace ffnn::testing

namespace ffnn::testing {
namespace {

BOOST_AUTO_TEST_SUITE(inspect)

// Embeddings chosen by hand (d = 2): word 2 = (1, 0); word 3 = (1, 1)
// (cosine 1/sqrt 2); word 4 = (0, 1) (cosine 0); word 5 = (-1, 0) (-1);
// word 6 = (2, 0.1) (cosine 2 / sqrt(4.01)).
BOOST_AUTO_TEST_CASE(neighbours_by_cosine_worked_by_hand) {
  ch04::NplmParams<float> p(ch04::NplmShape{7, 1, 2, 3, false});
  p.C = {0, 0, 0, 0, 1, 0, 1, 1, 0, 1, -1, 0, 2, 0.1f};
  const auto nb = ch04::Neighbours(p, 2, 3);
  BOOST_TEST(nb.size() == 3u);
  BOOST_TEST(nb[0].first == 6);
  BOOST_TEST(nb[0].second == 2.0 / std::sqrt(4.01),
             boost::test_tools::tolerance(1e-7));
  BOOST_TEST(nb[1].first == 3);
  BOOST_TEST(nb[1].second == 1.0 / std::sqrt(2.0),
             boost::test_tools::tolerance(1e-7));
  BOOST_TEST(nb[2].second == 0.0);  // words 0, 1 (zero vectors) and 4
}

// The next-word distribution is the model's: exp(LogProbs) for every word,
// summing to 1; a short context is padded with </s>; sampling is
// reproducible from its seed; a temperature near 0 picks the argmax.
BOOST_AUTO_TEST_CASE(next_word_distribution_and_sampling) {
  ch04::NplmParams<float> p(ch04::NplmShape{30, 3, 6, 8, false});
  ch04::Initialize(p, 3);
  for (float& u : p.U) u *= 20;  // a peaked distribution
  const std::vector<std::int32_t> ctx = {4, 9, 17};
  const auto prob = ch04::NextWordDistribution(p, ctx);
  double sum = 0;
  ch04::NplmWorkspace<float> ws;
  std::vector<std::int32_t> contexts, targets;
  for (std::int32_t v = 0; v < 30; ++v) {
    contexts.insert(contexts.end(), ctx.begin(), ctx.end());
    targets.push_back(v);
  }
  std::vector<double> logp(30);
  ch04::LogProbs<float>(p, contexts, targets, ws, logp);
  for (std::size_t v = 0; v < 30; ++v) {
    sum += prob[v];
    // float logits, one softmax in float and one in double
    BOOST_TEST(prob[v] == std::exp(logp[v]),
               boost::test_tools::tolerance(1e-5));
  }
  BOOST_TEST(sum == 1.0, boost::test_tools::tolerance(1e-12));
  const std::vector<std::int32_t> short_ctx = {17}, padded = {1, 1, 17};
  BOOST_TEST((ch04::NextWordDistribution(p, short_ctx) ==
              ch04::NextWordDistribution(p, padded)));
  const auto a = ch04::Sample(p, {4, 9, 17}, 20, 1.0, 7);
  const auto b = ch04::Sample(p, {4, 9, 17}, 20, 1.0, 7);
  BOOST_TEST(a == b, boost::test_tools::per_element());
  const auto greedy = ch04::Sample(p, {4, 9, 17}, 1, 1e-3, 1);
  BOOST_TEST(greedy[0] ==
             std::max_element(prob.begin(), prob.end()) - prob.begin());
  BOOST_CHECK_THROW(ch04::NextWordDistribution(p, ctx, 0.0),
                    std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace ffnn::testing

namespace ffnn::testing {
namespace {

BOOST_AUTO_TEST_SUITE(files)

// The export reads back as the same corpus: same vocabulary (ids and
// counts) and the same three streams.
BOOST_AUTO_TEST_CASE(exported_files_load_back_as_the_same_corpus) {
  const auto corpus = ch04::LoadSotu(FFNN_SOTU_DIR, ch04::kDefaultMinCount);
  TempDir out("ffnn_ch04_files");
  ch04::Export(corpus, out.path.string());
  const auto back = ch04::LoadFiles(
      (out.path / "train.txt").string(), (out.path / "valid.txt").string(),
      (out.path / "test.txt").string(), ch04::kDefaultMinCount);
  BOOST_TEST_REQUIRE(back.vocab.size() == corpus.vocab.size());
  for (std::size_t i = 2; i < corpus.vocab.size(); ++i) {
    const auto id = static_cast<std::int32_t>(i);
    BOOST_TEST_REQUIRE(back.vocab.Word(id) == corpus.vocab.Word(id));
    BOOST_TEST_REQUIRE(back.vocab.Count(id) == corpus.vocab.Count(id));
  }
  const std::pair<const std::vector<chapters::Sentence>*,
                  const std::vector<chapters::Sentence>*>
      splits[] = {{&corpus.train, &back.train},
                  {&corpus.valid, &back.valid},
                  {&corpus.test, &back.test}};
  for (const auto& [a, b] : splits) {
    BOOST_TEST((chapters::ToStream(*a, corpus.vocab) ==
                chapters::ToStream(*b, back.vocab)));
  }
}

// Malformed sentence files: one message naming the file (and the line).
BOOST_AUTO_TEST_CASE(malformed_sentence_files_are_refused) {
  TempDir dir("ffnn_ch04_bad_files");
  const std::pair<std::string, std::string> bad[] = {
      {"", "no sentences"},
      {"\n\n", "no sentences"},
      {"a  b\n", "line 1: an empty token"},
      {"a b\nc d \n", "line 2: a trailing space"},
      // Found by fuzz_corpus: a token with carriage returns inside it.
      {"a b\r\r\nc\n", "line 1: a token with a tab or a carriage return"},
      {"a\tb c\n", "line 1: a token with a tab or a carriage return"},
      {"ok\n\xC3\x28\n", "invalid UTF-8 at byte 3"},
      {std::string("a\0b\n", 4), "NUL byte"}};
  for (const auto& [content, want] : bad) {
    dir.Write("s.txt", content);
    try {
      chapters::ReadSentences((dir.path / "s.txt").string());
      BOOST_ERROR("accepted, expected '" << want << "'");
    } catch (const chapters::InputError& e) {
      BOOST_TEST(std::string(e.what()).find(want) != std::string::npos,
                 e.what());
    }
  }
  dir.Write("crlf.txt", "a b\r\nc\r\n");
  const auto s = chapters::ReadSentences((dir.path / "crlf.txt").string());
  BOOST_TEST(s.size() == 2u);
  BOOST_TEST(s[0].back() == "b");
  BOOST_CHECK_THROW(chapters::ReadSentences("/nonexistent.txt"),
                    chapters::InputError);
  BOOST_CHECK_THROW(chapters::ReadSentences(dir.path.string()),
                    chapters::InputError);  // a directory
}

// A word2vec text file initializes the rows of the words it has (here 2 of
// 5, "zebra" is not in the vocabulary); the others keep their values.
BOOST_AUTO_TEST_CASE(embeddings_initialize_from_a_word2vec_text_file) {
  TempDir dir("ffnn_ch04_w2v");
  dir.Write("v.txt", "3 2\ncat 0.5 -1.25\nzebra 9 9\ndog 1e-1 2\n");
  const auto wv = chapters::ReadWord2VecText((dir.path / "v.txt").string());
  BOOST_TEST_REQUIRE(wv.words.size() == 3u);
  BOOST_TEST(wv.dim == 2u);
  NplmParams<float> p(NplmShape{5, 2, 2, 3, false});
  std::fill(p.C.begin(), p.C.end(), 7.0f);
  const std::vector<std::string> words = {"<unk>", "</s>", "dog", "the", "cat"};
  BOOST_TEST(ch04::InitializeEmbeddings(p, words, wv) == 2u);
  const std::vector<float> want = {7, 7, 7, 7, 0.1f, 2, 7, 7, 0.5f, -1.25f};
  BOOST_TEST((p.C == want));
  NplmParams<float> wide(NplmShape{5, 2, 3, 3, false});
  BOOST_CHECK_THROW(ch04::InitializeEmbeddings(wide, words, wv),
                    std::invalid_argument);
}

// Malformed vector files: one message naming the file, the line and the
// defect; a header that promises more than the file can hold is refused
// before anything is allocated.
BOOST_AUTO_TEST_CASE(malformed_word2vec_text_files_are_refused) {
  TempDir dir("ffnn_ch04_bad_w2v");
  const std::pair<std::string, std::string> bad[] = {
      {"", "empty file"},
      {"2\n", "the header is not"},
      {"2 x\n", "the header is not"},
      {"0 2\n", "impossible header"},
      {"1 5000\n", "impossible header"},
      {"100000000000 2\na 1 2\n", "more than the file holds"},
      {"2 2\na 1.5 2.5\n", "promises 2 vectors, the file holds 1"},
      {"1 2\na 1 2\nb 3 4\n", ":3: more vectors than"},
      {"2 2\na 1 2\nb 3\n", ":3: expected 2 numbers after the word, found 1"},
      {"2 2\na 1 2\nb 3 4 5\n", ":3: more than the header's 2"},
      {"2 2\na 1 2\nb 3 x4\n", "found 'x4'"},
      {"2 2\na 1 2\nb nan 4\n", ":3: a value that is not finite"},
      {"2 2\na 1 2\na 3 4\n", "'a' appears twice"},
      {"1 2\n\xC3\x28 1 2\n", "invalid UTF-8"}};
  for (const auto& [content, want] : bad) {
    dir.Write("v.txt", content);
    try {
      chapters::ReadWord2VecText((dir.path / "v.txt").string());
      BOOST_ERROR("accepted '" << content << "', expected '" << want << "'");
    } catch (const chapters::InputError& e) {
      BOOST_TEST(std::string(e.what()).find(want) != std::string::npos,
                 e.what());
      BOOST_TEST(std::string(e.what()).find((dir.path / "v.txt").string()) ==
                 0);
    }
  }
  BOOST_CHECK_THROW(chapters::ReadWord2VecText(dir.path.string()),
                    chapters::InputError);  // a directory
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace ffnn::testing

namespace ffnn::testing {
namespace {

BOOST_AUTO_TEST_SUITE(worked)

// The LMU table (d = 3, V = 5, one column per word): the product with the
// one-hot vector of "table" (id 3) is column 3, and the gather of row 3 of
// the transposed table gives the same numbers exactly.
BOOST_AUTO_TEST_CASE(one_hot_product_and_gather_select_the_same_column) {
  const std::vector<double> C = {0.02, 0.1,  0.05, 0.03, 0.01, 0.15, 0.2, 0.01,
                                 0.02, 0.11, 0.03, 0.1,  0.04, 0.04, 0.12};
  const auto lt = ch04::OneHotProduct(C, 3, 5, 3);
  const auto row = ch04::GatherRow(ch04::Transposed(C, 3, 5), 5, 3, 3);
  const std::vector<double> want = {0.03, 0.02, 0.04};
  BOOST_TEST(lt == want, boost::test_tools::per_element());
  BOOST_TEST(row == want, boost::test_tools::per_element());
}

// "the cat is walking in the bedroom", n = 2: five windows, the first
// (the cat -> is), the last (in the -> bedroom).
BOOST_AUTO_TEST_CASE(training_windows_of_a_sentence) {
  const auto s = Tok("The cat is walking in the bedroom").at(0);
  const auto w = ch04::TrainingWindows(s, 2);
  BOOST_TEST(w.size() == 5u);
  BOOST_TEST((w[0].context == std::vector<std::string>{"the", "cat"}));
  BOOST_TEST(w[0].target == "is");
  BOOST_TEST((w[4].context == std::vector<std::string>{"in", "the"}));
  BOOST_TEST(w[4].target == "bedroom");
  BOOST_TEST(ch04::TrainingWindows(s, 7).empty());
}

// One context through a model small enough to work by hand: V = 3, n = 1,
// d = 2, h = 1; e = C[1] = (1, 2), h = tanh(0.5 - 0.25 * 2 + 0.1) =
// tanh(0.1), z = U h + c, y_hat = softmax(z), L = -log y_hat[2].
BOOST_AUTO_TEST_CASE(forward_trace_worked_by_hand) {
  ch04::NplmParams<double> p(ch04::NplmShape{3, 1, 2, 1, false});
  p.C = {0, 0, 1, 2, 0, 0};
  p.W = {0.5, -0.25};
  p.b = {0.1};
  p.U = {1, -1, 2};
  p.c = {0, 0.5, 0};
  const std::vector<std::int32_t> ctx = {1};
  const auto t = ch04::TraceForward(p, ctx, 2);
  BOOST_TEST((t.e == std::vector<double>{1, 2}));
  const double h = std::tanh(0.1);
  BOOST_TEST(t.h[0] == h, boost::test_tools::tolerance(1e-15));
  const double z[3] = {h, -h + 0.5, 2 * h};
  const double sum = std::exp(z[0]) + std::exp(z[1]) + std::exp(z[2]);
  for (int v = 0; v < 3; ++v) {
    BOOST_TEST(t.y_hat[v] == std::exp(z[v]) / sum,
               boost::test_tools::tolerance(1e-14));
  }
  BOOST_TEST(t.loss == -std::log(std::exp(z[2]) / sum),
             boost::test_tools::tolerance(1e-14));
}

BOOST_AUTO_TEST_SUITE_END()

// ---- commands: what each nplm subcommand computes ---------------------------

// A model whose every weight is 0 but the output bias: the logits are c
// for any context, so the next-word distribution is softmax(c).
ch04::NplmParams<float> BiasOnly(const std::vector<float>& c) {
  ch04::NplmParams<float> p(ch04::NplmShape{c.size(), 2, 2, 2, false});
  p.SetZero();
  p.c = c;
  return p;
}

ch04::EpochStats Epoch(int epoch, double valid_ppl) {
  ch04::EpochStats e;
  e.epoch = epoch;
  e.valid_ppl = valid_ppl;
  return e;
}

BOOST_AUTO_TEST_SUITE(commands)

// c = log(1, 2, 3, 4): softmax(c) = (0.1, 0.2, 0.3, 0.4) by hand; the NPLM
// column comes best first and sums to 1; Kneser-Ney's column is its own
// distribution, best first, summing to 1 too.
BOOST_AUTO_TEST_CASE(predict_is_the_softmax_best_first_beside_kneser_ney) {
  const auto p = BiasOnly(
      {std::log(1.0f), std::log(2.0f), std::log(3.0f), std::log(4.0f)});
  const std::vector<std::int32_t> train = {2, 3, 3, 1, 2, 3, 1, 3, 3, 2, 1};
  const std::vector<std::int32_t> ctx = {2, 3};
  const auto best = ch04::Predict(p, train, ctx, 10);
  BOOST_TEST(best.nplm.size() == 4u);  // capped at the vocabulary
  double sum = 0, kn_sum = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    BOOST_TEST(best.nplm[i].first == 3 - static_cast<std::int32_t>(i));
    BOOST_TEST(best.nplm[i].second == (4.0 - double(i)) / 10,
               boost::test_tools::tolerance(1e-6));
    sum += best.nplm[i].second;
    kn_sum += best.kn[i].second;
    if (i > 0) BOOST_TEST(best.kn[i].second <= best.kn[i - 1].second);
  }
  BOOST_TEST(sum == 1.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(kn_sum == 1.0, boost::test_tools::tolerance(1e-12));
  const ch04::KneserNey kn(train, 4, ch04::kPredictKnOrder);
  BOOST_TEST(best.kn[0].second == kn.Prob(ctx, best.kn[0].first));
}

// Vocabulary of "x y y": <unk> 0, </s> 1, y 2, x 3. With c favouring x
// (id 3), a temperature of 1e-3 draws x every time; the same seed gives
// the same text; the prompt goes through the tokenizer.
BOOST_AUTO_TEST_CASE(sample_text_is_greedy_when_cold_and_reproducible) {
  const chapters::Vocabulary vocab(Tok("x y y"), 1);
  BOOST_TEST(vocab.Id("x") == 3);
  const auto p = BiasOnly({0, 0, 1, 2});
  BOOST_TEST(ch04::SampleText(p, vocab, "Y", 3, 1e-3, 1) == "Y x x x");
  BOOST_TEST(
      (ch04::PromptIds("X y", vocab) == std::vector<std::int32_t>{3, 2}));
  BOOST_TEST(ch04::SampleText(p, vocab, "x", 40, 1.0, 9) ==
             ch04::SampleText(p, vocab, "x", 40, 1.0, 9));
}

// Embeddings by hand (d = 2): the word "a" = (1, 0), "b" = (1, 1), "c" =
// (0, 1), "d" = (-1, 0): a's neighbours are b (1/sqrt 2), c (0), d (-1),
// then nothing more however many are asked for; an unknown word is refused.
BOOST_AUTO_TEST_CASE(neighbours_of_a_word_in_a_hand_built_table) {
  const chapters::Vocabulary vocab(
      std::vector<std::pair<std::string, std::int64_t>>{
          {"<unk>", 0}, {"</s>", 0}, {"a", 4}, {"b", 3}, {"c", 2}, {"d", 1}});
  ch04::NplmParams<float> p(ch04::NplmShape{6, 1, 2, 1, false});
  p.C = {0, 0, 0, 0, 1, 0, 1, 1, 0, 1, -1, 0};
  const auto nb = ch04::NeighboursOf(p, vocab, "a", 100);
  BOOST_TEST(nb.size() == 5u);
  BOOST_TEST(nb[0].first == 3);
  BOOST_TEST(nb[0].second == 1 / std::sqrt(2.0),
             boost::test_tools::tolerance(1e-12));
  BOOST_TEST(nb[4].first == 5);
  BOOST_TEST(nb[4].second == -1.0);
  BOOST_CHECK_THROW(ch04::NeighboursOf(p, vocab, "zebra", 3),
                    std::runtime_error);
}

// A model of all-zero parameters guesses uniformly: perplexity V exactly
// on any split; mixed with Kneser-Ney, lambda = 1 gives it back; kn's
// perplexities are those of the Kneser-Ney model counted on train.
BOOST_AUTO_TEST_CASE(eval_and_kn_score_the_splits) {
  ch04::LmCorpus corpus{chapters::Vocabulary(Tok("a b c a b"), 1),
                        Tok("a b c a b. b c a b c. a b a b c."),
                        Tok("a b c a b c a b."), Tok("c a b c a b c.")};
  const std::size_t V = corpus.vocab.size();
  ch04::NplmParams<float> p(ch04::NplmShape{V, 2, 3, 4, false});
  p.SetZero();
  const auto e = ch04::EvaluateModel(p, corpus, 2, 1, "m");
  BOOST_TEST(e.nplm.valid == double(V), boost::test_tools::tolerance(1e-6));
  BOOST_TEST(e.nplm.test == double(V), boost::test_tools::tolerance(1e-6));
  BOOST_REQUIRE(e.mix.has_value());
  BOOST_TEST(e.mix->nplm_valid_ppl == double(V),
             boost::test_tools::tolerance(1e-6));
  BOOST_TEST(e.mix->mix_valid_ppl <= e.mix->other_valid_ppl);
  BOOST_TEST(!ch04::EvaluateModel(p, corpus, 0, 1, "m").mix.has_value());
  const auto kn = ch04::KnPerplexities(corpus, 2);
  BOOST_TEST(kn.valid == e.mix->other_valid_ppl,
             boost::test_tools::tolerance(1e-12));
  BOOST_TEST(kn.test == e.mix->other_test_ppl,
             boost::test_tools::tolerance(1e-12));
}

// The one rule of the best epoch: the lowest validation perplexity, ties
// to the earliest, from the run's first epoch on.
BOOST_AUTO_TEST_CASE(best_epoch_early_stopping_and_model_best) {
  const std::vector<ch04::EpochStats> h = {Epoch(1, 9), Epoch(2, 5),
                                           Epoch(3, 5), Epoch(4, 6)};
  BOOST_TEST(ch04::BestEpoch(h) == 1u);     // 5 twice: the earlier
  BOOST_TEST(ch04::BestEpoch(h, 2) == 2u);  // a resumed run's own best
  BOOST_TEST(ch04::BestEpoch(h, 3) == 3u);
  BOOST_CHECK_THROW(ch04::BestEpoch(h, 4), std::invalid_argument);
  BOOST_TEST(!ch04::StopEarly(h, 0));  // never
  BOOST_TEST(ch04::StopEarly(h, 2));   // epochs 3 and 4 no better
  BOOST_TEST(!ch04::StopEarly(h, 3));
  ch04::TrainState st(ch04::NplmShape{3, 1, 1, 1, false});
  st.history = h;
  BOOST_TEST((ch04::CheckpointPaths(st, 0, "m", true) ==
              std::vector<std::string>{"m"}));
  BOOST_TEST((ch04::CheckpointPaths(st, 3, "m", true) ==
              std::vector<std::string>{"m", "m.best"}));
  BOOST_TEST((ch04::CheckpointPaths(st, 3, "m", false) ==
              std::vector<std::string>{"m"}));
  st.history.pop_back();  // epoch 3 ties epoch 2: not better
  BOOST_TEST((ch04::CheckpointPaths(st, 0, "m", true) ==
              std::vector<std::string>{"m"}));
}

// One SGD step by hand: every gradient entry 1 over P parameters has norm
// sqrt(P); clipped to 1 each entry becomes 1/sqrt(P). W and U first shrink
// by 1 - lr wd; C stays with frozen embeddings; b and c only take the step.
BOOST_AUTO_TEST_CASE(optimizer_step_clips_decays_and_freezes) {
  const ch04::NplmShape shape{3, 1, 1, 1, false};
  ch04::TrainState st(shape);
  for (auto& blk : st.params.Blocks()) {
    for (float& x : blk.values) x = 2.0f;
  }
  st.config.optimizer = "sgd";
  st.config.clip = 1.0;
  st.config.weight_decay = 0.5;
  st.config.freeze_embeddings = true;
  ch04::NplmParams<float> grad(shape);
  const std::size_t P = grad.Size();
  for (auto& blk : grad.Blocks()) {
    for (float& x : blk.values) x = 1.0f;
  }
  const double lr = 0.1, g = 1 / std::sqrt(double(P));
  ch04::OptimizerStep(st, grad, lr, 2);
  BOOST_TEST(st.step == 1u);
  const auto tol = boost::test_tools::tolerance(1e-6f);
  BOOST_TEST(st.params.C[0] == 2.0f);
  BOOST_TEST(st.params.W[0] == float(2 * (1 - lr * 0.5) - lr * g), tol);
  BOOST_TEST(st.params.U[2] == float(2 * (1 - lr * 0.5) - lr * g), tol);
  BOOST_TEST(st.params.b[0] == float(2 - lr * g), tol);
  BOOST_TEST(st.params.c[1] == float(2 - lr * g), tol);
}

// Starting and extending a run: a new model is Initialize's with the
// vocabulary's hash; a resumed one only trains to a higher total.
BOOST_AUTO_TEST_CASE(new_and_resumed_models) {
  const std::vector<std::string> words = {"<unk>", "</s>", "a", "b"};
  ch04::TrainConfig cfg;
  cfg.seed = 11;
  const ch04::NplmShape shape{4, 2, 3, 5, false};
  auto st = ch04::NewModel(shape, cfg, words, "", nullptr);
  ch04::NplmParams<float> want(shape);
  ch04::Initialize(want, 11);
  BOOST_TEST((st.params.Flat() == want.Flat()));
  BOOST_TEST(st.vocab_hash == ch04::VocabularyHash(words));
  BOOST_CHECK_NO_THROW(ch04::CheckVocabulary(st, "m", st.vocab_hash, 4));
  BOOST_CHECK_THROW(ch04::CheckVocabulary(st, "m", st.vocab_hash + 1, 4),
                    std::runtime_error);
  st.history = {Epoch(1, 9), Epoch(2, 8)};
  BOOST_CHECK_THROW(ch04::ExtendTo(st, 2, "m"), std::invalid_argument);
  ch04::ExtendTo(st, 5, "m");
  BOOST_TEST(st.config.epochs == 5);
}

// The run's checkpoint policy on the cycle, whose every epoch beats the
// one before: the model after every epoch, MODEL.best beside it (the same
// bytes, the last epoch being the best); without write_best no .best.
BOOST_AUTO_TEST_CASE(train_and_save_writes_the_model_and_its_best) {
  const auto train = CycleStream(3000), valid = CycleStream(400);
  TempFile model("ffnn_ch04_train_and_save");
  auto st = SmallState(5, 2);
  ch04::TrainAndSave(st, train, valid, 1, model.path, true, nullptr);
  BOOST_TEST(st.history.size() == 2u);
  BOOST_TEST(ch04::BestEpoch(st.history) == 1u);
  const auto saved = ch04::LoadCheckpoint(model.path);
  BOOST_TEST((saved.params.Flat() == st.params.Flat()));
  BOOST_TEST(Slurp(model.path) == Slurp(model.path + ".best"));
  fs::remove(model.path + ".best");
  auto again = SmallState(5, 1);
  ch04::TrainAndSave(again, train, valid, 1, model.path, false, nullptr);
  BOOST_TEST(!fs::exists(model.path + ".best"));
}

// 100 tokens/s for 2 s and 300 for 1 s: 500 tokens in 3 s.
BOOST_AUTO_TEST_CASE(run_speed_and_time_shares) {
  ch04::EpochStats a, b;
  a.tokens_per_s = 100, a.seconds = 2;
  b.tokens_per_s = 300, b.seconds = 1;
  BOOST_TEST(ch04::MeanTokensPerSecond(std::vector{a, b}) == 500.0 / 3,
             boost::test_tools::tolerance(1e-12));
  BOOST_TEST(ch04::MeanTokensPerSecond({}) == 0.0);
  a.output_gemm_s = 1, a.softmax_s = 0.5, a.forward_backward_s = 1.5;
  const auto s = ch04::SharesOf(a);
  BOOST_TEST(s.output_gemm == 0.5);
  BOOST_TEST(s.softmax == 0.25);
  BOOST_TEST(s.outside_forward_backward == 0.25);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace ffnn::testing
