// ch02_mlp's report: every worked example of chapter 2 beside the
// slides' numbers (worked_ch02.h).
#include "chapters/02_mlp/worked_ch02.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "chapters/02_mlp/mlp.h"
#include "chapters/common/gradcheck.h"
#include "chapters/common/iris.h"
#include "chapters/common/worked.h"
#include "kernels/gemm.h"
#include "kernels/softmax.h"

namespace ffnn::ch02 {
namespace {

using chapters::ChapterOptions;
using chapters::Example;
using chapters::Format;
using chapters::Report;
using chapters::SlideValue;
using chapters::Source;
using namespace chapters::decks;

std::string At(const Matrix& X, std::size_t r) {
  return "(" + Format(X(r, 0)) + "," + Format(X(r, 1)) + ")";
}

const Matrix kBoolean = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};

void XnorComposition(Report& r) {
  const Trace t = XnorNetwork().Forward(kBoolean);
  Example& e =
      r.Add("xnor.sigmoid_composition", Source(kLmu, "Function Composition"));
  e.Step(
      "sigma(Z1) = AND(x1, x2), sigma(Z2) = NOR(x1, x2), "
      "sigma(Z3) = sigma(-10 + 20 sigma(Z1) + 20 sigma(Z2))");
  for (std::size_t i = 0; i < 4; ++i) {
    const bool x1 = kBoolean(i, 0) != 0, x2 = kBoolean(i, 1) != 0;
    const std::string at = At(kBoolean, i);
    e.Add("sigma(Z1)" + at, t.a[1](i, 0), SlideValue{double(x1 && x2), 0})
        .Add("sigma(Z2)" + at, t.a[1](i, 1), SlideValue{double(!x1 && !x2), 0})
        .Add("Z3" + at, t.z[2](i, 0), SlideValue{(x1 == x2) ? 10.0 : -10.0, 0})
        .Add("sigma(Z3)" + at, t.a[2](i, 0), SlideValue{double(x1 == x2), 0},
             "XNOR");
  }
}

void XorRelu(Report& r) {
  const Trace t = XorReluNetwork().Forward(kBoolean);  // the design matrix
  Example& e =
      r.Add("xor.relu_network",
            Source(kDl4nlp,
                   "XOR-Problem: Deep Feedforward Network; Design matrix: "
                   "One sample per row") +
                "; " +
                Source(kJm,
                       "Neural Networks – XOR Problem: A Solution to "
                       "XOR Problem"));
  const double xw[4][2] = {{0, -1}, {1, 0}, {1, 0}, {2, 1}};
  const double h[4][2] = {{0, 0}, {1, 0}, {1, 0}, {2, 1}};
  const double hw[4] = {0, 1, 1, 0};
  for (std::size_t i = 0; i < 4; ++i) {
    e.Step("x = " + At(kBoolean, i) +
           ": XW + c = " + chapters::FormatVector(t.z[1].Row(i)) +
           ", h = max(0, .) = " + chapters::FormatVector(t.a[1].Row(i)) +
           ", h.w + b = " + Format(t.a[2](i, 0)));
    for (std::size_t j = 0; j < 2; ++j) {
      const std::string ij =
          "[" + std::to_string(i) + "," + std::to_string(j) + "]";
      e.Add("XW+c" + ij, t.z[1](i, j), SlideValue{xw[i][j], 0})
          .Add("H" + ij, t.a[1](i, j), SlideValue{h[i][j], 0});
    }
    e.Add("Hw[" + std::to_string(i) + "]", t.a[2](i, 0), SlideValue{hw[i], 0});
  }
}

// softmax of one vector: a one-row matrix through the network's Apply.
Vector Softmax(const Vector& z) {
  Matrix row(1, z.size());
  row.data = z;
  return Apply(Activation::kSoftmax, row).data;
}

void Softmaxes(Report& r) {
  const Vector z1 = {2, -1.99, -0.01};
  const Vector p1 = Softmax(z1);
  const double s1[] = {0.868, 0.016, 0.116};
  Example& e1 = r.Add("softmax.ucl_example",
                      Source(kUcl,
                             "Inference with a feedforward neural "
                             "network — Softmax (Softmax example)"));
  e1.Step("softmax(" + chapters::FormatVector(z1) +
          ") = " + chapters::FormatVector(p1));
  for (std::size_t k = 0; k < 3; ++k) {
    e1.Add("p" + std::to_string(k + 1), p1[k], SlideValue{s1[k], 3});
  }

  const Vector z2 = {0.6, 1.1, -1.5, 1.2, 3.2, -1.1};
  const Vector p2 = Softmax(z2);
  const SlideValue s2[] = {{0.055, 3}, {0.090, 3}, {0.006, 3},
                           {0.099, 3}, {0.74, 2},  {0.010, 3}};
  Example& e2 = r.Add("softmax.dl4nlp_example",
                      Source(kDl4nlp, "Softmax: a Generalization of Sigmoid"));
  e2.Step("softmax(" + chapters::FormatVector(z2) +
          ") = " + chapters::FormatVector(p2));
  for (std::size_t k = 0; k < 6; ++k) {
    const std::string name = "p" + std::to_string(k + 1);
    if (k == 2 || k == 3) {
      e2.AddWrong(name, p2[k], s2[k], "dl4nlp.softmax_truncated");
    } else {
      e2.Add(name, p2[k], s2[k]);
    }
  }
  double sum = 0;
  for (double p : p2) sum += p;
  e2.Add("sum of p", sum);
  r.AddErratum({"dl4nlp.softmax_truncated",
                Source(kDl4nlp, "Softmax: a Generalization of Sigmoid"),
                "softmax(z)_3 = 0.006 and softmax(z)_4 = 0.099",
                "0.007 (" + Format(p2[2]) + ") and 0.100 (" + Format(p2[3]) +
                    ") to three decimals",
                "the slide truncates these two values, while it rounds the "
                "others (0.0548 to 0.055)"});
}

void IrisForward(Report& r) {
  const Trace t = IrisSlideNetwork().Forward(Matrix{{1.8, 0.5}});
  const Vector y = {1, 0, 0};
  const auto yhat = t.output().Row(0);
  Example& e = r.Add("iris.forward",
                     Source(kDl4nlp, "Walk-Through Example: Forward Pass"));
  e.Step("x = (1.8, 0.5), y = (1, 0, 0)");
  e.Step("a1 = b1 + W1 x = " + chapters::FormatVector(t.z[1].Row(0)) +
         ", h1 = relu(a1) = " + chapters::FormatVector(t.a[1].Row(0)));
  e.Step("a2 = b2 + W2 h1 = " + chapters::FormatVector(t.z[2].Row(0)) +
         ", yhat = softmax(a2) = " + chapters::FormatVector(yhat));
  const double a1[] = {0.28, 0.72}, a2[] = {-0.23, -0.37, -0.46};
  const double yh[] = {0.38, 0.32, 0.30};
  for (std::size_t k = 0; k < 2; ++k) {
    e.Add("a1_" + std::to_string(k + 1), t.z[1](0, k), SlideValue{a1[k], 2})
        .Add("h1_" + std::to_string(k + 1), t.a[1](0, k), SlideValue{a1[k], 2});
  }
  for (std::size_t k = 0; k < 3; ++k) {
    e.Add("a2_" + std::to_string(k + 1), t.z[2](0, k), SlideValue{a2[k], 2});
    const std::string name = "yhat_" + std::to_string(k + 1);
    if (k == 1) {
      e.AddWrong(name, yhat[k], SlideValue{yh[k], 2}, "dl4nlp.iris_yhat2");
    } else {
      e.Add(name, yhat[k], SlideValue{yh[k], 2});
    }
  }
  // Which loss gives the slide's J? Its formula sums a binary cross-entropy
  // over the three classes. First the slide's recipe (deck_loss) on this
  // forward pass, with yhat rounded as printing should and then truncated as
  // the slide prints yhat_2; then the exact yhat in both bases, beside the
  // standard cross-entropy.
  const Vector yhat_exact(yhat.begin(), yhat.end());
  const std::size_t slide_truncates[] = {1};
  e.AddWrong("J: the slide's recipe, yhat rounded", DeckIrisLoss(t, y),
             SlideValue{0.74, 2}, "dl4nlp.iris_yhat2");
  e.Add("J: the slide's recipe, yhat_2 truncated as printed",
        DeckIrisLoss(t, y, slide_truncates), SlideValue{0.74, 2},
        "the slide's recipe");
  e.Add("J: summed BCE, log10, exact yhat",
        SummedBinaryCrossEntropy(yhat_exact, y, 10));
  e.Add("J: summed BCE, ln, exact yhat",
        SummedBinaryCrossEntropy(yhat_exact, y));
  e.Add("J: cross-entropy -ln yhat_1, exact (the standard loss)",
        CrossEntropy(yhat_exact, y));
  const Vector from_rounded_logits = Softmax({-0.23, -0.37, -0.46});
  r.AddErratum({"dl4nlp.iris_yhat2",
                Source(kDl4nlp, "Walk-Through Example: Forward Pass"),
                "yhat = softmax(-0.23, -0.37, -0.46) = (0.38, 0.32, 0.30)",
                "yhat_2 = " + Format(yhat[1]) + " (" +
                    Format(from_rounded_logits[1]) +
                    " from the slide's rounded logits), which rounds to "
                    "0.33; with 0.33 the slide's own recipe gives J = " +
                    Format(DeckIrisLoss(t, y)) + ", 0.75",
                "the slide truncates yhat_2 while it rounds yhat_1 = " +
                    Format(yhat[0]) +
                    " up to 0.38; its loss 0.74 is "
                    "computed from the truncated value"});
  r.AddErratum(
      {"dl4nlp.iris_loss",
       Source(kDl4nlp, "Walk-Through Example: Forward Pass"),
       "J = CE(yhat, y) = -(log(0.38) + log(1 - 0.32) + log(1 - 0.30)) = 0.74",
       "this is not the cross-entropy -sum y log yhat = -ln(yhat_1) = " +
           Format(CrossEntropy(yhat_exact, y)) +
           " but a binary cross-entropy summed over the classes; 0.74 needs "
           "log base 10 and the slide's rounded yhat (exact yhat: " +
           Format(SummedBinaryCrossEntropy(yhat_exact, y, 10)) +
           " in base 10, " + Format(SummedBinaryCrossEntropy(yhat_exact, y)) +
           " with ln)",
       "the backward pass (chapter 3) differentiates the standard "
       "cross-entropy, whose gradient p - y does not match this J"});
  r.AddErratum({"dl4nlp.ce_formula",
                Source(kDl4nlp,
                       "Walk-Through Example: "
                       "Iris Dataset"),
                "CE = -sum_i y_i log(yhat_i) (1 - y_i) log(1 - yhat_i)",
                "-sum_i [y_i log(yhat_i) + (1 - y_i) log(1 - yhat_i)]",
                "a '+' is missing: as printed the two logs are multiplied"});
}

// UCL "Are nonlinear activation functions necessary?": two layers with
// identity activations are one layer with W' = W2 W1 (and b' = W2 b1 + b2).
void LinearCollapse(Report& r) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(-1, 1);
  auto random = [&](std::size_t rows, std::size_t cols) {
    Matrix m(rows, cols);
    for (double& v : m.data) v = u(rng);
    return m;
  };
  const Matrix W1 = random(4, 3), W2 = random(2, 4), x = random(5, 3);
  const Mlp two({{W1, Vector(4, 0.0), Activation::kIdentity},
                 {W2, Vector(2, 0.0), Activation::kIdentity}});
  const Mlp one = CollapseLinear(two);  // W' = W2 W1: (2, 3)
  const Matrix& y2 = two.Forward(x).output();
  const Matrix& y1 = one.Forward(x).output();
  double max_diff = 0;
  for (std::size_t i = 0; i < y1.data.size(); ++i) {
    max_diff = std::max(max_diff, std::abs(y1.data[i] - y2.data[i]));
  }
  r.Add("linear_collapse",
        Source(kUcl, "Are nonlinear (sigma) activation functions necessary?"))
      .Step("W1: (4, 3), W2: (2, 4), 5 random inputs (seed 7); W' = W2 W1")
      .Step("two layers: y = " + chapters::FormatVector(y2.Row(0)) + " ...")
      .Step("one layer:  y = " + chapters::FormatVector(y1.Row(0)) + " ...")
      .AddCheck("max |W2 (W1 x) - (W2 W1) x|", max_diff,
                gradcheck::kRoundingBound, gradcheck::kRoundingWhy);
}

