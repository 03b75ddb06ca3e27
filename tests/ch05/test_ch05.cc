// Chapter 5: count-based word spaces (co-occurrence counts, PPMI, SVD) and
// the deck's rich/poor example.
#define BOOST_TEST_MODULE ffnn_ch05
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <queue>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "chapters/05_word2vec/classifier.h"
#include "chapters/05_word2vec/cooccurrence.h"
#include "chapters/05_word2vec/evaluation.h"
#include "chapters/05_word2vec/huffman.h"
#include "chapters/05_word2vec/phrases.h"
#include "chapters/05_word2vec/sampling.h"
#include "chapters/05_word2vec/sgns_step.h"
#include "chapters/05_word2vec/training_text.h"
#include "chapters/05_word2vec/word2vec.h"
#include "chapters/05_word2vec/word_classes.h"
#include "chapters/05_word2vec/worked_ch05.h"
#include "chapters/common/corpus.h"
#include "chapters/common/cosine.h"
#include "chapters/common/errors.h"
#include "chapters/common/files.h"
#include "chapters/common/word_vectors.h"
#include "reference/embedding.h"
#include "tests/support/files.h"
#include "tests/support/report.h"

namespace ffnn::testing {
namespace {

using ch05::WordMatrix;

// The chapter target's options: the vendored data and the book's vectors
// (the build trains them before this test executable).
chapters::ChapterOptions BookOptions() {
  chapters::ChapterOptions o;
  o.data_dir = FFNN_DATA_DIR;
  o.inputs["vectors"] = FFNN_CH05_BOOK_VECTORS;
  return o;
}

BOOST_AUTO_TEST_SUITE(slides)

// LMU "Word cooccurrence in Wikipedia": the cosines of the slide's count
// vectors over (rich, poor), worked by hand in integers:
//   silver . disease  = 186*17 + 34*162   = 8670
//   silver . society  = 186*143 + 34*228  = 34350
//   disease . society = 17*143 + 162*228  = 39367
//   |silver|^2 = 35752, |disease|^2 = 26533, |society|^2 = 72433.
// Tolerance 1e-14: two dot products and two square roots in double.
BOOST_AUTO_TEST_CASE(rich_poor_cosines_from_the_lmu_counts) {
  const auto r = ch05::BuildReport(BookOptions());
  const std::string id = "cooccurrence.rich_poor";
  const double s = 35752, d = 26533, o = 72433;
  BOOST_TEST(Quantity(r, id, "cos(silver, disease)") == 8670 / std::sqrt(s * d),
             boost::test_tools::tolerance(1e-14));
  BOOST_TEST(
      Quantity(r, id, "cos(silver, society)") == 34350 / std::sqrt(s * o),
      boost::test_tools::tolerance(1e-14));
  BOOST_TEST(
      Quantity(r, id, "cos(disease, society)") == 39367 / std::sqrt(d * o),
      boost::test_tools::tolerance(1e-14));
  // The slide's point: society lies between the two, nearer to disease.
  BOOST_TEST(Quantity(r, id, "angle(silver, society) in degrees") +
                     Quantity(r, id, "angle(disease, society) in degrees") ==
                 Quantity(r, id, "angle(silver, disease) in degrees"),
             boost::test_tools::tolerance(1e-12));
}

// LMU "Network architecture" to "Word2Vec", one step of each: the kernel's
// loss (computed through its own exp/log1p path) equals
// -log sigma(f_0) - sum_j log sigma(-f_j) from the reported dot products
// (1e-15: three logs of values near 1/2), and the step's checks are within
// their stated bounds.
BOOST_AUTO_TEST_CASE(skipgram_step_loss_and_checks_from_the_lmu_deck) {
  const auto r = ch05::BuildReport(BookOptions());
  const std::string id = "cbow_skipgram.one_step";
  const double f0 = Quantity(r, id, "skip-gram f_0 = u . v_cat");
  const double f1 = Quantity(r, id, "skip-gram f_1 = u . v_sat");
  const double f2 = Quantity(r, id, "skip-gram f_2 = u . v_the");
  auto log_sigma = [](double x) { return -std::log1p(std::exp(-x)); };
  BOOST_TEST(
      Quantity(r, id, "skip-gram L = -log sigma(f_0) - sum log sigma(-f_j)") ==
          -log_sigma(f0) - log_sigma(-f1) - log_sigma(-f2),
      boost::test_tools::tolerance(1e-15));
  BOOST_TEST(Quantity(r, id, "skip-gram sigma(f_0)") == 1 / (1 + std::exp(-f0)),
             boost::test_tools::tolerance(1e-15));
  BOOST_TEST(Quantity(r, id, "max |kernel - reference|, updated rows") <=
             ch05::kReferenceBound);
  BOOST_TEST(Quantity(r, id, "worst gradient error vs central differences") <=
             ch05::kGradCheckBound);
}

// LMU "Applications": the deck's four pairs on the book's vectors. Each
// cosine is recomputed here from the vectors file (in double: the report's
// Cosine and this loop sum the same products, 1e-12); coast-shore's
// WordSim-353 score is the file's 9.10; the check's margin is the
// difference of the two cosines, and rho is EvaluatePairs' on the file.
BOOST_AUTO_TEST_CASE(deck_pairs_on_the_book_vectors_from_the_lmu_deck) {
  const auto r = ch05::BuildReport(BookOptions());
  const std::string id = "similarity.deck_pairs";
  const auto v = chapters::ReadWord2Vec(FFNN_CH05_BOOK_VECTORS);
  auto cosine = [&](const std::string& a, const std::string& b) {
    const auto ia = std::find(v.words.begin(), v.words.end(), a) -
                    v.words.begin(),
               ib = std::find(v.words.begin(), v.words.end(), b) -
                    v.words.begin();
    double ab = 0, aa = 0, bb = 0;
    for (std::size_t j = 0; j < v.dim; ++j) {
      const double x = v.values[ia * v.dim + j], y = v.values[ib * v.dim + j];
      ab += x * y;
      aa += x * x;
      bb += y * y;
    }
    return ab / std::sqrt(aa * bb);
  };
  for (const auto& [a, b] : ch05::kDeckPairs) {
    const std::string pair = std::string(a) + ", " + b;
    BOOST_TEST(Quantity(r, id, "cos(" + pair + ")") == cosine(a, b),
               boost::test_tools::tolerance(1e-12));
  }
  BOOST_TEST(Quantity(r, id, "WordSim-353(coast, shore)") == 9.10);
  BOOST_TEST(Quantity(r, id, "cos(coast, shore) - cos(happiness, disease)") ==
                 cosine("coast", "shore") - cosine("happiness", "disease"),
             boost::test_tools::tolerance(1e-12));
  BOOST_TEST(
      Quantity(r, id, "Spearman rho on WordSim-353") ==
      ch05::EvaluatePairs(v, ch05::ReadPairs(FFNN_DATA_DIR "/wordsim353.txt"))
          .rho);
  BOOST_TEST(Quantity(r, id, "Spearman rho on WordSim-353") >=
             ch05::kBookRhoBound);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(cooccurrence)

// "a b c a" with k = 1: pairs (a,b), (b,c), (c,a); with k = 2 also (a,c)
// and (b,a); with k = 3 also (a,a). Sentences do not share windows.
BOOST_AUTO_TEST_CASE(counts_within_k_words_worked_by_hand) {
  const std::vector<std::vector<std::int32_t>> s = {{0, 1, 2, 0}, {2, 1}};
  const WordMatrix k1 = ch05::CountCooccurrences(s, 3, 1);
  BOOST_TEST(k1(0, 1) == 1);
  BOOST_TEST(k1(1, 0) == 1);
  BOOST_TEST(k1(1, 2) == 2);  // b c in sentence 1, c b in sentence 2
  BOOST_TEST(k1(0, 2) == 1);
  BOOST_TEST(k1(0, 0) == 0);
  const WordMatrix k2 = ch05::CountCooccurrences(s, 3, 2);
  BOOST_TEST(k2(0, 2) == 2);
  BOOST_TEST(k2(0, 1) == 2);
  BOOST_TEST(k2(0, 0) == 0);
  const WordMatrix k3 = ch05::CountCooccurrences(s, 3, 3);
  BOOST_TEST(k3(0, 0) == 2);  // the two a's, counted in both directions
  double total = 0;
  for (const double x : k3.values) total += x;
  BOOST_TEST(total == 2 * (6 + 1));  // 6 pairs in sentence 1, 1 in 2
  BOOST_CHECK_THROW(ch05::CountCooccurrences(s, 2, 1), std::invalid_argument);
  BOOST_CHECK_THROW(ch05::CountCooccurrences(s, 3, 0), std::invalid_argument);
}

// PPMI of the 2 x 2 count matrix [[2, 6], [6, 2]] (N = 16, every marginal
// 8): P(w, c) / (P(w) P(c)) = (2/16) / (1/4) = 0.5 on the diagonal (PMI
// log 0.5 < 0, so PPMI 0) and 1.5 off it (PPMI log 1.5); with alpha = 0.75
// the context marginals stay 1/2 (equal counts), so nothing changes. With
// unequal marginals [[1, 3], [3, 9]]: the pair (0, 1) has P = 3/16,
// P(0) = 4/16, P(1) = 12/16 (alpha = 1): PMI = log(1) = 0.
BOOST_AUTO_TEST_CASE(ppmi_worked_by_hand) {
  const WordMatrix m{2, {2, 6, 6, 2}};
  for (double alpha : {1.0, 0.75}) {
    const WordMatrix p = ch05::Ppmi(m, alpha);
    BOOST_TEST(p(0, 0) == 0.0);
    BOOST_TEST(p(0, 1) == std::log(1.5), boost::test_tools::tolerance(1e-15));
  }
  const WordMatrix u{2, {1, 3, 3, 9}};
  const WordMatrix p1 = ch05::Ppmi(u, 1.0);
  BOOST_TEST(std::abs(p1(0, 1)) <= 1e-15);
  BOOST_TEST(std::abs(p1(1, 1)) <= 1e-15);
  // alpha = 0.75 raises the rare context's probability and lowers the
  // frequent one's: P_0.75(0) = 4^0.75 / (4^0.75 + 12^0.75) = 0.305 > 1/4.
  // So the pair with the frequent context (0, 1) gets a positive PMI,
  // log((3/16) / ((4/16) (1 - P_0.75(0)))), and the one with the rare
  // context (1, 0) a negative one, clipped to 0: PMI's bias towards rare
  // contexts is what the smoothing removes.
  const double pa =
      std::pow(4.0, 0.75) / (std::pow(4.0, 0.75) + std::pow(12.0, 0.75));
  const WordMatrix p75 = ch05::Ppmi(u, 0.75);
  BOOST_TEST(p75(0, 1) == std::log((3.0 / 16) / ((4.0 / 16) * (1 - pa))),
             boost::test_tools::tolerance(1e-14));
  BOOST_TEST(p75(1, 0) == 0.0);
}

// SVD vectors: for a symmetric positive semi-definite matrix of rank 2,
// the rank-2 vectors W = U S^(1/2) reproduce it exactly (W W^T = M), and
// fewer dimensions than words is the only accepted shape.
BOOST_AUTO_TEST_CASE(svd_vectors_reproduce_a_low_rank_matrix) {
  // M = A A^T with A (4 x 2).
  const double A[4][2] = {{1, 2}, {0, 1}, {3, -1}, {2, 2}};
  WordMatrix M{4, std::vector<double>(16)};
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) M(i, j) = A[i][0] * A[j][0] + A[i][1] * A[j][1];
  const std::vector<double> W = ch05::SvdVectors(M, 2);
  double worst = 0;
  for (int i = 0; i < 4; ++i) {
    for (int j = 0; j < 4; ++j) {
      const double wwt = W[i * 2] * W[j * 2] + W[i * 2 + 1] * W[j * 2 + 1];
      worst = std::max(worst, std::abs(wwt - M(i, j)));
    }
  }
  BOOST_TEST(worst <= 1e-12);  // entries up to 10, double SVD
  BOOST_CHECK_THROW(ch05::SvdVectors(M, 5), std::invalid_argument);
}

// `w2v count`'s pipeline on "a other b" (ids 0, 2, 1) with n = 2 kept
// words: the other word keeps its place, so a and b are 2 apart. With
// k = 1 they never co-occur and the matrix is zero (refused); with k = 2
// the kept block is [[0, 1], [1, 0]] once the other word's row and column
// are dropped: N = 2, P(a, b) = 1/2, P(a) = P(b) = 1/2, so PPMI =
// [[0, log 2], [log 2, 0]]. Its singular values are log 2 twice, so
// W W^T = U S U^T = log 2 I: two orthogonal vectors of squared length
// log 2. (Had the other word stayed, P(a) would be 1/4.)
BOOST_AUTO_TEST_CASE(count_vectors_keep_distances_and_drop_the_other_words) {
  const std::vector<std::vector<std::int32_t>> s = {{0, 2, 1}, {5}};
  try {
    ch05::CountVectors(s, 2, 1, 2, "toy");
    BOOST_FAIL("a zero co-occurrence matrix was accepted");
  } catch (const std::invalid_argument& e) {
    BOOST_TEST(std::string(e.what()).rfind(
                   "toy: no two words occur within 1 words of each other", 0) ==
               0);
  }
  const std::vector<double> W = ch05::CountVectors(s, 2, 2, 2, "toy");
  BOOST_TEST_REQUIRE(W.size() == 4u);
  BOOST_TEST(W[0] * W[0] + W[1] * W[1] == std::log(2.0),
             boost::test_tools::tolerance(1e-14));
  BOOST_TEST(W[2] * W[2] + W[3] * W[3] == std::log(2.0),
             boost::test_tools::tolerance(1e-14));
  BOOST_TEST(std::abs(W[0] * W[2] + W[1] * W[3]) <= 1e-15);
}

// A random corpus of Zipf-like words (ids by falling frequency).
std::vector<std::vector<std::int32_t>> ZipfCorpus(std::size_t V,
                                                  std::size_t sentences,
                                                  std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<double> weights(V);
  for (std::size_t w = 0; w < V; ++w) weights[w] = 1.0 / double(w + 1);
  std::discrete_distribution<std::int32_t> word(weights.begin(), weights.end());
  std::vector<std::vector<std::int32_t>> out(sentences);
  for (auto& s : out) {
    s.resize(1 + rng() % 25);
    for (auto& w : s) w = word(rng);
  }
  return out;
}

// The sparse counts are the dense ones, entry for entry (both are sums of
// ones), the diagonal included, for several windows; PPMI on the nonzeros
// equals the dense PPMI to a few ulp (the same formula, N cancelled
// another way: 1e-12 of entries below 10).
BOOST_AUTO_TEST_CASE(sparse_counts_and_ppmi_equal_the_dense_ones) {
  const std::size_t V = 60;
  const auto corpus = ZipfCorpus(V, 400, 7);
  for (const std::size_t k : {1, 2, 5}) {
    const WordMatrix dense = ch05::CountCooccurrences(corpus, V, k);
    const ch05::SparseMatrix sparse =
        ch05::CountCooccurrencesSparse(corpus, V, k);
    const Eigen::MatrixXd as_dense(sparse);
    double worst = 0;
    for (std::size_t w = 0; w < V; ++w)
      for (std::size_t c = 0; c < V; ++c)
        worst = std::max(worst, std::abs(as_dense(w, c) - dense(w, c)));
    BOOST_TEST(worst == 0.0, "k=" << k);
    const WordMatrix ppmi = ch05::Ppmi(dense, 0.75);
    const Eigen::MatrixXd sparse_ppmi(ch05::SparsePpmi(sparse, 0.75));
    worst = 0;
    for (std::size_t w = 0; w < V; ++w)
      for (std::size_t c = 0; c < V; ++c)
        worst = std::max(worst, std::abs(sparse_ppmi(w, c) - ppmi(w, c)));
    BOOST_TEST(worst <= 1e-12, "k=" << k << " worst " << worst);
  }
}

// The largest principal angle between the column spaces of two matrices
// with orthonormal columns: acos of the smallest singular value of A^T B.
double LargestAngle(const Eigen::MatrixXd& A, const Eigen::MatrixXd& B) {
  Eigen::JacobiSVD<Eigen::MatrixXd> svd(A.transpose() * B);
  return std::acos(std::min(1.0, svd.singularValues().minCoeff()));
}

// A matrix whose spectrum is known: A = U diag(s) V^T with U, V random
// orthogonal (QR of Gaussian matrices) and s_i = 0.8^i. The randomized SVD
// of rank 8 (16 + 10 samples would be exact; 8 + 10 with 4 power passes
// weigh s_i as s_i^9, so the 19th direction leaks in at 0.8^(9 x 10) ~ 2e-9
// of the 8th) recovers the values to 1e-8 relative and U's span to 1e-7
// radians.
BOOST_AUTO_TEST_CASE(randomized_svd_recovers_a_known_spectrum) {
  const Eigen::Index m = 90, n = 70, r = 70;
  std::mt19937_64 rng(3);
  std::normal_distribution<double> normal;
  auto gaussian = [&](Eigen::Index rows, Eigen::Index cols) {
    Eigen::MatrixXd g(rows, cols);
    for (Eigen::Index i = 0; i < g.size(); ++i) g.data()[i] = normal(rng);
    return g;
  };
  const Eigen::MatrixXd U =
      Eigen::HouseholderQR<Eigen::MatrixXd>(gaussian(m, r)).householderQ() *
      Eigen::MatrixXd::Identity(m, r);
  const Eigen::MatrixXd V =
      Eigen::HouseholderQR<Eigen::MatrixXd>(gaussian(n, r)).householderQ() *
      Eigen::MatrixXd::Identity(n, r);
  Eigen::VectorXd s(r);
  for (Eigen::Index i = 0; i < r; ++i) s[i] = std::pow(0.8, double(i));
  const Eigen::MatrixXd A = U * s.asDiagonal() * V.transpose();
  const ch05::SparseMatrix sparse = A.sparseView();
  const std::size_t k = 8;
  const ch05::TruncatedSvd svd = ch05::RandomizedSvd(sparse, k);
  BOOST_TEST_REQUIRE(svd.S.size() == Eigen::Index(k));
  for (std::size_t i = 0; i < k; ++i) {
    BOOST_TEST(std::abs(svd.S[i] - s[i]) <= 1e-8 * s[i], "s_" << i);
  }
  BOOST_TEST(LargestAngle(svd.U, U.leftCols(k)) <= 1e-7);
  BOOST_CHECK_THROW(ch05::RandomizedSvd(sparse, 0), std::invalid_argument);
  BOOST_CHECK_THROW(ch05::RandomizedSvd(sparse, 71), std::invalid_argument);
}

// Against the dense SVD on a PPMI matrix small enough for both: 400 words
// in 8 topics of 50, each sentence drawn from one topic (Zipf within it),
// so that PPMI has 8 strong directions above a noisy rest, as a corpus has
// a few strong ones (s_8 = 84, s_9 = 8.7). Four power passes weigh the
// rest by (s_9 / s_8)^9 ~ 1e-9: the 8 leading singular values agree to
// 1e-12 relative (measured 2e-15) and the span of their vectors to 1e-6
// radians (measured 2e-8); the same bits for 1 and 2 threads, other bits
// for another seed.
BOOST_AUTO_TEST_CASE(randomized_svd_matches_the_dense_svd_on_ppmi) {
  const std::size_t V = 400, topics = 8, k = 8;
  std::mt19937_64 rng(9);
  std::vector<double> weights(V / topics);
  for (std::size_t w = 0; w < weights.size(); ++w) weights[w] = 1.0 / (w + 1);
  std::discrete_distribution<std::int32_t> word(weights.begin(), weights.end());
  std::vector<std::vector<std::int32_t>> corpus(8000);
  for (auto& sentence : corpus) {
    const auto topic = std::int32_t(rng() % topics);
    sentence.resize(4 + rng() % 12);
    for (auto& w : sentence) w = topic * std::int32_t(V / topics) + word(rng);
  }
  const ch05::SparseMatrix ppmi =
      ch05::SparsePpmi(ch05::CountCooccurrencesSparse(corpus, V, 4), 0.75);
  const Eigen::MatrixXd dense(ppmi);
  Eigen::BDCSVD<Eigen::MatrixXd> exact(dense, Eigen::ComputeThinU);
  ch05::RandomizedSvdSettings settings;
  const ch05::TruncatedSvd svd = ch05::RandomizedSvd(ppmi, k, settings);
  double worst = 0;
  for (std::size_t i = 0; i < k; ++i) {
    worst = std::max(worst, std::abs(svd.S[i] - exact.singularValues()[i]) /
                                exact.singularValues()[i]);
  }
  BOOST_TEST(worst <= 1e-12, "worst relative error "
                                 << worst << ", s_8 "
                                 << exact.singularValues()[7] << ", s_9 "
                                 << exact.singularValues()[8]);
  const double angle =
      LargestAngle(svd.U, exact.matrixU().leftCols(Eigen::Index(k)));
  BOOST_TEST(angle <= 1e-6, "largest principal angle " << angle);
  settings.threads = 2;
  BOOST_TEST((ch05::RandomizedSvd(ppmi, k, settings).U == svd.U));
  settings.seed = 2;
  BOOST_TEST((ch05::RandomizedSvd(ppmi, k, settings).U != svd.U));
}

// The rich-poor plane's arithmetic on vectors whose angles are known:
// (1, 0) and (1, 1) are 45 degrees apart (cosine 1 / sqrt 2), (1, 0) and
// (0, 1) 90 (cosine 0), a vector and itself 0 (cosine 1, up to an ulp:
// acos near 1 turns an ulp of 2.2e-16 into sqrt(4.4e-16) rad = 1.2e-6
// degrees, so 1e-5).
BOOST_AUTO_TEST_CASE(cosine_and_angle_worked_by_hand) {
  const std::vector<double> x = {1, 0}, xy = {1, 1}, y = {0, 1};
  const auto s45 = ch05::CosineAndAngle(x, xy);
  BOOST_TEST(s45.cosine == 1 / std::sqrt(2.0),
             boost::test_tools::tolerance(1e-15));
  BOOST_TEST(s45.degrees == 45.0, boost::test_tools::tolerance(1e-13));
  const auto s90 = ch05::CosineAndAngle(x, y);
  BOOST_TEST(s90.cosine == 0.0);
  BOOST_TEST(s90.degrees == 90.0, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(ch05::CosineAndAngle(xy, xy).degrees <= 1e-5);
}

BOOST_AUTO_TEST_SUITE_END()

namespace fs = std::filesystem;

// Vectors with awkward floats: the smallest normal, a denormal, negative
// zero, values that need 9 significant digits, and a UTF-8 word.
chapters::WordVectors Awkward() {
  chapters::WordVectors wv;
  wv.dim = 3;
  wv.words = {"</s>", "caf\xC3\xA9", "x"};
  wv.values = {std::numeric_limits<float>::min(),
               std::numeric_limits<float>::denorm_min(),
               -0.0f,
               0.1f,
               1.0f / 3.0f,
               -123456.789f,
               3.4e38f,
               -1e-7f,
               16777217.0f};
  return wv;
}

BOOST_AUTO_TEST_SUITE(files)

// Both formats read back bit for bit; the binary file is byte for byte
// what word2vec.c writes ("V d\n", then "word " + 4 d bytes + "\n").
BOOST_AUTO_TEST_CASE(word2vec_text_and_binary_round_trip_exactly) {
  TempDir dir("ffnn_ch05_vectors");
  const auto wv = Awkward();
  for (const bool binary : {false, true}) {
    const std::string path = (dir.path / (binary ? "v.bin" : "v.txt")).string();
    chapters::WriteWord2Vec(wv, path, binary);
    const auto back = binary ? chapters::ReadWord2VecBinary(path)
                             : chapters::ReadWord2VecText(path);
    BOOST_TEST((back.words == wv.words));
    BOOST_TEST(back.dim == wv.dim);
    BOOST_TEST_REQUIRE(back.values.size() == wv.values.size());
    BOOST_TEST(std::memcmp(back.values.data(), wv.values.data(),
                           wv.values.size() * 4) == 0,
               (binary ? "binary" : "text") << " values differ");
  }
  std::string want = "3 3\n";
  for (std::size_t i = 0; i < 3; ++i) {
    want += wv.words[i] + " ";
    want.append(reinterpret_cast<const char*>(wv.values.data() + 3 * i), 12);
    want += "\n";
  }
  BOOST_TEST(Slurp((dir.path / "v.bin").string()) == want);
  // No temporary file is left behind.
  BOOST_TEST(std::distance(fs::directory_iterator(dir.path),
                           fs::directory_iterator()) == 2);
  chapters::WordVectors bad = wv;
  bad.words[1] = "two words";
  BOOST_CHECK_THROW(
      chapters::WriteWord2Vec(bad, (dir.path / "b.txt").string(), false),
      std::invalid_argument);
  BOOST_TEST(!fs::exists(dir.path / "b.txt"));
}

// Malformed binary files: one message naming the file and the defect,
// nothing allocated from a lying header.
BOOST_AUTO_TEST_CASE(malformed_word2vec_binary_files_are_refused) {
  TempDir dir("ffnn_ch05_bad_bin");
  auto floats = [](std::initializer_list<float> v) {
    std::string s;
    for (const float x : v) s.append(reinterpret_cast<const char*>(&x), 4);
    return s;
  };
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const std::pair<std::string, std::string> bad[] = {
      {"", "empty file"},
      {"2 2", "no header line"},
      {"2 2 2\n", "the header is not"},
      {"0 2\n", "impossible header"},
      {"1000000 2\na " + floats({1, 2}) + "\n", "more than the file holds"},
      {"3 4\naaaaaaaaaa " + floats({1, 2, 3, 4}) + "\nbbbbbbbbbb " +
           floats({1, 2, 3, 4}) + "\ncccccccccc " + floats({5}),
       "truncated"},
      {"1 2\na " + floats({1, nan}) + "\n", "not finite"},
      {"2 2\na " + floats({1, 2}) + "\na " + floats({3, 4}) + "\n",
       "'a' appears twice"},
      {"1 2\na " + floats({1, 2}) + "\nextra bytes here\n",
       "bytes after the header's 1 vectors"},
      {"1 2\n\xC3\x28 " + floats({1, 2}) + "\n", "invalid UTF-8"}};
  for (const auto& [content, want] : bad) {
    const std::string path = dir.Write("v.bin", content);
    try {
      chapters::ReadWord2VecBinary(path);
      BOOST_ERROR("accepted, expected '" << want << "'");
    } catch (const chapters::InputError& e) {
      const std::string what = e.what();
      BOOST_TEST(what.find(want) != std::string::npos, what);
      BOOST_TEST(what.find(path) == 0, what);
    }
  }
  // gensim also reads files without the newline after each vector.
  const auto ok = chapters::ReadWord2VecBinary(
      dir.Write("ok.bin", "2 1\na " + floats({1}) + "b " + floats({2})));
  BOOST_TEST(ok.values == (std::vector<float>{1, 2}));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(training_text)

// "b a c", an empty line, "c\ta b a\r", "  x": a occurs 3 times, b and c
// twice (b first: ties in byte order), x once (dropped with min_count 2,
// and its line with it); the empty line is no sentence. 8 tokens in all.
BOOST_AUTO_TEST_CASE(words_by_count_and_sentences_of_ids) {
  const auto t =
      ch05::ParseTrainingText("b a c\n\nc\ta b a\r\n  x\n", 2, "toy");
  BOOST_TEST(t.words == (std::vector<std::string>{"a", "b", "c"}),
             boost::test_tools::per_element());
  BOOST_TEST(t.counts == (std::vector<std::int64_t>{3, 2, 2}),
             boost::test_tools::per_element());
  BOOST_TEST_REQUIRE(t.sentences.size() == 2u);
  BOOST_TEST(t.sentences[0] == (std::vector<std::int32_t>{1, 0, 2}),
             boost::test_tools::per_element());
  BOOST_TEST(t.sentences[1] == (std::vector<std::int32_t>{2, 0, 1, 0}),
             boost::test_tools::per_element());
  BOOST_TEST(t.tokens == 8u);
}

// word2vec.c's -save-vocab format: "</s> <line ends>", then "word count"
// by decreasing count; read back with -read-vocab it gives the same words,
// counts and sentences, so the same training.
BOOST_AUTO_TEST_CASE(vocabulary_saved_and_read_back_as_word2vec_does) {
  const std::string text = "b a c\n\nc\ta b a\r\n  x\n";
  const auto t = ch05::ParseTrainingText(text, 2, "toy");
  BOOST_TEST(ch05::VocabularyText(t) == "</s> 4\na 3\nb 2\nc 2\n");
  TempDir dir("ffnn_ch05_vocab");
  const auto vocabulary =
      ch05::ReadVocabulary(dir.Write("vocab.txt", ch05::VocabularyText(t)));
  BOOST_TEST(vocabulary.size() == 3u);  // </s> left out
  const auto again = ch05::ParseTrainingText(text, 2, "toy", &vocabulary);
  BOOST_TEST(again.words == t.words, boost::test_tools::per_element());
  BOOST_TEST(again.counts == t.counts, boost::test_tools::per_element());
  BOOST_TEST(again.sentences == t.sentences);
  // The file's counts rule: with x listed 9 times, x is kept and first,
  // and a word the file does not list (c) is dropped from the sentences.
  const std::vector<std::pair<std::string, std::int64_t>> lying = {
      {"x", 9}, {"a", 3}, {"b", 2}};
  const auto l = ch05::ParseTrainingText(text, 2, "toy", &lying);
  BOOST_TEST(l.words == (std::vector<std::string>{"x", "a", "b"}),
             boost::test_tools::per_element());
  BOOST_TEST(l.sentences[0] == (std::vector<std::int32_t>{2, 1}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(vocabulary_files_that_lie_are_refused) {
  TempDir dir("ffnn_ch05_bad_vocab");
  auto message = [&](const std::string& content) {
    const std::string path = dir.Write("vocab.txt", content);
    try {
      ch05::ReadVocabulary(path);
    } catch (const chapters::InputError& e) {
      return std::string(e.what()).substr(path.size());
    }
    return std::string("accepted");
  };
  BOOST_TEST(message("a 3\nb x\n") == ":2: 'x' is not a count from 1 to 2^62");
  BOOST_TEST(message("a 3\nb 0\n") == ":2: '0' is not a count from 1 to 2^62");
  BOOST_TEST(message("a 3\na 2\n") == ":2: 'a' is listed twice");
  BOOST_TEST(message("a 3 4\n") == ":1: expected 'word count'");
  BOOST_TEST(message("a\n") == ":1: expected 'word count'");
  BOOST_TEST(message("</s> 7\n") == ": lists no word");
  BOOST_TEST(message("") == ": lists no word");
  BOOST_TEST(message("a 99999999999999999999\n") ==
             ":1: '99999999999999999999' is not a count from 1 to 2^62");
}

BOOST_AUTO_TEST_CASE(texts_without_two_kept_words_are_refused) {
  auto message = [](std::string_view text, int min_count) {
    try {
      ch05::ParseTrainingText(text, min_count, "toy");
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  BOOST_TEST(message(" \n\t\n", 1) == "toy: no words");
  BOOST_TEST(message("a a b", 2) ==
             "toy: fewer than two words occur at least 2 times");
  BOOST_TEST(message("a b", 1) == "accepted");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(phrases)

// Worked by hand, min_count 1 (so the discount is 1), N = 21 tokens:
//   "we like new york / new york is big / i saw new york city /
//    new cars in york / the city is new"
// count(new) = 5, count(york) = 4, count(new york) = 3:
//   score = (3 - 1) / (5 * 4) * 21 = 2.1;
// count(york city) = 1: (1 - 1) / ... = 0; count(is big) = 1: 0.
// At threshold 2 "new york" joins three times, nothing else; at 2.1 (not
// passed: the rule is score > threshold) nothing joins.
BOOST_AUTO_TEST_CASE(scores_and_joins_worked_by_hand) {
  const std::string text =
      "we like new york\nnew york is big\ni saw new york city\n"
      "new cars in york\nthe city is new\n";
  BOOST_TEST(ch05::PhraseScore(3, 5, 4, 21, 1) == 2.1,
             boost::test_tools::tolerance(1e-15));
  const auto r = ch05::JoinPhrases(text, {2.0, 1}, "toy");
  BOOST_TEST(r.text ==
             "we like new_york\nnew_york is big\ni saw new_york city\n"
             "new cars in york\nthe city is new\n");
  BOOST_TEST(r.tokens == 21u);
  BOOST_TEST(r.joined == 3u);
  BOOST_TEST(ch05::JoinPhrases(text, {2.1, 1}, "toy").joined == 0u);
  // min_count 5 is word2phrase's default: york (4) is too rare.
  BOOST_TEST(ch05::JoinPhrases(text, {0.0, 5}, "toy").joined == 0u);
}

// "a b c" three times: a b and b c both score (3 - 1) / 9 * 9 = 2. Left to
// right, a joins b; b's count then counts as 0, so c stays alone; a second
// pass over "a_b c" joins a_b with c (count 3 each): a three-word phrase.
BOOST_AUTO_TEST_CASE(a_joined_word_joins_no_further_in_one_pass) {
  const auto one = ch05::JoinPhrases("a b c\na b c\na b c\n", {1.0, 1}, "t");
  BOOST_TEST(one.text == "a_b c\na_b c\na_b c\n");
  const auto two = ch05::JoinPhrases(one.text, {1.0, 1}, "t");
  BOOST_TEST(two.text == "a_b_c\na_b_c\na_b_c\n");
}

// A pair never spans a line end (word2phrase's would): "x" ends every line
// and "y" starts the next, yet x y is never counted or joined.
BOOST_AUTO_TEST_CASE(pairs_stay_within_a_line) {
  const auto r = ch05::JoinPhrases("a x\ny b x\ny c x\ny\n", {0.0, 1}, "t");
  BOOST_TEST(r.text.find("x_y") == std::string::npos);
  BOOST_TEST(r.joined == 0u);
}

BOOST_AUTO_TEST_CASE(bad_settings_and_empty_texts_are_refused) {
  BOOST_CHECK_THROW(ch05::JoinPhrases("a b", {std::nan(""), 5}, "t"),
                    std::invalid_argument);
  BOOST_CHECK_THROW(ch05::JoinPhrases("a b", {100, 0}, "t"),
                    std::invalid_argument);
  BOOST_CHECK_THROW(ch05::JoinPhrases(" \n\t\n", {100, 5}, "t"),
                    std::runtime_error);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(word_classes)

// word2vec.c's k-means, written out plainly in double: class i mod K, then
// rounds of unit-length mean centroids and argmax dot products.
std::vector<std::int32_t> PlainClasses(const std::vector<float>& v,
                                       std::size_t V, std::size_t d, int K) {
  std::vector<std::int32_t> cl(V);
  for (std::size_t i = 0; i < V; ++i) cl[i] = std::int32_t(i % K);
  for (int round = 0; round < ch05::kClassRounds; ++round) {
    std::vector<double> cent(K * d, 0.0), count(K, 1.0);
    for (std::size_t i = 0; i < V; ++i) {
      for (std::size_t j = 0; j < d; ++j) cent[cl[i] * d + j] += v[i * d + j];
      count[cl[i]] += 1;
    }
    for (int c = 0; c < K; ++c) {
      double norm = 0;
      for (std::size_t j = 0; j < d; ++j) {
        cent[c * d + j] /= count[c];
        norm += cent[c * d + j] * cent[c * d + j];
      }
      for (std::size_t j = 0; j < d; ++j) cent[c * d + j] /= std::sqrt(norm);
    }
    for (std::size_t i = 0; i < V; ++i) {
      double best = -1e300;
      for (int c = 0; c < K; ++c) {
        double x = 0;
        for (std::size_t j = 0; j < d; ++j) x += cent[c * d + j] * v[i * d + j];
        if (x > best) {
          best = x;
          cl[i] = c;
        }
      }
    }
  }
  return cl;
}

// Two obvious groups, interleaved so that the start (i mod 2) mixes them.
BOOST_AUTO_TEST_CASE(two_groups_are_found) {
  const std::vector<float> v = {1, 0.1f, -1, 0,     0.9f, 0,
                                0, -1,   1,  -0.1f, 0,    -0.9f};
  const auto cl = ch05::WordClasses(v, 6, 2, 2);
  BOOST_TEST(cl[0] == cl[2]);
  BOOST_TEST(cl[2] == cl[4]);
  BOOST_TEST(cl[1] == cl[3]);
  BOOST_TEST(cl[3] == cl[5]);
  BOOST_TEST(cl[0] != cl[1]);
}

BOOST_AUTO_TEST_CASE(same_classes_as_word2vec_for_any_thread_count) {
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<float> u(-1, 1);
  const std::size_t V = 200, d = 16;
  std::vector<float> v(V * d);
  for (float& x : v) x = u(rng);
  const auto want = PlainClasses(v, V, d, 7);
  for (const int threads : {1, 2, 3}) {
    BOOST_TEST(ch05::WordClasses(v, V, d, 7, threads) == want,
               boost::test_tools::per_element());
  }
  BOOST_TEST(ch05::ClassesText({"a", "b"}, {3, 0}) == "a 3\nb 0\n");
}

BOOST_AUTO_TEST_CASE(class_counts_outside_one_to_v_are_refused) {
  const std::vector<float> v(6, 1.0f);
  BOOST_CHECK_THROW(ch05::WordClasses(v, 3, 2, 0), std::invalid_argument);
  BOOST_CHECK_THROW(ch05::WordClasses(v, 3, 2, 4), std::invalid_argument);
  BOOST_TEST(ch05::WordClasses(v, 3, 2, 3).size() == 3u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(sgns_step)

// The chapter's own loss and steps (the worked example's) against the
// independent reference on a random (5, 4) table: the plain step does the
// reference's arithmetic (1e-15 on values below 1); the kernel's steps
// agree to a few ulps (kReferenceBound); CBOW's mean is the mean of the
// rows, and each context row moves by lr h_grad once per occurrence.
BOOST_AUTO_TEST_CASE(loss_and_steps_match_the_reference) {
  const std::size_t V = 5, d = 4;
  const double lr = 0.1;
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> init(-0.5, 0.5);
  std::vector<double> in(V * d), out(V * d);
  for (double& x : in) x = init(rng);
  for (double& x : out) x = init(rng);
  const std::vector<std::int32_t> ctx = {1, 3, 4};
  using RMat = reference::Mat<double>;
  using RVec = reference::Vec<double>;
  const Eigen::Map<const RMat> out_map(out.data(), V, d);
  auto row = [&](const std::vector<double>& t, std::size_t w) {
    return std::vector<double>(t.begin() + w * d, t.begin() + (w + 1) * d);
  };
  const std::vector<double> u = row(in, 2);
  const RVec u_ref = Eigen::Map<const RVec>(u.data(), d);
  BOOST_TEST(ch05::SgnsLoss(u, out, d, ctx) ==
                 reference::NegativeSamplingLoss<double>(u_ref, out_map, ctx),
             boost::test_tools::tolerance(1e-15));

  RVec ur = u_ref, gr(d);
  RMat outr = out_map;
  const double ref_loss =
      reference::NegativeSamplingStep<double>(lr, ur, outr, ctx, gr);
  std::vector<double> up = u, outp = out, gp(d);
  BOOST_TEST(ch05::SgnsStep(lr, up, outp, d, ctx, gp) == ref_loss,
             boost::test_tools::tolerance(1e-15));
  std::vector<double> ins = in, outs = out, gs(d);
  BOOST_TEST(ch05::SkipGramStep(lr, ins, outs, d, 2, ctx, gs) == ref_loss,
             boost::test_tools::tolerance(1e-14));
  for (std::size_t i = 0; i < d; ++i) {
    BOOST_TEST(std::abs(up[i] - ur[i]) <= 1e-15);
    BOOST_TEST(std::abs(gp[i] - gr[i]) <= 1e-15);
    BOOST_TEST(std::abs(ins[2 * d + i] - ur[i]) <= ch05::kReferenceBound);
  }
  for (std::size_t i = 0; i < V * d; ++i) {
    BOOST_TEST(std::abs(outp[i] - outr.data()[i]) <= 1e-15);
    BOOST_TEST(std::abs(outs[i] - outr.data()[i]) <= ch05::kReferenceBound);
  }

  const std::vector<std::int32_t> context = {0, 1, 3, 0};
  RVec h_ref = RVec::Zero(d);
  for (const std::int32_t c : context) {
    h_ref += Eigen::Map<const RVec>(in.data() + c * d, d) / 4.0;
  }
  RVec hr = h_ref, hgr(d);
  RMat outc = out_map;
  const double cbow_ref =
      reference::NegativeSamplingStep<double>(lr, hr, outc, ctx, hgr);
  std::vector<double> inc = in, outk = out, h(d), hg(d);
  BOOST_TEST(ch05::CbowStep(lr, inc, outk, d, context, ctx, h, hg) == cbow_ref,
             boost::test_tools::tolerance(1e-14));
  const int times[V] = {2, 1, 0, 1, 0};
  for (std::size_t w = 0; w < V; ++w) {
    for (std::size_t i = 0; i < d; ++i) {
      BOOST_TEST(std::abs(h[i] - h_ref[i]) <= 1e-15);
      BOOST_TEST(std::abs(inc[w * d + i] -
                          (in[w * d + i] - times[w] * lr * hgr[i])) <= 1e-14);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(sampling)

// Vose's alias table gives each index exactly its weight's share (to
// rounding, 1e-15), and 10^6 draws land within 5 standard deviations of it
// (sqrt(p (1 - p) / 10^6) <= 5e-4).
BOOST_AUTO_TEST_CASE(alias_table_draws_with_the_weights) {
  const std::vector<double> w = {5, 0, 1, 1, 2.5, 0.5, 10};
  const double total = 20;
  const ch05::AliasTable table(w);
  double sum = 0;
  for (std::size_t i = 0; i < w.size(); ++i) {
    const double p = table.Probability(static_cast<std::int32_t>(i));
    BOOST_TEST(std::abs(p - w[i] / total) <= 1e-15, "index " << i);
    sum += p;
  }
  BOOST_TEST(sum == 1.0, boost::test_tools::tolerance(1e-15));
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<double> seen(w.size());
  const int n = 1000000;
  for (int i = 0; i < n; ++i) seen[table.Draw(u(rng), u(rng))] += 1;
  for (std::size_t i = 0; i < w.size(); ++i) {
    const double p = w[i] / total;
    BOOST_TEST(std::abs(seen[i] / n - p) <= 5 * std::sqrt(p * (1 - p) / n),
               "index " << i);
  }
  BOOST_CHECK_THROW(ch05::AliasTable(std::vector<double>{0, 0}),
                    std::invalid_argument);
  BOOST_CHECK_THROW(ch05::AliasTable(std::vector<double>{1, -1}),
                    std::invalid_argument);
}

// word2vec's noise weights are count^0.75; its keep probability worked by
// hand: t total = 1000; a word seen 10^5 times is kept with probability
// (sqrt(100) + 1) * 1000 / 10^5 = 0.11, one seen 1000 times always (2,
// capped at 1), and t = 0 turns subsampling off.
BOOST_AUTO_TEST_CASE(noise_weights_and_keep_probability_by_hand) {
  const std::vector<std::int64_t> counts = {16, 1, 81};
  const auto w = ch05::NoiseWeights(counts);
  BOOST_TEST(w[0] == 8.0, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(w[1] == 1.0);
  BOOST_TEST(w[2] == 27.0, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(ch05::KeepProbability(100000, 1000000, 1e-3) == 0.11,
             boost::test_tools::tolerance(1e-14));
  BOOST_TEST(ch05::KeepProbability(1000, 1000000, 1e-3) == 1.0);
  BOOST_TEST(ch05::KeepProbability(100000, 1000000, 0.0) == 1.0);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(evaluation)

// Spearman's rho: without ties, 1 - 6 sum d^2 / (n (n^2 - 1)), an
// independent formula: ranks (1..5) against (2, 1, 4, 3, 5) give
// 1 - 6 * 4 / 120 = 0.8. With ties, x = (1, 2, 3, 4) against
// y = (1, 2, 2, 3): y's ranks (1, 2.5, 2.5, 4), so rho = 4.5 / sqrt(5 * 4.5)
// = 3 / sqrt(10).
BOOST_AUTO_TEST_CASE(spearman_rho_worked_by_hand) {
  const std::vector<double> a = {10, 20, 30, 40, 50}, b = {2, 1, 4, 3, 5};
  BOOST_TEST(ch05::SpearmanRho(a, b) == 0.8,
             boost::test_tools::tolerance(1e-15));
  const std::vector<double> x = {1, 2, 3, 4}, y = {1, 2, 2, 3};
  BOOST_TEST(ch05::SpearmanRho(x, y) == 3 / std::sqrt(10.0),
             boost::test_tools::tolerance(1e-15));
  const std::vector<double> r = {5, 4, 3, 2, 1};
  BOOST_TEST(ch05::SpearmanRho(a, r) == -1.0,
             boost::test_tools::tolerance(1e-15));
  const std::vector<double> flat = {1, 1, 1, 1, 1};
  BOOST_CHECK_THROW(ch05::SpearmanRho(a, flat), std::invalid_argument);
}

// Pairs from a file (tabs or spaces, comments, CRLF), looked up lowercased;
// coverage counts the pairs with both words; the cosines of the covered
// pairs against their scores give rho by hand: vectors a = (1, 0),
// b = (1, 1), c = (0, 1): cos(a, b) = 0.707, cos(a, c) = 0, cos(b, c) =
// 0.707 (a tie), scores 3, 1, 2: ranks (2.5, 1, 2.5) against (3, 1, 2):
// rho = 1.5 / sqrt(1.5 * 2) = sqrt(3) / 2.
BOOST_AUTO_TEST_CASE(pairs_file_coverage_and_rho) {
  TempDir dir("ffnn_ch05_pairs");
  const std::string path = dir.Write(
      "p.txt", "# a comment\nA\tb\t3\r\na c 1\n\nb  c 2\nzebra a 9\n");
  const auto pairs = ch05::ReadPairs(path);
  BOOST_TEST_REQUIRE(pairs.size() == 4u);
  chapters::WordVectors v;
  v.dim = 2;
  v.words = {"a", "b", "c"};
  v.values = {1, 0, 1, 1, 0, 1};
  const auto s = ch05::EvaluatePairs(v, pairs);
  BOOST_TEST(s.covered == 3u);
  BOOST_TEST(s.total == 4u);
  BOOST_TEST(s.rho == std::sqrt(3.0) / 2, boost::test_tools::tolerance(1e-15));
  const std::vector<ch05::WordPair> none = {{"x", "y", 1}, {"a", "z", 2}};
  BOOST_CHECK_THROW(ch05::EvaluatePairs(v, none), std::invalid_argument);
  const std::pair<std::string, std::string> bad[] = {
      {"", "no word pairs"},
      {"# only a comment\n", "no word pairs"},
      {"a b\n", ":1: expected 'word1 word2 score', found 2 fields"},
      {"a b 1\nc d nan\n", ":2: the score 'nan' is not a finite number"},
      {"a b 1 2\n", "found 4 fields"},
      {"a \xC3\x28 1\n", "invalid UTF-8"}};
  for (const auto& [content, want] : bad) {
    const std::string p = dir.Write("bad.txt", content);
    try {
      ch05::ReadPairs(p);
      BOOST_ERROR("accepted, expected '" << want << "'");
    } catch (const chapters::InputError& e) {
      BOOST_TEST(std::string(e.what()).find(want) != std::string::npos,
                 e.what());
    }
  }
}

// Lookups lowercase like the tokenizer, beyond ASCII: "ZÜRICH" finds
// "zürich".
BOOST_AUTO_TEST_CASE(pairs_are_looked_up_lowercased_beyond_ascii) {
  chapters::WordVectors v;
  v.dim = 2;
  v.words = {"z\xC3\xBCrich", "b", "c"};
  v.values = {1, 0, 1, 1, 0, 1};
  const std::vector<ch05::WordPair> pairs = {
      {"Z\xC3\x9CRICH", "B", 3}, {"z\xC3\xBCrich", "c", 1}, {"b", "c", 2}};
  BOOST_TEST(ch05::EvaluatePairs(v, pairs).covered == 3u);
}

// 3CosAdd by hand on unit vectors in the plane at angles (degrees):
// man 0, woman 90, king 10, queen 100, apple 200, and "kingdom" at 12,
// nearest to king. man : woman :: king : ? gives the direction
// woman - man + king = (cos 90 - 1 + cos 10, sin 90 + sin 10) ~ (-0.015,
// 1.17), angle ~ 90.7 degrees: the answer is woman (90) unless excluded,
// so with the question words excluded queen (100) wins. The reverse
// question woman : man :: queen : ? points at ~ 9.3 degrees: king (10)
// beats kingdom (12). man : kingdom :: king : ? points at ~ 21.6 degrees,
// nearest to king itself (10): only with c excluded too does duke (40)
// win. A question with an unknown word is not covered.
BOOST_AUTO_TEST_CASE(three_cos_add_worked_by_hand) {
  const std::pair<const char*, double> words[] = {
      {"man", 0},     {"woman", 90},   {"king", 10}, {"queen", 100},
      {"apple", 200}, {"kingdom", 12}, {"duke", 40}};
  chapters::WordVectors v;
  v.dim = 2;
  for (const auto& [w, deg] : words) {
    v.words.push_back(w);
    // Lengths differ: 3CosAdd normalizes them away.
    const double len = 1 + double(v.words.size());
    v.values.push_back(float(len * std::cos(deg * M_PI / 180)));
    v.values.push_back(float(len * std::sin(deg * M_PI / 180)));
  }
  TempDir dir("ffnn_ch05_analogy");
  const std::string path =
      dir.Write("q.txt",
                ": gender\nMan Woman King Queen\nwoman man queen king\n"
                "man woman king apple\nman kingdom king duke\n: unknown\nman "
                "woman prince "
                "princess\n");
  const auto sections = ch05::ReadAnalogies(path);
  BOOST_TEST_REQUIRE(sections.size() == 2u);
  BOOST_TEST(sections[0].name == "gender");
  BOOST_TEST(sections[0].questions.size() == 4u);
  const auto scores = ch05::EvaluateAnalogies(v, sections);
  BOOST_TEST_REQUIRE(scores.size() == 3u);
  BOOST_TEST(scores[0].correct == 3u);  // the third wants "apple": wrong
  BOOST_TEST(scores[0].covered == 4u);
  BOOST_TEST(scores[1].covered == 0u);
  BOOST_TEST(scores[1].total == 1u);
  BOOST_TEST(scores[2].section == "overall");
  BOOST_TEST(scores[2].correct == 3u);
  BOOST_TEST(scores[2].covered == 4u);
  BOOST_TEST(scores[2].total == 5u);
  const std::pair<std::string, std::string> bad[] = {
      {"", "no questions"},
      {": empty\n", "no questions"},
      {"a b c\n", ":1: expected 'a b c d'"},
      {":\na b c d\n", ":1: a section line without a name"},
      {"a b c \xFF\n", "invalid UTF-8"}};
  for (const auto& [content, want] : bad) {
    const std::string p = dir.Write("bad.txt", content);
    try {
      ch05::ReadAnalogies(p);
      BOOST_ERROR("accepted, expected '" << want << "'");
    } catch (const chapters::InputError& e) {
      BOOST_TEST(std::string(e.what()).find(want) != std::string::npos,
                 e.what());
    }
  }
  const std::vector<ch05::AnalogySection> none = {
      {"x", {{"p", "q", "r", "s"}}}};
  BOOST_CHECK_THROW(ch05::EvaluateAnalogies(v, none), std::invalid_argument);
}

// Nearest neighbours of a = (1, 0) among b = (1, 1), c = (0, 1) and
// d = (-1, 0): cosines 1 / sqrt 2, 0, -1, in that order, a itself left
// out, --top beyond the vocabulary capped at the 3 others. b's neighbours
// a and c tie at 1 / sqrt 2: the lower row comes first.
BOOST_AUTO_TEST_CASE(nearest_neighbours_worked_by_hand) {
  const chapters::WordVectors v{
      {"a", "b", "c", "d"}, 2, {1, 0, 1, 1, 0, 1, -1, 0}};
  const auto n = ch05::NearestNeighbours(v, 0, 10);
  BOOST_TEST_REQUIRE(n.size() == 3u);
  BOOST_TEST(n[0].row == 1u);
  BOOST_TEST(n[0].cosine == 1 / std::sqrt(2.0),
             boost::test_tools::tolerance(1e-15));
  BOOST_TEST(n[1].row == 2u);
  BOOST_TEST(n[1].cosine == 0.0);
  BOOST_TEST(n[2].row == 3u);
  BOOST_TEST(n[2].cosine == -1.0);
  const auto tie = ch05::NearestNeighbours(v, 1, 2);
  BOOST_TEST_REQUIRE(tie.size() == 2u);
  BOOST_TEST(tie[0].row == 0u);
  BOOST_TEST(tie[1].row == 2u);
}

// The vendored WordSim-353 reads as 353 pairs with scores in [0, 10].
BOOST_AUTO_TEST_CASE(wordsim353_is_vendored_whole) {
  const auto pairs = ch05::ReadPairs(FFNN_DATA_DIR "/wordsim353.txt");
  BOOST_TEST(pairs.size() == 353u);
  for (const auto& p : pairs) {
    BOOST_TEST_REQUIRE((p.score >= 0 && p.score <= 10));
  }
  BOOST_TEST(pairs[1].a == "tiger");
  BOOST_TEST(pairs[1].score == 7.35);
}

BOOST_AUTO_TEST_SUITE_END()

// Sentences from two templates that never mix: "the cat|dog eats|sleeps
// on the mat" and "a car|truck drives|parks by the road" (V = 15; ids:
// 0 the, 1 cat, 2 dog, 3 eats, 4 sleeps, 5 on, 6 mat, 7 a, 8 car,
// 9 truck, 10 drives, 11 parks, 12 by, 13 road, 14 unused), 150k words.
struct ToyCorpus {
  std::vector<std::vector<std::int32_t>> sentences;
  std::vector<std::int64_t> counts = std::vector<std::int64_t>(15, 0);
  ToyCorpus() {
    std::mt19937_64 rng(3);
    for (int i = 0; i < 22000; ++i) {
      const int c = int(rng() % 2), v = int(rng() % 2);
      sentences.push_back(
          rng() % 2 ? std::vector<std::int32_t>{0, 1 + c, 3 + v, 5, 0, 6}
                    : std::vector<std::int32_t>{7, 8 + c, 10 + v, 12, 0, 13});
    }
    for (const auto& s : sentences)
      for (const auto w : s) ++counts[w];
  }
};

double RowCosine(const ch05::W2vModel& m, int a, int b) {
  std::vector<double> x(m.in.begin() + a * m.d, m.in.begin() + (a + 1) * m.d),
      y(m.in.begin() + b * m.d, m.in.begin() + (b + 1) * m.d);
  return chapters::Cosine(x, y);
}

// Small vectors and windows for the toy corpus.
ch05::W2vConfig ToyConfig(bool cbow, int iter) {
  ch05::W2vConfig cfg;
  cfg.cbow = cbow;
  cfg.size = 16;
  cfg.window = 3;
  cfg.negative = 3;
  cfg.iter = iter;
  return cfg;
}

BOOST_AUTO_TEST_SUITE(huffman)

// word2vec.c's tree worked by hand for counts (2, 5, 1, 3) (ids 0..3):
// by falling count the leaves are 1 (5), 3 (3), 0 (2), 2 (1). Merges:
// inner 0 = {2 (1), 0 (2)} = 3; then leaf 3 (3) against inner 0 (3), a tie,
// which the inner node wins: inner 1 = {inner 0, 3} = 6; inner 2 = {1 (5),
// inner 1 (6)} = 11, the root (V - 2 = 2). The second child of each merge
// has code 1, and a path is read from the root.
BOOST_AUTO_TEST_CASE(tree_worked_by_hand) {
  const std::vector<std::int64_t> counts = {2, 5, 1, 3};
  const ch05::HuffmanTree t = ch05::BuildHuffmanTree(counts);
  using P = std::vector<std::int32_t>;
  using C = std::vector<std::uint8_t>;
  auto points = [&](int w) {
    const auto p = t.Points(w);
    return P(p.begin(), p.end());
  };
  auto codes = [&](int w) {
    const auto c = t.Codes(w);
    return C(c.begin(), c.end());
  };
  BOOST_TEST((points(1) == P{2}));
  BOOST_TEST((codes(1) == C{0}));
  BOOST_TEST((points(3) == P{2, 1}));
  BOOST_TEST((codes(3) == C{1, 1}));
  BOOST_TEST((points(0) == P{2, 1, 0}));
  BOOST_TEST((codes(0) == C{1, 0, 1}));
  BOOST_TEST((points(2) == P{2, 1, 0}));
  BOOST_TEST((codes(2) == C{1, 0, 0}));
  BOOST_TEST(t.max_length == 3u);
}

// On Zipf-like counts: the codes are a prefix-free code whose lengths meet
// Kraft's equality (sum 2^-len = 1: a full binary tree), a shared prefix of
// codes passes the same nodes, every inner node is on some path, and the
// expected length equals the optimum, computed apart as the sum of the
// weights of the merges of a priority queue (Huffman 1952).
BOOST_AUTO_TEST_CASE(tree_is_an_optimal_prefix_code) {
  std::mt19937_64 rng(5);
  for (const std::size_t V : {2, 3, 17, 500}) {
    std::vector<std::int64_t> counts(V);
    for (std::size_t w = 0; w < V; ++w) {
      counts[w] = std::int64_t(100000 / (w + 1)) + std::int64_t(rng() % 7);
    }
    std::shuffle(counts.begin(), counts.end(), rng);
    const ch05::HuffmanTree t = ch05::BuildHuffmanTree(counts);
    std::set<std::string> codes;
    double kraft = 0;
    std::int64_t cost = 0;
    std::set<std::int32_t> inner;
    std::map<std::string, std::int32_t> node_at;  // code prefix -> node
    for (std::size_t w = 0; w < V; ++w) {
      const auto c = t.Codes(w);
      const auto p = t.Points(w);
      BOOST_TEST_REQUIRE(c.size() == p.size());
      BOOST_TEST_REQUIRE(!p.empty());
      BOOST_TEST(p[0] == std::int32_t(V - 2));  // the root first
      std::string code;
      for (std::size_t j = 0; j < c.size(); ++j) {
        const auto [it, fresh] = node_at.emplace(code, p[j]);
        BOOST_TEST(it->second == p[j], "prefix '" << code << "'");
        inner.insert(p[j]);
        code += char('0' + c[j]);
      }
      codes.insert(code);
      kraft += std::ldexp(1.0, -int(c.size()));
      cost += counts[w] * std::int64_t(c.size());
    }
    BOOST_TEST(codes.size() == V);
    for (const std::string& a : codes) {  // no code is a prefix of another
      const auto next = codes.upper_bound(a);
      BOOST_TEST((next == codes.end() || !next->starts_with(a)), a);
    }
    BOOST_TEST(kraft == 1.0);
    BOOST_TEST(inner.size() == V - 1);
    std::priority_queue<std::int64_t, std::vector<std::int64_t>, std::greater<>>
        q(counts.begin(), counts.end());
    std::int64_t optimum = 0;
    while (q.size() > 1) {
      const std::int64_t a = q.top();
      q.pop();
      const std::int64_t b = q.top();
      q.pop();
      optimum += a + b;
      q.push(a + b);
    }
    BOOST_TEST(cost == optimum, "V=" << V);
  }
  BOOST_CHECK_THROW(ch05::BuildHuffmanTree(std::vector<std::int64_t>{4}),
                    std::invalid_argument);
  BOOST_CHECK_THROW(ch05::BuildHuffmanTree(std::vector<std::int64_t>{4, -1}),
                    std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(word2vec)

// The memory TrainWord2Vec needs is known before it allocates, and the
// blocks' scratch follows the blocks, not the vocabulary. Worked by hand for
// the 50,000 words of 4,096 dimensions, in 500 sentences of 100
// words (50 blocks of 1,000 words), window 5, 5 negatives:
//   the two tables            2 * 50,000 * 4,096 * 4       1,638,400,000
//   per block (four of them): input rows  min(V, 1,000)
//                             output rows min(V, 6 * 1,000)
//                             7,000 * 4,096 * 4 = 114,688,000, with the
//                             index tables and listed bytes 2 * 50,000
//                             * 5 = 500,000 and
//                             the window step's buffers 2 * 5 * (4,096 + 6)
//                             * 4 + 3 * 4,096 * 4 = 213,232, and its
//                             draws (5 + 6) * 1,000 * 4 = 44,000 and
//                             the lists of its rows and their start rows
//                             2 * (1 + 6) * 1,000 * 4 = 56,000:
//                             115,501,232
//   who touches which row     2 * (50,000 + 2 * min(V, 4 * rows) * 4)
//                             = 100,000 + 32,000 + 192,000       324,000
//   subsampling and noise     50,000 * 24                      1,200,000
//   the block list            50 * 24                              1,200
// in all 2,101,930,128 bytes (2.0 GiB), where the scratch once reserved
// 8 V d floats (6.1 GiB) besides the tables.
BOOST_AUTO_TEST_CASE(word2vec_memory_is_known_and_scratch_follows_blocks) {
  std::vector<std::vector<std::int32_t>> sentences(500);
  for (std::size_t s = 0; s < 500; ++s) {
    for (std::int32_t i = 0; i < 100; ++i) {
      sentences[s].push_back(static_cast<std::int32_t>(s * 100) + i);
    }
  }
  ch05::W2vConfig cfg;
  cfg.size = 4096;
  BOOST_TEST(ch05::Word2VecBytes(sentences, 50000, cfg) == 2101930128u);
  // Hogwild keeps no copies: the tables, one window buffer and one
  // block's draws per thread.
  cfg.hogwild = true;
  cfg.threads = 2;
  BOOST_TEST(ch05::Word2VecBytes(sentences, 50000, cfg) ==
             1638400000u + 2 * (213232u + 44000u) + 1200000u + 1200u);
}

// Every refused setting is named (-sample nan once said "bad settings").
BOOST_AUTO_TEST_CASE(bad_settings_are_named) {
  const std::vector<std::vector<std::int32_t>> sentences = {{0, 1, 0, 1}};
  const std::vector<std::int64_t> counts = {2, 2};
  auto refusal = [&](const ch05::W2vConfig& cfg) -> std::string {
    try {
      ch05::TrainWord2Vec(sentences, counts, cfg, nullptr);
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "";
  };
  ch05::W2vConfig cfg;
  cfg.sample = std::numeric_limits<double>::quiet_NaN();
  BOOST_TEST(refusal(cfg).find("subsampling threshold (sample)") !=
             std::string::npos);
  cfg = {};
  cfg.alpha = std::numeric_limits<double>::infinity();
  BOOST_TEST(refusal(cfg).find("learning rate (alpha)") != std::string::npos);
  cfg = {};
  cfg.window = 0;
  BOOST_TEST(refusal(cfg).find("window") != std::string::npos);
  cfg = {};
  cfg.negative = 0;  // and no hierarchical softmax: no output layer
  BOOST_TEST(refusal(cfg).find("-negative 0 without -hs 1") !=
             std::string::npos);
  // Subsampling at 1e-3 drops every word of this 4-word corpus (each is a
  // quarter of it): no pair is trained, and the random start is not
  // returned as vectors.
  cfg = {};
  BOOST_TEST(refusal(cfg).starts_with("no (word, context) pair was trained "
                                      "in 5 epoch(s)"),
             refusal(cfg));
  cfg.sample = 0;
  BOOST_TEST(refusal(cfg).empty());
}

// A sentence longer than a block makes a block of its own: its rows reach
// the scratch's bound exactly (3,000 distinct input words in one block, and
// output rows capped at V = 5,000) without moving a row a step holds. The
// vectors equal for 1 and 2 threads, as everywhere.
BOOST_AUTO_TEST_CASE(a_block_may_touch_exactly_its_bound_of_rows) {
  std::vector<std::vector<std::int32_t>> sentences(1);
  for (std::int32_t i = 0; i < 3000; ++i) sentences[0].push_back(i);
  sentences.push_back({3000, 3001, 4999});
  std::vector<std::int64_t> counts(5000, 1);
  ch05::W2vConfig cfg;
  cfg.size = 8;
  cfg.sample = 0;
  cfg.iter = 1;
  const auto one = ch05::TrainWord2Vec(sentences, counts, cfg, nullptr);
  cfg.threads = 2;
  const auto two = ch05::TrainWord2Vec(sentences, counts, cfg, nullptr);
  BOOST_TEST((one.in == two.in));
  BOOST_TEST((one.out == two.out));
}

// word2vec.c's loop over one sentence with window 1 and hierarchical
// softmax alone, each step by the reference:: twins in double: skip-gram's
// context rows predict the center's path, or CBOW's mean of them does and
// every context row moves by -lr h_grad.
void PlainHsSentence(const ch05::HuffmanTree& tree,
                     const std::vector<std::int32_t>& sentence, double lr,
                     bool cbow, reference::Mat<double>& in,
                     reference::Mat<double>& nodes) {
  const std::size_t n = sentence.size();
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<std::int32_t> context;
    if (i > 0) context.push_back(sentence[i - 1]);
    if (i + 1 < n) context.push_back(sentence[i + 1]);
    if (context.empty()) continue;
    const auto points = tree.Points(sentence[i]);
    const auto codes = tree.Codes(sentence[i]);
    if (cbow) {
      Eigen::VectorXd h = Eigen::VectorXd::Zero(in.cols()), h_grad(in.cols());
      for (const std::int32_t c : context) h += in.row(c).transpose();
      h /= static_cast<double>(context.size());
      reference::HierarchicalSoftmaxStep<double>(lr, h, nodes, points, codes,
                                                 h_grad);
      for (const std::int32_t c : context) {
        in.row(c) -= lr * h_grad.transpose();
      }
    } else {
      reference::HierarchicalSoftmaxWindowStep<double>(lr, in, context, nodes,
                                                       points, codes);
    }
  }
}

// A run in which no random number matters, for PlainHsSentence: hierarchical
// softmax alone (no noise words), window 1 (every position draws reach 1),
// no subsampling; 2 epochs.
ch05::W2vConfig PlainHsConfig(bool cbow, std::size_t d, double alpha,
                              std::uint64_t seed) {
  ch05::W2vConfig cfg;
  cfg.cbow = cbow;
  cfg.size = d;
  cfg.window = 1;
  cfg.negative = 0;
  cfg.hs = true;
  cfg.sample = 0;
  cfg.iter = 2;
  cfg.alpha = alpha;
  cfg.seed = seed;
  return cfg;
}

// The trainer's composition (windows clipped at sentence ends, CBOW's mean of
// the context and its update of every context row, skip-gram's window step,
// the linear learning-rate decay, the block copies and their merge) against
// a plain sequential loop written as word2vec.c's, with the reference::
// twins doing each step in double. The run is chosen so that no random
// number matters: hierarchical softmax alone (-hs 1 -negative 0: no noise
// words), window 1 (every position draws reach 1) and no subsampling; so
// the two must agree to float rounding. The trainer works in float
// (relative error 6e-8 per operation) over 2 epochs of 11 words, with every
// vector of size ~0.5/d to 0.1: 1e-6 absolute is ~100x that rounding, while
// a CBOW sum instead of the mean, a code read the wrong way round, or a
// missing update, changes the node rows by half their size.
BOOST_AUTO_TEST_CASE(
    trainer_equals_a_plain_word2vec_c_loop_without_randomness) {
  const std::vector<std::vector<std::int32_t>> sentences = {
      {0, 1, 2, 3, 4, 1, 2}, {3, 0, 4, 2}};
  const std::vector<std::int64_t> counts = {2, 2, 3, 2, 2};
  const std::size_t V = 5, d = 8, words = 11;
  const ch05::HuffmanTree tree = ch05::BuildHuffmanTree(counts);
  for (const bool cbow : {true, false}) {
    // alpha large, so that the rows move far from their start
    const ch05::W2vConfig cfg = PlainHsConfig(cbow, d, 0.5, 11);
    const ch05::W2vModel m =
        ch05::TrainWord2Vec(sentences, counts, cfg, nullptr);
    BOOST_TEST_REQUIRE(m.nodes.size() == (V - 1) * d);
    BOOST_TEST(m.out.empty());
    const std::vector<float> start = ch05::InitialInputVectors(V, d, cfg.seed);
    reference::Mat<double> in(V, d);
    reference::Mat<double> nodes = reference::Mat<double>::Zero(V - 1, d);
    for (std::size_t i = 0; i < V * d; ++i) in(i / d, i % d) = start[i];
    for (int epoch = 0; epoch < cfg.iter; ++epoch) {
      // word2vec.c's decay from alpha, held for the one block.
      const double lr = static_cast<float>(
          cfg.alpha * std::max(1e-4, 1.0 - double(epoch) * words /
                                               (double(words) * cfg.iter)));
      for (const auto& sentence : sentences) {
        PlainHsSentence(tree, sentence, lr, cbow, in, nodes);
      }
    }
    double worst = 0, moved = 0;
    for (std::size_t i = 0; i < V * d; ++i) {
      worst = std::max(worst, std::abs(m.in[i] - in(i / d, i % d)));
    }
    for (std::size_t i = 0; i < (V - 1) * d; ++i) {
      worst = std::max(worst, std::abs(m.nodes[i] - nodes(i / d, i % d)));
      moved = std::max(moved, std::abs(nodes(i / d, i % d)));
    }
    BOOST_TEST(worst <= 1e-6, "cbow=" << cbow << " worst " << worst);
    BOOST_TEST(moved >= 0.01, "cbow=" << cbow);  // the run did train
  }
}

// The reproducible mode's merge against a plain transcription of it: three
// blocks in one round (two sentences of kBlockWords words, then 12 words),
// every word in every block, so every row is shared. Each block trains,
// as word2vec.c would, a copy of the round's start with its own held
// learning rate; then a word's row is the first block's plus the later
// blocks' changes, and a tree node the mean of the blocks' rows. No random
// number matters (hierarchical softmax alone, window 1, no subsampling).
// The trainer works in float over 2 epochs of 2,012 words, each row taking
// about a thousand steps of rate <= 0.05: against the double transcription
// the worst difference observed is 1.1e-6 (CBOW; skip-gram 7.5e-7), and
// 2e-5 bounds that 20 times over. Planted in the merge, a sum of the later
// blocks' rows without subtracting the start (worst 1.3) or the nodes'
// sum instead of their mean (worst 1.1) fails it.
BOOST_AUTO_TEST_CASE(reproducible_merge_equals_a_plain_transcription) {
  const std::size_t V = 6, d = 8;
  std::vector<std::vector<std::int32_t>> sentences(3);
  std::vector<std::int64_t> counts(V, 0);
  std::uint32_t state = 12345;
  for (std::size_t s = 0; s < 3; ++s) {
    for (std::size_t i = 0; i < (s < 2 ? ch05::kBlockWords : 12); ++i) {
      state = state * 1664525u + 1013904223u;  // Numerical Recipes' LCG
      const auto w = static_cast<std::int32_t>((state >> 16) % V);
      sentences[s].push_back(w);
      ++counts[w];
    }
  }
  const std::size_t words = 2 * ch05::kBlockWords + 12;
  const ch05::HuffmanTree tree = ch05::BuildHuffmanTree(counts);
  for (const bool cbow : {true, false}) {
    ch05::W2vConfig cfg = PlainHsConfig(cbow, d, 0.05, 3);
    cfg.threads = 2;
    const ch05::W2vModel m =
        ch05::TrainWord2Vec(sentences, counts, cfg, nullptr);
    const std::vector<float> start = ch05::InitialInputVectors(V, d, cfg.seed);
    reference::Mat<double> in(V, d);
    reference::Mat<double> nodes = reference::Mat<double>::Zero(V - 1, d);
    for (std::size_t i = 0; i < V * d; ++i) in(i / d, i % d) = start[i];
    for (int epoch = 0; epoch < cfg.iter; ++epoch) {
      // One round: each block from the round's start (blocks start at
      // 0, 1,000 and 2,000 words), with word2vec.c's decay held for it.
      std::vector<reference::Mat<double>> block_in, block_nodes;
      for (std::size_t b = 0; b < 3; ++b) {
        const double done = double(epoch) * words + double(b) * 1000;
        const double lr = static_cast<float>(
            cfg.alpha * std::max(1e-4, 1.0 - done / (double(words) * 2)));
        block_in.push_back(in);
        block_nodes.push_back(nodes);
        PlainHsSentence(tree, sentences[b], lr, cbow, block_in[b],
                        block_nodes[b]);
      }
      // Every block touches every row: the first's row plus the later
      // ones' changes; the nodes' mean.
      const reference::Mat<double> in_start = in;
      in = block_in[0] + (block_in[1] - in_start) + (block_in[2] - in_start);
      nodes = (block_nodes[0] + block_nodes[1] + block_nodes[2]) / 3.0;
    }
    double worst = 0, moved = 0;
    for (std::size_t i = 0; i < V * d; ++i) {
      worst = std::max(worst, std::abs(m.in[i] - in(i / d, i % d)));
      moved = std::max(moved, std::abs(in(i / d, i % d) - start[i]));
    }
    for (std::size_t i = 0; i < (V - 1) * d; ++i) {
      worst = std::max(worst, std::abs(m.nodes[i] - nodes(i / d, i % d)));
    }
    BOOST_TEST(worst <= 2e-5, "cbow=" << cbow << " worst " << worst);
    BOOST_TEST(moved >= 0.01, "cbow=" << cbow);  // the run did train
  }
}

// Same seed: the same vectors, bit for bit, for 1, 2 and 3 threads
// (the corpus spans many rounds of kRoundBlocks blocks); another seed
// gives other vectors.
// Hierarchical softmax, alone and with negative sampling, too.
BOOST_DATA_TEST_CASE(vectors_are_bit_identical_for_every_thread_count,
                     boost::unit_test::data::make({0, 1, 2}), output) {
  const ToyCorpus toy;
  for (const bool cbow : {false, true}) {
    ch05::W2vConfig cfg = ToyConfig(cbow, 2);
    cfg.sample = 1e-2;
    cfg.hs = output >= 1;               // 0: negative sampling
    if (output == 1) cfg.negative = 0;  // 1: hs alone, 2: both
    std::vector<ch05::W2vModel> models;
    for (int t : {1, 2, 3}) {
      cfg.threads = t;
      models.push_back(
          ch05::TrainWord2Vec(toy.sentences, toy.counts, cfg, nullptr));
    }
    BOOST_TEST((models[1].in == models[0].in), "cbow=" << cbow);
    BOOST_TEST((models[2].in == models[0].in), "cbow=" << cbow);
    BOOST_TEST((models[2].out == models[0].out), "cbow=" << cbow);
    BOOST_TEST((models[2].nodes == models[0].nodes), "cbow=" << cbow);
    BOOST_TEST(models[0].nodes.size() == (cfg.hs ? 14u * 16u : 0u));
    cfg.threads = 1;
    cfg.seed = 2;
    BOOST_TEST(
        (ch05::TrainWord2Vec(toy.sentences, toy.counts, cfg, nullptr).in !=
         models[0].in));
  }
}

// Words that share their contexts end up close: cat and dog (and car and
// truck) closer to each other than cat to car, by a clear margin, for both
// architectures and both output layers, reproducible or Hogwild.
BOOST_DATA_TEST_CASE(words_sharing_contexts_get_close_vectors,
                     boost::unit_test::data::make({false, true}) *
                         boost::unit_test::data::make({0, 1}),
                     hogwild, hs) {
  const ToyCorpus toy;
  for (const bool cbow : {false, true}) {
    ch05::W2vConfig cfg = ToyConfig(cbow, 3);
    cfg.sample = 0;
    if (hs == 1) {  // hierarchical softmax alone
      cfg.hs = true;
      cfg.negative = 0;
    }
    // Hogwild on one thread: with two, the 15-word toy vocabulary makes
    // every update collide, and the result depends on the timing.
    cfg.threads = hogwild ? 1 : 2;
    cfg.hogwild = hogwild;
    // Means over three seeds: without subsampling, the toy corpus's word 0
    // (a third of it) is where the reproducible merge is weakest, and one
    // seed's skip-gram margin swung from 0.74 to 0.48 when the kernel's
    // sigmoid changed by an ulp.
    double cat_dog = 0, car_truck = 0, cat_car = 0;
    ch05::W2vModel m;
    for (const std::uint64_t seed : {1, 2, 3}) {
      cfg.seed = seed;
      m = ch05::TrainWord2Vec(toy.sentences, toy.counts, cfg, nullptr);
      cat_dog += RowCosine(m, 1, 2) / 3;
      car_truck += RowCosine(m, 8, 9) / 3;
      cat_car += RowCosine(m, 1, 8) / 3;
    }
    BOOST_TEST(cat_dog > cat_car + 0.5, "cbow=" << cbow << " hs=" << hs
                                                << " cat-dog " << cat_dog
                                                << " cat-car " << cat_car);
    BOOST_TEST(car_truck > cat_car + 0.5, "cbow=" << cbow);
    // The unused word 14 is never an input: it keeps its initial vector's
    // scale, below 0.5 / d per coordinate.
    for (std::size_t t = 0; t < m.d; ++t) {
      BOOST_TEST_REQUIRE(std::abs(m.in[14 * m.d + t]) <= 0.5 / 16);
    }
  }
}

// Every epoch reports its mean loss per pair, which falls on the toy
// corpus; a learning rate far too large stops with TrainingDiverged naming
// the epoch instead of returning NaN vectors.
BOOST_AUTO_TEST_CASE(epochs_report_their_loss_and_divergence_is_caught) {
  const ToyCorpus toy;
  ch05::W2vConfig cfg = ToyConfig(false, 3);
  std::vector<double> losses;
  ch05::TrainWord2Vec(
      toy.sentences, toy.counts, cfg, nullptr,
      [&](int epoch, const ch05::W2vModel& m, double loss, std::size_t pairs) {
        BOOST_TEST(epoch == int(losses.size()) + 1);
        BOOST_TEST(m.in.size() == 15u * 16u);
        BOOST_TEST(pairs > 0u);
        losses.push_back(loss);
      });
  BOOST_TEST_REQUIRE(losses.size() == 3u);
  BOOST_TEST(losses[0] > losses[2]);
  BOOST_TEST(losses[2] > 0);
  cfg.alpha = 1e6;
  // Without subsampling the message also names -hogwild (the merge's known
  // limit, README); with it, only the learning rate.
  for (const double sample : {1e-3, 0.0}) {
    cfg.sample = sample;
    try {
      ch05::TrainWord2Vec(toy.sentences, toy.counts, cfg, nullptr);
      BOOST_ERROR("a learning rate of 1e6 trained without diverging");
    } catch (const chapters::TrainingDiverged& e) {
      const std::string what = e.what();
      BOOST_TEST(what.find("diverged in epoch 1") != std::string::npos, what);
      BOOST_TEST((what.find("-hogwild") != std::string::npos) == (sample == 0),
                 what);
    }
  }
}

BOOST_AUTO_TEST_CASE(bad_settings_and_ids_are_refused) {
  const ToyCorpus toy;
  ch05::W2vConfig cfg;
  auto counts = toy.counts;
  counts.resize(13);  // id 13 is now outside the vocabulary
  BOOST_CHECK_THROW(ch05::TrainWord2Vec(toy.sentences, counts, cfg, nullptr),
                    std::invalid_argument);
  cfg.window = 0;
  BOOST_CHECK_THROW(
      ch05::TrainWord2Vec(toy.sentences, toy.counts, cfg, nullptr),
      std::invalid_argument);
  cfg.window = 5;
  BOOST_CHECK_THROW(ch05::TrainWord2Vec({}, toy.counts, cfg, nullptr),
                    std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(classifier)

// Mean pooling by hand (J&M): with e(0) = (1, 2), e(1) = (3, -4),
// e(2) = (0.5, 0): the paragraph (0, 1, 1) pools to (7, -6) / 3, (2) to
// e(2) itself, and an empty one to zero. The values are sums of a few
// exact binary fractions divided once, so 1 ulp (2.2e-16 relative) holds.
BOOST_AUTO_TEST_CASE(mean_pooling_worked_by_hand) {
  const ch05::W2vModel m{
      3, 2, {1, 2, 3, -4, 0.5, 0}, std::vector<float>(6), {}};
  const chapters::Matrix X = ch05::MeanPooled({{0, 1, 1}, {2}, {}}, m);
  BOOST_TEST_REQUIRE(X.rows == 3u);
  BOOST_TEST_REQUIRE(X.cols == 2u);
  BOOST_TEST(std::abs(X(0, 0) - 7.0 / 3) <= 2.2e-16 * 7 / 3);
  BOOST_TEST(std::abs(X(0, 1) + 2.0) <= 2.2e-16 * 2);
  BOOST_TEST(X(1, 0) == 0.5);
  BOOST_TEST(X(1, 1) == 0.0);
  BOOST_TEST(X(2, 0) == 0.0);
  BOOST_TEST(X(2, 1) == 0.0);
}

// Accuracy and macro-F1 by hand: predicted (0, 0, 1, 1, 1) against gold
// (0, 1, 1, 1, 0): 3 of 5 right; class 0: tp 1, fp 1, fn 1, F1 = 2/4;
// class 1: tp 2, fp 1, fn 1, F1 = 4/6; macro-F1 = (1/2 + 2/3) / 2 = 7/12.
BOOST_AUTO_TEST_CASE(accuracy_and_macro_f1_worked_by_hand) {
  const std::vector<int> p = {0, 0, 1, 1, 1}, g = {0, 1, 1, 1, 0};
  const auto s = ch05::Score(p, g, 2);
  BOOST_TEST(s.accuracy == 0.6, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(s.macro_f1 == 7.0 / 12, boost::test_tools::tolerance(1e-15));
  // Always predicting class 1 on balanced labels: F1 of class 0 is 0.
  const std::vector<int> ones = {1, 1, 1, 1}, bal = {0, 1, 0, 1};
  BOOST_TEST(ch05::Score(ones, bal, 2).macro_f1 == (0 + 2.0 / 3) / 2,
             boost::test_tools::tolerance(1e-15));
}

// Twenty addresses alternating between the parties, plus a Whig one that
// is dropped; each has 12 sentences, so 3 paragraphs of 5, 5 and 2.
std::vector<chapters::Document> ToyAddresses(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const std::vector<std::string> common = {"the", "nation", "we",     "must",
                                           "and", "our",    "people", "will"};
  const std::vector<std::vector<std::string>> partisan = {
      {"labor", "union", "wages", "relief", "workers"},
      {"tariff", "business", "thrift", "order", "enterprise"}};
  std::vector<chapters::Document> docs;
  for (int i = 0; i < 21; ++i) {
    chapters::Document d;
    d.year = 1900 + i;
    const int party = i % 2;
    d.name = std::to_string(d.year) + "_someone_" +
             (i == 20 ? "w"
              : party ? "r"
                      : "d") +
             ".txt";
    for (int s = 0; s < 12; ++s) {
      chapters::Sentence sentence;
      for (int w = 0; w < 12; ++w) {
        sentence.push_back(rng() % 3 ? common[rng() % common.size()]
                                     : partisan[party][rng() % 5]);
      }
      d.sentences.push_back(sentence);
    }
    docs.push_back(d);
  }
  return docs;
}

BOOST_AUTO_TEST_CASE(paragraphs_are_split_by_address) {
  BOOST_TEST(ch05::PartyOf("1999_william_j_clinton_d.txt") == 0);
  BOOST_TEST(ch05::PartyOf("2005_george_w_bush_r.txt") == 1);
  BOOST_TEST(ch05::PartyOf("1801_thomas_jefferson_dr.txt") == -1);
  BOOST_TEST(ch05::PartyOf("1842_john_tyler_wd.txt") == -1);
  const auto split = ch05::SplitParagraphs(ToyAddresses(1), 5);
  BOOST_TEST(split.names.size() == 20u);  // the Whig address is dropped
  BOOST_TEST(split.addresses[0] == 12u);
  BOOST_TEST(split.addresses[1] == 4u);
  BOOST_TEST(split.addresses[2] == 4u);
  BOOST_TEST(split.train.size() == 36u);
  BOOST_TEST(split.test.size() == 12u);
  BOOST_TEST(split.test[2].tokens.size() == 24u);  // 2 sentences of 12
  std::set<std::size_t> train, other;
  for (const auto& p : split.train) train.insert(p.address);
  for (const auto& p : split.valid) other.insert(p.address);
  for (const auto& p : split.test) other.insert(p.address);
  for (const std::size_t a : other) BOOST_TEST(!train.count(a));
  BOOST_CHECK_THROW(ch05::SplitParagraphs({}, 5), std::invalid_argument);
}

// On addresses whose parties use different words, both learned
// classifiers separate them on held-out addresses (the partisan words are a
// third of the tokens), and the majority class scores one half.
BOOST_AUTO_TEST_CASE(learned_classifiers_beat_the_majority_class) {
  const auto split = ch05::SplitParagraphs(ToyAddresses(2), 5);
  ch05::ClassifierConfig cfg;
  cfg.min_count = 2;
  cfg.w2v.size = 16;
  cfg.w2v.window = 3;
  cfg.w2v.iter = 20;
  cfg.w2v.sample = 0;
  cfg.hidden = 8;
  cfg.mlp_epochs = 100;
  const auto r = ch05::ClassifyParty(split, cfg, nullptr);
  BOOST_TEST_REQUIRE(r.rows.size() == 3u);
  BOOST_TEST(r.rows[0].test.accuracy == 0.5);
  BOOST_TEST(r.rows[1].test.accuracy >= 0.9, r.rows[1].method);
  BOOST_TEST(r.rows[2].test.accuracy >= 0.9, r.rows[2].method);
  BOOST_TEST(r.rows[2].test.macro_f1 >= 0.9);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace ffnn::testing
