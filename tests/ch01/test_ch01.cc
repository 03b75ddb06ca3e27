// Chapter 1 tests. `slides`: every worked number against the slide, within
// half a unit of its last printed digit, and at full precision against an
// independent computation (plain C++ arithmetic, no kernels). `gradcheck`:
// the logistic-regression gradient by finite differences and by AutoDiff.
#define BOOST_TEST_MODULE ffnn_ch01
#include <Eigen/Core>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <unsupported/Eigen/AutoDiff>
#include <vector>

#include "chapters/01_perceptron/perceptron.h"
#include "chapters/common/threads.h"
#include "chapters/common/worked.h"
#include "kernels/activations.h"
#include "reference/activations.h"
#include "tests/support/gradcheck.h"

namespace ffnn::ch01 {
namespace {

using chapters::AgreesWithSlide;
using chapters::SlideValue;

// Full-precision comparisons: the kernels' sigmoid is within 4 ulp of the
// correctly rounded value (kernels/activations.h) and std::exp within 1 ulp,
// so 1e-15 relative (about 8 ulp of double) is the stated tolerance.
constexpr double kRel = 1e-15;

double PlainSigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

BOOST_AUTO_TEST_SUITE(slides)

// UCL "NN unit", DL4NLP "Neural Network Unit: An Example", J&M "Neural
// Networks – Units: An Example": z = 0.87, sigma(z) = 0.705 (UCL) / .70.
BOOST_AUTO_TEST_CASE(unit_sigmoid_example_ucl_dl4nlp_jm) {
  const Vector w = {0.2, 0.3, 0.9}, x = {0.5, 0.6, 0.1};
  const double z = Preactivation(w, x, 0.5);
  const double a = Sigmoid(z);
  BOOST_TEST(AgreesWithSlide(z, {0.87, 2}));
  BOOST_TEST(AgreesWithSlide(a, {0.705, 3}));
  BOOST_TEST(AgreesWithSlide(a, {0.70, 2}));
  const double z_plain = 0.2 * 0.5 + 0.3 * 0.6 + 0.9 * 0.1 + 0.5;
  BOOST_TEST(std::abs(z - z_plain) <= kRel * z_plain);
  BOOST_TEST(std::abs(a - PlainSigmoid(z_plain)) <= kRel * a);
}

// LMU "Modeling 1: Logistic Regression": sigma(-30 + 20 x1 + 20 x2) is
// approximately AND.
BOOST_AUTO_TEST_CASE(logistic_and_table_lmu) {
  const Vector theta = {-30, 20, 20};
  for (int x1 = 0; x1 <= 1; ++x1) {
    for (int x2 = 0; x2 <= 1; ++x2) {
      const Vector x = {1.0, double(x1), double(x2)};
      const double z = Preactivation(theta, x, 0.0);
      BOOST_TEST(z == -30.0 + 20 * x1 + 20 * x2);  // exact in binary
      const double p = Sigmoid(z);
      BOOST_TEST(AgreesWithSlide(p, {double(x1 && x2), 0}));
      BOOST_TEST(std::abs(p - PlainSigmoid(z)) <= kRel * PlainSigmoid(z));
    }
  }
}

// An independent perceptron: the slide's rule in plain loops.
struct PlainRun {
  std::vector<double> args, losses;  // -y_i w.x_i and max(0, .) per step
  std::vector<Vector> ws;            // w after each step
  int epochs = 0;
};
PlainRun PlainPerceptron(const std::vector<Vector>& X,
                         const std::vector<int>& y, Vector w, double eta,
                         int max_epochs) {
  PlainRun r;
  for (int epoch = 1; epoch <= max_epochs; ++epoch) {
    r.epochs = epoch;
    bool any = false;
    for (std::size_t i = 0; i < X.size(); ++i) {
      double s = 0;
      for (std::size_t j = 0; j < w.size(); ++j) s += w[j] * X[i][j];
      r.args.push_back(-y[i] * s);
      r.losses.push_back(std::max(0.0, -y[i] * s));
      if (y[i] * s <= 0) {
        for (std::size_t j = 0; j < w.size(); ++j) w[j] += eta * y[i] * X[i][j];
        any = true;
      }
      r.ws.push_back(w);
    }
    if (!any) break;
  }
  return r;
}

const std::vector<Vector> kDl4nlpX = {
    {1, 1, 3}, {1, 5, 4}, {1, 6, 3}, {1, 3, 1}};
const std::vector<int> kDl4nlpY = {1, 1, -1, -1};

// DL4NLP "Perceptron Training I/II": the five steps on the slide, then
// training to an epoch without mistakes.
BOOST_AUTO_TEST_CASE(perceptron_training_trace_dl4nlp) {
  const PerceptronRun run =
      TrainPerceptron(kDl4nlpX, kDl4nlpY, {0, -1, 1}, 0.5, 100);
  const double slide_arg[] = {-2, 1, 18.5, -3, -3};
  const double slide_loss[] = {0, 1, 18.5, 0, 0};
  for (int i = 0; i < 5; ++i) {
    const auto& s = run.steps[i];
    BOOST_TEST(
        AgreesWithSlide(-kDl4nlpY[s.index] * s.score, {slide_arg[i], 1}));
    BOOST_TEST(AgreesWithSlide(s.loss, {slide_loss[i], 1}));
  }
  BOOST_TEST(run.steps[1].w == (Vector{0.5, 1.5, 3}),
             boost::test_tools::per_element());
  BOOST_TEST(run.steps[2].w == (Vector{0, -1.5, 1.5}),
             boost::test_tools::per_element());
  // Full run against the independent implementation (all values are
  // multiples of 0.5: exact in binary, so exact equality is the tolerance).
  const PlainRun plain =
      PlainPerceptron(kDl4nlpX, kDl4nlpY, {0, -1, 1}, 0.5, 100);
  BOOST_REQUIRE_EQUAL(run.steps.size(), plain.ws.size());
  for (std::size_t i = 0; i < run.steps.size(); ++i) {
    BOOST_TEST(run.steps[i].loss == plain.losses[i]);
    BOOST_TEST(run.steps[i].w == plain.ws[i], boost::test_tools::per_element());
  }
  BOOST_TEST(run.converged);
  BOOST_TEST(run.epochs == plain.epochs);
  BOOST_TEST(run.epochs == 15);
  BOOST_TEST(run.w == (Vector{0.5, -5, 9.5}), boost::test_tools::per_element());
  for (std::size_t i = 0; i < kDl4nlpX.size(); ++i) {
    BOOST_TEST(Predict(run.w, kDl4nlpX[i]) == kDl4nlpY[i]);
  }
}

// DL4NLP exercise: a, b, c in class +1 and d in class -1 is OR.
BOOST_AUTO_TEST_CASE(perceptron_or_exercise_dl4nlp) {
  const std::vector<Vector> X = {{1, 1, 1}, {1, 0, 1}, {1, 1, 0}, {1, 0, 0}};
  const std::vector<int> y = {1, 1, 1, -1};
  const PerceptronRun run = TrainPerceptron(X, y, {0, 0, 0}, 0.5, 100);
  BOOST_TEST(run.converged);
  const PlainRun plain = PlainPerceptron(X, y, {0, 0, 0}, 0.5, 100);
  BOOST_TEST(run.w == plain.ws.back(), boost::test_tools::per_element());
  for (int a = 0; a <= 1; ++a)
    for (int b = 0; b <= 1; ++b)
      BOOST_TEST(Predict(run.w, Vector{1.0, double(a), double(b)}) ==
                 ((a || b) ? 1 : -1));
}

// DL4NLP "The XOR Problem": AND and OR are learned, XOR cycles forever.
BOOST_AUTO_TEST_CASE(perceptron_learns_and_or_but_cycles_on_xor) {
  const std::vector<Vector> X = {{1, 0, 0}, {1, 0, 1}, {1, 1, 0}, {1, 1, 1}};
  const PerceptronRun and_run =
      TrainPerceptron(X, std::vector<int>{-1, -1, -1, 1}, {0, 0, 0}, 0.5, 1000);
  const PerceptronRun or_run =
      TrainPerceptron(X, std::vector<int>{-1, 1, 1, 1}, {0, 0, 0}, 0.5, 1000);
  const PerceptronRun xor_run =
      TrainPerceptron(X, std::vector<int>{-1, 1, 1, -1}, {0, 0, 0}, 0.5, 1000);
  BOOST_TEST(and_run.converged);
  BOOST_TEST(or_run.converged);
  BOOST_TEST(!xor_run.converged);
  BOOST_TEST(xor_run.cycle_length >= 1);
  // Independently: the plain run never has a mistake-free epoch in 1000.
  const PlainRun plain =
      PlainPerceptron(X, {-1, 1, 1, -1}, {0, 0, 0}, 0.5, 1000);
  BOOST_TEST(plain.epochs == 1000);
  // The cycle the chapter reports: from w = 0 one XOR epoch returns to w = 0.
  BOOST_TEST(plain.ws[3] == (Vector{0, 0, 0}),
             boost::test_tools::per_element());
}

// Erratum ucl.sigmoid_sign (UCL "The derivative of the sigmoid activation is
// neat"): the slide's 1/(1 - e^-x) is not the sigmoid the project computes.
// The project's sigmoid (scalar and kernel) and its derivative (the kernel's
// sigma (1 - sigma) from the saved output) match the erratum's correction
// 1/(1 + e^-x) and e^-x/(1 + e^-x)^2, the standard closed forms, to a few
// ulps (4e-16 absolute on values <= 1); the slide's function leaves (0, 1).
BOOST_AUTO_TEST_CASE(erratum_ucl_sigmoid_sign_slip) {
  const auto slide = [](double x) { return 1 / (1 - std::exp(-x)); };
  BOOST_TEST(std::isinf(slide(0.0)));  // 1/0: diverges at 0
  BOOST_TEST(slide(1.0) > 1.0);        // not a probability
  const Vector x = {-6, -1, -0.25, 0, 0.25, 1, 6};
  Vector s(x.size()), ds(x.size()), ones(x.size(), 1.0);
  kernels::Sigmoid(x, s);
  kernels::SigmoidBackward(ones, s, ds);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double e = std::exp(-x[i]);
    BOOST_TEST(std::abs(s[i] - 1 / (1 + e)) <= 4e-16);
    BOOST_TEST(std::abs(Sigmoid(x[i]) - 1 / (1 + e)) <= 4e-16);
    BOOST_TEST(std::abs(ds[i] - e / ((1 + e) * (1 + e))) <= 4e-16);
    BOOST_TEST(s[i] > 0.0);
    BOOST_TEST(s[i] < 1.0);
  }
  BOOST_TEST(std::abs(Sigmoid(1.0) - 0.7310585786300049) <= 1e-15);
}

// Errata dl4nlp.label_vector and dl4nlp.update_sign (DL4NLP "Perceptron
// Training I/II"): the project's perceptron reproduces the slide's numbers
// only with y_3 = -1, and its step at x2 moves w from (0.5, 1.5, 3) to the
// slide's (0, -1.5, 1.5), which is w + eta y_2 x2 with y_2 = -1 (the slide
// counts from x0); the
// literal "w - eta y_i x_i" would give (1, 4.5, 4.5).
BOOST_AUTO_TEST_CASE(errata_dl4nlp_perceptron_training) {
  // With the first listing's y_3 = +1, step 4 would be max(0, 3) = 3, not
  // the slide's max(0, -3) = 0.
  const PerceptronRun wrong = TrainPerceptron(
      kDl4nlpX, std::vector<int>{1, 1, -1, 1}, {0, -1, 1}, 0.5, 1);
  BOOST_TEST(!AgreesWithSlide(wrong.steps[3].loss, {0.0, 1}));
  const PerceptronRun run =
      TrainPerceptron(kDl4nlpX, kDl4nlpY, {0, -1, 1}, 0.5, 1);
  BOOST_TEST(AgreesWithSlide(run.steps[3].loss, {0.0, 1}));
  const PerceptronStep& at_x2 = run.steps[2];
  BOOST_TEST(at_x2.index == 2);  // the slide counts x0, x1, x2, x3
  BOOST_TEST(at_x2.updated);
  BOOST_TEST(kDl4nlpY[2] == -1);
  const Vector& before = run.steps[1].w;
  BOOST_TEST(before == (Vector{0.5, 1.5, 3}), boost::test_tools::per_element());
  BOOST_TEST(at_x2.w == (Vector{0, -1.5, 1.5}),
             boost::test_tools::per_element());
  Vector literal(3);  // w - eta y_2 x2, as the slide writes the rule
  for (int j = 0; j < 3; ++j) {
    literal[j] = before[j] - 0.5 * kDl4nlpY[2] * kDl4nlpX[2][j];
  }
  BOOST_TEST(literal == (Vector{1, 4.5, 4.5}),
             boost::test_tools::per_element());
}

// A chapter target's checks (issue 12): a value within its bound agrees, a
// value beyond it or a NaN does not, and the report says which and by how
// much; the JSON lists every bound.
BOOST_AUTO_TEST_CASE(report_checks_fail_beyond_their_bound) {
  chapters::Report r("test");
  chapters::Example& ok = r.Add("ok", "nowhere");
  ok.AddCheck("error", 1e-9, 1e-7, "why").Add("x", 0.87, {0.87, 2});
  BOOST_TEST(ok.AllAgree());
  BOOST_TEST(ok.FirstDisagreement() == "");
  chapters::Example& bad = r.Add("bad", "nowhere");
  bad.AddCheck("error", 0.68, 1e-7, "why");
  BOOST_TEST(!bad.AllAgree());
  BOOST_TEST(bad.FirstDisagreement() == "error = 0.68 exceeds its bound 1e-07");
  chapters::Example& nan = r.Add("nan", "nowhere");
  nan.AddCheck("error", std::nan(""), 1e-7, "why");
  BOOST_TEST(!nan.AllAgree());
  // A negative difference counts by its size.
  chapters::Example& neg = r.Add("neg", "nowhere");
  neg.AddCheck("difference", -2e-7, 1e-7, "why");
  BOOST_TEST(!neg.AllAgree());
  std::ostringstream json;
  r.PrintJson(json);
  const auto doc = nlohmann::json::parse(json.str());
  BOOST_TEST(doc["examples"][0]["bounds"]["error"].get<double>() == 1e-7);
  BOOST_TEST(doc["examples"][0]["agrees_with_slide"].get<bool>());
  BOOST_TEST(!doc["examples"][1]["agrees_with_slide"].get<bool>());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(gradcheck)

// The activations' derivatives from their saved outputs, as the chapter's
// activation_derivatives fragment computes them, against the closed forms
// of the UCL/DL4NLP slides written here with std::exp and std::tanh.
BOOST_AUTO_TEST_CASE(activation_derivatives_match_the_slides_closed_forms) {
  const Vector grid = {-6, -1, -0.5, 0.5, 1, 6};
  const std::vector<DerivativeCheck> checks = CheckDerivatives(grid);
  BOOST_REQUIRE_EQUAL(checks.size(), 3u);
  for (std::size_t i = 0; i < grid.size(); ++i) {
    const double s = 1 / (1 + std::exp(-grid[i])), t = std::tanh(grid[i]);
    BOOST_TEST(checks[0].derivative[i] == s * (1 - s),
               boost::test_tools::tolerance(1e-14));
    BOOST_TEST(checks[1].derivative[i] == 1 - t * t,
               boost::test_tools::tolerance(1e-12));
    BOOST_TEST(checks[2].derivative[i] == (grid[i] > 0 ? 1.0 : 0.0));
  }
  for (const DerivativeCheck& c : checks) {
    BOOST_TEST(c.worst_error < 1e-8, c.name << ": " << c.worst_error);
  }
}

const std::vector<Vector> kAndX = {{1, 0, 0}, {1, 0, 1}, {1, 1, 0}, {1, 1, 1}};
const std::vector<double> kAndY = {0, 0, 0, 1};

// The logistic-regression gradient sum_i (p_i - y_i) x_i against central
// differences of the loss, at the slide's theta and at random points.
BOOST_AUTO_TEST_CASE(logistic_gradient_matches_finite_differences) {
  std::mt19937_64 rng(101);
  std::uniform_real_distribution<double> u(-3, 3);
  std::vector<Vector> thetas = {{-30, 20, 20}, {0, 0, 0}};
  for (int i = 0; i < 5; ++i) thetas.push_back({u(rng), u(rng), u(rng)});
  for (const Vector& theta : thetas) {
    const auto r = testing::CheckGradient(
        [](const Vector& t) { return LogisticLoss(t, kAndX, kAndY); }, theta,
        LogisticGradient(theta, kAndX, kAndY));
    BOOST_TEST(r.worst_error <= 1e-7, r.Describe());
  }
}

// The same gradient by forward-mode AutoDiff through reference::Sigmoid.
BOOST_AUTO_TEST_CASE(logistic_gradient_matches_autodiff) {
  using AD = Eigen::AutoDiffScalar<Eigen::VectorXd>;
  const Vector theta = {0.3, -1.2, 2.1};
  std::vector<AD> t;
  for (int j = 0; j < 3; ++j) t.emplace_back(theta[j], 3, j);
  AD loss(0.0);
  for (std::size_t i = 0; i < kAndX.size(); ++i) {
    AD z(0.0);
    for (int j = 0; j < 3; ++j) z += t[j] * kAndX[i][j];
    const AD p = reference::Sigmoid<AD>(z);
    using std::log;
    loss -= kAndY[i] * log(p) + (1 - kAndY[i]) * log(1.0 - p);
  }
  const Vector g = LogisticGradient(theta, kAndX, kAndY);
  BOOST_TEST(std::abs(loss.value() - LogisticLoss(theta, kAndX, kAndY)) <=
             1e-14);
  for (int j = 0; j < 3; ++j) {
    BOOST_TEST(std::abs(g[j] - loss.derivatives()[j]) <= 1e-14);
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(shapes)

// The chapter tools' thread count (chapters/common/threads.h): what
// --threads and FFNN_THREADS accept, and the message for what they do not.
BOOST_AUTO_TEST_CASE(thread_counts_are_parsed_strictly) {
  BOOST_TEST(chapters::ParseThreads("1", "--threads") == 1);
  BOOST_TEST(chapters::ParseThreads("2", "--threads") == 2);
  BOOST_TEST(chapters::ParseThreads("256", "--threads") == 256);
  for (const char* bad : {"", "0", "-1", "257", "2x", " 2", "1.5", "99999"}) {
    try {
      chapters::ParseThreads(bad, "FFNN_THREADS");
      BOOST_ERROR("accepted '" << bad << "'");
    } catch (const std::invalid_argument& e) {
      const std::string what = e.what();
      BOOST_TEST(what.find("FFNN_THREADS: '") == 0, what);
    }
  }
}

BOOST_AUTO_TEST_CASE(mismatched_examples_are_rejected) {
  BOOST_CHECK_THROW(
      TrainPerceptron({{1, 2}}, std::vector<int>{1, -1}, {0, 0}, 0.5, 1),
      std::invalid_argument);
  BOOST_CHECK_THROW(
      TrainPerceptron({{1, 2, 3}}, std::vector<int>{1}, {0, 0}, 0.5, 1),
      std::invalid_argument);
  BOOST_CHECK_THROW(LogisticGradient(Vector{0, 0}, {{1, 2, 3}}, Vector{1}),
                    std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace ffnn::ch01