// DL4NLP "Batch processing": one gemm per layer for the whole design matrix
// gives what a loop over the examples gives.
void BatchEqualsLoop(Report& r, const Matrix& X, const Mlp& net) {
  const Matrix& batch = net.Forward(X).output();
  double max_diff = 0;
  for (std::size_t i = 0; i < X.rows; ++i) {
    Matrix xi(1, X.cols);
    std::copy(X.Row(i).begin(), X.Row(i).end(), xi.data.begin());
    const Matrix& yi = net.Forward(xi).output();
    for (std::size_t k = 0; k < yi.cols; ++k) {
      max_diff = std::max(max_diff, std::abs(yi(0, k) - batch(i, k)));
    }
  }
  r.Add("batch.design_matrix", Source(kDl4nlp,
                                      "Design matrix: One sample per "
                                      "row (Batch processing)"))
      .Step("the Iris slide network on all " + std::to_string(X.rows) +
            " rows: one forward pass of the design matrix vs one per row")
      .AddCheck("max |batch - loop|", max_diff, gradcheck::kRoundingBound,
                gradcheck::kRoundingWhy);
}

// The slide network (untrained) on all of Iris: petal length and width as
// its two inputs.
void IrisUntrained(Report& r, const ChapterOptions& options) {
  const chapters::IrisData iris =
      chapters::LoadIris(options.data_dir + "/iris.csv");
  Matrix X(iris.X.rows, 2);
  for (std::size_t i = 0; i < X.rows; ++i) {
    X(i, 0) = iris.X(i, 2);  // petal length
    X(i, 1) = iris.X(i, 3);  // petal width
  }
  const Mlp net = IrisSlideNetwork();
  const Matrix& P = net.Forward(X).output();
  std::vector<int> predicted(3, 0);
  int correct = 0;
  double loss = 0;
  for (std::size_t i = 0; i < P.rows; ++i) {
    const auto row = P.Row(i);
    const int k = static_cast<int>(Argmax(row));
    ++predicted[k];
    correct += k == iris.labels[i];
    loss -= std::log(row[iris.labels[i]]);
  }
  Example& e = r.Add("iris.untrained",
                     Source(kDl4nlp, "Walk-Through Example: Iris Dataset"));
  e.Step("data/iris.csv: " + std::to_string(X.rows) +
         " rows; inputs: petal length and petal width (cm)");
  for (int k = 0; k < 3; ++k) {
    e.Add("predicted " + iris.class_names[k], predicted[k]);
  }
  e.Add("accuracy", double(correct) / X.rows)
      .Add("mean cross-entropy (ln)", loss / X.rows);
  BatchEqualsLoop(r, X, net);
}

}  // namespace

chapters::Report BuildReport(const ChapterOptions& options) {
  Report r("02_mlp");
  r.Run(XnorComposition);
  r.Run(XorRelu);
  r.Run(Softmaxes);
  r.Run(IrisForward);
  r.Run(LinearCollapse);
  r.Run([&](Report& report) { IrisUntrained(report, options); });
  return r;
}

}  // namespace ffnn::ch02
