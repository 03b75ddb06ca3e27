// ch01_perceptron's report: every worked example of chapter 1 beside the
// slides' numbers (worked_ch01.h).
#include "chapters/01_perceptron/worked_ch01.h"

#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "chapters/01_perceptron/perceptron.h"
#include "chapters/common/gradcheck.h"
#include "chapters/common/worked.h"
#include "kernels/activations.h"

namespace ffnn::ch01 {
namespace {

using chapters::Example;
using chapters::Format;
using chapters::Report;
using chapters::SlideValue;
using chapters::Source;
using namespace chapters::decks;

void SigmoidExample(Report& r) {
  const Vector w = {0.2, 0.3, 0.9}, x = {0.5, 0.6, 0.1};
  const double b = 0.5;
  const double z = Preactivation(w, x, b);  // w . x + b
  const double a = Sigmoid(z);
  r.Add("unit.sigmoid_example",
        Source(kUcl,
               "NN unit (worked example; its title was lost in the "
               "text extraction)") +
            "; " + Source(kDl4nlp, "Neural Network Unit: An Example") + "; " +
            Source(kJm, "Neural Networks – Units: An Example"))
      .Step("z = w . x + b = 0.2*0.5 + 0.3*0.6 + 0.9*0.1 + 0.5")
      .Step("a = sigma(z) = 1 / (1 + exp(-z))")
      .Add("z", z, SlideValue{0.87, 2}, "all three decks")
      .Add("sigma(z)", a, SlideValue{0.705, 3}, "UCL")
      .Add("sigma(z) [DL4NLP, J&M]", a, SlideValue{0.70, 2}, "DL4NLP, J&M");
}

void LogregAnd(Report& r) {
  const Vector theta = {-30, 20, 20};  // (bias, x1, x2)
  Example& e =
      r.Add("logreg.and", Source(kLmu, "Modeling 1: Logistic Regression"));
  e.Step("h(x) = sigma(-30 + 20 x1 + 20 x2) over the AND truth table");
  for (int x1 = 0; x1 <= 1; ++x1) {
    for (int x2 = 0; x2 <= 1; ++x2) {
      const Vector x = {1.0, double(x1), double(x2)};
      const double z = Preactivation(theta, x, 0.0);
      const std::string at =
          "(" + std::to_string(x1) + "," + std::to_string(x2) + ")";
      e.Add("z" + at, z, SlideValue{double(-30 + 20 * x1 + 20 * x2), 0})
          .Add("sigma(z)" + at, Sigmoid(z), SlideValue{double(x1 && x2), 0},
               "slide: approximately");
    }
  }
}

// The DL4NLP training example, with the slide's first five steps pinned.
void TrainingTrace(Report& r) {
  const auto [X, y] = Dl4nlpTrainingPoints();
  const PerceptronRun run = TrainPerceptron(X, y, {0, -1, 1}, 0.5, 100);
  Example& e = r.Add("perceptron.training_trace",
                     Source(kDl4nlp, "Perceptron Training I/II"));
  e.Step(
      "x0..x3 = (1,1,3)+ (1,5,4)+ (1,6,3)- (1,3,1)-, w = (0,-1,1), "
      "eta = 0.5");
  e.Step(
      "L_i = max(0, -y_i w.x_i); update w += eta y_i x_i when "
      "y_i w.x_i <= 0");
  for (const PerceptronStep& s : run.steps) {
    char line[160];
    std::snprintf(
        line, sizeof line, "epoch %d, x%d: w.x = %s, L = %s%s -> w = %s",
        s.epoch, s.index, Format(s.score).c_str(), Format(s.loss).c_str(),
        s.updated ? ", update" : "", chapters::FormatVector(s.w).c_str());
    e.Step(line);
  }
  // The slide's numbers for the first five steps: the argument -y_i w.x_i
  // of max(0, .), the loss, and w after the two updates.
  const double slide_arg[] = {-2, 1, 18.5, -3, -3};
  const double slide_loss[] = {0, 1, 18.5, 0, 0};
  for (int i = 0; i < 5; ++i) {
    const PerceptronStep& s = run.steps[i];
    const double y_i = y[static_cast<std::size_t>(s.index)];
    e.Add("-y w.x step " + std::to_string(i + 1), -y_i * s.score,
          SlideValue{slide_arg[i], 1})
        .Add("L step " + std::to_string(i + 1), s.loss,
             SlideValue{slide_loss[i], 1});
  }
  const double w2[] = {0.5, 1.5, 3}, w3[] = {0, -1.5, 1.5};
  for (int j = 0; j < 3; ++j) {
    e.Add("w" + std::to_string(j) + " after x1", run.steps[1].w[j],
          SlideValue{w2[j], 1});
  }
  for (int j = 0; j < 3; ++j) {
    e.Add("w" + std::to_string(j) + " after x2", run.steps[2].w[j],
          SlideValue{w3[j], 1});
  }
  for (int j = 0; j < 3; ++j) {
    e.Add("final w" + std::to_string(j), run.w[j]);
  }
  e.Add("epochs", run.epochs).Add("converged", run.converged ? 1 : 0);
}

// DL4NLP "Learning Rate for the Perceptron": eta = 0.2, 0.5, 1.0 on the
// training example's points, from the same start.
void LearningRates(Report& r) {
  const auto [X, y] = Dl4nlpTrainingPoints();
  Example& e = r.Add("perceptron.learning_rates",
                     Source(kDl4nlp, "Learning Rate for the Perceptron"));
  e.Step("the training example's points, w = (0,-1,1), eta = 0.2, 0.5, 1.0");
  const struct {
    double eta;
    const char* key;
  } rates[] = {{0.2, "eta 0.2"}, {0.5, "eta 0.5"}, {1.0, "eta 1.0"}};
  for (const auto& rate : rates) {
    const PerceptronRun run = TrainPerceptron(X, y, {0, -1, 1}, rate.eta, 200);
    e.Step(std::string(rate.key) + ": " + std::to_string(run.epochs) +
           " epochs, w = " + chapters::FormatVector(run.w) +
           ", line w / w2 = " +
           chapters::FormatVector(
               Vector{run.w[0] / run.w[2], run.w[1] / run.w[2], 1.0}));
    e.Add(std::string(rate.key) + " epochs", run.epochs);
  }
}

void OrExercise(Report& r) {
  //! [or_exercise]
  // a, b, c in class +1, d in class -1 (inputs with the constant 1 first).
  const std::vector<Vector> X = {{1, 1, 1}, {1, 0, 1}, {1, 1, 0}, {1, 0, 0}};
  const std::vector<int> y = {1, 1, 1, -1};
  const PerceptronRun run = TrainPerceptron(X, y, {0, 0, 0}, 0.5, 100);
  //! [or_exercise]
  Example& e =
      r.Add("perceptron.or_exercise",
            Source(kDl4nlp,
                   "Perceptron (exercise: which function does it compute?)"));
  e.Step("a=(1,1)+ b=(0,1)+ c=(1,0)+ d=(0,0)-, w = (0,0,0), eta = 0.5");
  e.Step("trained in " + std::to_string(run.epochs) +
         " epochs: w = " + chapters::FormatVector(run.w));
  for (std::size_t i = 0; i < X.size(); ++i) {
    const int out = Predict(run.w, X[i]);
    e.Step("x = (" + Format(X[i][1]) + "," + Format(X[i][2]) +
           "): sign(w.x) = " + std::to_string(out) +
           (out == 1 ? "  (true)" : "  (false)") +
           ", OR = " + std::to_string(X[i][1] || X[i][2]));
    e.Add("output(" + Format(X[i][1]) + "," + Format(X[i][2]) + ")", out,
          SlideValue{(X[i][1] || X[i][2]) ? 1.0 : -1.0, 0}, "OR");
  }
  for (int j = 0; j < 3; ++j) e.Add("w" + std::to_string(j), run.w[j]);
}

void XorFails(Report& r) {
  Example& e = r.Add(
      "perceptron.xor_fails",
      Source(kDl4nlp, "The XOR Problem; Perceptrons are Linear Classifiers"));
  e.Step("inputs (0,0) (0,1) (1,0) (1,1); w = (0,0,0), eta = 0.5");
  for (const BooleanTask& t : AndOrXor()) {
    const PerceptronRun run =
        TrainPerceptron(t.data.X, t.data.y, {0, 0, 0}, 0.5, 1000);
    std::string line = std::string(t.name) + ": ";
    if (run.converged) {
      line += "converges after " + std::to_string(run.epochs) +
              " epochs, w = " + chapters::FormatVector(run.w);
    } else if (run.cycle_length > 0) {
      line += "never converges: the weights at the start of epoch " +
              std::to_string(run.cycle_from_epoch + run.cycle_length) +
              " repeat those of epoch " + std::to_string(run.cycle_from_epoch) +
              " (a cycle of " + std::to_string(run.cycle_length) +
              (run.cycle_length == 1 ? " epoch)" : " epochs)");
    } else {
      line += "no convergence within 1000 epochs";
    }
    e.Step(line);
    e.Add(std::string(t.name) + " converged", run.converged ? 1 : 0)
        .Add(std::string(t.name) + " epochs", run.epochs)
        .Add(std::string(t.name) + " cycle length", run.cycle_length);
  }
}

void ActivationDerivatives(Report& r) {
  const Vector grid = {-6, -4, -2, -1, -0.5, 0.5, 1, 2, 4, 6};
  Example& e =
      r.Add("activations.derivatives",
            Source(kUcl, "Activation functions – Vanishing gradient") + "; " +
                Source(kDl4nlp,
                       "Most Common Non-Linear Activation "
                       "Functions"));
  for (const DerivativeCheck& check : CheckDerivatives(grid)) {
    std::string row = std::string(check.name) + "':";
    for (const double d : check.derivative) row += " " + Format(d);
    e.Step(row);
    e.AddCheck(
        std::string("max error of ") + check.name + "' vs finite differences",
        check.worst_error, gradcheck::kFiniteDifferenceBound,
        gradcheck::kFiniteDifferenceWhy);
  }
  e.Step("at x = -6, -4, -2, -1, -0.5, 0.5, 1, 2, 4, 6");
  // sigma' at its peak z = 0 and far out at z = 10.
  const Vector z = {0, 10};
  const Vector dsz = CheckDerivatives(z)[0].derivative;
  e.Add("sigma'(0) (the largest)", dsz[0])
      .Add("sigma'(10) (vanishing)", dsz[1]);
}

void Errata(Report& r) {
  // The UCL deck's sigmoid with a sign slip: 1 / (1 - e^-x).
  const auto slide_sigma = [](double x) { return 1 / (1 - std::exp(-x)); };
  r.AddErratum(
      {"ucl.sigmoid_sign",
       Source(kUcl, "The derivative of the sigmoid activation is neat"),
       "sigma(x) = 1/(1 - exp(-x)), with d sigma/dx = -exp(-x)/(1 - exp(-x))^2",
       "sigma(x) = 1/(1 + exp(-x)), with d sigma/dx = exp(-x)/(1 + exp(-x))^2 "
       "= sigma(x)(1 - sigma(x))",
       "the slide's function diverges at x = 0 (1/0) and leaves (0, 1): at "
       "x = 1 it gives " +
           Format(slide_sigma(1)) + " instead of " + Format(Sigmoid(1)) +
           "; the deck's own earlier slides use the "
           "correct 1/(1 + exp(-z))"});
  r.AddErratum(
      {"dl4nlp.label_vector", Source(kDl4nlp, "Perceptron Training I"),
       "y = (1, 1, -1, 1) on the first listing",
       "y = (1, 1, -1, -1), as the slide's second listing and its 'Negative "
       "samples' x2, x3 say",
       "x3 = (3, 1) is listed as a negative sample"});
  r.AddErratum(
      {"dl4nlp.update_sign", Source(kDl4nlp, "Perceptron Training II"),
       "for x2: w = w - eta y_i x_i = w - 0.5 * 1 * x2",
       "w = w + eta y_i x_i with y_2 = -1, i.e. w - 0.5 x2 = (0, -1.5, 1.5)",
       "the rule is w + eta y_i x_i throughout; the slide writes the minus "
       "sign and y_i = 1 at once (the resulting numbers are right)"});
}

}  // namespace

chapters::Report BuildReport(const chapters::ChapterOptions&) {
  Report r("01_perceptron");
  r.Run(SigmoidExample);
  r.Run(LogregAnd);
  r.Run(TrainingTrace);
  r.Run(LearningRates);
  r.Run(OrExercise);
  r.Run(XorFails);
  r.Run(ActivationDerivatives);
  r.Run(Errata);
  return r;
}

}  // namespace ffnn::ch01
